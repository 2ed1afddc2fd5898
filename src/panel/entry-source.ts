// Full entries for a panel whose model holds rows (src/panel/model.ts): the selected entry's
// detail and the entries of an export are asked for over the port, when they are needed.
import type { LogEntry } from '../core/log';
import type { BackgroundMessage, PanelMessage } from '../shared/protocol';
import type { LogModel } from './model';

type Answer = Extract<BackgroundMessage, { type: 'detail' } | { type: 'fullEntries' }>;

export class EntrySource {
  /** The last detail received, and the one asked for. */
  private shown: { id: string; seq: number; entry: LogEntry | null } | null = null;
  private asked: { id: string; seq: number } | null = null;
  private nextReq = 1;
  private readonly loads = new Map<
    number,
    { entries: LogEntry[]; resolve(es: LogEntry[]): void; reject(e: Error): void }
  >();

  constructor(
    private readonly send: (m: PanelMessage) => void,
    /** Called when an answer arrived (the panel re-renders). */
    private readonly changed: () => void,
  ) {}

  /**
   * The full entry of `id`: the model's own when it has it, else the background's answer — null
   * when the entry is not in the log, undefined while it is being asked for. A newer version of
   * the row (a verdict that became final) asks again.
   */
  detail(model: LogModel, id: string): LogEntry | null | undefined {
    const full = model.get(id);
    if (full) return full;
    const row = model.row(id);
    if (!row) return null;
    const shown = this.shown?.id === id ? this.shown : null;
    const fresh = shown !== null && (shown.entry?.seq ?? shown.seq) >= row.seq;
    if (!fresh && (this.asked?.id !== id || this.asked.seq < row.seq)) {
      this.asked = { id, seq: row.seq };
      this.send({ type: 'detail', id });
    }
    // While a newer version is asked for, the previous one stays on screen.
    return shown ? shown.entry : undefined;
  }

  /** The full entries with these ids, in the order of `ids` (the list's; for exports). Gone ones are left out. */
  entries(ids: string[]): Promise<LogEntry[]> {
    const req = this.nextReq++;
    const at = new Map(ids.map((id, i) => [id, i]));
    return new Promise<LogEntry[]>((resolve, reject) => {
      this.loads.set(req, { entries: [], resolve, reject });
      this.send({ type: 'fullEntries', req, ids });
    }).then((es) => es.sort((a, b) => at.get(a.id)! - at.get(b.id)!));
  }

  /** Handles the background's answers; returns whether the message was one. */
  receive(m: BackgroundMessage): m is Answer {
    if (m.type === 'detail') {
      if (this.asked?.id === m.id) {
        this.shown = { id: m.id, seq: this.asked.seq, entry: m.entry };
        this.changed();
      }
      return true;
    }
    if (m.type === 'fullEntries') {
      const load = this.loads.get(m.req);
      if (!load) return true;
      load.entries.push(...m.entries);
      if (m.done) {
        this.loads.delete(m.req);
        load.resolve(load.entries);
      }
      return true;
    }
    return false;
  }

  /** The connection dropped: answers still owed will not come. */
  disconnected(): void {
    this.asked = null;
    this.shown = null;
    for (const l of this.loads.values()) l.reject(new Error('lost the connection to the background'));
    this.loads.clear();
  }
}
