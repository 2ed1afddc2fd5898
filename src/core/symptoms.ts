// What the browsers themselves say for each symptom, so users can match CORS Lens's verdict to
// the console line they are looking at and search for it. Chrome's sentences follow Blink's
// cors_error_string.cc; Firefox's reason texts its security.properties.

import type { CorsErrorName, FirefoxReason, Symptom } from './verdict';

export interface SymptomContext {
  /** Request URL as the console shows it. */
  url: string;
  /** The page origin (the request's Origin). */
  origin: string;
  method: string;
}

export interface SymptomText {
  /** A few words for list rows. */
  short: string;
  /** The whole Chrome console line. */
  chromeConsole: string;
  firefoxReason?: FirefoxReason;
  /** Firefox's "(Reason: …)" text. */
  firefoxText?: string;
}

const PREFLIGHT_PREFIX = "Response to preflight request doesn't pass access control check: ";

/** Chrome's detail sentence per CorsError; `p` is failedParameter. */
function chromeDetail(e: CorsErrorName, p: string): string {
  switch (e) {
    case 'MissingAllowOriginHeader':
    case 'PreflightMissingAllowOriginHeader':
      return "No 'Access-Control-Allow-Origin' header is present on the requested resource.";
    case 'AllowOriginMismatch':
    case 'PreflightAllowOriginMismatch':
      return `The 'Access-Control-Allow-Origin' header has a value '${p}' that is not equal to the supplied origin.`;
    case 'MultipleAllowOriginValues':
    case 'PreflightMultipleAllowOriginValues':
      return `The 'Access-Control-Allow-Origin' header contains multiple values '${p}', but only one is allowed.`;
    case 'InvalidAllowOriginValue':
    case 'PreflightInvalidAllowOriginValue':
      return `The 'Access-Control-Allow-Origin' header contains the invalid value '${p}'.`;
    case 'WildcardOriginNotAllowed':
    case 'PreflightWildcardOriginNotAllowed':
      return "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.";
    case 'InvalidAllowCredentials':
    case 'PreflightInvalidAllowCredentials':
      return `The value of the 'Access-Control-Allow-Credentials' header in the response is '${p}' which must be 'true' when the request's credentials mode is 'include'.`;
    case 'PreflightInvalidStatus':
      return 'It does not have HTTP ok status.';
    case 'PreflightDisallowedRedirect':
      return 'Redirect is not allowed for a preflight request.';
    case 'MethodDisallowedByPreflightResponse':
      return `Method ${p} is not allowed by Access-Control-Allow-Methods in preflight response.`;
    case 'HeaderDisallowedByPreflightResponse':
      return `Request header field ${p} is not allowed by Access-Control-Allow-Headers in preflight response.`;
    case 'InvalidAllowMethodsPreflightResponse':
      return `Cannot parse Access-Control-Allow-Methods response header field in preflight response.`;
    case 'InvalidAllowHeadersPreflightResponse':
      return `Cannot parse Access-Control-Allow-Headers response header field in preflight response.`;
    case 'RedirectContainsCredentials':
      return `Redirect location '${p}' contains a username and password, which is disallowed for cross-origin requests.`;
    case 'CorsDisabledScheme':
      return `Cross origin requests are only supported for protocol schemes: http, https, data, chrome-extension, chrome-untrusted.`;
    case 'DisallowedByMode':
      return `The request mode is 'same-origin' but the URL is cross-origin.`;
    case 'InvalidResponse':
      return 'The preflight request failed with a network error.';
    default:
      return `${e}${p ? ` (${p})` : ''}`;
  }
}

const SHORT: Partial<Record<CorsErrorName, string>> = {
  MissingAllowOriginHeader: 'No Access-Control-Allow-Origin',
  PreflightMissingAllowOriginHeader: 'Preflight: no Access-Control-Allow-Origin',
  AllowOriginMismatch: 'Allow-Origin mismatch',
  PreflightAllowOriginMismatch: 'Preflight: Allow-Origin mismatch',
  MultipleAllowOriginValues: 'Multiple Allow-Origin values',
  PreflightMultipleAllowOriginValues: 'Preflight: multiple Allow-Origin values',
  InvalidAllowOriginValue: 'Invalid Allow-Origin value',
  PreflightInvalidAllowOriginValue: 'Preflight: invalid Allow-Origin value',
  WildcardOriginNotAllowed: '"*" with credentials',
  PreflightWildcardOriginNotAllowed: 'Preflight: "*" with credentials',
  InvalidAllowCredentials: 'Allow-Credentials not "true"',
  PreflightInvalidAllowCredentials: 'Preflight: Allow-Credentials not "true"',
  PreflightInvalidStatus: 'Preflight status not OK',
  PreflightDisallowedRedirect: 'Preflight redirected',
  MethodDisallowedByPreflightResponse: 'Method not allowed',
  HeaderDisallowedByPreflightResponse: 'Header not allowed',
  InvalidAllowMethodsPreflightResponse: 'Unparsable Allow-Methods',
  InvalidAllowHeadersPreflightResponse: 'Unparsable Allow-Headers',
  RedirectContainsCredentials: 'Redirect URL has credentials',
  InvalidResponse: 'Preflight network error',
};

const FIREFOX_TEXT: Record<FirefoxReason, (p: string) => string> = {
  CORSDisabled: () => 'CORS disabled',
  CORSDidNotSucceed: () => 'CORS request did not succeed',
  CORSRequestNotHttp: () => 'CORS request not HTTP',
  CORSMissingAllowOrigin: () => "CORS header 'Access-Control-Allow-Origin' missing",
  CORSMultipleAllowOriginNotAllowed: () => "Multiple CORS header 'Access-Control-Allow-Origin' not allowed",
  CORSAllowOriginNotMatchingOrigin: (p) => `CORS header 'Access-Control-Allow-Origin' does not match '${p}'`,
  CORSNotSupportingCredentials: () => "Credential is not supported if the CORS header 'Access-Control-Allow-Origin' is '*'",
  CORSMethodNotFound: () => "Did not find method in CORS header 'Access-Control-Allow-Methods'",
  CORSMissingAllowCredentials: () => "expected 'true' in CORS header 'Access-Control-Allow-Credentials'",
  CORSPreflightDidNotSucceed: () => 'CORS preflight response did not succeed',
  CORSInvalidAllowMethod: (p) => `invalid token '${p}' in CORS header 'Access-Control-Allow-Methods'`,
  CORSInvalidAllowHeader: (p) => `invalid token '${p}' in CORS header 'Access-Control-Allow-Headers'`,
  CORSMissingAllowHeaderFromPreflight: (p) => `header '${p}' is not allowed according to header 'Access-Control-Allow-Headers' from CORS preflight response`,
  CORSExternalRedirectNotAllowed: () => 'CORS request external redirect not allowed',
};

export function describeSymptom(s: Symptom, ctx: SymptomContext): SymptomText {
  const detail = chromeDetail(s.corsError, s.failedParameter);
  // Only the Preflight* errors get Chrome's preflight prefix (method/header ones do not).
  const preflight = s.corsError.startsWith('Preflight');
  const out: SymptomText = {
    short: SHORT[s.corsError] ?? s.corsError,
    chromeConsole: `Access to fetch at '${ctx.url}' from origin '${ctx.origin}' has been blocked by CORS policy: ${preflight ? PREFLIGHT_PREFIX : ''}${detail}`,
  };
  if (s.firefoxReason) {
    out.firefoxReason = s.firefoxReason;
    out.firefoxText = FIREFOX_TEXT[s.firefoxReason](s.failedParameter);
  }
  return out;
}
