// The page's own view of its cross-origin requests (opt-in "page view"): what the injected
// fetch/XMLHttpRequest wrapper (src/devtools/pageview-wrapper.ts) reports, how it is validated,
// and how each report is paired with the webRequest exchange it describes.
//
// webRequest cannot see a request's credentials mode, and Firefox reports a blocked simple
// request as completed: such verdicts stay 'uncertain' (src/core/outcome.ts). The page knows both
// the credentials mode it asked for and whether it got a response or a network error; once a
// report is paired with its exchange the engine (check.ts) walks only the assumption that held.
//
// Reports come from the inspected page, which may be hostile: they are plain data, validated
// field by field and bounded here, never evaluated or rendered as markup.
import type { Exchange } from './types';

export type PageApi = 'fetch' | 'xhr';
/** fetch's credentials modes; a cross-origin 'same-origin' sends none, like 'omit'. */
export type PageCredentials = 'include' | 'omit' | 'same-origin';
/** What the page saw: a response (any status), a network error (TypeError / XHR error), or its own abort. */
export type PageOutcome = 'response' | 'network-error' | 'aborted';

/** One request as the page made and saw it (one report of the wrapper). */
export interface PageRecord {
  api: PageApi;
  /** Absolute URL as the page requested it (fragment removed). */
  url: string;
  method: string;
  credentials: PageCredentials;
  outcome: PageOutcome;
  /** HTTP status the page saw (0 for a network error). */
  status: number;
  /** Milliseconds since epoch when the page called fetch()/send(), and when it saw the outcome. */
  start: number;
  end: number;
  /** A synchronous XMLHttpRequest. */
  sync: boolean;
  /** The caller's script location ("https://app/main.js:12:5"), when the stack named one. */
  site?: string;
}

/** What an exchange keeps of its paired page record. */
export type PageObservation = Pick<PageRecord, 'api' | 'credentials' | 'outcome' | 'status' | 'sync' | 'site'>;

export const MAX_URL = 8192;
const MAX_SITE = 512;
const MAX_METHOD = 64;
/** Reports taken per poll at most (the wrapper keeps no more than this either). */
export const MAX_BATCH = 500;
/** How far apart the page's and the browser's clocks for one request may be (ms). */
export const PAIR_SLACK_MS = 2000;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function str(v: unknown, max: number): string | null {
  return typeof v === 'string' && v.length > 0 && v.length <= max ? v : null;
}

function time(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null;
}

/** The URL without its fragment (webRequest never reports one), or null if it is not http(s). */
export function requestUrl(raw: string): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  u.hash = '';
  return u.href;
}

/** Validates one report from the page; anything malformed is dropped (null), never repaired. */
export function parsePageRecord(raw: unknown): PageRecord | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  const api = r.api === 'fetch' || r.api === 'xhr' ? r.api : null;
  const urlRaw = str(r.url, MAX_URL);
  const url = urlRaw === null ? null : requestUrl(urlRaw);
  const methodRaw = str(r.method, MAX_METHOD);
  const method = methodRaw !== null && TOKEN.test(methodRaw) ? methodRaw : null;
  const credentials =
    r.credentials === 'include' || r.credentials === 'omit' || r.credentials === 'same-origin' ? r.credentials : null;
  const outcome =
    r.outcome === 'response' || r.outcome === 'network-error' || r.outcome === 'aborted' ? r.outcome : null;
  const status =
    typeof r.status === 'number' && Number.isInteger(r.status) && r.status >= 0 && r.status <= 999 ? r.status : null;
  const start = time(r.start);
  const end = time(r.end);
  if (
    !api ||
    !url ||
    !method ||
    !credentials ||
    !outcome ||
    status === null ||
    start === null ||
    end === null ||
    end < start
  )
    return null;
  const rec: PageRecord = { api, url, method, credentials, outcome, status, start, end, sync: r.sync === true };
  const site = str(r.site, MAX_SITE);
  // Shown as text only; control characters are dropped so a hostile value cannot spoof lines.
  if (site !== null) rec.site = site.replace(/[\u0000-\u001f\u007f]/g, '');
  return rec;
}

/** Validates a batch (at most MAX_BATCH reports are looked at). */
export function parsePageRecords(raw: unknown): PageRecord[] {
  if (!Array.isArray(raw)) return [];
  const out: PageRecord[] = [];
  for (const r of raw.slice(0, MAX_BATCH)) {
    const p = parsePageRecord(r);
    if (p) out.push(p);
  }
  return out;
}

export function observation(r: PageRecord): PageObservation {
  const o: PageObservation = {
    api: r.api,
    credentials: r.credentials,
    outcome: r.outcome,
    status: r.status,
    sync: r.sync,
  };
  if (r.site !== undefined) o.site = r.site;
  return o;
}

/** Whether the page's request could be this exchange: same URL and method, overlapping in time. */
export function couldBe(r: PageRecord, ex: Pick<Exchange, 'url' | 'method' | 'startTime'>): boolean {
  return (
    requestUrl(ex.url) === r.url &&
    ex.method.toUpperCase() === r.method.toUpperCase() &&
    ex.startTime >= r.start - PAIR_SLACK_MS &&
    ex.startTime <= r.end + PAIR_SLACK_MS
  );
}

/**
 * Two reports that would settle a verdict the same way: the same credentials mode, and the same
 * outcome unless one was aborted (an aborted report tells nothing about the outcome, and an aborted
 * exchange is judged by its network error whatever report it gets).
 */
function sameView(a: PageRecord, b: PageRecord): boolean {
  return (
    (a.credentials === 'include') === (b.credentials === 'include') &&
    (a.outcome === b.outcome || a.outcome === 'aborted' || b.outcome === 'aborted')
  );
}

export interface Pairing {
  record: PageRecord;
  exchangeId: string;
}

/**
 * Pairs page reports with finished exchanges (both of one tab, neither paired before).
 *
 * A report pairs with the candidate exchange that started closest to it. When the same URL and
 * method were requested more than once in the window, the pairing could cross two requests; it is
 * made only once a report has arrived for every candidate exchange and all those reports say the
 * same thing (same credentials mode, same outcome): then any assignment settles them alike. Until
 * then the report waits; if they differ it stays unpaired and the verdicts stay as they are
 * (never a guess).
 */
export function pairRecords(
  records: readonly PageRecord[],
  exchanges: readonly Pick<Exchange, 'id' | 'url' | 'method' | 'startTime'>[],
): Pairing[] {
  const out: Pairing[] = [];
  const usedEx = new Set<string>();
  const usedRec = new Set<number>();
  const order = records.map((r, i) => i).sort((a, b) => records[a]!.start - records[b]!.start);
  for (const i of order) {
    const r = records[i]!;
    const candidates = exchanges.filter((ex) => !usedEx.has(ex.id) && couldBe(r, ex));
    if (candidates.length === 0) continue;
    if (candidates.length > 1) {
      const group = records.filter((o, j) => !usedRec.has(j) && candidates.some((ex) => couldBe(o, ex)));
      if (group.length < candidates.length || group.some((o) => !sameView(o, r))) continue;
    }
    let best = candidates[0]!;
    for (const ex of candidates) if (Math.abs(ex.startTime - r.start) < Math.abs(best.startTime - r.start)) best = ex;
    usedEx.add(best.id);
    usedRec.add(i);
    out.push({ record: r, exchangeId: best.id });
  }
  return out;
}
