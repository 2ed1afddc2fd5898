// The `cors-lens probe …` command line that re-asks the server what the browser asked for one log
// entry: same URL, page origin, method, the page-set headers that decide the preflight, and the
// credentials mode where it is known. The server's owner runs it from a terminal (the CLI also
// finds which origin the server does accept). POSIX-shell quoted like the curl export.
import { getHeader, headerValues } from '../headers';
import { parseRequestHeaderList, unsafeRequestHeaders } from '../fetch/safelist';
import type { LogEntry } from '../log';
import { detectStacks } from '../snippets/detect';
import { shellQuote } from './curl';

/** HTTP-safe methods: the only ones the CLI sends as the actual request without being told to. */
export const SAFE_METHODS: readonly string[] = ['GET', 'HEAD', 'OPTIONS'];

/** Placeholder for a header whose value the browser never showed (only its name, from the preflight). */
export const UNSEEN_VALUE = '<value>';

/** Words that need no quoting in a POSIX shell (kept bare for readability). */
function arg(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : shellQuote(s);
}

/**
 * The page-set headers to pass as `--header`: the CORS-unsafe ones as sent (they decide the
 * preflight) plus Content-Type and Range (they decide whether one is needed). When the actual
 * request never reached the network (its preflight failed), the names come from the preflight's
 * Access-Control-Request-Headers with a placeholder value that keeps each of them CORS-unsafe.
 */
function pageHeaders(e: LogEntry): Array<[string, string]> {
  const ex = e.exchange;
  const sent = ex.hops[0]?.requestHeaders;
  const out: Array<[string, string]> = [];
  if (sent) {
    const names = new Set(unsafeRequestHeaders(sent).map((u) => u.name));
    for (const n of ['content-type', 'range']) if (getHeader(sent, n) !== null) names.add(n);
    for (const h of sent) {
      const n = h.name.toLowerCase();
      if (names.has(n)) {
        names.delete(n);
        out.push([h.name, headerValues(sent, n).join(', ')]);
      }
    }
    return out;
  }
  const pre = ex.preflights.find((p) => p.hopIndex === 0) ?? ex.preflights[0];
  for (const n of parseRequestHeaderList(getHeader(pre?.hop.requestHeaders, 'access-control-request-headers')))
    out.push([n, UNSEEN_VALUE]);
  return out;
}

/** The names in a Cookie header ("a=1; b=2" → a, b). */
function cookieNames(cookie: string | null): string[] {
  if (!cookie) return [];
  return cookie
    .split(';')
    .map((p) => p.split('=')[0]!.trim())
    .filter((n) => /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(n));
}

/**
 * The `cors-lens probe …` line for an entry, or null when the page origin is unknown. `--send` is
 * added only for a safe method (GET, HEAD, OPTIONS): a copied line never re-sends a request that may
 * change data on the server (for those the CLI sends just the preflight and says what stays open).
 */
export function probeCommand(e: LogEntry): string | null {
  const ex = e.exchange;
  const origin = getHeader(ex.hops[0]?.requestHeaders, 'origin') ?? ex.pageOrigin;
  if (!origin) return null;
  const method = ex.hops[0]?.method ?? ex.method;
  const parts = ['cors-lens', 'probe', arg(ex.url), '--origin', arg(origin)];
  if (method !== 'GET') parts.push('--method', arg(method));
  for (const [name, value] of pageHeaders(e)) parts.push('--header', shellQuote(`${name}: ${value}`));
  if (e.verdict.credentials === 'include') {
    parts.push('--credentials', 'include');
    // Some servers answer differently when a Cookie is present (Starlette echoes the origin
    // instead of "*"): keep the cookies' presence and names, never their values.
    const names = cookieNames(getHeader(ex.hops[0]?.requestHeaders, 'cookie'));
    if (names.length) parts.push('--cookie', shellQuote(names.map((n) => `${n}=${UNSEEN_VALUE}`).join('; ')));
  } else if (e.verdict.credentials === 'not-include') parts.push('--credentials', 'omit');
  if (SAFE_METHODS.includes(method)) parts.push('--send');
  const stack = detectStacks(e)[0];
  if (stack) parts.push('--stack', stack.stack);
  return parts.join(' ');
}
