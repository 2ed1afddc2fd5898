// The scenario matrix (test/fixtures/scenarios.ts) seen from the command line: which scenarios a
// CLI can reproduce from outside a browser, and the `cors-lens probe` options for one. Shared by
// the CLI-vs-Chromium and CLI-vs-Firefox e2e files.
import { normalizeMethod, type ProbeOptions } from '../../src/cli/args';
import type { MatrixScenario, PageRequest } from '../fixtures/scenarios';

/** Why a scenario cannot be reproduced from outside a browser (null: it can). */
export function notReproducible(sc: MatrixScenario, reqs: PageRequest[]): string | null {
  if (sc.concurrent || reqs.length > 1) return 'several requests sharing browser state (preflight cache, concurrency)';
  const r = reqs[0];
  if (!r) return 'no request';
  if (r.targetAddressSpace !== undefined || /lna|local-network/i.test(sc.id))
    return "Local Network Access: decided by the browser from the page's address space and a permission";
  if (r.mode && r.mode !== 'cors') return `mode ${r.mode}: not a CORS request`;
  if (r.abortAfterMs !== undefined) return 'aborted by the page';
  if (/blocked-by-client|blocker/i.test(sc.id)) return 'blocked by a browser extension';
  return null;
}

/** The cookie the matrix sets on 127.0.0.1 before the page loads (test/support/matrix.ts COOKIE_PATH). */
export const MATRIX_COOKIE = 'lens=1';

/**
 * What `cors-lens probe <url> --origin <page> -X … -H … --credentials … [--cookie lens=1] --send
 * --json` parses to. The browser's cookie jar holds lens=1 for 127.0.0.1 (any port, same site as
 * the page): a credentialed request there carries it, so the probe does too.
 */
export function probeOptionsFor(r: PageRequest, pageOrigin: string): ProbeOptions {
  const include = r.xhr ? r.withCredentials === true : r.credentials === 'include';
  const jar = include && new URL(r.url).hostname === '127.0.0.1';
  return {
    command: 'probe',
    url: new URL(r.url).href,
    origin: pageOrigin,
    method: normalizeMethod(r.method ?? 'GET'),
    headers: Object.entries(r.headers ?? {}).map(([name, value]) => ({ name, value })),
    credentials: include ? 'include' : 'omit',
    ...(jar ? { cookie: MATRIX_COOKIE } : {}),
    send: true,
    stack: null,
    format: 'json',
    timeoutMs: 10_000,
    search: false,
  };
}
