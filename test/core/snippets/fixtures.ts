// Hand-built log entries for snippet tests: one exchange (optionally preflighted) with the
// headers a real server would send, and a verdict as the engine fills it (cause codes from
// src/core/causes.ts) or as the first-cut engine leaves it (no cause).
import type { CauseCode } from '../../../src/core/causes';
import type { LogEntry } from '../../../src/core/log';
import type { Header } from '../../../src/core/types';
import type { Verdict } from '../../../src/core/verdict';

export const PAGE = 'http://localhost:3000';
export const API = 'http://localhost:8000';

export type H = Array<[string, string]>;
const hs = (h: H | undefined): Header[] | undefined => h?.map(([name, value]) => ({ name, value }));

export interface Scenario {
  method?: string;
  path?: string;
  origin?: string | null;
  requestHeaders?: H;
  preflight?: { requestHeaders?: H; status: number; headers?: H } | null;
  response?: { status: number; headers?: H } | null;
  /** Extra hops before the final one (redirects). */
  redirects?: Array<{ status: number; headers: H; url?: string }>;
  verdict?: Partial<Verdict>;
  cause?: CauseCode;
  state?: 'completed' | 'error';
}

export function entry(s: Scenario): LogEntry {
  const method = s.method ?? 'GET';
  const origin = s.origin === undefined ? PAGE : s.origin;
  const url = `${API}${s.path ?? '/api/items'}`;
  const reqH: H = [...(origin ? ([['Origin', origin]] as H) : []), ...(s.requestHeaders ?? [])];
  const hops = [
    ...(s.redirects ?? []).map((r, i) => ({
      url: i === 0 ? url : (r.url ?? url),
      method,
      requestHeaders: hs(reqH),
      statusCode: r.status,
      responseHeaders: hs(r.headers),
    })),
    ...(s.response === null
      ? [
          {
            url: s.redirects?.length
              ? new URL(s.redirects[s.redirects.length - 1]!.headers.find(([n]) => n === 'Location')![1], url).href
              : url,
            method,
          },
        ]
      : [
          {
            url: s.redirects?.length
              ? new URL(s.redirects[s.redirects.length - 1]!.headers.find(([n]) => n === 'Location')![1], url).href
              : url,
            method,
            requestHeaders: hs(reqH),
            statusCode: s.response?.status ?? 200,
            responseHeaders: hs(s.response?.headers ?? []),
          },
        ]),
  ];
  const preflights = s.preflight
    ? [
        {
          requestId: '2',
          hopIndex: 0,
          hop: {
            url,
            method: 'OPTIONS',
            requestHeaders: hs([
              ...(origin ? ([['Origin', origin]] as H) : []),
              ['Access-Control-Request-Method', method],
              ...(s.preflight.requestHeaders ?? []),
            ]),
            statusCode: s.preflight.status,
            responseHeaders: hs(s.preflight.headers ?? []),
          },
          state: 'completed' as const,
        },
      ]
    : [];
  const verdict: Verdict = {
    outcome: 'blocked',
    credentials: 'unknown',
    preflight: { needed: 'unknown', reasons: [], seen: preflights.length > 0, fromCache: false },
    evidence: [],
    warnings: [],
    ...(s.cause ? { cause: { code: s.cause, confidence: 'certain' as const, facts: {} } } : {}),
    ...s.verdict,
  };
  return {
    id: '1',
    seq: 1,
    nav: 0,
    exchange: {
      id: '1',
      requestId: '1',
      browser: 'chrome',
      tabId: 1,
      frameId: 0,
      type: 'xmlhttprequest',
      method,
      url,
      ...(origin ? { pageOrigin: origin } : {}),
      startTime: 1,
      endTime: 2,
      hops,
      preflights,
      state: s.state ?? 'error',
      ...(s.state === 'completed' ? {} : { error: 'net::ERR_FAILED' }),
    },
    verdict,
  };
}

/** The scenarios every generator is golden-tested and syntax-checked on (name → scenario). */
export const SCENARIOS: Record<string, Scenario> = {
  // No CORS at all on a simple GET.
  'no-cors-config': {
    response: {
      status: 200,
      headers: [
        ['Content-Type', 'application/json'],
        ['X-Total-Count', '42'],
      ],
    },
    cause: 'no-cors-config',
  },
  // Starlette-style: a disallowed origin gets a 400 preflight with the other CORS headers.
  'origin-not-allowed': {
    method: 'POST',
    requestHeaders: [['Content-Type', 'application/json']],
    preflight: {
      requestHeaders: [['Access-Control-Request-Headers', 'content-type']],
      status: 400,
      headers: [
        ['Vary', 'Origin'],
        ['Access-Control-Allow-Methods', 'GET, POST'],
        ['Access-Control-Max-Age', '600'],
      ],
    },
    response: null,
    cause: 'origin-not-allowed',
  },
  'origin-typo': {
    response: { status: 200, headers: [['Access-Control-Allow-Origin', 'http://localhost:3000/']] },
    cause: 'origin-typo',
  },
  // The server allows GET, POST; the page sends PUT with X-Api-Key.
  'method-not-allowed': {
    method: 'PUT',
    requestHeaders: [
      ['Content-Type', 'application/json'],
      ['X-Api-Key', 'k'],
    ],
    preflight: {
      requestHeaders: [['Access-Control-Request-Headers', 'content-type,x-api-key']],
      status: 204,
      headers: [
        ['Access-Control-Allow-Origin', PAGE],
        ['Access-Control-Allow-Methods', 'GET, POST'],
        ['Access-Control-Allow-Headers', 'content-type, x-api-key'],
        ['Access-Control-Max-Age', '600'],
        ['Vary', 'Origin'],
      ],
    },
    response: null,
    cause: 'method-not-allowed',
  },
  'header-not-allowed': {
    method: 'POST',
    requestHeaders: [
      ['Content-Type', 'application/json'],
      ['Authorization', 'Bearer x'],
    ],
    preflight: {
      requestHeaders: [['Access-Control-Request-Headers', 'authorization,content-type']],
      status: 200,
      headers: [
        ['Access-Control-Allow-Origin', PAGE],
        ['Access-Control-Allow-Methods', 'GET, POST'],
        ['Access-Control-Allow-Headers', 'content-type'],
        ['Access-Control-Max-Age', '600'],
      ],
    },
    response: null,
    cause: 'header-not-allowed',
  },
  'wildcard-with-credentials': {
    requestHeaders: [['Cookie', 'session=1']],
    response: { status: 200, headers: [['Access-Control-Allow-Origin', '*']] },
    cause: 'wildcard-with-credentials',
    verdict: { credentials: 'include' },
  },
  'credentials-not-enabled': {
    requestHeaders: [['Cookie', 'session=1']],
    response: {
      status: 200,
      headers: [
        ['Access-Control-Allow-Origin', PAGE],
        ['Vary', 'Origin'],
      ],
    },
    cause: 'credentials-not-enabled',
    verdict: { credentials: 'include' },
  },
  'server-error-without-cors': {
    method: 'POST',
    requestHeaders: [['Content-Type', 'application/json']],
    preflight: {
      requestHeaders: [['Access-Control-Request-Headers', 'content-type']],
      status: 200,
      headers: [
        ['Access-Control-Allow-Origin', PAGE],
        ['Access-Control-Allow-Methods', 'GET, POST'],
        ['Access-Control-Allow-Headers', 'Accept, Accept-Language, Content-Language, Content-Type'],
        ['Access-Control-Max-Age', '600'],
        ['Vary', 'Origin'],
      ],
    },
    response: {
      status: 500,
      headers: [
        ['Content-Type', 'text/plain'],
        ['Server', 'uvicorn'],
      ],
    },
    cause: 'server-error-without-cors',
  },
  'preflight-auth': {
    method: 'DELETE',
    requestHeaders: [['Authorization', 'Bearer t']],
    preflight: {
      requestHeaders: [['Access-Control-Request-Headers', 'authorization']],
      status: 401,
      headers: [['WWW-Authenticate', 'Bearer']],
    },
    response: null,
    cause: 'preflight-auth',
  },
  'preflight-redirected': {
    method: 'PUT',
    path: '/api/items',
    requestHeaders: [['Content-Type', 'application/json']],
    preflight: {
      requestHeaders: [['Access-Control-Request-Headers', 'content-type']],
      status: 307,
      headers: [['Location', 'http://localhost:8000/api/items/']],
    },
    response: null,
    cause: 'preflight-redirected',
  },
  'duplicate-allow-origin': {
    response: {
      status: 200,
      headers: [
        ['Access-Control-Allow-Origin', PAGE],
        ['Access-Control-Allow-Origin', PAGE],
      ],
    },
    cause: 'duplicate-allow-origin',
  },
  // The first-cut engine: no cause, no credentials facts; the input derives them.
  'derived-header': {
    method: 'PATCH',
    requestHeaders: [
      ['Content-Type', 'application/json'],
      ['X-Request-Id', 'r'],
    ],
    preflight: {
      requestHeaders: [['Access-Control-Request-Headers', 'content-type,x-request-id']],
      status: 200,
      headers: [
        ['Access-Control-Allow-Origin', PAGE],
        ['Access-Control-Allow-Methods', 'GET, POST, PATCH'],
        ['Access-Control-Allow-Headers', 'content-type'],
      ],
    },
    response: null,
  },
  // Two other origins already allowed (a static value): the fix keeps it.
  'other-origin-kept': {
    response: {
      status: 200,
      headers: [
        ['Access-Control-Allow-Origin', 'https://app.example.com'],
        ['X-Request-Id', 'abc'],
      ],
    },
    cause: 'origin-not-allowed',
  },
};
