// What the browsers themselves print for each symptom, so users can match CORS Lens's verdict to
// the console line they are looking at, and search for it.
//  - Chrome: Blink's third_party/blink/renderer/platform/loader/cors/cors_error_string.cc
//    (GetErrorStringForConsoleMessage), checked against Chromium 156's console in the e2e matrix.
//  - Firefox: the CORS* keys of security.properties (chrome/en-US/locale/en-US/global/security/ in
//    omni.ja), checked against Firefox ESR 153's console in the e2e matrix.

import { addressSpaceOfHost } from './fetch/origin';
import { preflightFor } from './exchange';
import type { Exchange } from './types';
import type { CorsErrorName, FirefoxReason, Symptom } from './verdict';

export interface SymptomContext {
  /** Request URL as the console shows it (the last URL of a redirect chain). */
  url: string;
  /** The page origin (the request's Origin). */
  origin: string;
  method: string;
  /** The first URL when the request was redirected (Chrome adds "(redirected from …)"). */
  initialUrl?: string;
  /** fetch() or XMLHttpRequest (Chrome's sentence names it). Default: fetch. */
  initiator?: 'fetch' | 'xmlhttprequest';
  /** HTTP status Firefox appends to some reasons. */
  status?: number;
  /** Address space of the target for Local Network Access messages (default "loopback"). */
  addressSpace?: 'loopback' | 'local' | 'public' | 'unknown';
  /** fetch()'s targetAddressSpace, when known (InvalidLocalNetworkAccess). */
  targetAddressSpace?: string;
}

export interface SymptomText {
  /** A few words for list rows. */
  short: string;
  /** The whole Chrome console line. */
  chromeConsole: string;
  firefoxReason?: FirefoxReason;
  /** Firefox's "(Reason: …)" text. */
  firefoxText?: string;
  /** The whole Firefox console line. */
  firefoxConsole?: string;
}

const PREFLIGHT_PREFIX = "Response to preflight request doesn't pass access control check: ";
const NO_CORS_INFORMATION = ' Have the server send the header with a valid value.';
const XHR_CREDENTIALS =
  ' The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.';

/** Chrome's EncodeHint: non-printable and non-ASCII characters as \uXXXX. */
function encodeHint(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 0x20 && c <= 0x7e ? s[i] : `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

/** The errors Chrome prefixes with "Response to preflight request doesn't pass access control check". */
const PREFLIGHT_PREFIXED = new Set<CorsErrorName>([
  'PreflightWildcardOriginNotAllowed',
  'PreflightMissingAllowOriginHeader',
  'PreflightMultipleAllowOriginValues',
  'PreflightInvalidAllowOriginValue',
  'PreflightAllowOriginMismatch',
  'PreflightInvalidAllowCredentials',
  'PreflightInvalidStatus',
  'PreflightDisallowedRedirect',
]);

/** Chrome's detail sentence per CorsError; `p` is failedParameter. */
function chromeDetail(e: CorsErrorName, p: string, ctx: SymptomContext): string {
  const hint = encodeHint(p);
  const fetchSuffix = ctx.initiator === 'xmlhttprequest' ? '' : NO_CORS_INFORMATION;
  const xhrSuffix = ctx.initiator === 'xmlhttprequest' ? XHR_CREDENTIALS : '';
  const space = ctx.addressSpace ?? 'loopback';
  switch (e) {
    case 'DisallowedByMode':
      return 'Cross origin requests are not allowed by request mode.';
    case 'InvalidResponse':
      return 'The response is invalid.';
    case 'WildcardOriginNotAllowed':
    case 'PreflightWildcardOriginNotAllowed':
      return `The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.${xhrSuffix}`;
    case 'MissingAllowOriginHeader':
    case 'PreflightMissingAllowOriginHeader':
      return "No 'Access-Control-Allow-Origin' header is present on the requested resource.";
    case 'MultipleAllowOriginValues':
    case 'PreflightMultipleAllowOriginValues':
      return `The 'Access-Control-Allow-Origin' header contains multiple values '${hint}', but only one is allowed.${fetchSuffix}`;
    case 'InvalidAllowOriginValue':
    case 'PreflightInvalidAllowOriginValue':
      return `The 'Access-Control-Allow-Origin' header contains the invalid value '${hint}'.${fetchSuffix}`;
    case 'AllowOriginMismatch':
    case 'PreflightAllowOriginMismatch':
      return `The 'Access-Control-Allow-Origin' header has a value '${hint}' that is not equal to the supplied origin.${fetchSuffix}`;
    case 'InvalidAllowCredentials':
    case 'PreflightInvalidAllowCredentials':
      return `The value of the 'Access-Control-Allow-Credentials' header in the response is '${hint}' which must be 'true' when the request's credentials mode is 'include'.${xhrSuffix}`;
    case 'CorsDisabledScheme':
      // Blink prints SchemeRegistry::ListOfCorsEnabledURLSchemes(); fetch() rejects other schemes in
      // the renderer before any request exists, so this one is never observed by webRequest.
      return 'Cross origin requests are only supported for protocol schemes: http, https, data, chrome-extension, chrome-untrusted.';
    case 'PreflightInvalidStatus':
      return 'It does not have HTTP ok status.';
    case 'PreflightDisallowedRedirect':
      return 'Redirect is not allowed for a preflight request.';
    case 'InvalidAllowMethodsPreflightResponse':
      return 'Cannot parse Access-Control-Allow-Methods response header field in preflight response.';
    case 'InvalidAllowHeadersPreflightResponse':
      return 'Cannot parse Access-Control-Allow-Headers response header field in preflight response.';
    case 'MethodDisallowedByPreflightResponse':
      return `Method ${hint} is not allowed by Access-Control-Allow-Methods in preflight response.`;
    case 'HeaderDisallowedByPreflightResponse':
      return `Request header field ${hint} is not allowed by Access-Control-Allow-Headers in preflight response.`;
    case 'RedirectContainsCredentials':
      return `Redirect location '${hint}' contains a username and password, which is disallowed for cross-origin requests.`;
    case 'InsecureLocalNetwork':
    case 'InsecurePrivateNetwork':
      return `The request client is not a secure context and the resource is in more-private address space \`${space}\`.`;
    case 'InvalidLocalNetworkAccess':
    case 'InvalidPrivateNetworkAccess': {
      // webRequest does not show fetch()'s targetAddressSpace; it differed from the resource's
      // space, and with two private spaces the other one is the likely value.
      const target = ctx.targetAddressSpace ?? (space === 'loopback' ? 'local' : 'loopback');
      return `Request had a target IP address space of \`${target}\` yet the resource is in address space \`${space}\`.`;
    }
    case 'LocalNetworkAccessPermissionDenied':
    case 'PrivateNetworkAccessPermissionDenied':
      return `Permission was denied for this request to access the \`${space}\` address space.`;
    default:
      return `${e}${p ? ` (${hint})` : ''}`;
  }
}

const SHORT: Partial<Record<CorsErrorName, string>> = {
  DisallowedByMode: 'Request mode forbids cross-origin',
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
  CorsDisabledScheme: 'Scheme does not support CORS',
  InsecureLocalNetwork: 'Local network: insecure page',
  InvalidLocalNetworkAccess: 'Local network: address space mismatch',
  LocalNetworkAccessPermissionDenied: 'Local network: permission denied',
  InsecurePrivateNetwork: 'Local network: insecure page',
  InvalidPrivateNetworkAccess: 'Local network: address space mismatch',
  PrivateNetworkAccessPermissionDenied: 'Local network: permission denied',
};

/**
 * Firefox's reason texts (between "(Reason: " and ")"), with the security.properties key and
 * whether a "Status code: N." follows. `%2` is the parameter.
 */
export const FIREFOX_REASON_TEXT: Record<FirefoxReason, { key: string; reason: string; status: boolean }> = {
  CORSDisabled: { key: 'CORSDisabled', reason: 'CORS disabled', status: false },
  CORSDidNotSucceed: { key: 'CORSDidNotSucceed2', reason: 'CORS request did not succeed', status: true },
  CORSOriginHeaderNotAdded: {
    key: 'CORSOriginHeaderNotAdded',
    reason: 'CORS header ‘Origin’ cannot be added',
    status: false,
  },
  CORSExternalRedirectNotAllowed: {
    key: 'CORSExternalRedirectNotAllowed',
    reason: 'CORS request external redirect not allowed',
    status: false,
  },
  CORSRequestNotHttp: { key: 'CORSRequestNotHttp', reason: 'CORS request not http', status: false },
  CORSMissingAllowOrigin: {
    key: 'CORSMissingAllowOrigin2',
    reason: 'CORS header ‘Access-Control-Allow-Origin’ missing',
    status: true,
  },
  CORSMultipleAllowOriginNotAllowed: {
    key: 'CORSMultipleAllowOriginNotAllowed',
    reason: 'Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed',
    status: false,
  },
  CORSAllowOriginNotMatchingOrigin: {
    key: 'CORSAllowOriginNotMatchingOrigin',
    reason: 'CORS header ‘Access-Control-Allow-Origin’ does not match ‘%2’',
    status: false,
  },
  CORSNotSupportingCredentials: {
    key: 'CORSNotSupportingCredentials',
    reason: 'Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’',
    status: false,
  },
  CORSMethodNotFound: {
    key: 'CORSMethodNotFound',
    reason: 'Did not find method in CORS header ‘Access-Control-Allow-Methods’',
    status: false,
  },
  CORSMissingAllowCredentials: {
    key: 'CORSMissingAllowCredentials',
    reason: 'expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’',
    status: false,
  },
  CORSPreflightDidNotSucceed: {
    key: 'CORSPreflightDidNotSucceed3',
    reason: 'CORS preflight response did not succeed',
    status: true,
  },
  CORSInvalidAllowMethod: {
    key: 'CORSInvalidAllowMethod',
    reason: 'invalid token ‘%2’ in CORS header ‘Access-Control-Allow-Methods’',
    status: false,
  },
  CORSInvalidAllowHeader: {
    key: 'CORSInvalidAllowHeader',
    reason: 'invalid token ‘%2’ in CORS header ‘Access-Control-Allow-Headers’',
    status: false,
  },
  CORSMissingAllowHeaderFromPreflight: {
    key: 'CORSMissingAllowHeaderFromPreflight2',
    reason:
      'header ‘%2’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response',
    status: false,
  },
};

/** The parameter Firefox shows for a symptom (the ACAO value, the header name, the bad token). */
function firefoxParam(s: Symptom): string {
  return s.firefoxParameter ?? s.failedParameter;
}

/**
 * The console context of an exchange's symptom: the URL the browser names (the hop that failed),
 * the first URL when redirected, the page origin, the status Firefox appends. webRequest does not
 * tell fetch() from XMLHttpRequest (both are "xmlhttprequest"): pass `initiator` when known.
 */
export function symptomContext(ex: Exchange, s: Symptom, initiator?: SymptomContext['initiator']): SymptomContext {
  const hop = ex.hops[s.hopIndex] ?? ex.hops[ex.hops.length - 1];
  const url = hop?.url ?? ex.url;
  const status = s.stage === 'preflight' ? preflightFor(ex, s.hopIndex)?.hop.statusCode : hop?.statusCode;
  const ctx: SymptomContext = { url, origin: ex.pageOrigin ?? 'null', method: hop?.method ?? ex.method };
  if (url !== ex.url) ctx.initialUrl = ex.url;
  if (initiator) ctx.initiator = initiator;
  if (status !== undefined) ctx.status = status;
  try {
    const space = addressSpaceOfHost(new URL(url).hostname);
    if (space !== 'unknown') ctx.addressSpace = space;
  } catch {
    /* keep the default */
  }
  return ctx;
}

export function describeSymptom(s: Symptom, ctx: SymptomContext): SymptomText {
  const detail = chromeDetail(s.corsError, s.failedParameter, ctx);
  const kind = ctx.initiator === 'xmlhttprequest' ? 'XMLHttpRequest' : 'fetch';
  const redirected = ctx.initialUrl && ctx.initialUrl !== ctx.url ? `(redirected from '${ctx.initialUrl}') ` : '';
  const out: SymptomText = {
    short: SHORT[s.corsError] ?? s.corsError,
    chromeConsole: `Access to ${kind} at '${ctx.url}' ${redirected}from origin '${ctx.origin}' has been blocked by CORS policy: ${PREFLIGHT_PREFIXED.has(s.corsError) ? PREFLIGHT_PREFIX : ''}${detail}`,
  };
  if (s.firefoxReason) {
    const t = FIREFOX_REASON_TEXT[s.firefoxReason];
    const reason = t.reason.replace('%2', firefoxParam(s));
    out.firefoxReason = s.firefoxReason;
    out.firefoxText = reason;
    const at = s.firefoxReason === 'CORSNotSupportingCredentials' ? `‘${ctx.url}’` : ctx.url;
    const status = t.status ? ` Status code: ${ctx.status ?? '(null)'}.` : '';
    out.firefoxConsole = `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${at}. (Reason: ${reason}).${status}`;
  }
  return out;
}

export interface ParsedFirefoxConsole {
  reason: FirefoxReason;
  /** The security.properties key (with Firefox's version suffix). */
  key: string;
  url: string;
  /** The %2 parameter, when the reason has one. */
  param?: string;
  status?: string;
}

const FIREFOX_MATCHERS = (
  Object.entries(FIREFOX_REASON_TEXT) as Array<[FirefoxReason, { key: string; reason: string }]>
).map(([reason, t]) => {
  const escaped = t.reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('%2', '(.*)');
  return { reason, key: t.key, re: new RegExp(`^${escaped}$`) };
});

/**
 * Reads a Firefox "Cross-Origin Request Blocked" console line back into its reason key: used to
 * compare CORS Lens with Firefox in tests, and to recognise a line a user pastes.
 */
export function parseFirefoxConsole(text: string): ParsedFirefoxConsole | null {
  const m =
    /^Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘?(.*?)’?\. \(Reason: (.*?)\)\.(?: Status code: (.*)\.)?$/s.exec(
      text.trim(),
    );
  if (!m) return null;
  const [, url, reasonText, status] = m;
  for (const f of FIREFOX_MATCHERS) {
    const r = f.re.exec(reasonText!);
    if (!r) continue;
    const out: ParsedFirefoxConsole = { reason: f.reason, key: f.key, url: url! };
    if (r[1] !== undefined) out.param = r[1];
    if (status !== undefined) out.status = status;
    return out;
  }
  return null;
}

/** Chrome's console detail sentences, in order of specificity, for reading a pasted line back. */
const CHROME_MATCHERS: Array<[RegExp, CorsErrorName, CorsErrorName?]> = [
  [
    /^No 'Access-Control-Allow-Origin' header is present/,
    'MissingAllowOriginHeader',
    'PreflightMissingAllowOriginHeader',
  ],
  [
    /^The 'Access-Control-Allow-Origin' header contains multiple values '(.*)', but only one is allowed\./,
    'MultipleAllowOriginValues',
    'PreflightMultipleAllowOriginValues',
  ],
  [
    /^The 'Access-Control-Allow-Origin' header contains the invalid value '(.*)'\./,
    'InvalidAllowOriginValue',
    'PreflightInvalidAllowOriginValue',
  ],
  [
    /^The 'Access-Control-Allow-Origin' header has a value '(.*)' that is not equal to the supplied origin\./,
    'AllowOriginMismatch',
    'PreflightAllowOriginMismatch',
  ],
  [
    /^The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '\*'/,
    'WildcardOriginNotAllowed',
    'PreflightWildcardOriginNotAllowed',
  ],
  [
    /^The value of the 'Access-Control-Allow-Credentials' header in the response is '(.*)' which must be 'true'/,
    'InvalidAllowCredentials',
    'PreflightInvalidAllowCredentials',
  ],
  [/^It does not have HTTP ok status\./, 'PreflightInvalidStatus'],
  [/^Redirect is not allowed for a preflight request\./, 'PreflightDisallowedRedirect'],
  [/^Cannot parse Access-Control-Allow-Methods/, 'InvalidAllowMethodsPreflightResponse'],
  [/^Cannot parse Access-Control-Allow-Headers/, 'InvalidAllowHeadersPreflightResponse'],
  [
    /^Method (.*) is not allowed by Access-Control-Allow-Methods in preflight response\./,
    'MethodDisallowedByPreflightResponse',
  ],
  [
    /^Request header field (.*) is not allowed by Access-Control-Allow-Headers in preflight response\./,
    'HeaderDisallowedByPreflightResponse',
  ],
  [/^Redirect location '(.*)' contains a username and password/, 'RedirectContainsCredentials'],
  [
    /^The request client is not a secure context and the resource is in more-private address space/,
    'InsecureLocalNetwork',
  ],
  [/^Request had a target IP address space of/, 'InvalidLocalNetworkAccess'],
  [/^Permission was denied for this request to access the/, 'LocalNetworkAccessPermissionDenied'],
  [/^Cross origin requests are only supported for protocol schemes/, 'CorsDisabledScheme'],
  [/^Cross origin requests are not allowed by request mode\./, 'DisallowedByMode'],
  [/^The response is invalid\./, 'InvalidResponse'],
];

export interface ParsedChromeConsole {
  corsError: CorsErrorName;
  failedParameter: string;
  url: string;
  origin: string;
}

/** Reads a Chrome "has been blocked by CORS policy" console line back into its CorsError. */
export function parseChromeConsole(text: string): ParsedChromeConsole | null {
  const m =
    /^Access to (?:fetch|XMLHttpRequest|[\w ]+) at '(.*?)' (?:\(redirected from '.*?'\) )?from origin '(.*?)' has been blocked by CORS policy: (.*)$/s.exec(
      text.trim(),
    );
  if (!m) return null;
  let detail = m[3]!;
  const preflight = detail.startsWith(PREFLIGHT_PREFIX);
  if (preflight) detail = detail.slice(PREFLIGHT_PREFIX.length);
  for (const [re, plain, pre] of CHROME_MATCHERS) {
    const r = re.exec(detail);
    if (!r) continue;
    return { corsError: preflight && pre ? pre : plain, failedParameter: r[1] ?? '', url: m[1]!, origin: m[2]! };
  }
  return null;
}

/**
 * The browsers' own words for an exchange's symptom, with the exact console context (redirects,
 * status). Never throws: an unknown key (e.g. an imported report from a newer version) keeps the name.
 */
export function describeExchangeSymptom(ex: Exchange, s: Symptom): SymptomText {
  try {
    return describeSymptom(s, symptomContext(ex, s));
  } catch {
    return { short: String(s.corsError), chromeConsole: '' };
  }
}
