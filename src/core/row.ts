// A request list row: the few fields the panel's list, counts and filters need, computed once per
// stored version of a log entry (src/background/store.ts keeps rows next to entries). A row is a
// flat object of a dozen primitives and one string — a full entry (hops, headers, preflights,
// verdict evidence) is ~5 KB of nested objects, and cloning whole entries over the panel port and
// out of IndexedDB was most of the worker's and the panel's time with large logs (profiled,
// issue 13). The panel asks for an entry's full detail only when it is selected or exported.
import { describeCause } from './causes';
import type { LogEntry } from './log';
import { originOf } from './origin';
import { uncertainLabel } from './outcome';
import { describeExchangeSymptom, type SymptomText } from './symptoms';
import type { Header, Hop } from './types';
import type { Outcome } from './verdict';

export interface Row {
  id: string;
  seq: number;
  /** Index of the page load (as LogEntry.nav). */
  nav: number;
  method: string;
  url: string;
  /** The origin keys the entry is counted under (OriginStats.target / .page). */
  target: string;
  page: string;
  startTime: number;
  outcome: Outcome;
  /** Chromium's CORS error name of the symptom ('' when none). */
  corsError: string;
  /** The status the list shows, and whether it is the preflight's. */
  status: string;
  statusOfPreflight: boolean;
  /** The symptom in a few words (shortSymptom). */
  short: string;
  /** Credentials mode unknown, or the cause only possible (isUncertain). */
  uncertain: boolean;
  preflighted: boolean;
  /** Preflight answered from the browser's preflight cache. */
  preflightCached: boolean;
  /** Title of the cause a probe found, and its summary ('' when not from a probe). */
  probeTitle: string;
  probeSummary: string;
  retryOf: boolean;
  /** A retry of this request passed. */
  nowPasses: boolean;
  /**
   * Everything the text filter searches, lowercased (rowText joins them): the entry's own words
   * (method, URLs, statuses), and the header lines and cause and symptom texts, which repeat from
   * entry to entry — over a port each distinct one is sent once (RowDict).
   */
  own: string;
  shared: string[];
}

/** A row as sent over a port: `shared` as indices into the port's dictionary (RowDict). */
export type WireRow = Omit<Row, 'shared'> & { shared: number[] };

/**
 * The sender's side of a port's dictionary of shared search texts: each distinct text gets the
 * next index and travels once, in the `dict` of the message whose rows first use it.
 */
export class RowDict {
  private readonly index = new Map<string, number>();
  encode(rows: readonly Row[]): { rows: WireRow[]; dict: string[] } {
    const dict: string[] = [];
    const out = rows.map((r) => {
      const ids = r.shared.map((t) => {
        let i = this.index.get(t);
        if (i === undefined) {
          i = this.index.size;
          this.index.set(t, i);
          dict.push(t);
        }
        return i;
      });
      return { ...r, shared: ids };
    });
    return { rows: out, dict };
  }
}

/** The receiver's side: messages' `dict`s appended in order; rows decoded to share the strings. */
export class RowDictReader {
  private readonly texts: string[] = [];
  decode(rows: readonly WireRow[], dict: readonly string[] | undefined): Row[] {
    if (dict) for (const t of dict) this.texts.push(t);
    return rows.map((r) => ({ ...r, shared: r.shared.map((i) => this.texts[i] ?? '') }));
  }
}

const texts = new WeakMap<Row, string>();

/** Everything the text filter searches in one lowercased string (cached per row). */
export function rowText(r: Row): string {
  let t = texts.get(r);
  if (t === undefined) {
    t = r.shared.length ? `${r.own}\n${r.shared.join('\n')}` : r.own;
    texts.set(r, t);
  }
  return t;
}

export function lastHop(e: LogEntry): Hop | undefined {
  const hops = e.exchange.hops ?? [];
  return hops[hops.length - 1];
}

/** The status the list shows: the preflight's when the preflight failed (the request never went). */
export function statusOf(e: LogEntry): { text: string; preflight: boolean } {
  const ex = e.exchange;
  const pre = ex.preflights?.[ex.preflights.length - 1];
  if (e.verdict.symptom?.stage === 'preflight' && pre) {
    if (pre.hop?.statusCode !== undefined) return { text: String(pre.hop.statusCode), preflight: true };
    if (pre.error) return { text: '(failed)', preflight: true };
  }
  const hop = lastHop(e);
  if (hop?.statusCode !== undefined) return { text: String(hop.statusCode), preflight: false };
  if (ex.state === 'pending') return { text: '(pending)', preflight: false };
  return { text: '(failed)', preflight: false };
}

export function symptomText(e: LogEntry): SymptomText | null {
  const s = e.verdict.symptom;
  return s ? describeExchangeSymptom(e.exchange, s) : null;
}

/** The symptom in a few words for the list. */
export function shortSymptom(e: LogEntry): string {
  const v = e.verdict;
  switch (v.outcome) {
    case 'pass':
      return 'Allowed';
    case 'pending':
      return 'Pending';
    case 'uncertain':
      // Both outcomes in the row itself: never "Allowed" for a request that may have been blocked.
      return `${uncertainLabel(v)}: ${symptomText(e)?.short ?? 'rule not identified'}`;
    case 'not-cors':
      return `Not CORS: ${v.networkError ?? e.exchange.error ?? 'network error'}`;
    default:
      return symptomText(e)?.short ?? 'Blocked (rule not identified)';
  }
}

/** The verdict is not certain: credentials mode unknown, or the cause is only possible. */
export function isUncertain(e: LogEntry): boolean {
  const v = e.verdict;
  return (v.branches?.length ?? 0) > 0 || v.cause?.confidence === 'possible';
}

/** The target and page origins an entry is counted under (the same keys as TabLog's per-origin counts). */
export function originKeys(e: LogEntry): { target: string; page: string } {
  const url = e.exchange?.url ?? '';
  return { target: originOf(url) ?? url, page: e.exchange?.pageOrigin ?? '(unknown)' };
}

function addHeaders(parts: string[], hs: readonly Header[] | undefined): void {
  if (!Array.isArray(hs)) return;
  for (const h of hs as readonly Header[]) parts.push(`${h?.name}: ${h?.value}`);
}

/**
 * Everything the panel's text filter searches (URL, origins, header names/values, cause and
 * symptom text), lowercased: the entry's own words, and the texts that repeat across entries.
 * (A search term never spans two parts: parts are joined by newlines, terms have no newline.)
 */
export function searchParts(e: LogEntry): { own: string; shared: string[] } {
  const ex = e.exchange;
  const v = e.verdict;
  const own: string[] = [
    ex.method,
    ex.url,
    ex.pageOrigin ?? '',
    ex.documentUrl ?? '',
    ex.type,
    ex.error ?? '',
    v.outcome,
  ];
  const shared: string[] = [];
  if (v.outcome === 'pass') own.push('allowed passed');
  if (v.outcome === 'uncertain') own.push('blocked if credentialed uncertain');
  for (const hop of ex.hops ?? []) {
    own.push(hop.url, String(hop.statusCode ?? ''), hop.statusLine ?? '');
    addHeaders(shared, hop.requestHeaders);
    addHeaders(shared, hop.responseHeaders);
  }
  for (const p of ex.preflights ?? []) {
    own.push('preflight', String(p.hop?.statusCode ?? ''), p.error ?? '');
    addHeaders(shared, p.hop?.requestHeaders);
    addHeaders(shared, p.hop?.responseHeaders);
  }
  if (v.symptom) {
    own.push(v.symptom.corsError, v.symptom.failedParameter);
    const s = symptomText(e);
    if (s) shared.push(s.short, s.chromeConsole, s.firefoxReason ?? '', s.firefoxText ?? '');
  }
  if (v.networkError) own.push(v.networkError);
  for (const c of [v.cause, ...(v.warnings ?? [])]) {
    if (!c) continue;
    const t = describeCause(c);
    own.push(c.code);
    shared.push(t.title, t.explanation);
  }
  return { own: own.join('\n').toLowerCase(), shared: [...new Set(shared.map((x) => x.toLowerCase()))] };
}

const rows = new WeakMap<LogEntry, Row>();

/** The entry's row (cached per entry object: a new version of an entry is a new object). */
export function rowOf(e: LogEntry): Row {
  let r = rows.get(e);
  if (r) return r;
  const ex = e.exchange;
  const v = e.verdict;
  const status = statusOf(e);
  const keys = originKeys(e);
  r = {
    id: e.id,
    seq: e.seq,
    nav: e.nav,
    method: ex.method,
    url: ex.url,
    target: keys.target,
    page: keys.page,
    startTime: ex.startTime,
    outcome: v.outcome,
    corsError: v.symptom?.corsError ?? '',
    status: status.text,
    statusOfPreflight: status.preflight,
    short: shortSymptom(e),
    uncertain: isUncertain(e),
    preflighted: !!v.preflight?.seen || (ex.preflights?.length ?? 0) > 0,
    preflightCached: !!v.preflight?.fromCache,
    probeTitle: v.probe?.after ? describeCause(v.probe.after).title : '',
    probeSummary: v.probe?.after ? v.probe.summary : '',
    retryOf: !!v.retryOf,
    nowPasses: v.retry?.outcome === 'pass',
    ...searchParts(e),
  };
  rows.set(e, r);
  return r;
}

/** The row with another navigation index (the background renumbers page loads it dropped). */
export function withNav(r: Row, nav: number): Row {
  return r.nav === nav ? r : { ...r, nav };
}
