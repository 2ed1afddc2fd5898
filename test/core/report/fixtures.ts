// Hand-built, realistic log entries (shapes as Chromium's webRequest reports them) for the report
// tests. Verdicts are written out in full — evidence rows, warnings, branches — so the formats are
// exercised on everything the engine can produce, not only on what check.ts does today.
import type { LogEntry } from '../../../src/core/log';
import type { Header } from '../../../src/core/types';

const h = (pairs: Array<[string, string]>): Header[] => pairs.map(([name, value]) => ({ name, value }));
const T0 = Date.UTC(2026, 0, 15, 10, 30, 0);
const PAGE = 'http://localhost:3000';
const API = 'http://127.0.0.1:8000';

const chromeUA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

/** PUT with a JSON body: the preflight passes the origin but does not list PUT. */
export function methodNotAllowed(): LogEntry {
  return {
    id: '1001',
    seq: 1,
    nav: 0,
    exchange: {
      id: '1001',
      requestId: '1001',
      browser: 'chrome',
      tabId: 7,
      frameId: 0,
      type: 'xmlhttprequest',
      method: 'PUT',
      url: `${API}/items/42`,
      pageOrigin: PAGE,
      documentUrl: `${PAGE}/items`,
      startTime: T0,
      endTime: T0 + 35,
      hops: [{ url: `${API}/items/42`, method: 'PUT' }],
      preflights: [
        {
          requestId: '1002',
          hopIndex: 0,
          state: 'completed',
          hop: {
            url: `${API}/items/42`,
            method: 'OPTIONS',
            requestHeaders: h([
              ['Accept', '*/*'],
              ['Access-Control-Request-Method', 'PUT'],
              ['Access-Control-Request-Headers', 'content-type'],
              ['Origin', PAGE],
              ['User-Agent', chromeUA],
              ['Sec-Fetch-Mode', 'cors'],
            ]),
            statusCode: 200,
            statusLine: 'HTTP/1.1 200 OK',
            responseHeaders: h([
              ['access-control-allow-origin', PAGE],
              ['access-control-allow-methods', 'GET'],
              ['access-control-allow-headers', 'content-type'],
              ['access-control-max-age', '600'],
              ['vary', 'Origin'],
              ['content-length', '2'],
            ]),
            ip: '127.0.0.1',
          },
        },
      ],
      state: 'error',
      error: 'net::ERR_FAILED',
    },
    verdict: {
      outcome: 'blocked',
      symptom: {
        corsError: 'MethodDisallowedByPreflightResponse',
        failedParameter: 'PUT',
        firefoxReason: 'CORSMethodNotFound',
        stage: 'preflight',
        hopIndex: 0,
      },
      credentials: 'not-include',
      preflight: {
        needed: true,
        reasons: ['method PUT is not safelisted', 'Content-Type application/json is not safelisted'],
        seen: true,
        fromCache: false,
      },
      evidence: [
        {
          stage: 'preflight',
          rule: 'preflight-ok-status',
          field: 'status',
          needed: '200–299',
          sent: '200',
          result: 'pass',
          spec: 'https://fetch.spec.whatwg.org/#cors-preflight-fetch',
          hopIndex: 0,
        },
        {
          stage: 'preflight',
          rule: 'allow-origin',
          field: 'Access-Control-Allow-Origin',
          needed: PAGE,
          sent: PAGE,
          result: 'pass',
          spec: 'https://fetch.spec.whatwg.org/#cors-check',
          hopIndex: 0,
        },
        {
          stage: 'preflight',
          rule: 'allow-methods',
          field: 'Access-Control-Allow-Methods',
          needed: 'PUT',
          sent: 'GET',
          result: 'fail',
          spec: 'https://fetch.spec.whatwg.org/#cors-preflight-fetch',
          hopIndex: 0,
        },
        {
          stage: 'preflight',
          rule: 'allow-headers',
          field: 'Access-Control-Allow-Headers',
          needed: 'content-type',
          sent: 'content-type',
          result: 'pass',
          spec: 'https://fetch.spec.whatwg.org/#cors-preflight-fetch',
          hopIndex: 0,
        },
      ],
      cause: { code: 'method-not-allowed', confidence: 'certain', facts: { method: 'PUT', origin: PAGE, target: API } },
      warnings: [],
    },
  };
}

/** Simple GET, the server has no CORS at all; Vary missing on a reflected origin elsewhere is a warning. */
export function missingAcao(): LogEntry {
  return {
    id: '2001',
    seq: 2,
    nav: 0,
    exchange: {
      id: '2001',
      requestId: '2001',
      browser: 'chrome',
      tabId: 7,
      frameId: 0,
      type: 'xmlhttprequest',
      method: 'GET',
      url: `${API}/users?page=2`,
      pageOrigin: PAGE,
      documentUrl: `${PAGE}/`,
      startTime: T0 + 1000,
      endTime: T0 + 1012,
      hops: [
        {
          url: `${API}/users?page=2`,
          method: 'GET',
          requestHeaders: h([
            ['Accept', 'application/json'],
            ['Origin', PAGE],
            ['Referer', `${PAGE}/`],
            ['User-Agent', chromeUA],
          ]),
          statusCode: 200,
          statusLine: 'HTTP/1.1 200 OK',
          responseHeaders: h([
            ['content-type', 'application/json'],
            ['content-length', '17'],
          ]),
          ip: '127.0.0.1',
        },
      ],
      preflights: [],
      state: 'error',
      error: 'net::ERR_FAILED',
    },
    verdict: {
      outcome: 'blocked',
      symptom: {
        corsError: 'MissingAllowOriginHeader',
        failedParameter: '',
        firefoxReason: 'CORSMissingAllowOrigin',
        stage: 'response',
        hopIndex: 0,
      },
      credentials: 'unknown',
      preflight: { needed: false, reasons: [], seen: false, fromCache: false },
      evidence: [
        {
          stage: 'response',
          rule: 'allow-origin',
          field: 'Access-Control-Allow-Origin',
          needed: PAGE,
          sent: null,
          result: 'fail',
          spec: 'https://fetch.spec.whatwg.org/#cors-check',
          hopIndex: 0,
        },
      ],
      cause: { code: 'no-cors-config', confidence: 'certain', facts: { origin: PAGE, target: API } },
      warnings: [],
    },
  };
}

/** A credentialed GET redirected (token in Location) to a hop without CORS; the verdict has credential branches. */
export function redirectWithBranches(): LogEntry {
  return {
    id: '3001',
    seq: 3,
    nav: 0,
    exchange: {
      id: '3001',
      requestId: '3001',
      browser: 'firefox',
      tabId: 9,
      frameId: 0,
      type: 'xmlhttprequest',
      method: 'GET',
      url: `${API}/download`,
      pageOrigin: PAGE,
      startTime: T0 + 2000,
      endTime: T0 + 2040,
      hops: [
        {
          url: `${API}/download`,
          method: 'GET',
          requestHeaders: h([['Origin', PAGE]]),
          statusCode: 302,
          statusLine: 'HTTP/1.1 302 Found',
          responseHeaders: h([
            [
              'Location',
              'http://127.0.0.1:8001/files/report.pdf?X-Amz-Signature=ffd31c0deadbeef77&X-Amz-Credential=AKIAEXAMPLE123&expires=3600',
            ],
            ['Access-Control-Allow-Origin', '*'],
          ]),
        },
        {
          url: 'http://127.0.0.1:8001/files/report.pdf?X-Amz-Signature=ffd31c0deadbeef77&X-Amz-Credential=AKIAEXAMPLE123&expires=3600',
          method: 'GET',
          requestHeaders: h([['Origin', 'null']]),
          statusCode: 200,
          statusLine: 'HTTP/1.1 200 OK',
          responseHeaders: h([['Content-Type', 'application/pdf']]),
        },
      ],
      preflights: [],
      state: 'completed',
    },
    verdict: {
      outcome: 'blocked',
      symptom: {
        corsError: 'MissingAllowOriginHeader',
        failedParameter: '',
        firefoxReason: 'CORSMissingAllowOrigin',
        stage: 'response',
        hopIndex: 1,
      },
      branches: [
        {
          assumption: 'credentials-include',
          outcome: 'blocked',
          symptom: { corsError: 'WildcardOriginNotAllowed', failedParameter: '', stage: 'redirect', hopIndex: 0 },
          cause: { code: 'wildcard-with-credentials', confidence: 'likely', facts: { origin: PAGE } },
        },
        {
          assumption: 'credentials-omit',
          outcome: 'blocked',
          symptom: { corsError: 'MissingAllowOriginHeader', failedParameter: '', stage: 'response', hopIndex: 1 },
          cause: {
            code: 'redirect-without-cors',
            confidence: 'likely',
            facts: {
              status: '302',
              location: 'http://127.0.0.1:8001/files/report.pdf?X-Amz-Signature=ffd31c0deadbeef77',
            },
          },
        },
      ],
      credentials: 'unknown',
      preflight: { needed: false, reasons: [], seen: false, fromCache: false },
      evidence: [
        {
          stage: 'redirect',
          rule: 'allow-origin',
          field: 'Access-Control-Allow-Origin',
          needed: PAGE,
          sent: '*',
          result: 'warn',
          spec: 'https://fetch.spec.whatwg.org/#cors-check',
          hopIndex: 0,
        },
        {
          stage: 'response',
          rule: 'allow-origin',
          field: 'Access-Control-Allow-Origin',
          needed: 'null',
          sent: null,
          result: 'fail',
          spec: 'https://fetch.spec.whatwg.org/#cors-check',
          hopIndex: 1,
        },
      ],
      cause: {
        code: 'no-cors-config',
        confidence: 'likely',
        facts: { origin: 'null', target: 'http://127.0.0.1:8001' },
      },
      warnings: [{ code: 'warn-missing-vary-origin', confidence: 'possible', facts: {} }],
    },
  };
}

/** Not CORS: nothing listens on the port. */
export function unreachable(): LogEntry {
  return {
    id: '4001',
    seq: 4,
    nav: 1,
    exchange: {
      id: '4001',
      requestId: '4001',
      browser: 'chrome',
      tabId: 7,
      frameId: 0,
      type: 'xmlhttprequest',
      method: 'GET',
      url: 'http://127.0.0.1:9/health',
      pageOrigin: PAGE,
      startTime: T0 + 3000,
      endTime: T0 + 3001,
      hops: [{ url: 'http://127.0.0.1:9/health', method: 'GET', requestHeaders: h([['Origin', PAGE]]) }],
      preflights: [],
      state: 'error',
      error: 'net::ERR_CONNECTION_REFUSED',
    },
    verdict: {
      outcome: 'not-cors',
      credentials: 'unknown',
      preflight: { needed: false, reasons: [], seen: false, fromCache: false },
      evidence: [],
      networkError: 'net::ERR_CONNECTION_REFUSED',
      cause: { code: 'unreachable', confidence: 'certain', facts: { error: 'net::ERR_CONNECTION_REFUSED' } },
      warnings: [],
    },
  };
}

/** A request that passed (with a warning). */
export function allowed(): LogEntry {
  return {
    id: '5001',
    seq: 5,
    nav: 1,
    exchange: {
      id: '5001',
      requestId: '5001',
      browser: 'chrome',
      tabId: 7,
      frameId: 0,
      type: 'xmlhttprequest',
      method: 'GET',
      url: `${API}/ok`,
      pageOrigin: PAGE,
      startTime: T0 + 4000,
      endTime: T0 + 4005,
      hops: [
        {
          url: `${API}/ok`,
          method: 'GET',
          requestHeaders: h([['Origin', PAGE]]),
          statusCode: 200,
          statusLine: 'HTTP/1.1 200 OK',
          responseHeaders: h([['Access-Control-Allow-Origin', PAGE]]),
          fromCache: false,
        },
      ],
      preflights: [],
      state: 'completed',
    },
    verdict: {
      outcome: 'pass',
      credentials: 'not-include',
      preflight: { needed: false, reasons: [], seen: false, fromCache: false },
      evidence: [
        {
          stage: 'response',
          rule: 'allow-origin',
          field: 'Access-Control-Allow-Origin',
          needed: PAGE,
          sent: PAGE,
          result: 'pass',
          hopIndex: 0,
        },
      ],
      warnings: [{ code: 'warn-missing-vary-origin', confidence: 'likely', facts: {} }],
    },
  };
}

/** Page-controlled values built to break out of every format. */
export const HOSTILE = {
  acao: 'http://evil.test | </td><script>alert(1)</script> ``` `x` \\| <img src=x onerror=alert(2)>',
  header: "'; touch /tmp/cors-lens-pwned; echo '$(id)`id`\"",
  headerName: 'X-Weird',
  path: '/x?q=a%27b&r=$(id)',
};

export function hostile(): LogEntry {
  const url = `${API}${HOSTILE.path}`;
  return {
    id: '6001',
    seq: 6,
    nav: 1,
    exchange: {
      id: '6001',
      requestId: '6001',
      browser: 'chrome',
      tabId: 7,
      frameId: 0,
      type: 'xmlhttprequest',
      method: 'POST',
      url,
      pageOrigin: PAGE,
      startTime: T0 + 5000,
      endTime: T0 + 5010,
      hops: [
        {
          url,
          method: 'POST',
          requestHeaders: h([
            ['Origin', PAGE],
            ['Content-Type', 'text/plain'],
            [HOSTILE.headerName, HOSTILE.header],
            ['X-Newline', 'a\r\nInjected: yes'],
          ]),
          statusCode: 200,
          statusLine: 'HTTP/1.1 200 OK',
          responseHeaders: h([
            ['Access-Control-Allow-Origin', HOSTILE.acao],
            ['Access-Control-Expose-Headers', '```\n# heading\n<b>bold</b>'],
          ]),
        },
      ],
      preflights: [],
      state: 'error',
      error: 'net::ERR_FAILED',
    },
    verdict: {
      outcome: 'blocked',
      symptom: { corsError: 'InvalidAllowOriginValue', failedParameter: HOSTILE.acao, stage: 'response', hopIndex: 0 },
      credentials: 'unknown',
      preflight: { needed: false, reasons: [], seen: false, fromCache: false },
      evidence: [
        {
          stage: 'response',
          rule: 'allow-origin',
          field: 'Access-Control-Allow-Origin',
          needed: PAGE,
          sent: HOSTILE.acao,
          result: 'fail',
          hopIndex: 0,
        },
      ],
      cause: { code: 'invalid-allow-origin', confidence: 'certain', facts: { sent: HOSTILE.acao, origin: PAGE } },
      warnings: [],
    },
  };
}

/** Secrets planted everywhere a browser could report them. */
export const SECRETS = {
  cookieSession: 'sess_9f8e7d6c5b4a',
  cookieCsrf: 'csrf_1a2b3c4d5e6f',
  bearer: 'eyJhbGciOiJIUzI1NiJ9.payload.sig123',
  basicProxy: 'dXNlcjpwcm94eXBhc3M=',
  apiKey: 'ak_live_51HxYzSECRET',
  authToken: 'tok_abcdef123456',
  clientSecret: 'cs_shhh_987654',
  setCookie: 'newsess_ABCDEF987',
  queryToken: 'qtok_112233445566',
  accessToken: 'at_AAAABBBBCCCC',
  sig: 'sigHEX00ff11ee22',
  code: 'oauthcode_777888',
  password: 'hunter2hunter2',
  userinfoPass: 'pw_in_url_4455',
  refererToken: 'reftok_998877',
  redirectCode: 'redircode_5566',
};

export function withSecrets(): LogEntry {
  const S = SECRETS;
  const url = `${API}/account?token=${S.queryToken}&access_token=${S.accessToken}&sig=${S.sig}&view=full`;
  const next = `http://admin:${S.userinfoPass}@127.0.0.1:8002/callback?code=${S.redirectCode}&password=${S.password}`;
  return {
    id: '7001',
    seq: 7,
    nav: 1,
    exchange: {
      id: '7001',
      requestId: '7001',
      browser: 'chrome',
      tabId: 7,
      frameId: 0,
      type: 'xmlhttprequest',
      method: 'POST',
      url,
      pageOrigin: PAGE,
      documentUrl: `${PAGE}/settings?code=${S.code}`,
      startTime: T0 + 6000,
      endTime: T0 + 6100,
      hops: [
        {
          url,
          method: 'POST',
          requestHeaders: h([
            ['Origin', PAGE],
            ['Referer', `${PAGE}/settings?auth=${S.refererToken}`],
            ['Cookie', `session=${S.cookieSession}; csrftoken=${S.cookieCsrf}; theme=dark`],
            ['Authorization', `Bearer ${S.bearer}`],
            ['Proxy-Authorization', `Basic ${S.basicProxy}`],
            ['X-Api-Key', S.apiKey],
            ['X-Auth-Token', S.authToken],
            ['X-Client-Secret', S.clientSecret],
            ['Content-Type', 'application/json'],
          ]),
          statusCode: 302,
          statusLine: 'HTTP/1.1 302 Found',
          responseHeaders: h([
            ['Location', next],
            ['Set-Cookie', `sid=${S.setCookie}; Path=/; HttpOnly; SameSite=None; Secure`],
            ['Access-Control-Allow-Origin', PAGE],
            ['Access-Control-Allow-Credentials', 'true'],
          ]),
        },
        { url: next, method: 'GET', requestHeaders: h([['Origin', 'null']]) },
      ],
      preflights: [
        {
          requestId: '7002',
          hopIndex: 0,
          state: 'completed',
          hop: {
            url,
            method: 'OPTIONS',
            requestHeaders: h([
              ['Origin', PAGE],
              ['Access-Control-Request-Method', 'POST'],
              ['Access-Control-Request-Headers', 'authorization,content-type,x-api-key,x-auth-token,x-client-secret'],
              ['Referer', `${PAGE}/settings?auth=${S.refererToken}`],
            ]),
            statusCode: 204,
            statusLine: 'HTTP/1.1 204 No Content',
            responseHeaders: h([
              ['Access-Control-Allow-Origin', PAGE],
              ['Access-Control-Allow-Credentials', 'true'],
              ['Access-Control-Allow-Methods', 'POST'],
              ['Access-Control-Allow-Headers', 'authorization,content-type,x-api-key,x-auth-token,x-client-secret'],
            ]),
          },
        },
      ],
      state: 'error',
      error: 'net::ERR_FAILED',
    },
    verdict: {
      outcome: 'blocked',
      symptom: { corsError: 'RedirectContainsCredentials', failedParameter: next, stage: 'redirect', hopIndex: 0 },
      credentials: 'include',
      preflight: { needed: true, reasons: ['header authorization'], seen: true, fromCache: false },
      evidence: [
        {
          stage: 'redirect',
          rule: 'redirect-no-credentials',
          field: 'Location',
          needed: 'no credentials in URL',
          sent: next,
          result: 'fail',
          hopIndex: 0,
        },
      ],
      cause: { code: 'redirect-credentials-in-url', confidence: 'certain', facts: { location: next } },
      warnings: [],
    },
  };
}

export function allFixtures(): LogEntry[] {
  return [
    methodNotAllowed(),
    missingAcao(),
    redirectWithBranches(),
    unreachable(),
    allowed(),
    hostile(),
    withSecrets(),
  ];
}

export const ENV = {
  extensionVersion: '0.1.0',
  browser: 'chrome' as const,
  browserVersion: '156.0.8078.79',
  userAgent: chromeUA,
};
export const NOW = new Date(T0 + 60_000);
