// Header lists: case-insensitive lookups without allocation (header lists are short; comparing
// lengths first rejects almost every name at once), a per-list memo for derived facts, and the
// browser's header arrays as Header[]. Header lists inside an Exchange are never mutated (the
// linker replaces them), so memos stay valid.
import type { Header } from './types';

const EMPTY: readonly string[] = [];

/** ASCII case-insensitive equality with an already lower-case name, without allocating. */
export function eqLower(name: string, lower: string): boolean {
  if (name.length !== lower.length) return false;
  for (let i = 0; i < name.length; i++) {
    let c = name.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** All values of a header, in order, matched case-insensitively (HTTP header names are case-insensitive). */
export function headerValues(headers: readonly Header[] | undefined, name: string): readonly string[] {
  if (!headers || headers.length === 0) return EMPTY;
  // toLowerCase returns the string itself when it is lower-case already (the usual literal).
  const lower = name.toLowerCase();
  let out: string[] | undefined;
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    if (h && typeof h.name === 'string' && eqLower(h.name, lower))
      (out ??= []).push(typeof h.value === 'string' ? h.value : String(h.value ?? ''));
  }
  return out ?? EMPTY;
}

/**
 * The header's combined value as Fetch "get" defines it: all values joined with ", ",
 * or null when the header is absent. https://fetch.spec.whatwg.org/#concept-header-list-get
 */
export function getHeader(headers: readonly Header[] | undefined, name: string): string | null {
  const v = headerValues(headers, name);
  return v.length === 0 ? null : v.length === 1 ? v[0]! : v.join(', ');
}

export function hasHeader(headers: readonly Header[] | undefined, name: string): boolean {
  return headerValues(headers, name).length > 0;
}

/** Per-list memo for derived facts (e.g. the CORS-unsafe header names). */
export function memo<T>(headers: readonly Header[], key: object, compute: () => T): T {
  let m = memos.get(key);
  if (!m) {
    m = new WeakMap();
    memos.set(key, m);
  }
  if (m.has(headers)) return m.get(headers) as T;
  const v = compute();
  m.set(headers, v);
  return v;
}
const memos = new WeakMap<object, WeakMap<readonly Header[], unknown>>();

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
