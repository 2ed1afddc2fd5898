// The per-tab request log: bounded (oldest evicted first), with per-origin counts that
// survive eviction. Pure data; the background owns one per tab and persists it.

import { countsAsBlocked } from './outcome';
import { originOf } from './origin';
import type { Exchange } from './types';
import type { Verdict } from './verdict';

export interface LogEntry {
  id: string;
  /** Monotonic per tab; a panel that resynchronises replaces by id, so duplicates cannot appear. */
  seq: number;
  /** Index into TabLogState.navigations of the page load this request belongs to. */
  nav: number;
  exchange: Exchange;
  verdict: Verdict;
}

export interface Navigation {
  url: string;
  timeStamp: number;
}

export interface OriginStats {
  /** Target origin (the server). */
  target: string;
  /** Page origin that made the requests. */
  page: string;
  pass: number;
  blocked: number;
  other: number;
  lastSeen: number;
}

export interface TabLogState {
  tabId: number;
  seq: number;
  entries: LogEntry[];
  navigations: Navigation[];
  origins: OriginStats[];
  /** Entries evicted to respect the cap (their counts remain in `origins`). */
  evicted: number;
}

export const DEFAULT_CAP = 10_000;

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
      log.countedAs.set(e.id, bucket(e.verdict));
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
    const b = bucket(entry.verdict);
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

function bucket(v: Verdict): 'pass' | 'blocked' | 'other' {
  // An uncertain verdict (blocked if credentialed) is counted with the blocked, never as a pass.
  return v.outcome === 'pass' ? 'pass' : countsAsBlocked(v.outcome) ? 'blocked' : 'other';
}
