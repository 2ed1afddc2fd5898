// Case-insensitive header lookups without allocation (header lists are short; comparing lengths
// first rejects almost every name at once), and a per-list memo for derived facts. Header lists
// inside an Exchange are never mutated (the linker replaces them), so memos stay valid.
import type { Header } from '../types';

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

/** All values of a header in order (lower-case name). */
export function values(headers: readonly Header[] | undefined, lowerName: string): readonly string[] {
  if (!headers || headers.length === 0) return EMPTY;
  let out: string[] | undefined;
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    if (h && typeof h.name === 'string' && eqLower(h.name, lowerName)) (out ??= []).push(typeof h.value === 'string' ? h.value : String(h.value ?? ''));
  }
  return out ?? EMPTY;
}

/** Fetch's "get": values joined with ", ", or null when absent. */
export function get(headers: readonly Header[] | undefined, lowerName: string): string | null {
  const v = values(headers, lowerName);
  return v.length === 0 ? null : v.length === 1 ? v[0]! : v.join(', ');
}

export function has(headers: readonly Header[] | undefined, lowerName: string): boolean {
  return values(headers, lowerName).length > 0;
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
