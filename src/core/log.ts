// The shapes of the per-tab request log and the per-origin counts. The log itself lives in the
// background (src/background/store.ts: bounded, oldest evicted first, counts that survive
// eviction); a re-opened report counts its entries here (originStatsOf).

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

/** Which per-origin count an entry is in. */
export type OriginCount = keyof Pick<OriginStats, 'pass' | 'blocked' | 'other'>;

/** Index order of the per-origin counts (the background persists the index). */
export const ORIGIN_COUNTS = ['pass', 'blocked', 'other'] as const satisfies readonly OriginCount[];

export function originCountOf(v: Verdict): OriginCount {
  // An uncertain verdict (blocked if credentialed) is counted with the blocked, never as a pass.
  return v.outcome === 'pass' ? 'pass' : countsAsBlocked(v.outcome) ? 'blocked' : 'other';
}

/** The key of an exchange's per-origin counts: its target origin and the page origin. */
export function originPairOf(ex: Exchange): { target: string; page: string } {
  return { target: originOf(ex.url) ?? ex.url, page: ex.pageOrigin ?? '(unknown)' };
}

/**
 * The per-origin counts of these entries, as the background counts them: an exchange id is
 * counted once, in the count of its last verdict (an exchange's URL and page never change).
 */
export function originStatsOf(entries: Iterable<LogEntry>): OriginStats[] {
  const origins = new Map<string, OriginStats>();
  const countedAs = new Map<string, OriginCount>();
  for (const { exchange: ex, verdict } of entries) {
    const { target, page } = originPairOf(ex);
    const key = `${target} ${page}`;
    let stats = origins.get(key);
    if (!stats) origins.set(key, (stats = { target, page, pass: 0, blocked: 0, other: 0, lastSeen: 0 }));
    const count = originCountOf(verdict);
    const prev = countedAs.get(ex.id);
    if (prev !== count) {
      if (prev) stats[prev] = Math.max(0, stats[prev] - 1);
      stats[count]++;
      countedAs.set(ex.id, count);
    }
    stats.lastSeen = Math.max(stats.lastSeen, ex.endTime ?? ex.startTime);
  }
  return [...origins.values()];
}
