// HTTP facts the CORS core needs, said once: which statuses redirect, and how a Location resolves.

/** The statuses Fetch follows as redirects. https://fetch.spec.whatwg.org/#redirect-status */
export function isRedirectStatus(status: number | null | undefined): status is 301 | 302 | 303 | 307 | 308 {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** A Location value resolved against the URL it came from; null when absent or unparsable. */
export function resolveUrl(location: string | null, base: string): string | null {
  if (location === null) return null;
  try {
    return new URL(location, base).href;
  } catch {
    return null;
  }
}
