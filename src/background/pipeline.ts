// webRequest batch → normalized records → linked exchanges → verdicts → per-tab logs → panels.
import { diagnose } from '../core/check';
import { isPreflightEvent, Linker } from '../core/linker';
import type { LogEntry, Navigation } from '../core/log';
import { normalizeEvent } from '../core/normalize';
import type { BrowserName, EventKind, EventRecord, Exchange } from '../core/types';
import { Journal } from './journal';
import { ProbeDesk } from './probes';
import type { QueuedEvent } from './listen';
import type { LogStore } from './store';

export interface TabListener {
  entries(tabId: number, entries: LogEntry[]): void;
  navigated(tabId: number, navigation: Navigation, nav: number): void;
}

const JOURNAL_KEY = 'journal';
/** What the probe desk awaits (probes.ts), restored before the journal is replayed. */
const PROBES_KEY = 'probes';

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
  if (ev.statusCode !== undefined && !(Number.isInteger(ev.statusCode) && ev.statusCode >= 0 && ev.statusCode <= 999))
    delete ev.statusCode;
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

/**
 * When no panel watches a tab, its requests are judged and stored once the page goes quiet
 * (SETTLE_IDLE_MS without events), at the latest SETTLE_MAX_MS after the first one waited, or when
 * SETTLE_MAX_PENDING wait: a burst of requests then costs the page only linking (the verdicts and
 * the IndexedDB write come after it; measured in README "Performance"). A watched tab's requests
 * are judged at once, for the live panel.
 */
const SETTLE_IDLE_MS = 300;
const SETTLE_MAX_MS = 3000;
const SETTLE_MAX_PENDING = 2000;

export class Pipeline {
  private readonly linker: Linker;
  private readonly listeners = new Set<TabListener>();
  private readonly journal = new Journal();
  private lastSweep = 0;
  /** Exchanges of unwatched tabs changed since the last settle (latest version, first-seen order). */
  private unjudged = new Map<string, Exchange>();
  private settleTimer: ReturnType<typeof setTimeout> | null = null;
  private firstWaiting = 0;
  private lastEvent = 0;
  /** Probes and Retries the panels announced (their exchanges are recognized in link()). */
  readonly probes = new ProbeDesk(
    diagnose,
    (ex, v) => {
      const entry = this.store.upsert(ex, v);
      for (const l of this.listeners) l.entries(ex.tabId, [entry]);
      return entry;
    },
    Date.now,
    () => this.store.setState(PROBES_KEY, () => this.probes.state()),
  );

  constructor(
    browser: BrowserName,
    readonly store: LogStore,
    /** Whether a panel shows this tab now (watch.ts: the port server keeps it, index.ts wires it). */
    public watched: (tabId: number) => boolean = () => false,
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
    this.link(ev);
    this.after();
  }

  /** A batch of raw webRequest details (events queued while restoring; the memory benchmark). */
  ingest(batch: QueuedEvent[]): void {
    const records = new Array<EventRecord>(batch.length);
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
    for (const ev of records) if (validTab(ev.tabId)) this.link(ev);
    this.after();
  }

  /** Wake-up: replays the persisted in-flight events (with the events queued meanwhile). */
  resume(state: Map<string, unknown>, queued: QueuedEvent[], liveTab: (tabId: number) => boolean): void {
    this.probes.restore(state.get(PROBES_KEY));
    const replay = Journal.from(state.get(JOURNAL_KEY)).filter((e) => liveTab(e.tabId));
    const records = replay.concat(queued.map(([k, d]) => sane(normalizeEvent(k, d))));
    if (records.length) this.ingestRecords(records);
  }

  /** Judges and stores everything waiting (before a snapshot, a clear, a navigation). */
  settle(): void {
    if (this.settleTimer) {
      clearTimeout(this.settleTimer);
      this.settleTimer = null;
    }
    if (this.unjudged.size) {
      const waiting = this.unjudged;
      this.unjudged = new Map();
      const byTab = new Map<number, LogEntry[]>();
      for (const ex of waiting.values()) {
        if (ex.state !== 'pending') this.journal.finished(ex);
        const entry = this.store.upsert(ex, this.probes.annotate(ex, diagnose(ex)));
        let list = byTab.get(ex.tabId);
        if (!list) byTab.set(ex.tabId, (list = []));
        list.push(entry);
      }
      for (const [tabId, entries] of byTab) for (const l of this.listeners) l.entries(tabId, entries);
    }
    if (this.journal.changed) {
      this.journal.changed = false;
      this.store.setState(JOURNAL_KEY, this.journalEvents);
    }
  }

  /** Judges a stored exchange again (the page view added the page's observation) and tells the listeners. */
  rejudge(ex: Exchange): void {
    const entry = this.store.upsert(ex, this.probes.annotate(ex, diagnose(ex)));
    for (const l of this.listeners) l.entries(ex.tabId, [entry]);
  }

  /** Settles and writes everything (tests, the benchmark hook). */
  flush(): Promise<void> {
    this.settle();
    return this.store.flush();
  }

  /** For diagnostics and the memory benchmark: what the background keeps besides the logs. */
  get inFlight(): { linker: number; journal: number; unjudged: number } {
    return { linker: this.linker.openCount, journal: this.journal.size, unjudged: this.unjudged.size };
  }

  private link(ev: EventRecord): void {
    const res = this.linker.ingest(ev);
    if (!res) {
      // A preflight waiting for its request (or more events of one) must survive a restart.
      if (this.journal.has(ev.requestId) || (ev.kind === 'sendHeaders' && isPreflightEvent(ev))) this.journal.add(ev);
      return;
    }
    if (res.kind === 'navigation') {
      // Requests before a page load belong to the previous one.
      this.settle();
      const { navigation, nav } = this.store.navigate(res.tabId, { url: res.url, timeStamp: res.timeStamp });
      for (const l of this.listeners) l.navigated(res.tabId, navigation, nav);
      return;
    }
    const ex = res.exchange;
    if (this.probes.intercept(ex)) {
      // A probe is not the page's request: never logged or counted (its finding goes to the original).
      if (ex.state === 'pending') this.journal.add(ev);
      else this.journal.finished(ex);
      this.unjudged.delete(ex.id);
      return;
    }
    if (this.watched(ex.tabId) && !this.unjudged.has(ex.id)) {
      if (ex.state === 'pending') this.journal.add(ev);
      else this.journal.finished(ex);
      const entry = this.store.upsert(ex, this.probes.annotate(ex, diagnose(ex)));
      for (const l of this.listeners) l.entries(ex.tabId, [entry]);
      return;
    }
    // Kept in the journal until judged and stored, so a restart in between loses nothing.
    // (The map keeps first-seen order, the log's order; the linker updates the object in place.)
    this.journal.add(ev);
    if (!this.unjudged.has(ex.id)) this.unjudged.set(ex.id, ex);
  }

  private after(): void {
    const now = Date.now();
    this.lastEvent = now;
    if (now - this.lastSweep > 10_000) {
      this.lastSweep = now;
      this.linker.sweep(now);
      this.journal.sweep(now);
    }
    if (this.unjudged.size >= SETTLE_MAX_PENDING) this.settle();
    else if (this.unjudged.size || this.journal.changed) this.scheduleSettle(now);
  }

  private scheduleSettle(now: number): void {
    if (this.settleTimer) return;
    this.firstWaiting = now;
    const tick = () => {
      this.settleTimer = null;
      const t = Date.now();
      // Still busy (an event in the last SETTLE_IDLE_MS) and not waiting too long: look again later.
      const quietIn = SETTLE_IDLE_MS - (t - this.lastEvent);
      if (quietIn > 0 && t - this.firstWaiting < SETTLE_MAX_MS) {
        this.settleTimer = setTimeout(tick, quietIn);
        return;
      }
      this.settle();
    };
    this.settleTimer = setTimeout(tick, SETTLE_IDLE_MS);
  }

  private readonly journalEvents = () => this.journal.events();
}
