// The events of requests still in flight, so a request whose events straddle a worker restart
// still ends up as one correct entry.
//
// The linker's state (open requests, preflights waiting for their request) is a pure function of
// the events it was fed, so instead of serialising the linker's internals we keep the events of
// every unfinished exchange (and of preflights not yet claimed), persist them with the log, and
// on wake replay them into a fresh linker before any new event. A finished exchange's events are
// dropped, so the journal holds only what is in flight: normally a handful of requests.
import type { EventRecord, Exchange } from '../core/types';

/** Bounds: a page with thousands of hanging requests must not grow the journal without limit. */
const MAX_REQUESTS = 2000;
const TTL_MS = 5 * 60_000; // the linker forgets open requests after 5 minutes too

export class Journal {
  private readonly byId = new Map<string, EventRecord[]>();
  changed = false;

  get size(): number {
    return this.byId.size;
  }

  has(requestId: string): boolean {
    return this.byId.has(requestId);
  }

  add(ev: EventRecord): void {
    let list = this.byId.get(ev.requestId);
    if (!list) {
      this.byId.set(ev.requestId, (list = []));
      if (this.byId.size > MAX_REQUESTS) this.byId.delete(this.byId.keys().next().value as string);
    }
    list.push(ev);
    this.changed = true;
  }

  /** The exchange finished: its events and its preflights' are no longer needed. */
  finished(ex: Exchange): void {
    if (this.byId.delete(ex.requestId)) this.changed = true;
    for (const p of ex.preflights) if (this.byId.delete(p.requestId)) this.changed = true;
  }

  /** Forgets requests whose latest event is older than the TTL, and those of closed tabs. */
  sweep(now: number, liveTab?: (tabId: number) => boolean): void {
    for (const [id, list] of this.byId) {
      const last = list[list.length - 1]!;
      if (now - last.timeStamp > TTL_MS || (liveTab && !liveTab(last.tabId))) {
        this.byId.delete(id);
        this.changed = true;
      }
    }
  }

  /** All events, oldest first (what gets persisted and replayed). */
  events(): EventRecord[] {
    const all: EventRecord[] = [];
    for (const list of this.byId.values()) all.push(...list);
    return all.sort((a, b) => a.timeStamp - b.timeStamp);
  }

  static from(events: unknown): EventRecord[] {
    return Array.isArray(events) ? (events as EventRecord[]).filter((e) => e && typeof e.requestId === 'string') : [];
  }
}
