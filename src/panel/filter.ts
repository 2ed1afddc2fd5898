// What the request list shows: the text filter (URL, origins, header names/values, cause and
// symptom text), blocked-only, and the per-origin click-through. Pure functions over list rows
// (src/core/row.ts: a row carries the entry's search text, computed once per version).
import { rowText, type Row } from '../core/row';

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

export function matchesOrigin(r: Row, f: OriginFilter | null): boolean {
  if (!f) return true;
  return r.target === f.target && (f.page === undefined || r.page === f.page);
}

export function matchesText(r: Row, terms: readonly Term[]): boolean {
  if (terms.length === 0) return true;
  const h = rowText(r);
  for (const t of terms) if (h.includes(t.text) === t.negate) return false;
  return true;
}
