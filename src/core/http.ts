// HTTP facts the CORS core needs, said once: which statuses redirect, and how a Location resolves.

/** The statuses Fetch follows as redirects. https://fetch.spec.whatwg.org/#redirect-status */
export function isRedirectStatus(status: number | null | undefined): status is 301 | 302 | 303 | 307 | 308 {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** A Location value resolved against the URL it came from; null when absent or unparsable. */
export function resolveUrl(location: string | null, base: string): string | null {
  if (location === null) return null;
  // The linker and the walks resolve the same redirect on every event and under each assumption:
  // URL parsing showed in the engine's profile (bench/engine.ts), so results are kept a while.
  const key = `${base}\n${location}`;
  let href = resolved.get(key);
  if (href === undefined) {
    try {
      href = new URL(location, base).href;
    } catch {
      href = null;
    }
    if (resolved.size >= 512) resolved.clear();
    resolved.set(key, href);
  }
  return href;
}
const resolved = new Map<string, string | null>();
