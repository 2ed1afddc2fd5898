// The browsers' own sentences. The e2e matrix and fixtures.test.ts compare them with what Chromium
// and Firefox actually printed; here: every value has a sentence, and a printed line reads back.
import { describe, expect, it } from 'vitest';
import { describeSymptom, FIREFOX_REASON_TEXT, parseChromeConsole, parseFirefoxConsole } from '../../src/core/symptoms';
import { CORS_ERRORS, FIREFOX_REASONS, type CorsErrorName, type Symptom } from '../../src/core/verdict';

const ctx = { url: 'http://127.0.0.1:8000/x', origin: 'http://127.0.0.1:3000', method: 'GET' };
const sym = (corsError: CorsErrorName, failedParameter = '', extra: Partial<Symptom> = {}): Symptom => ({
  corsError,
  failedParameter,
  stage: 'response',
  hopIndex: 0,
  ...extra,
});

describe('Chrome console sentences', () => {
  it('exist for every CorsError and read back to the same value', () => {
    const reproducible = CORS_ERRORS.filter(
      (e) => !/PrivateNetwork|AllowExternal|NoCorsRedirect|PrivateNetworkAccessId|PrivateNetworkAccessName/.test(e),
    );
    for (const e of reproducible) {
      const param = /Multiple|Mismatch|InvalidAllowOrigin|Credentials|Disallowed/.test(e) ? 'x-param' : '';
      const line = describeSymptom(sym(e, param), ctx).chromeConsole;
      expect(line).toMatch(
        /^Access to fetch at 'http:\/\/127\.0\.0\.1:8000\/x' from origin 'http:\/\/127\.0\.0\.1:3000' has been blocked by CORS policy: /,
      );
      const back = parseChromeConsole(line);
      expect(back?.corsError, e).toBe(e === 'InvalidPrivateNetworkAccess' ? 'InvalidLocalNetworkAccess' : e);
    }
  });

  it('follow cors_error_string.cc: preflight prefix, fetch suffix, redirects, XMLHttpRequest, escaped hints', () => {
    expect(describeSymptom(sym('PreflightMissingAllowOriginHeader'), ctx).chromeConsole).toContain(
      "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin'",
    );
    expect(describeSymptom(sym('MethodDisallowedByPreflightResponse', 'PUT'), ctx).chromeConsole).not.toContain(
      'Response to preflight',
    );
    expect(describeSymptom(sym('AllowOriginMismatch', 'null'), ctx).chromeConsole).toMatch(
      /'null' that is not equal to the supplied origin\. Have the server send the header with a valid value\.$/,
    );
    expect(
      describeSymptom(sym('AllowOriginMismatch', 'null'), { ...ctx, initiator: 'xmlhttprequest' }).chromeConsole,
    ).toMatch(/^Access to XMLHttpRequest at .*supplied origin\.$/);
    expect(
      describeSymptom(sym('WildcardOriginNotAllowed'), { ...ctx, initiator: 'xmlhttprequest' }).chromeConsole,
    ).toMatch(/withCredentials attribute\.$/);
    expect(
      describeSymptom(sym('MissingAllowOriginHeader'), { ...ctx, url: 'http://b/final', initialUrl: 'http://a/start' })
        .chromeConsole,
    ).toContain("at 'http://b/final' (redirected from 'http://a/start') from origin");
    expect(describeSymptom(sym('AllowOriginMismatch', 'é\n'), ctx).chromeConsole).toContain("'\\u00E9\\u000A'");
    expect(describeSymptom(sym('LocalNetworkAccessPermissionDenied'), ctx).chromeConsole).toMatch(
      /access the `loopback` address space\.$/,
    );
  });
});

describe('Firefox reason texts', () => {
  it('exist for every reason key and read back', () => {
    for (const r of FIREFOX_REASONS) {
      const line = describeSymptom(sym('AllowOriginMismatch', 'p', { firefoxReason: r }), {
        ...ctx,
        status: 404,
      }).firefoxConsole!;
      const back = parseFirefoxConsole(line);
      expect(back?.reason, r).toBe(r);
      expect(back?.key).toBe(FIREFOX_REASON_TEXT[r].key);
    }
  });

  it("use security.properties' wording, quotes and status codes", () => {
    const missing = describeSymptom(sym('MissingAllowOriginHeader', '', { firefoxReason: 'CORSMissingAllowOrigin' }), {
      ...ctx,
      status: 500,
    });
    expect(missing.firefoxConsole).toBe(
      'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://127.0.0.1:8000/x. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 500.',
    );
    const creds = describeSymptom(
      sym('WildcardOriginNotAllowed', '', { firefoxReason: 'CORSNotSupportingCredentials' }),
      ctx,
    );
    expect(creds.firefoxConsole).toContain('at ‘http://127.0.0.1:8000/x’.');
    const token = describeSymptom(
      sym('InvalidAllowMethodsPreflightResponse', '', {
        firefoxReason: 'CORSInvalidAllowMethod',
        firefoxParameter: 'PUT;GET',
      }),
      ctx,
    );
    expect(token.firefoxText).toBe('invalid token ‘PUT;GET’ in CORS header ‘Access-Control-Allow-Methods’');
  });

  it('parses the generic follow-up line too', () => {
    expect(
      parseFirefoxConsole(
        'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://a/x. (Reason: CORS request did not succeed). Status code: (null).',
      ),
    ).toMatchObject({ reason: 'CORSDidNotSucceed', key: 'CORSDidNotSucceed2', status: '(null)' });
    expect(parseFirefoxConsole('something else')).toBeNull();
  });
});
