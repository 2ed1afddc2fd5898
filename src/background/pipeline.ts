// webRequest batch → normalized records → linked exchanges → verdicts → per-tab logs → panels.
import { diagnose } from '../core/check';
import { isPreflightEvent, Linker } from '../core/linker';
import type { LogEntry, Navigation } from '../core/log';
import { normalizeEvent } from '../core/normalize';
import type { BrowserName, EventKind, EventRecord, Exchange } from '../core/types';
import { Journal } from './journal';
import type { QueuedEvent } from './listen';
import type { LogStore } from './store';

export interface TabListener {
  entries(tabId: number, entries: LogEntry[]): void;
  navigated(tabId: number, navigation: Navigation, nav: number): void;
}

const JOURNAL_KEY = 'journal';

/**
 * Tab ids are non-negative integers (-1 = not in a tab, ignored). Anything else (NaN from a
 * malformed event, found by the fuzz tests) would become an invalid IndexedDB key and fail the
 * whole write batch, so it never reaches the linker or the log.
 */
function validTab(tabId: number): boolean {
  return Number.isSafeInteger(tabId) && tabId >= -1;
}

/**
 * Values no browser sends but a malformed event could carry, made harmless before they are
 * linked, judged, stored and exported (found by the fuzz tests): a non-finite timeStamp (it would
 * never expire from the linker and sorts unpredictably) becomes now; a status outside 0–999 and
 * a server address that is not an IP literal are dropped (reports declare them as such, and an
 * export carrying them would not validate or re-open).
 */
function sane(ev: EventRecord): EventRecord {
  if (!Number.isFinite(ev.timeStamp)) ev.timeStamp = Date.now();
  if (ev.statusCode !== undefined && !(Number.isInteger(ev.statusCode) && ev.statusCode >= 0 && ev.statusCode <= 999)) delete ev.statusCode;
  if (ev.ip !== undefined && !isIpLiteral(ev.ip)) delete ev.ip;
  return ev;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
function isIpLiteral(ip: string): boolean {
  if (IPV4.test(ip)) return true;
  // IPv6 (optionally ending in a dotted quad): hex groups and colons, at most one "::".
  if (ip.length > 45 || !/^[0-9A-Fa-f:.]+$/.test(ip) || !ip.includes(':') || ip.split('::').length > 2) return false;
  const groups = ip.split(':');
  const last = groups[groups.length - 1]!;
  if (last.includes('.') && !IPV4.test(last)) return false;
  return groups.length <= 8 && groups.every((g, i) => g.length <= 4 || (i === groups.length - 1 && last.includes('.')));
}

export class Pipeline {
  private readonly linker: Linker;
  private readonly listeners = new Set<TabListener>();
  private readonly journal = new Journal();
  private lastSweep = 0;

  constructor(
    browser: BrowserName,
    readonly store: LogStore,
  ) {
    this.linker = new Linker({ browser });
  }

  subscribe(l: TabListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** The listeners' entry point: one raw webRequest details object. */
  ingestOne(kind: EventKind, details: Record<string, unknown>): void {
    const ev = sane(normalizeEvent(kind, details));
    if (!validTab(ev.tabId)) return;
    const res = this.linker.ingest(ev);
    if (!res) {
      if (this.journal.has(ev.requestId) || (ev.kind === 'sendHeaders' && isPreflightEvent(ev))) this.journal.add(ev);
    } else if (res.kind === 'navigation') {
      const { navigation, nav } = this.store.navigate(res.tabId, { url: res.url, timeStamp: res.timeStamp });
      for (const l of this.listeners) l.navigated(res.tabId, navigation, nav);
    } else {
      const ex = res.exchange;
      if (ex.state === 'pending') this.journal.add(ev);
      else this.journal.finished(ex);
      const entry = this.store.upsert(ex, diagnose(ex));
      for (const l of this.listeners) l.entries(ex.tabId, [entry]);
    }
    this.after();
  }

  /** A batch of raw webRequest details (events queued while restoring; the memory benchmark). */
  ingest(batch: QueuedEvent[]): void {
    const records: EventRecord[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) records[i] = sane(normalizeEvent(batch[i]![0], batch[i]![1]));
    this.ingestRecords(records);
  }

  /**
   * Feeds normalized records through the linker. On wake, the persisted journal is passed here
   * together with the first live batch, so the linker sees one timeline.
   */
  ingestRecords(records: EventRecord[]): void {
    // After a worker cold start events may arrive out of order; timeStamp order is the truth.
    records.sort((a, b) => a.timeStamp - b.timeStamp);
    const changed = new Map<number, Map<string, Exchange>>();
    for (const ev of records) {
      if (!validTab(ev.tabId)) continue;
      const res = this.linker.ingest(ev);
      if (!res) {
        // A preflight waiting for its request (or more events of one) must survive a restart.
        if (this.journal.has(ev.requestId) || (ev.kind === 'sendHeaders' && isPreflightEvent(ev))) this.journal.add(ev);
        continue;
      }
      if (res.kind === 'navigation') {
        this.flushTab(res.tabId, changed.get(res.tabId));
        changed.delete(res.tabId);
        const { navigation, nav } = this.store.navigate(res.tabId, { url: res.url, timeStamp: res.timeStamp });
        for (const l of this.listeners) l.navigated(res.tabId, navigation, nav);
        continue;
      }
      const ex = res.exchange;
      if (ex.state === 'pending') this.journal.add(ev);
      else this.journal.finished(ex);
      let m = changed.get(ex.tabId);
      if (!m) changed.set(ex.tabId, (m = new Map()));
      m.set(ex.id, ex);
    }
    for (const [tabId, m] of changed) this.flushTab(tabId, m);
    this.after();
  }

  private after(): void {
    const now = Date.now();
    if (now - this.lastSweep > 10_000) {
      this.lastSweep = now;
      this.linker.sweep(now);
      this.journal.sweep(now);
    }
    if (this.journal.changed) {
      this.journal.changed = false;
      this.store.setState(JOURNAL_KEY, this.journalEvents);
    }
  }

  private readonly journalEvents = () => this.journal.events();

  /** Wake-up: replays the persisted in-flight events (with the events queued meanwhile). */
  resume(state: Map<string, unknown>, queued: QueuedEvent[], liveTab: (tabId: number) => boolean): void {
    const replay = Journal.from(state.get(JOURNAL_KEY)).filter((e) => liveTab(e.tabId));
    const records = replay.concat(queued.map(([k, d]) => sane(normalizeEvent(k, d))));
    if (records.length) this.ingestRecords(records);
  }

  /** For diagnostics and the memory benchmark: what the background keeps besides the logs. */
  get inFlight(): { linker: number; journal: number } {
    return { linker: this.linker.openCount, journal: this.journal.size };
  }

  private flushTab(tabId: number, m: Map<string, Exchange> | undefined): void {
    if (!m || m.size === 0) return;
    const entries: LogEntry[] = [];
    for (const ex of m.values()) entries.push(this.store.upsert(ex, diagnose(ex)));
    for (const l of this.listeners) l.entries(tabId, entries);
  }
}
