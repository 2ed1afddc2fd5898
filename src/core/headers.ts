import type { Header } from './types';

/** All values of a header, in order, matched case-insensitively (HTTP header names are case-insensitive). */
export function headerValues(headers: readonly Header[] | undefined, name: string): string[] {
  if (!headers) return [];
  const wanted = name.toLowerCase();
  const out: string[] = [];
  for (const h of headers) if (h.name.toLowerCase() === wanted) out.push(h.value);
  return out;
}

/**
 * The header's combined value as Fetch "get" defines it: all values joined with ", ",
 * or null when the header is absent. https://fetch.spec.whatwg.org/#concept-header-list-get
 */
export function getHeader(headers: readonly Header[] | undefined, name: string): string | null {
  const values = headerValues(headers, name);
  return values.length === 0 ? null : values.join(', ');
}

export function hasHeader(headers: readonly Header[] | undefined, name: string): boolean {
  if (!headers) return false;
  const wanted = name.toLowerCase();
  return headers.some((h) => h.name.toLowerCase() === wanted);
}

/**
 * A browser header array as Header[]. webRequest gives plain {name, value} objects, which are used
 * as they are (no copy: this runs for every event); only entries with a binaryValue instead of a
 * value, or malformed ones, make it build a cleaned copy.
 */
export function toHeaders(raw: unknown): Header[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  let clean = true;
  for (const h of raw as Array<{ name?: unknown; value?: unknown } | null>) {
    if (!h || typeof h.name !== 'string' || typeof h.value !== 'string') {
      clean = false;
      break;
    }
  }
  if (clean) return raw as Header[];
  const out: Header[] = [];
  for (const h of raw as Array<{ name?: unknown; value?: unknown; binaryValue?: unknown }>) {
    if (!h || typeof h.name !== 'string') continue;
    let value = '';
    if (typeof h.value === 'string') value = h.value;
    else if (Array.isArray(h.binaryValue)) value = String.fromCharCode(...(h.binaryValue as number[]).slice(0, 65536));
    out.push({ name: h.name, value });
  }
  return out;
}
