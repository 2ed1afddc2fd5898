// What the request list shows: the text filter (URL, origins, header names/values, cause and
// symptom text), blocked-only, and the per-origin click-through. Pure functions over LogEntries.
import { describeCause } from '../core/causes';
import type { LogEntry } from '../core/log';
import { originOf } from '../core/origin';
import { symptomText } from './format';
import type { Header } from '../core/types';

/** A click-through from the per-origin view: requests to `target`, optionally only from `page`. */
export interface OriginFilter {
  target: string;
  page?: string;
}

export interface Term {
  /** Lowercased text to look for. */
  text: string;
  /** "-term" hides entries that contain it (Network panel convention). */
  negate: boolean;
}

/** Whitespace-separated terms, all of which must match; "-x" excludes; "quoted text" keeps spaces. */
export function parseQuery(q: string): Term[] {
  const out: Term[] = [];
  const re = /(-?)(?:"([^"]*)"|(\S+))/g;
  for (let m = re.exec(q); m; m = re.exec(q)) {
    const text = (m[2] ?? m[3] ?? '').toLowerCase();
    const negate = m[1] === '-' && text !== '';
    if (text === '' && m[1] === '-') out.push({ text: '-', negate: false });
    else if (text !== '') out.push({ text, negate });
  }
  return out;
}

/** The target and page origins an entry is counted under (the same keys as TabLog's per-origin counts). */
export function originKeys(e: LogEntry): { target: string; page: string } {
  const url = e.exchange?.url ?? '';
  return { target: originOf(url) ?? url, page: e.exchange?.pageOrigin ?? '(unknown)' };
}

export function matchesOrigin(e: LogEntry, f: OriginFilter | null): boolean {
  if (!f) return true;
  const k = originKeys(e);
  return k.target === f.target && (f.page === undefined || k.page === f.page);
}

const haystacks = new WeakMap<LogEntry, string>();

function addHeaders(parts: string[], hs: readonly Header[] | undefined): void {
  if (!Array.isArray(hs)) return;
  for (const h of hs as readonly Header[]) parts.push(`${h?.name}: ${h?.value}`);
}

/**
 * Everything the text filter searches, lowercased, cached per entry object (an update replaces
 * the object, so the cache never goes stale).
 */
export function haystack(e: LogEntry): string {
  let h = haystacks.get(e);
  if (h !== undefined) return h;
  const ex = e.exchange;
  const v = e.verdict;
  const parts: string[] = [
    ex.method,
    ex.url,
    ex.pageOrigin ?? '',
    ex.documentUrl ?? '',
    ex.type,
    ex.error ?? '',
    v.outcome,
  ];
  if (v.outcome === 'pass') parts.push('allowed passed');
  if (v.outcome === 'uncertain') parts.push('blocked if credentialed uncertain');
  for (const hop of ex.hops ?? []) {
    parts.push(hop.url, String(hop.statusCode ?? ''), hop.statusLine ?? '');
    addHeaders(parts, hop.requestHeaders);
    addHeaders(parts, hop.responseHeaders);
  }
  for (const p of ex.preflights ?? []) {
    parts.push('preflight', String(p.hop?.statusCode ?? ''), p.error ?? '');
    addHeaders(parts, p.hop?.requestHeaders);
    addHeaders(parts, p.hop?.responseHeaders);
  }
  if (v.symptom) {
    parts.push(v.symptom.corsError, v.symptom.failedParameter);
    const s = symptomText(e);
    if (s) parts.push(s.short, s.chromeConsole, s.firefoxReason ?? '', s.firefoxText ?? '');
  }
  if (v.networkError) parts.push(v.networkError);
  for (const c of [v.cause, ...(v.warnings ?? [])]) {
    if (!c) continue;
    const t = describeCause(c);
    parts.push(c.code, t.title, t.explanation);
  }
  h = parts.join('\n').toLowerCase();
  haystacks.set(e, h);
  return h;
}

export function matchesText(e: LogEntry, terms: readonly Term[]): boolean {
  if (terms.length === 0) return true;
  const h = haystack(e);
  for (const t of terms) if (h.includes(t.text) === t.negate) return false;
  return true;
}
