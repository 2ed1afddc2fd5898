// Origins as the Fetch standard serializes them: scheme "://" host [":" port], no trailing slash.
// https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin

/** The serialized origin of a URL, or null for opaque origins (data:, file:, about:, unparsable). */
export function originOf(url: string | undefined): string | null {
  if (!url) return null;
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
