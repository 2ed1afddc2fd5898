// A reference model of one tab's log: the plain, all-in-memory semantics that the background's
// LogStore (src/background/store.ts) keeps with a compact index and IndexedDB. The store's
// property test and the pipeline fuzz test compare against it. Bounded (oldest evicted first),
// with per-origin counts that survive eviction.
import {
  DEFAULT_CAP,
  originCountOf,
  type LogEntry,
  type Navigation,
  type OriginStats,
  type TabLogState,
} from '../../src/core/log';
import { originOf } from '../../src/core/origin';
import type { Exchange } from '../../src/core/types';
import type { Verdict } from '../../src/core/verdict';

export class TabLog {
  readonly tabId: number;
  cap: number;
  private seq = 0;
  private evicted = 0;
  private readonly byId = new Map<string, LogEntry>();
  private readonly navigations: Navigation[] = [];
  private readonly origins = new Map<string, OriginStats>();
  /** What each counted entry was last counted as, so an update moves its count instead of adding. */
  private readonly countedAs = new Map<string, keyof Pick<OriginStats, 'pass' | 'blocked' | 'other'>>();

  constructor(tabId: number, cap = DEFAULT_CAP) {
    this.tabId = tabId;
    this.cap = cap;
  }

  static restore(state: TabLogState, cap = DEFAULT_CAP): TabLog {
    const log = new TabLog(state.tabId, cap);
    log.seq = state.seq;
    log.evicted = state.evicted;
    log.navigations.push(...state.navigations);
    for (const o of state.origins) log.origins.set(`${o.target} ${o.page}`, { ...o });
    for (const e of state.entries) {
      log.byId.set(e.id, e);
      log.countedAs.set(e.id, originCountOf(e.verdict));
    }
    return log;
  }

  get size(): number {
    return this.byId.size;
  }

  get currentNav(): number {
    return Math.max(0, this.navigations.length - 1);
  }

  navigate(nav: Navigation): void {
    this.navigations.push(nav);
    // Keep navigation history bounded too.
    if (this.navigations.length > 1000) this.navigations.splice(0, this.navigations.length - 1000);
  }

  /** Inserts or updates the entry for this exchange; returns it. */
  upsert(exchange: Exchange, verdict: Verdict): LogEntry {
    const id = exchange.id;
    let entry = this.byId.get(id);
    if (entry) {
      entry.exchange = exchange;
      entry.verdict = verdict;
      // An update keeps the entry's place: the log is ordered by when requests started.
      entry.seq = ++this.seq;
    } else {
      entry = { id, seq: ++this.seq, nav: this.currentNav, exchange, verdict };
      this.byId.set(id, entry);
      this.evict();
    }
    this.count(entry);
    return entry;
  }

  clear(): void {
    this.byId.clear();
    this.countedAs.clear();
    this.origins.clear();
    this.evicted = 0;
  }

  entries(): LogEntry[] {
    return [...this.byId.values()];
  }

  state(): TabLogState {
    return {
      tabId: this.tabId,
      seq: this.seq,
      entries: this.entries(),
      navigations: [...this.navigations],
      origins: [...this.origins.values()],
      evicted: this.evicted,
    };
  }

  originStats(): OriginStats[] {
    return [...this.origins.values()];
  }

  private evict(): void {
    while (this.byId.size > this.cap) {
      const oldest = this.byId.keys().next().value as string;
      this.byId.delete(oldest);
      this.countedAs.delete(oldest);
      this.evicted++;
    }
  }

  private count(entry: LogEntry): void {
    const b = originCountOf(entry.verdict);
    const prev = this.countedAs.get(entry.id);
    const target = originOf(entry.exchange.url) ?? entry.exchange.url;
    const page = entry.exchange.pageOrigin ?? '(unknown)';
    const key = `${target} ${page}`;
    let stats = this.origins.get(key);
    if (!stats) {
      stats = { target, page, pass: 0, blocked: 0, other: 0, lastSeen: 0 };
      this.origins.set(key, stats);
    }
    if (prev !== b) {
      if (prev) stats[prev] = Math.max(0, stats[prev] - 1);
      stats[b]++;
      this.countedAs.set(entry.id, b);
    }
    stats.lastSeen = Math.max(stats.lastSeen, entry.exchange.endTime ?? entry.exchange.startTime);
  }
}
