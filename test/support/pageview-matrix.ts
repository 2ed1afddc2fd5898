// What the scenario matrix expects of the page view (both browsers' page-view matrix suites): which
// requests the wrapper reports, what each report must say, and which reports may stay unpaired.
import type { LogEntry } from '../../src/core/log';
import { requestUrl } from '../../src/core/pageview';
import type { PageRequest } from '../fixtures/scenarios';
import type { PageResult } from './matrix';

/** The requests the wrapper reports: fetch in cors mode and XHR, to another http(s) origin. */
export function pairable(r: PageRequest, pageOrigin: string): boolean {
  const u = requestUrl(r.url);
  return !!u && new URL(u).origin !== pageOrigin && (r.xhr || !r.mode || r.mode === 'cors');
}

/** The credentials mode the test set (fetch's default is same-origin; XHR's is same-origin unless withCredentials). */
export function expectedCredentials(r: PageRequest): string {
  return r.xhr ? (r.withCredentials ? 'include' : 'same-origin') : (r.credentials ?? 'same-origin');
}

/** What the page saw, in the page view's terms. */
export function expectedOutcome(res: PageResult): string {
  return res.ok ? 'response' : /abort/i.test(res.error ?? '') ? 'aborted' : 'network-error';
}

const sig = (method: string | undefined, url: string) => `${(method ?? 'GET').toUpperCase()} ${requestUrl(url)}`;

export interface PageViewPlan {
  /** How many requests the page view must pair. */
  want: number;
  /**
   * Whether an entry is one of identical requests (URL, method) whose reports differ: those are
   * never paired (pairRecords does not guess which is which).
   */
  ambiguous(e: LogEntry): boolean;
}

export function pageViewPlan(requests: PageRequest[], results: PageResult[], pageOrigin: string): PageViewPlan {
  const views = new Map<string, Set<string>>();
  requests.forEach((r, i) => {
    if (!pairable(r, pageOrigin)) return;
    const k = sig(r.method, r.url);
    const v = views.get(k) ?? new Set<string>();
    v.add(`${expectedCredentials(r) === 'include'} ${expectedOutcome(results[i]!)}`);
    views.set(k, v);
  });
  const ambiguousSig = (k: string) => (views.get(k)?.size ?? 0) > 1;
  return {
    want: requests.filter((r) => pairable(r, pageOrigin) && !ambiguousSig(sig(r.method, r.url))).length,
    ambiguous: (e) => ambiguousSig(sig(e.exchange.method, e.exchange.url)),
  };
}

/**
 * Each paired entry's report must equal one request of the scenario (same URL and method, the
 * credentials mode the test set, the outcome the page saw), each request used once. Returns one
 * message per report that matches none (empty when all match).
 */
export function reportMismatches(entries: LogEntry[], requests: PageRequest[], results: PageResult[]): string[] {
  const unused = requests.map((r, i) => ({ r, res: results[i]! }));
  const out: string[] = [];
  for (const e of entries.filter((x) => x.exchange.page)) {
    const pv = e.exchange.page!;
    const i = unused.findIndex(
      ({ r, res }) =>
        requestUrl(r.url) === requestUrl(e.exchange.url) &&
        (r.method ?? 'GET').toUpperCase() === e.exchange.method.toUpperCase() &&
        expectedCredentials(r) === pv.credentials &&
        expectedOutcome(res) === pv.outcome,
    );
    if (i < 0)
      out.push(
        `${e.exchange.method} ${e.exchange.url}: page view said ${JSON.stringify(pv)}; requests ${JSON.stringify(unused.map(({ r, res }) => [r.url, expectedCredentials(r), expectedOutcome(res)]))}`,
      );
    else unused.splice(i, 1);
  }
  return out;
}
