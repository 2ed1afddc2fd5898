// The verdict engine on synthetic exchanges: each rule, Chromium's and Firefox's order, the
// credentials branches, the evidence rows, network errors and root causes. (Real browser event
// streams: fixtures.test.ts; real browsers: test/e2e/matrix*.e2e.ts.)
import { describe, expect, it } from 'vitest';
import { diagnose, diagnoseStrict } from '../../src/core/check';
import { describeCause } from '../../src/core/causes';
import { API, chromeBlocked, ex, h, PAGE } from './build';

const ACAO = (v: string = PAGE): [string, string] => ['Access-Control-Allow-Origin', v];

describe('the CORS check on a response (Chromium CheckAccess order)', () => {
  const cases: Array<[string, Array<[string, string]>, string, string]> = [
    ['missing', [], 'MissingAllowOriginHeader', ''],
    ['trailing slash', [ACAO(`${PAGE}/`)], 'AllowOriginMismatch', `${PAGE}/`],
    ['"null"', [ACAO('null')], 'AllowOriginMismatch', 'null'],
    ['comma list', [ACAO(`https://a.test, ${PAGE}`)], 'MultipleAllowOriginValues', `https://a.test, ${PAGE}`],
    ['two lines', [ACAO(), ACAO()], 'MultipleAllowOriginValues', `${PAGE}, ${PAGE}`],
    ['space inside', [ACAO('http://a b')], 'MultipleAllowOriginValues', 'http://a b'],
    ['bare host', [ACAO('example.com')], 'InvalidAllowOriginValue', 'example.com'],
    ['empty', [ACAO('')], 'InvalidAllowOriginValue', ''],
    ['wildcard host', [ACAO('https://*.example.com')], 'AllowOriginMismatch', 'https://*.example.com'],
  ];
  for (const [name, headers, corsError, param] of cases) {
    it(`${name} → ${corsError}`, () => {
      const v = diagnose(chromeBlocked({ status: 200, headers: h(...headers) }));
      expect(v.outcome).toBe('blocked');
      expect(v.symptom).toMatchObject({ corsError, failedParameter: param, stage: 'response', hopIndex: 0 });
    });
  }

  it('passes an exact origin and "*" without credentials', () => {
    expect(diagnose(ex({ status: 200, headers: h(ACAO()) })).outcome).toBe('pass');
    expect(diagnose(ex({ status: 200, headers: h(ACAO('*')) })).outcome).toBe('pass');
  });

  it('trims optional whitespace the way HTTP parsers do', () => {
    expect(diagnose(ex({ status: 200, headers: h(ACAO(` ${PAGE}\t`)) })).outcome).toBe('pass');
  });

  it('checks Access-Control-Allow-Credentials exactly and only for credentialed requests', () => {
    const cookie = h(['Origin', PAGE], ['Cookie', 'sid=1']);
    expect(diagnose(chromeBlocked({ request: cookie, status: 200, headers: h(ACAO()) })).symptom).toMatchObject({
      corsError: 'InvalidAllowCredentials',
      failedParameter: '',
    });
    expect(
      diagnose(
        chromeBlocked({
          request: cookie,
          status: 200,
          headers: h(ACAO(), ['Access-Control-Allow-Credentials', 'TRUE']),
        }),
      ).symptom,
    ).toMatchObject({ corsError: 'InvalidAllowCredentials', failedParameter: 'TRUE' });
    expect(
      diagnose(ex({ request: cookie, status: 200, headers: h(ACAO(), ['Access-Control-Allow-Credentials', 'true']) }))
        .outcome,
    ).toBe('pass');
    expect(
      diagnose(
        chromeBlocked({
          request: cookie,
          status: 200,
          headers: h(ACAO('*'), ['Access-Control-Allow-Credentials', 'true']),
        }),
      ).symptom?.corsError,
    ).toBe('WildcardOriginNotAllowed');
  });
});

describe('evidence', () => {
  it('has one row per rule, null for a missing header, "" for an empty one, and marks the decisive row', () => {
    const missing = diagnose(chromeBlocked({ status: 200, headers: [] }));
    const row = missing.evidence.find((r) => r.rule === 'allow-origin')!;
    expect(row).toMatchObject({
      field: 'Access-Control-Allow-Origin',
      sent: null,
      result: 'fail',
      decisive: true,
      spec: 'https://fetch.spec.whatwg.org/#cors-check',
    });
    const empty = diagnose(chromeBlocked({ status: 200, headers: h(ACAO('')) }));
    expect(empty.evidence.find((r) => r.rule === 'allow-origin')!.sent).toBe('');
    expect(missing.evidence.filter((r) => r.decisive)).toHaveLength(1);
  });

  it('lists why a preflight was needed', () => {
    const v = diagnose(
      chromeBlocked({
        method: 'PUT',
        request: null,
        preflight: {
          status: 204,
          headers: h(ACAO(), ['Access-Control-Allow-Methods', 'PUT']),
          acrh: 'content-type,x-api-key',
        },
      }),
    );
    expect(v.preflight.needed).toBe(true);
    expect(v.preflight.seen).toBe(true);
    expect(v.preflight.reasons.join('\n')).toMatch(/method PUT is not CORS-safelisted/);
    expect(v.preflight.reasons.join('\n')).toMatch(/content-type/);
    expect(v.symptom).toMatchObject({
      corsError: 'HeaderDisallowedByPreflightResponse',
      failedParameter: 'content-type',
    });
  });
});

describe('preflight rules in Chromium order', () => {
  const pf = (status: number, headers: Array<[string, string]>, method = 'PUT', acrh?: string) =>
    diagnose(
      chromeBlocked({
        method,
        request: null,
        preflight: { status, headers: h(...headers), ...(acrh ? { acrh } : {}) },
      }),
    );

  it('checks Access-Control-Allow-Origin before the status', () => {
    expect(pf(404, []).symptom?.corsError).toBe('PreflightMissingAllowOriginHeader');
    expect(pf(400, [ACAO('http://other.test')]).symptom).toMatchObject({
      corsError: 'PreflightAllowOriginMismatch',
      failedParameter: 'http://other.test',
    });
    expect(pf(400, [ACAO(), ['Access-Control-Allow-Methods', 'PUT']]).symptom?.corsError).toBe(
      'PreflightInvalidStatus',
    );
  });

  it('fails a redirect before anything else', () => {
    expect(pf(307, [['Location', '/items/']]).symptom?.corsError).toBe('PreflightDisallowedRedirect');
  });

  it('parses both lists before checking the method (Chromium), the method first (Firefox)', () => {
    const headers: Array<[string, string]> = [
      ACAO(),
      ['Access-Control-Allow-Methods', 'GET'],
      ['Access-Control-Allow-Headers', 'x-a; x-b'],
    ];
    expect(pf(204, headers).symptom?.corsError).toBe('InvalidAllowHeadersPreflightResponse');
    const firefox = diagnose(
      ex({
        browser: 'firefox',
        method: 'PUT',
        state: 'error',
        error: 'NS_ERROR_DOM_BAD_URI',
        preflight: { status: 204, headers: h(...headers) },
      }),
    );
    expect(firefox.symptom?.firefoxReason).toBe('CORSMethodNotFound');
  });

  it('matches methods case-sensitively and reports the method as sent', () => {
    expect(pf(204, [ACAO(), ['Access-Control-Allow-Methods', 'PATCH']], 'patch').symptom).toMatchObject({
      corsError: 'MethodDisallowedByPreflightResponse',
      failedParameter: 'patch',
    });
    expect(
      diagnose(
        ex({
          method: 'patch',
          preflight: { status: 204, headers: h(ACAO(), ['Access-Control-Allow-Methods', 'patch']) },
          status: 200,
          headers: h(ACAO()),
        }),
      ).outcome,
    ).toBe('pass');
  });

  it('reports the first missing header in Access-Control-Request-Headers order, lower-cased', () => {
    expect(
      pf(
        204,
        [ACAO(), ['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Headers', 'X-C']],
        'PUT',
        'x-a,x-b',
      ).symptom,
    ).toMatchObject({ corsError: 'HeaderDisallowedByPreflightResponse', failedParameter: 'x-a' });
  });

  it('lets "*" cover methods and headers only without credentials, and warns for Authorization', () => {
    const ok = diagnose(
      ex({
        method: 'PUT',
        request: h(['Origin', PAGE], ['Authorization', 'Bearer x']),
        preflight: {
          status: 204,
          headers: h(ACAO(), ['Access-Control-Allow-Methods', '*'], ['Access-Control-Allow-Headers', '*']),
          acrh: 'authorization',
        },
        status: 200,
        headers: h(ACAO()),
      }),
    );
    expect(ok.outcome).toBe('pass');
    expect(ok.warnings.map((w) => w.code)).toContain('warn-wildcard-authorization');
    expect(ok.evidence.find((r) => r.rule === 'allow-headers' && r.subject === 'authorization')?.result).toBe('warn');
    const cookie = h(['Origin', PAGE], ['Cookie', 'a=1']);
    const blocked = diagnose(
      chromeBlocked({
        method: 'PUT',
        request: cookie,
        preflight: {
          status: 204,
          headers: h(ACAO(), ['Access-Control-Allow-Methods', '*'], ['Access-Control-Allow-Credentials', 'true']),
        },
      }),
    );
    expect(blocked.symptom?.corsError).toBe('MethodDisallowedByPreflightResponse');
    expect(blocked.cause?.code).toBe('wildcard-lists-with-credentials');
  });
});

describe('credentials: invisible to webRequest', () => {
  it('a Cookie header proves credentials mode include', () => {
    const v = diagnose(
      chromeBlocked({ request: h(['Origin', PAGE], ['Cookie', 'a=1']), status: 200, headers: h(ACAO('*')) }),
    );
    expect(v.credentials).toBe('include');
    expect(v.credentialsBasis).toBe('cookie-header');
    expect(v.branches).toBeUndefined();
    expect(v.cause).toMatchObject({ code: 'wildcard-with-credentials', confidence: 'certain' });
  });

  it("in Chrome the failure decides: only 'include' explains net::ERR_FAILED with ACAO *", () => {
    const v = diagnose(chromeBlocked({ status: 200, headers: h(ACAO('*')) }));
    expect(v.outcome).toBe('blocked');
    expect(v.symptom?.corsError).toBe('WildcardOriginNotAllowed');
    expect(v.credentials).toBe('include');
    expect(v.credentialsBasis).toBe('browser-outcome');
    expect(v.evidence[0]).toMatchObject({ rule: 'credentials-mode', result: 'info' });
    expect(v.evidence[0]!.sent).toMatch(/only this assumption explains/);
  });

  it('in Chrome a completed request with ACAO * was sent without credentials', () => {
    const v = diagnose(ex({ status: 200, headers: h(ACAO('*')) }));
    expect(v).toMatchObject({ outcome: 'pass', credentials: 'not-include', credentialsBasis: 'browser-outcome' });
  });

  it('in Firefox a blocked simple request looks completed: uncertain, never a pass, both branches remain', () => {
    const v = diagnose(ex({ browser: 'firefox', status: 200, headers: h(ACAO('*')) }));
    expect(v.outcome).toBe('uncertain');
    expect(v.credentials).toBe('unknown');
    expect(v.credentialsBasis).toBe('unknown');
    // The blocking branch is the verdict's symptom and cause (only possible), its rows the evidence.
    expect(v.symptom).toMatchObject({
      corsError: 'WildcardOriginNotAllowed',
      firefoxReason: 'CORSNotSupportingCredentials',
    });
    expect(v.cause).toMatchObject({ code: 'wildcard-with-credentials', confidence: 'possible' });
    expect(
      v.evidence.some((r) => r.decisive && r.result === 'fail' && /access-control-allow-origin/i.test(r.field)),
    ).toBe(true);
    expect(v.branches?.map((b) => [b.assumption, b.outcome, b.symptom?.firefoxReason])).toEqual([
      ['credentials-omit', 'pass', undefined],
      ['credentials-include', 'blocked', 'CORSNotSupportingCredentials'],
    ]);
    expect(v.branches?.[1]?.cause?.code).toBe('wildcard-with-credentials');
  });

  it('in Firefox a reflected origin without Access-Control-Allow-Credentials is uncertain too', () => {
    const v = diagnose(ex({ browser: 'firefox', status: 200, headers: h(ACAO()) }));
    expect(v.outcome).toBe('uncertain');
    expect(v.symptom?.firefoxReason).toBe('CORSMissingAllowCredentials');
    expect(v.branches?.map((b) => b.outcome).sort()).toEqual(['blocked', 'pass']);
  });

  it('in Firefox a Cookie header settles it: blocked, certain', () => {
    const v = diagnose(
      ex({ browser: 'firefox', request: h(['Origin', PAGE], ['Cookie', 'sid=1']), status: 200, headers: h(ACAO('*')) }),
    );
    expect(v.outcome).toBe('blocked');
    expect(v.cause?.confidence).toBe('certain');
  });

  it('in Firefox a response that passes with and without credentials is a plain pass', () => {
    const v = diagnose(
      ex({ browser: 'firefox', status: 200, headers: h(ACAO(), ['Access-Control-Allow-Credentials', 'true']) }),
    );
    expect(v.outcome).toBe('pass');
    expect(v.branches).toBeUndefined();
  });

  it('does not need the mode when both assumptions give the same verdict', () => {
    const v = diagnose(chromeBlocked({ status: 200, headers: [] }));
    expect(v.credentialsBasis).toBe('not-needed');
    expect(v.credentials).toBe('unknown');
  });

  it('rules out an assumption under which the browser would have stopped earlier than it did', () => {
    // The actual request went out (Chrome sends it only after a passing preflight), so the
    // credentialed reading (preflight without ACAC fails) is impossible.
    const v = diagnose(
      chromeBlocked({
        method: 'PUT',
        preflight: { status: 204, headers: h(ACAO(), ['Access-Control-Allow-Methods', 'PUT']) },
        status: 500,
        headers: [],
      }),
    );
    expect(v.symptom?.corsError).toBe('MissingAllowOriginHeader');
    expect(v.credentialsBasis).toBe('browser-outcome');
    expect(v.cause?.code).toBe('server-error-without-cors');
  });
});

describe('redirects', () => {
  it('checks every hop and compares with "null" after a cross-origin hop', () => {
    const hops = [
      {
        url: `${API}/a`,
        method: 'GET',
        requestHeaders: h(['Origin', PAGE]),
        statusCode: 302,
        responseHeaders: h(ACAO(), ['Location', 'http://other.test/b']),
      },
      {
        url: 'http://other.test/b',
        method: 'GET',
        requestHeaders: h(['Origin', 'null']),
        statusCode: 200,
        responseHeaders: h(ACAO()),
      },
    ];
    const v = diagnose(chromeBlocked({ hops }));
    expect(v.symptom).toMatchObject({ corsError: 'AllowOriginMismatch', failedParameter: PAGE, hopIndex: 1 });
    expect(v.cause).toMatchObject({ code: 'origin-null-after-redirect', confidence: 'certain' });
    const ok = diagnose(
      ex({
        hops: [
          hops[0]!,
          { ...hops[1]!, responseHeaders: h(ACAO('null'), ['Access-Control-Allow-Credentials', 'true']) },
        ],
      }),
    );
    expect(ok.outcome).toBe('pass');
    expect(ok.warnings.map((w) => w.code)).toContain('warn-reflect-any-origin-credentials');
  });

  it('fails a redirect hop without ACAO and a Location with credentials', () => {
    const noAcao = diagnose(
      chromeBlocked({
        hops: [
          {
            url: `${API}/a`,
            method: 'GET',
            requestHeaders: h(['Origin', PAGE]),
            statusCode: 302,
            responseHeaders: h(['Location', '/b']),
          },
        ],
      }),
    );
    expect(noAcao.symptom).toMatchObject({ corsError: 'MissingAllowOriginHeader', stage: 'response' });
    expect(noAcao.cause?.code).toBe('redirect-without-cors');
    const creds = diagnose(
      chromeBlocked({
        hops: [
          {
            url: `${API}/a`,
            method: 'GET',
            requestHeaders: h(['Origin', PAGE]),
            statusCode: 302,
            responseHeaders: h(ACAO(), ['Location', 'http://u:p@other.test/']),
          },
        ],
      }),
    );
    expect(creds.symptom).toMatchObject({ corsError: 'RedirectContainsCredentials', stage: 'redirect' });
    expect(creds.symptom?.firefoxReason).toBeUndefined();
  });
});

describe('the preflight cache', () => {
  it('says a needed preflight that never appeared was answered from the cache', () => {
    const v = diagnose(ex({ method: 'DELETE', status: 204, headers: h(ACAO()) }));
    expect(v.outcome).toBe('pass');
    expect(v.preflight).toMatchObject({ needed: true, seen: false, fromCache: true });
    expect(v.evidence.find((r) => r.rule === 'preflight-cache')?.sent).toMatch(/preflight cache/);
  });
});

describe('not CORS', () => {
  const cases: Array<[string, string]> = [
    ['net::ERR_CONNECTION_REFUSED', 'unreachable'],
    ['net::ERR_NAME_NOT_RESOLVED', 'unreachable'],
    ['NS_ERROR_UNKNOWN_HOST', 'unreachable'],
    ['net::ERR_BLOCKED_BY_CLIENT', 'blocked-by-client'],
    ['net::ERR_CERT_AUTHORITY_INVALID', 'certificate-error'],
    ['The certificate is not trusted because it is self-signed.', 'certificate-error'],
    ['net::ERR_ABORTED', 'request-aborted'],
    ['net::ERR_SOMETHING_NEW', 'network-error'],
  ];
  for (const [error, code] of cases) {
    it(`${error} → ${code}`, () => {
      const v = diagnose(ex({ request: h(['Origin', PAGE]), error }));
      expect(v.outcome).toBe('not-cors');
      expect(v.networkError).toBe(error);
      expect(v.cause?.code).toBe(code);
      expect(v.symptom).toBeUndefined();
    });
  }

  it('blames the preflight when it could not reach the server', () => {
    const v = diagnose(
      ex({
        browser: 'firefox',
        method: 'PUT',
        error: 'NS_ERROR_DOM_BAD_URI',
        preflight: { error: 'NS_ERROR_CONNECTION_REFUSED' },
      }),
    );
    expect(v).toMatchObject({ outcome: 'not-cors', networkError: 'NS_ERROR_CONNECTION_REFUSED' });
    expect(v.cause?.facts.stage).toMatch(/preflight/);
  });

  it('lets the rules explain an unknown error they can explain (Firefox refusing a redirect)', () => {
    const v = diagnose(
      ex({
        browser: 'firefox',
        error: 'NS_ERROR_NET_ON_RECEIVING_FROM',
        hops: [
          {
            url: `${API}/a`,
            method: 'GET',
            requestHeaders: h(['Origin', PAGE]),
            statusCode: 302,
            responseHeaders: h(ACAO(), ['Location', 'http://u:p@other.test/']),
          },
        ],
      }),
    );
    expect(v.outcome).toBe('blocked');
    expect(v.symptom?.corsError).toBe('RedirectContainsCredentials');
  });
});

describe('Local Network Access', () => {
  it('names the symptom by the page context', () => {
    const secure = diagnose(ex({ error: 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS' }));
    expect(secure.symptom?.corsError).toBe('LocalNetworkAccessPermissionDenied');
    expect(secure.cause?.code).toBe('local-network-access');
    const insecure = diagnose(
      ex({ origin: 'http://public.example', error: 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS' }),
    );
    expect(insecure.symptom?.corsError).toBe('InsecureLocalNetwork');
  });

  it('reads a preflight stopped without a response as Local Network Access (possible)', () => {
    const v = diagnose(chromeBlocked({ method: 'PUT', request: null, preflight: { error: 'net::ERR_FAILED' } }));
    expect(v.symptom?.corsError).toBe('LocalNetworkAccessPermissionDenied');
    expect(v.cause).toMatchObject({ code: 'local-network-access', confidence: 'possible' });
  });
});

describe('reconciling with the browser', () => {
  it('reads a failure only credentials explain as credentials (no ACAC)', () => {
    const v = diagnose(chromeBlocked({ status: 200, headers: h(ACAO()) }));
    expect(v.symptom?.corsError).toBe('InvalidAllowCredentials');
    expect(v.credentialsBasis).toBe('browser-outcome');
  });

  it('trusts a browser failure the rules cannot explain: unidentified, not invented', () => {
    const v = diagnose(
      chromeBlocked({ status: 200, headers: h(ACAO(), ['Access-Control-Allow-Credentials', 'true']) }),
    );
    expect(v.outcome).toBe('blocked');
    expect(v.symptom).toBeUndefined();
    expect(v.cause?.code).toBe('blocked-unidentified');
  });

  it('trusts a browser that let a request through', () => {
    const v = diagnose(ex({ status: 200, headers: h(ACAO('http://other.test')) }));
    expect(v.outcome).toBe('pass');
    expect(v.symptom).toBeUndefined();
  });

  it('stays pending until the request ends', () => {
    expect(diagnose(ex({ state: 'pending', status: 200, headers: [] })).outcome).toBe('pending');
  });
});

describe('root causes', () => {
  const mismatch = (acao: string) => diagnose(chromeBlocked({ status: 200, headers: h(ACAO(acao)) })).cause!;

  it('spells out the corrected origin for near misses', () => {
    for (const [sent, diff] of [
      [`${PAGE}/`, /slash/],
      ['https://localhost:3000', /scheme/],
      ['http://localhost:3001', /port/],
      ['http://127.0.0.1:3000', /localhost and 127\.0\.0\.1/],
      ['HTTP://LOCALHOST:3000', /case/],
      ['http://localhost:3000/app', /path/],
    ] as const) {
      const c = mismatch(sent);
      expect(c.code).toBe('origin-typo');
      expect(c.facts.corrected).toBe(PAGE);
      expect(c.facts.difference).toMatch(diff);
      expect(describeCause(c).fix).toContain(`"${PAGE}"`);
    }
    expect(diagnose(chromeBlocked({ status: 200, headers: h(ACAO('localhost:3000')) })).cause?.code).toBe(
      'origin-typo',
    );
  });

  it('tells an unrelated allowed origin from a typo', () => {
    expect(mismatch('https://app.example.com')).toMatchObject({
      code: 'origin-not-allowed',
      facts: { allowed: 'https://app.example.com' },
    });
  });

  it('reads the other CORS headers as "configured, but not for this origin"', () => {
    const v = diagnose(
      chromeBlocked({ status: 200, headers: h(['Vary', 'Origin'], ['Access-Control-Allow-Credentials', 'true']) }),
    );
    expect(v.cause).toMatchObject({ code: 'origin-not-allowed', confidence: 'likely' });
    expect(v.cause?.facts.present).toMatch(/Vary: Origin/);
  });

  it('blames the crash for a 5xx without CORS headers', () => {
    expect(diagnose(chromeBlocked({ status: 502, headers: [] })).cause?.code).toBe('server-error-without-cors');
  });

  it('names preflight auth, routing and redirects', () => {
    const pf = (status: number, headers: Array<[string, string]> = []) =>
      diagnose(chromeBlocked({ method: 'PUT', request: null, preflight: { status, headers: h(...headers) } })).cause!;
    expect(pf(401).code).toBe('preflight-auth');
    expect(pf(403, [ACAO()]).code).toBe('preflight-auth');
    expect(pf(404).code).toBe('preflight-not-routed');
    expect(pf(405, [['Allow', 'GET']]).code).toBe('preflight-not-routed');
    expect(pf(200).code).toBe('preflight-without-cors');
    expect(pf(500, [ACAO()]).code).toBe('preflight-bad-status');
    const r = pf(308, [['Location', 'https://localhost:8000/items']]);
    expect(r.code).toBe('preflight-redirected');
    expect(r.facts.kind).toBe('http → https');
  });

  it('reads a Starlette 400 preflight: the lists say whether the method or a header was refused', () => {
    const method = diagnose(
      chromeBlocked({
        method: 'POST',
        request: null,
        preflight: {
          status: 400,
          acrh: 'content-type',
          headers: h(
            ACAO(),
            ['Access-Control-Allow-Methods', 'GET'],
            ['Access-Control-Allow-Headers', 'Accept, Accept-Language, Content-Language, Content-Type'],
          ),
        },
      }),
    ).cause!;
    expect(method).toMatchObject({ code: 'method-not-allowed', facts: { method: 'POST', rejectedWith: '400' } });
    const header = diagnose(
      chromeBlocked({
        method: 'POST',
        request: null,
        preflight: {
          status: 400,
          acrh: 'authorization,content-type',
          headers: h(
            ACAO(),
            ['Access-Control-Allow-Methods', 'GET, POST'],
            ['Access-Control-Allow-Headers', 'Content-Type'],
          ),
        },
      }),
    ).cause!;
    expect(header).toMatchObject({ code: 'header-not-allowed', facts: { header: 'authorization' } });
  });

  it('tells duplicate header lines from a list in one header', () => {
    expect(diagnose(chromeBlocked({ status: 200, headers: h(ACAO(), ACAO()) })).cause?.code).toBe(
      'duplicate-allow-origin',
    );
    expect(diagnose(chromeBlocked({ status: 200, headers: h(ACAO(`https://a.test, ${PAGE}`)) })).cause?.code).toBe(
      'allow-origin-list',
    );
  });

  it('catches the lower-case method', () => {
    const c = diagnose(
      chromeBlocked({
        method: 'patch',
        request: null,
        preflight: { status: 204, headers: h(ACAO(), ['Access-Control-Allow-Methods', 'GET, PATCH']) },
      }),
    ).cause!;
    expect(c).toMatchObject({ code: 'method-case', facts: { method: 'patch', listed: 'PATCH' } });
  });
});

describe('warnings', () => {
  it('warns about a reflected origin without Vary: Origin only on cacheable responses', () => {
    expect(diagnose(ex({ status: 200, headers: h(ACAO()) })).warnings.map((w) => w.code)).toContain(
      'warn-missing-vary-origin',
    );
    expect(diagnose(ex({ status: 200, headers: h(ACAO(), ['Vary', 'Accept, Origin']) })).warnings).toEqual([]);
    expect(diagnose(ex({ status: 200, headers: h(ACAO(), ['Cache-Control', 'no-store']) })).warnings).toEqual([]);
    expect(diagnose(ex({ status: 200, headers: h(ACAO('*')) })).warnings).toEqual([]);
  });
});

describe('totality', () => {
  it('never throws, even on an exchange without hops', () => {
    const broken = ex({});
    broken.hops = [];
    expect(() => diagnoseStrict(broken)).not.toThrow();
    expect(diagnose(broken).outcome).toBe('pass');
  });
});

describe('a redirected preflight (issue #14)', () => {
  const redirect = (headers: [string, string][]) => ({
    method: 'PUT',
    preflight: { status: 302, headers: h(['Location', 'http://api.test/elsewhere'], ...headers) },
  });
  it('without Allow-Origin: Chromium PreflightDisallowedRedirect, Firefox CORSMissingAllowOrigin (checked on the 3xx first)', () => {
    const c = diagnose(chromeBlocked(redirect([]) as never));
    expect(c.symptom?.corsError).toBe('PreflightDisallowedRedirect');
    const f = diagnose(chromeBlocked({ ...redirect([]), browser: 'firefox', error: 'NS_ERROR_DOM_BAD_URI' } as never));
    expect(f.outcome).toBe('blocked');
    expect(f.symptom?.firefoxReason).toBe('CORSMissingAllowOrigin');
  });
  it('with Allow-Origin: both browsers refuse the redirect itself', () => {
    const f = diagnose(
      chromeBlocked({ ...redirect([ACAO()]), browser: 'firefox', error: 'NS_ERROR_DOM_BAD_URI' } as never),
    );
    expect(f.symptom?.firefoxReason).toBe('CORSExternalRedirectNotAllowed');
    expect(diagnose(chromeBlocked(redirect([ACAO()]) as never)).symptom?.corsError).toBe('PreflightDisallowedRedirect');
  });
});
