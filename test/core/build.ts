// Builders for synthetic exchanges in unit tests (real event streams live in test/fixtures/events).
import type { BrowserName, Exchange, Header, Hop, Preflight } from '../../src/core/types';

export const PAGE = 'http://localhost:3000';
export const API = 'http://localhost:8000';

export const h = (...pairs: Array<[string, string]>): Header[] => pairs.map(([name, value]) => ({ name, value }));

export interface PreflightSpec {
  status?: number;
  headers?: Header[];
  /** Request headers of the OPTIONS (default: Origin + ACRM = method + ACRH). */
  request?: Header[];
  acrh?: string;
  state?: Preflight['state'];
  error?: string;
  hopIndex?: number;
}

export interface ExchangeSpec {
  browser?: BrowserName;
  method?: string;
  url?: string;
  origin?: string;
  /** Request headers of the actual request (undefined = never reported, as in Chrome after a failed preflight). */
  request?: Header[] | null;
  status?: number;
  headers?: Header[];
  state?: Exchange['state'];
  error?: string;
  preflight?: PreflightSpec | PreflightSpec[];
  hops?: Hop[];
}

export function ex(spec: ExchangeSpec = {}): Exchange {
  const method = spec.method ?? 'GET';
  const url = spec.url ?? `${API}/items`;
  const origin = spec.origin ?? PAGE;
  const hop: Hop = { url, method };
  if (spec.request !== null) hop.requestHeaders = spec.request ?? h(['Origin', origin], ['Accept', '*/*']);
  if (spec.status !== undefined) hop.statusCode = spec.status;
  if (spec.headers) hop.responseHeaders = spec.headers;
  const hops = spec.hops ?? [hop];
  const pfs = spec.preflight === undefined ? [] : Array.isArray(spec.preflight) ? spec.preflight : [spec.preflight];
  const preflights: Preflight[] = pfs.map((p, i) => {
    const req =
      p.request ??
      h(
        ['Origin', origin],
        ['Access-Control-Request-Method', hops[p.hopIndex ?? 0]!.method],
        ...(p.acrh ? ([['Access-Control-Request-Headers', p.acrh]] as Array<[string, string]>) : []),
      );
    const pf: Preflight = {
      requestId: String(101 + i),
      hopIndex: p.hopIndex ?? 0,
      hop: { url: hops[p.hopIndex ?? 0]!.url, method: 'OPTIONS', requestHeaders: req },
      state: p.state ?? (p.error ? 'error' : 'completed'),
    };
    if (p.status !== undefined) pf.hop.statusCode = p.status;
    if (p.headers) pf.hop.responseHeaders = p.headers;
    if (p.error) pf.error = p.error;
    return pf;
  });
  const state = spec.state ?? (spec.error ? 'error' : 'completed');
  const e: Exchange = {
    id: '100',
    requestId: '100',
    browser: spec.browser ?? 'chrome',
    tabId: 1,
    frameId: 0,
    type: 'xmlhttprequest',
    method,
    url,
    pageOrigin: origin,
    startTime: 1,
    hops,
    preflights,
    state,
  };
  if (spec.error) e.error = spec.error;
  return e;
}

/** Chrome's view of a request that failed CORS: the response arrived, then net::ERR_FAILED. */
export function chromeBlocked(spec: ExchangeSpec): Exchange {
  return ex({ error: 'net::ERR_FAILED', ...spec });
}
