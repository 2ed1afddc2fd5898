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
  if (r.targetAddressSpace !== undefined || /lna|local-network/i.test(sc.id)) return "Local Network Access: decided by the browser from the page's address space and a permission";
  if (r.mode && r.mode !== 'cors') return `mode ${r.mode}: not a CORS request`;
  if (r.abortAfterMs !== undefined) return 'aborted by the page';
  if (sc.cookie) return "needs the browser's cookie jar";
  if (/blocked-by-client|blocker/i.test(sc.id)) return 'blocked by a browser extension';
  return null;
}

/** What `cors-lens probe <url> --origin <page> -X … -H … --credentials … --send --json` parses to. */
export function probeOptionsFor(r: PageRequest, pageOrigin: string): ProbeOptions {
  const include = r.xhr ? r.withCredentials === true : r.credentials === 'include';
  return {
    command: 'probe',
    url: new URL(r.url).href,
    origin: pageOrigin,
    method: normalizeMethod(r.method ?? 'GET'),
    headers: Object.entries(r.headers ?? {}).map(([name, value]) => ({ name, value })),
    credentials: include ? 'include' : 'omit',
    send: true,
    stack: null,
    format: 'json',
    timeoutMs: 10_000,
    search: false,
  };
}
