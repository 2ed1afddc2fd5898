// Origins as the Fetch standard serializes them: scheme "://" host [":" port], no trailing slash.
// https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin

/**
 * The serialized origin of a URL, or null for opaque origins (data:, file:, about:, unparsable).
 *
 * Parsing URLs was a top item of the worker's profile, and every request has its own URL, so the
 * origin is looked up by the URL's "scheme://authority" prefix: the URL parser ends the authority
 * at the first "/", "?" or "#" (https://url.spec.whatwg.org/#authority-state), so the prefix
 * alone parses to the same origin. Anything unusual (no "://", whitespace, a backslash) is parsed
 * whole; test/core/origin.test.ts checks that the two agree.
 */
export function originOf(url: string | undefined): string | null {
  if (!url) return null;
  const s = url.indexOf('://');
  if (s <= 0 || s > 16) return parseOrigin(url);
  let end = s + 3;
  for (; end < url.length; end++) {
    const c = url.charCodeAt(end);
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) break;
    // Tabs and newlines are removed before parsing, a backslash ends only a special URL's
    // authority, spaces are invalid: all rare, all parsed whole.
    if (c <= 32 || c === 92 /* backslash */ || c === 127) return parseOrigin(url);
  }
  // An empty authority (e.g. "http:///x", where the parser skips the extra slashes) or a scheme
  // with anything but scheme characters (leading spaces, "blob:http") takes the whole parse.
  if (end === s + 3 || !SCHEME.test(url.slice(0, s))) return parseOrigin(url);
  const prefix = url.slice(0, end);
  let o = prefixCache.get(prefix);
  if (o === undefined) {
    o = parseOrigin(`${prefix}/`);
    if (prefixCache.size >= 512) prefixCache.clear();
    prefixCache.set(prefix, o);
  }
  return o;
}
const prefixCache = new Map<string, string | null>();
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;

function parseOrigin(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:' && u.protocol !== 'ws:' && u.protocol !== 'wss:') {
    // chrome-extension:, moz-extension: have tuple origins too; treat them as origins so
    // extension-initiated requests can be recognised and skipped.
    if (u.protocol.endsWith('-extension:')) return `${u.protocol}//${u.host}`;
    return null;
  }
  return u.origin;
}

/** True when the two URLs/origins differ in scheme, host or port. */
export function isCrossOrigin(pageOrigin: string | undefined | null, url: string): boolean {
  const target = originOf(url);
  if (!pageOrigin || !target) return pageOrigin !== target;
  return pageOrigin !== target;
}
