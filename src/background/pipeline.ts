// webRequest batch → normalized records → linked exchanges → verdicts → per-tab logs → panels.
import { diagnose } from '../core/check';
import { Linker } from '../core/linker';
import { TabLog, type LogEntry } from '../core/log';
import { normalizeEvent } from '../core/normalize';
import type { BrowserName, Exchange } from '../core/types';
import type { QueuedEvent } from './listen';

export interface TabListener {
  entries(tabId: number, entries: LogEntry[], log: TabLog): void;
  navigated(tabId: number, log: TabLog): void;
}

export class Pipeline {
  private readonly linker: Linker;
  private readonly logs = new Map<number, TabLog>();
  private readonly listeners = new Set<TabListener>();
  private lastSweep = 0;

  constructor(browser: BrowserName) {
    this.linker = new Linker({ browser });
  }

  log(tabId: number): TabLog {
    let log = this.logs.get(tabId);
    if (!log) {
      log = new TabLog(tabId);
      this.logs.set(tabId, log);
    }
    return log;
  }

  subscribe(l: TabListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  ingest(batch: QueuedEvent[]): void {
    // After a worker cold start events may arrive out of order; timeStamp order is the truth.
    batch.sort((a, b) => timeStampOf(a[1]) - timeStampOf(b[1]));
    const changed = new Map<number, Map<string, Exchange>>();
    for (const [kind, details] of batch) {
      const res = this.linker.ingest(normalizeEvent(kind, details));
      if (!res) continue;
      if (res.kind === 'navigation') {
        this.flushTab(res.tabId, changed.get(res.tabId));
        changed.delete(res.tabId);
        const log = this.log(res.tabId);
        log.navigate({ url: res.url, timeStamp: res.timeStamp });
        for (const l of this.listeners) l.navigated(res.tabId, log);
        continue;
      }
      const ex = res.exchange;
      let m = changed.get(ex.tabId);
      if (!m) changed.set(ex.tabId, (m = new Map()));
      m.set(ex.id, ex);
    }
    for (const [tabId, m] of changed) this.flushTab(tabId, m);
    const now = Date.now();
    if (now - this.lastSweep > 10_000) {
      this.lastSweep = now;
      this.linker.sweep(now);
    }
  }

  private flushTab(tabId: number, m: Map<string, Exchange> | undefined): void {
    if (!m || m.size === 0) return;
    const log = this.log(tabId);
    const entries: LogEntry[] = [];
    for (const ex of m.values()) entries.push(log.upsert(ex, diagnose(ex)));
    for (const l of this.listeners) l.entries(tabId, entries, log);
  }
}

function timeStampOf(details: Record<string, unknown>): number {
  const t = details.timeStamp;
  return typeof t === 'number' && Number.isFinite(t) ? t : 0;
}
