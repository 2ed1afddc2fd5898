// Small byte-level helpers shared by the rules. Header values arrive as JS strings of Latin-1
// code units (webRequest gives them that way); nothing here allocates regexes per call.

/** RFC 9110 token characters (tchar). */
function isTchar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) || // 0-9
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x61 && c <= 0x7a) || // a-z
    c === 0x21 ||
    c === 0x23 ||
    c === 0x24 ||
    c === 0x25 ||
    c === 0x26 ||
    c === 0x27 ||
    c === 0x2a ||
    c === 0x2b ||
    c === 0x2d ||
    c === 0x2e ||
    c === 0x5e ||
    c === 0x5f ||
    c === 0x60 ||
    c === 0x7c ||
    c === 0x7e
  );
}

/** True when `s` is a non-empty HTTP token (method or header name syntax). */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isTchar(s.charCodeAt(i))) return false;
  return true;
}

/** Strips HTTP optional whitespace (space, tab) from both ends, as header parsers do. */
export function trimOws(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 0x20 || s.charCodeAt(a) === 0x09)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 0x20 || s.charCodeAt(b - 1) === 0x09)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

export type ListParse = { ok: true; items: string[] } | { ok: false; bad: string; items: string[] };

/**
 * Parses a comma-separated Access-Control-Allow-Methods/-Headers value: items are trimmed,
 * empty items skipped, every item must be a token. https://fetch.spec.whatwg.org/#http-new-header-syntax
 * (Chromium's ParseAccessControlAllowList and Firefox's tokenizer agree on this.)
 */
export function parseTokenList(value: string | null): ListParse {
  if (value === null) return { ok: true, items: [] };
  const items: string[] = [];
  let start = 0;
  for (let i = 0; i <= value.length; i++) {
    if (i === value.length || value.charCodeAt(i) === 0x2c) {
      const item = trimOws(value.slice(start, i));
      start = i + 1;
      if (item.length === 0) continue;
      if (!isToken(item)) return { ok: false, bad: item, items };
      items.push(item);
    }
  }
  return { ok: true, items };
}

/** Lower-cases ASCII letters only (header names are ASCII-case-insensitive). */
export function asciiLower(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return s.toLowerCase();
  }
  return s;
}

/** Shortens a value for display in texts (never for comparisons). */
export function clip(s: string, max = 200): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length} characters)`;
}
