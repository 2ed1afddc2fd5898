// Realistic log entries for the panel's component tests: exchanges as the linker builds them
// (headers as Chromium reports them) and hand-written verdicts with full evidence, as the real
// engine produces them (symptoms named with Chromium's CorsError values).
import type { LogEntry } from '../../src/core/log';
import type { Exchange, Header, Hop, Preflight } from '../../src/core/types';
import type { EvidenceRow, Verdict } from '../../src/core/verdict';

export const PAGE = 'http://localhost:3000';
export const API = 'http://localhost:8000';
const CORS_CHECK = 'https://fetch.spec.whatwg.org/#cors-check';
const PREFLIGHT = 'https://fetch.spec.whatwg.org/#cors-preflight-fetch';

let n = 100;
const T0 = Date.UTC(2026, 0, 15, 9, 30, 0);

const h = (pairs: Array<[string, string]>): Header[] => pairs.map(([name, value]) => ({ name, value }));

function pageRequestHeaders(extra: Array<[string, string]> = []): Header[] {
  return h([['Accept', '*/*'], ['Origin', PAGE], ['Referer', `${PAGE}/`], ['User-Agent', 'Mozilla/5.0'], ...extra]);
}

interface Build {
  id?: string;
  nav?: number;
  method?: string;
  url: string;
  hops?: Hop[];
  preflights?: Preflight[];
  state?: Exchange['state'];
  error?: string;
  start?: number;
  pageOrigin?: string;
  verdict: Verdict;
}

export function entry(b: Build): LogEntry {
  const id = b.id ?? String(++n);
  const start = b.start ?? T0 + n * 10;
  const ex: Exchange = {
    id,
    requestId: id,
    browser: 'chrome',
    tabId: 7,
    frameId: 0,
    type: 'xmlhttprequest',
    method: b.method ?? 'GET',
    url: b.url,
    pageOrigin: b.pageOrigin ?? PAGE,
    documentUrl: `${PAGE}/`,
    startTime: start,
    endTime: start + 12,
    hops: b.hops ?? [
      {
        url: b.url,
        method: b.method ?? 'GET',
        requestHeaders: pageRequestHeaders(),
        statusCode: 200,
        statusLine: 'HTTP/1.1 200 OK',
        responseHeaders: [],
      },
    ],
    preflights: b.preflights ?? [],
    state: b.state ?? 'completed',
  };
  if (b.error) ex.error = b.error;
  return { id, seq: n, nav: b.nav ?? 0, exchange: ex, verdict: b.verdict };
}

function verdict(v: Partial<Verdict> & Pick<Verdict, 'outcome'>): Verdict {
  return {
    credentials: 'not-include',
    preflight: { needed: false, reasons: [], seen: false, fromCache: false },
    evidence: [],
    warnings: [],
    ...v,
  };
}

/** The engine adds `subject` (per-item list rules) and `decisive` (the symptom's row). */
type Row = EvidenceRow & { subject?: string; decisive?: boolean };

const row = (r: Partial<Row> & Pick<Row, 'rule' | 'field' | 'needed' | 'sent' | 'result'>): Row => ({
  stage: 'response',
  spec: CORS_CHECK,
  hopIndex: 0,
  ...r,
});

/** GET answered with `Access-Control-Allow-Origin: http://localhost:3000/` (the trailing slash). */
export function trailingSlash(o: Partial<Build> = {}): LogEntry {
  const url = `${API}/api/items?page=2`;
  return entry({
    url,
    hops: [
      {
        url,
        method: 'GET',
        requestHeaders: pageRequestHeaders(),
        statusCode: 200,
        statusLine: 'HTTP/1.1 200 OK',
        responseHeaders: h([
          ['content-type', 'application/json'],
          ['access-control-allow-origin', `${PAGE}/`],
          ['vary', 'Origin'],
          ['access-control-allow-credentials', 'true'],
        ]),
      },
    ],
    state: 'error',
    error: 'net::ERR_FAILED',
    verdict: verdict({
      outcome: 'blocked',
      symptom: {
        corsError: 'AllowOriginMismatch',
        failedParameter: `${PAGE}/`,
        firefoxReason: 'CORSAllowOriginNotMatchingOrigin',
        stage: 'response',
        hopIndex: 0,
      },
      evidence: [
        row({
          rule: 'allow-origin',
          field: 'Access-Control-Allow-Origin',
          needed: 'present',
          sent: `${PAGE}/`,
          result: 'pass',
        }),
        row({
          rule: 'allow-origin',
          field: 'Access-Control-Allow-Origin',
          needed: `"${PAGE}" or "*"`,
          sent: `${PAGE}/`,
          result: 'fail',
          decisive: true,
        }),
      ],
      cause: { code: 'origin-typo', confidence: 'certain', facts: { origin: PAGE, sent: `${PAGE}/`, target: API } },
    }),
    ...o,
  });
}

/** PUT whose preflight answer lists only GET, POST in Access-Control-Allow-Methods. */
export function methodNotAllowed(o: Partial<Build> = {}): LogEntry {
  const url = `${API}/api/items/42`;
  const id = o.id ?? String(++n);
  return entry({
    id,
    method: 'PUT',
    url,
    hops: [{ url, method: 'PUT' }],
    preflights: [
      {
        requestId: String(Number(id) + 1),
        hopIndex: 0,
        state: 'completed',
        hop: {
          url,
          method: 'OPTIONS',
          requestHeaders: h([
            ['Accept', '*/*'],
            ['Access-Control-Request-Method', 'PUT'],
            ['Access-Control-Request-Headers', 'content-type'],
            ['Origin', PAGE],
          ]),
          statusCode: 204,
          statusLine: 'HTTP/1.1 204 No Content',
          responseHeaders: h([
            ['access-control-allow-origin', PAGE],
            ['access-control-allow-methods', 'GET, POST'],
            ['access-control-allow-headers', 'content-type'],
            ['access-control-max-age', '600'],
            ['vary', 'Origin'],
          ]),
        },
      },
    ],
    state: 'error',
    error: 'net::ERR_FAILED',
    verdict: verdict({
      outcome: 'blocked',
      symptom: {
        corsError: 'MethodDisallowedByPreflightResponse',
        failedParameter: 'PUT',
        firefoxReason: 'CORSMethodNotFound',
        stage: 'preflight',
        hopIndex: 0,
      },
      preflight: {
        needed: true,
        reasons: ['method PUT is not safelisted', 'header content-type: application/json'],
        seen: true,
        fromCache: false,
      },
      evidence: [
        row({
          stage: 'preflight',
          rule: 'preflight-ok-status',
          field: 'status',
          needed: '200–299',
          sent: '204',
          result: 'pass',
          spec: PREFLIGHT,
        }),
        row({
          stage: 'preflight',
          rule: 'allow-origin',
          field: 'Access-Control-Allow-Origin',
          needed: PAGE,
          sent: PAGE,
          result: 'pass',
        }),
        row({
          stage: 'preflight',
          rule: 'allow-methods',
          field: 'Access-Control-Allow-Methods',
          needed: '"PUT" or "*" listed',
          sent: 'GET, POST',
          result: 'fail',
          spec: PREFLIGHT,
          subject: 'PUT',
          decisive: true,
        }),
        row({
          stage: 'preflight',
          rule: 'allow-headers',
          field: 'Access-Control-Allow-Headers',
          needed: 'content-type',
          sent: 'content-type',
          result: 'pass',
          spec: PREFLIGHT,
        }),
      ],
      cause: { code: 'method-not-allowed', confidence: 'certain', facts: { method: 'PUT', origin: PAGE, target: API } },
    }),
    ...o,
  });
}

/** POST with x-api-key whose preflight sends an *empty* Access-Control-Allow-Headers. */
export function headerNotAllowed(o: Partial<Build> = {}): LogEntry {
  const url = `${API}/api/orders`;
  const id = o.id ?? String(++n);
  return entry({
    id,
    method: 'POST',
    url,
    hops: [{ url, method: 'POST' }],
    preflights: [
      {
        requestId: String(Number(id) + 1),
        hopIndex: 0,
        state: 'completed',
        hop: {
          url,
          method: 'OPTIONS',
          requestHeaders: h([
            ['Access-Control-Request-Method', 'POST'],
            ['Access-Control-Request-Headers', 'content-type,x-api-key'],
            ['Origin', PAGE],
          ]),
          statusCode: 200,
          statusLine: 'HTTP/1.1 200 OK',
          responseHeaders: h([
            ['access-control-allow-origin', '*'],
            ['access-control-allow-methods', 'POST'],
            ['access-control-allow-headers', ''],
          ]),
        },
      },
    ],
    state: 'error',
    error: 'net::ERR_FAILED',
    verdict: verdict({
      outcome: 'blocked',
      symptom: {
        corsError: 'HeaderDisallowedByPreflightResponse',
        failedParameter: 'x-api-key',
        firefoxReason: 'CORSMissingAllowHeaderFromPreflight',
        stage: 'preflight',
        hopIndex: 0,
      },
      preflight: {
        needed: true,
        reasons: ['header x-api-key', 'header content-type: application/json'],
        seen: true,
        fromCache: false,
      },
      evidence: [
        row({
          stage: 'preflight',
          rule: 'allow-origin',
          field: 'Access-Control-Allow-Origin',
          needed: PAGE,
          sent: '*',
          result: 'pass',
        }),
        row({
          stage: 'preflight',
          rule: 'allow-headers',
          field: 'Access-Control-Allow-Headers',
          needed: 'content-type, x-api-key',
          sent: '',
          result: 'fail',
          spec: PREFLIGHT,
        }),
        row({
          stage: 'preflight',
          rule: 'allow-credentials',
          field: 'Access-Control-Allow-Credentials',
          needed: 'true (only for credentialed requests)',
          sent: null,
          result: 'info',
        }),
      ],
      cause: { code: 'header-not-allowed', confidence: 'certain', facts: { header: 'x-api-key', origin: PAGE } },
    }),
    ...o,
  });
}

/** Simple GET whose response has no CORS headers at all. */
export function missingAcao(o: Partial<Build> = {}): LogEntry {
  const url = o.url ?? `${API}/api/profile`;
  return entry({
    url,
    hops: [
      {
        url,
        method: 'GET',
        requestHeaders: pageRequestHeaders(),
        statusCode: 200,
        statusLine: 'HTTP/1.1 200 OK',
        responseHeaders: h([['content-type', 'application/json']]),
      },
    ],
    state: 'error',
    error: 'net::ERR_FAILED',
    verdict: verdict({
      outcome: 'blocked',
      symptom: {
        corsError: 'MissingAllowOriginHeader',
        failedParameter: '',
        firefoxReason: 'CORSMissingAllowOrigin',
        stage: 'response',
        hopIndex: 0,
      },
      evidence: [
        row({ rule: 'allow-origin', field: 'Access-Control-Allow-Origin', needed: PAGE, sent: null, result: 'fail' }),
      ],
      cause: { code: 'no-cors-config', confidence: 'likely', facts: { origin: PAGE, target: API } },
    }),
    ...o,
  });
}

/** A request that passes, with a warning (reflected origin without Vary: Origin). */
export function passing(o: Partial<Build> = {}): LogEntry {
  const url = o.url ?? `${API}/api/health`;
  return entry({
    url,
    hops: [
      {
        url,
        method: 'GET',
        requestHeaders: pageRequestHeaders(),
        statusCode: 200,
        statusLine: 'HTTP/1.1 200 OK',
        responseHeaders: h([
          ['access-control-allow-origin', PAGE],
          ['access-control-expose-headers', 'x-total-count'],
        ]),
      },
    ],
    verdict: verdict({
      outcome: 'pass',
      evidence: [
        row({ rule: 'allow-origin', field: 'Access-Control-Allow-Origin', needed: PAGE, sent: PAGE, result: 'pass' }),
      ],
      warnings: [{ code: 'warn-missing-vary-origin', confidence: 'likely', facts: { origin: PAGE } }],
    }),
    ...o,
  });
}

/** The server was down: not a CORS problem at all. */
export function notCors(o: Partial<Build> = {}): LogEntry {
  const url = 'http://localhost:9999/api/items';
  return entry({
    url,
    hops: [{ url, method: 'GET', requestHeaders: pageRequestHeaders() }],
    state: 'error',
    error: 'net::ERR_CONNECTION_REFUSED',
    verdict: verdict({
      outcome: 'not-cors',
      networkError: 'net::ERR_CONNECTION_REFUSED',
      cause: { code: 'unreachable', confidence: 'certain', facts: { error: 'net::ERR_CONNECTION_REFUSED' } },
    }),
    ...o,
  });
}

/** "*" on a request whose credentials mode webRequest cannot see: two outcomes. */
export function credentialsUnknown(o: Partial<Build> = {}): LogEntry {
  const url = `${API}/api/session`;
  return entry({
    url,
    hops: [
      {
        url,
        method: 'GET',
        requestHeaders: pageRequestHeaders([['Cookie', 'sid=abc']]),
        statusCode: 200,
        statusLine: 'HTTP/1.1 200 OK',
        responseHeaders: h([['access-control-allow-origin', '*']]),
      },
    ],
    verdict: verdict({
      outcome: 'blocked',
      credentials: 'unknown',
      symptom: {
        corsError: 'WildcardOriginNotAllowed',
        failedParameter: '*',
        firefoxReason: 'CORSNotSupportingCredentials',
        stage: 'response',
        hopIndex: 0,
      },
      branches: [
        {
          assumption: 'credentials-include',
          outcome: 'blocked',
          symptom: {
            corsError: 'WildcardOriginNotAllowed',
            failedParameter: '*',
            firefoxReason: 'CORSNotSupportingCredentials',
            stage: 'response',
            hopIndex: 0,
          },
          cause: { code: 'wildcard-with-credentials', confidence: 'likely', facts: { origin: PAGE } },
        },
        { assumption: 'credentials-omit', outcome: 'pass' },
      ],
      evidence: [
        row({
          rule: 'allow-origin',
          field: 'Access-Control-Allow-Origin',
          needed: `${PAGE} (credentialed) or * (not credentialed)`,
          sent: '*',
          result: 'warn',
        }),
      ],
      cause: { code: 'wildcard-with-credentials', confidence: 'possible', facts: { origin: PAGE } },
    }),
    ...o,
  });
}

/** A PUT that needed a preflight but none went on the wire: answered from the preflight cache. */
export function preflightCached(o: Partial<Build> = {}): LogEntry {
  const url = `${API}/api/items/7`;
  return entry({
    method: 'PUT',
    url,
    hops: [
      {
        url,
        method: 'PUT',
        requestHeaders: pageRequestHeaders([['Content-Type', 'application/json']]),
        statusCode: 200,
        statusLine: 'HTTP/1.1 200 OK',
        responseHeaders: h([['access-control-allow-origin', PAGE]]),
      },
    ],
    verdict: verdict({
      outcome: 'pass',
      preflight: { needed: true, reasons: ['method PUT is not safelisted'], seen: false, fromCache: true },
      evidence: [
        row({ rule: 'allow-origin', field: 'Access-Control-Allow-Origin', needed: PAGE, sent: PAGE, result: 'pass' }),
      ],
    }),
    ...o,
  });
}

/** GET redirected (302) to a URL whose response lacks Access-Control-Allow-Origin. */
export function redirected(o: Partial<Build> = {}): LogEntry {
  const url = `${API}/old/items`;
  const to = 'http://127.0.0.1:8001/new/items';
  return entry({
    url,
    hops: [
      {
        url,
        method: 'GET',
        requestHeaders: pageRequestHeaders(),
        statusCode: 302,
        statusLine: 'HTTP/1.1 302 Found',
        responseHeaders: h([
          ['location', to],
          ['access-control-allow-origin', '*'],
        ]),
      },
      {
        url: to,
        method: 'GET',
        requestHeaders: h([['Origin', 'null']]),
        statusCode: 200,
        statusLine: 'HTTP/1.1 200 OK',
        responseHeaders: h([['content-type', 'text/plain']]),
      },
    ],
    state: 'error',
    error: 'net::ERR_FAILED',
    verdict: verdict({
      outcome: 'blocked',
      symptom: {
        corsError: 'MissingAllowOriginHeader',
        failedParameter: '',
        firefoxReason: 'CORSMissingAllowOrigin',
        stage: 'response',
        hopIndex: 1,
      },
      evidence: [
        row({
          stage: 'redirect',
          rule: 'allow-origin',
          field: 'Access-Control-Allow-Origin',
          needed: PAGE,
          sent: '*',
          result: 'pass',
          hopIndex: 0,
        }),
        row({
          rule: 'allow-origin',
          field: 'Access-Control-Allow-Origin',
          needed: 'null',
          sent: null,
          result: 'fail',
          hopIndex: 1,
        }),
      ],
      cause: {
        code: 'no-cors-config',
        confidence: 'likely',
        facts: { origin: 'null', target: 'http://127.0.0.1:8001' },
      },
    }),
    ...o,
  });
}

export function pending(o: Partial<Build> = {}): LogEntry {
  const url = `${API}/api/slow`;
  return entry({
    url,
    hops: [{ url, method: 'GET', requestHeaders: pageRequestHeaders() }],
    state: 'pending',
    verdict: verdict({ outcome: 'pending', credentials: 'unknown' }),
    ...o,
  });
}

export const HOSTILE_IMG = '<img src=x onerror="globalThis.__pwned=1">';
export const HOSTILE_SCRIPT = '"><script>globalThis.__pwned=2</script>';

/** A server that sends markup in every header it controls (and a URL with markup in it). */
export function hostile(o: Partial<Build> = {}): LogEntry {
  const url = `${API}/api/x?q=${encodeURIComponent('<script>')}&raw=<b>bold</b>`;
  return entry({
    url,
    hops: [
      {
        url,
        method: 'GET',
        requestHeaders: pageRequestHeaders(),
        statusCode: 200,
        statusLine: `HTTP/1.1 200 ${HOSTILE_SCRIPT}`,
        responseHeaders: h([
          ['access-control-allow-origin', HOSTILE_IMG],
          ['x-evil', HOSTILE_SCRIPT],
          [HOSTILE_IMG, 'name too'],
        ]),
      },
    ],
    state: 'error',
    error: 'net::ERR_FAILED',
    verdict: verdict({
      outcome: 'blocked',
      symptom: {
        corsError: 'InvalidAllowOriginValue',
        failedParameter: HOSTILE_IMG,
        firefoxReason: 'CORSAllowOriginNotMatchingOrigin',
        stage: 'response',
        hopIndex: 0,
      },
      evidence: [
        row({
          rule: 'allow-origin',
          field: 'Access-Control-Allow-Origin',
          needed: PAGE,
          sent: HOSTILE_IMG,
          result: 'fail',
        }),
      ],
      cause: { code: 'invalid-allow-origin', confidence: 'certain', facts: { origin: PAGE, sent: HOSTILE_IMG } },
      warnings: [{ code: 'warn-missing-vary-origin', confidence: 'likely', facts: { origin: HOSTILE_SCRIPT } }],
    }),
    ...o,
  });
}

/** One of each kind, in start order. */
export function mixedLog(): LogEntry[] {
  return [
    trailingSlash(),
    passing(),
    methodNotAllowed(),
    notCors(),
    headerNotAllowed(),
    preflightCached(),
    missingAcao(),
    credentialsUnknown(),
    redirected(),
    pending(),
  ];
}

/** N synthetic entries cycling through the kinds (ids unique, start times increasing). */
export function manyEntries(
  count: number,
  kinds = [trailingSlash, passing, methodNotAllowed, missingAcao],
): LogEntry[] {
  const out: LogEntry[] = [];
  for (let i = 0; i < count; i++) out.push(kinds[i % kinds.length]!({ id: `s${i}`, start: T0 + i }));
  return out;
}

/**
 * Firefox: "*" on a request whose credentials mode webRequest cannot see, completed (Firefox gives
 * no failure signal for a blocked simple request): uncertain, blocked if credentialed.
 */
export function uncertainWildcard(o: Partial<Build> = {}): LogEntry {
  const url = `${API}/api/me`;
  const symptom = {
    corsError: 'WildcardOriginNotAllowed',
    failedParameter: '*',
    firefoxReason: 'CORSNotSupportingCredentials',
    stage: 'response',
    hopIndex: 0,
  } as const;
  return entry({
    url,
    hops: [
      {
        url,
        method: 'GET',
        requestHeaders: pageRequestHeaders(),
        statusCode: 200,
        statusLine: 'HTTP/1.1 200 OK',
        responseHeaders: h([['access-control-allow-origin', '*']]),
      },
    ],
    verdict: verdict({
      outcome: 'uncertain',
      credentials: 'unknown',
      credentialsBasis: 'unknown',
      symptom: { ...symptom },
      branches: [
        { assumption: 'credentials-omit', outcome: 'pass' },
        {
          assumption: 'credentials-include',
          outcome: 'blocked',
          symptom: { ...symptom },
          cause: { code: 'wildcard-with-credentials', confidence: 'possible', facts: { origin: PAGE } },
        },
      ],
      evidence: [
        row({
          rule: 'allow-origin',
          field: 'Access-Control-Allow-Origin',
          needed: `${PAGE} (credentialed)`,
          sent: '*',
          result: 'fail',
          decisive: true,
        }),
      ],
      cause: { code: 'wildcard-with-credentials', confidence: 'possible', facts: { origin: PAGE } },
    }),
    ...o,
  });
}
