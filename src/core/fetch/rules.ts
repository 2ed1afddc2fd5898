// The individual CORS rules, each producing one evidence row plus how each browser classifies a
// failure of it. Chromium's names and order follow services/network/public/cpp/cors/cors.cc
// (CheckAccess) and services/network/cors/preflight_controller.cc / preflight_result.cc; Firefox's
// follow netwerk/protocol/http/nsCORSListenerProxy.cpp (CheckRequestApproved,
// CheckPreflightRequestApproved).
import type { CorsErrorName, EvidenceRow, FirefoxReason, Stage } from '../verdict';
import { isRedirectStatus } from '../http';
import type { RuleId } from '../rule-ids';
import type { Expectation } from '../expectation';
import { isValidUrl } from './origin';
import { isSafelistedMethod } from './safelist';
import { SPEC } from './spec';
import { headerValues } from '../headers';
import { asciiLower, parseTokenList, trimOws } from './tokens';

export interface ChromeFailure {
  corsError: CorsErrorName;
  failedParameter: string;
}

export interface FirefoxFailure {
  /** null: Firefox blocks without a console reason. */
  reason: FirefoxReason | null;
  param: string;
  /** Position in Firefox's own order of checks within the stage (lower = checked first). */
  rank: number;
}

export interface RuleEval {
  row: EvidenceRow;
  chrome?: ChromeFailure;
  firefox?: FirefoxFailure;
}

/** A response header's values as the browser received them (one entry per header line). */
export interface HeaderLines {
  lines: string[];
  /** Fetch "get": the lines joined with ", ", or null when absent. */
  joined: string | null;
}

export function headerLines(
  headers: ReadonlyArray<{ name: string; value: string }> | undefined,
  lowerName: string,
): HeaderLines {
  const raw = headerValues(headers, lowerName);
  if (raw.length === 0) return NO_LINES;
  const lines = raw.map(trimOws);
  return { lines, joined: lines.length === 1 ? lines[0]! : lines.join(', ') };
}

const NO_LINES: HeaderLines = { lines: [], joined: null };

export const PREFLIGHT_VARIANT: Partial<Record<CorsErrorName, CorsErrorName>> = {
  WildcardOriginNotAllowed: 'PreflightWildcardOriginNotAllowed',
  MissingAllowOriginHeader: 'PreflightMissingAllowOriginHeader',
  MultipleAllowOriginValues: 'PreflightMultipleAllowOriginValues',
  InvalidAllowOriginValue: 'PreflightInvalidAllowOriginValue',
  AllowOriginMismatch: 'PreflightAllowOriginMismatch',
  InvalidAllowCredentials: 'PreflightInvalidAllowCredentials',
};

function row(
  stage: Stage,
  hopIndex: number,
  rule: RuleId,
  field: string,
  expected: Expectation,
  needed: string,
  sent: string | null,
  result: EvidenceRow['result'],
  spec: string,
): EvidenceRow {
  return { stage, rule, field, expected, needed, sent, result, spec, hopIndex };
}

/**
 * Firefox sees one merged header where the server sent several lines; it reports "multiple" only
 * for several lines. From a merged value we infer duplicates when the parts are identical or one is
 * "*" (a proxy and the application both adding the header).
 */
function firefoxLineCount(acao: HeaderLines): number {
  if (acao.lines.length !== 1) return acao.lines.length;
  if (!acao.lines[0]!.includes(',')) return 1;
  const parts = acao.lines[0]!.split(',').map((p) => p.trim());
  if (parts.length < 2) return 1;
  const allSame = parts.every((p) => p === parts[0]);
  return allSame || parts.includes('*') ? parts.length : 1;
}

/**
 * The CORS check on one response: Access-Control-Allow-Origin, then (credentialed requests only)
 * Access-Control-Allow-Credentials. https://fetch.spec.whatwg.org/#cors-check
 */
export function accessRules(
  stage: 'preflight' | 'response',
  hopIndex: number,
  headers: ReadonlyArray<{ name: string; value: string }> | undefined,
  origin: string,
  include: boolean,
  out: RuleEval[],
): void {
  const acao = headerLines(headers, 'access-control-allow-origin');
  const value = acao.joined;
  const needed = include ? `exactly "${origin}" (credentialed request: "*" is not allowed)` : `"${origin}" or "*"`;
  // Chromium's CheckAccess.
  let chrome: ChromeFailure | undefined;
  if (value === '*') {
    if (include) chrome = { corsError: 'WildcardOriginNotAllowed', failedParameter: '' };
  } else if (value === null) {
    chrome = { corsError: 'MissingAllowOriginHeader', failedParameter: '' };
  } else if (value !== origin) {
    if (/[ ,]/.test(value)) chrome = { corsError: 'MultipleAllowOriginValues', failedParameter: value };
    else if (value === 'null') chrome = { corsError: 'AllowOriginMismatch', failedParameter: value };
    else if (!isValidUrl(value)) chrome = { corsError: 'InvalidAllowOriginValue', failedParameter: value };
    else chrome = { corsError: 'AllowOriginMismatch', failedParameter: value };
  }
  if (chrome && stage === 'preflight')
    chrome = { ...chrome, corsError: PREFLIGHT_VARIANT[chrome.corsError] ?? chrome.corsError };
  // Firefox's CheckRequestApproved.
  let firefox: FirefoxFailure | undefined;
  if (firefoxLineCount(acao) > 1) firefox = { reason: 'CORSMultipleAllowOriginNotAllowed', param: '', rank: 1 };
  else if (value === null) firefox = { reason: 'CORSMissingAllowOrigin', param: '', rank: 2 };
  else if (include && value === '*') firefox = { reason: 'CORSNotSupportingCredentials', param: '', rank: 3 };
  else if ((include || value !== '*') && value !== origin)
    firefox = { reason: 'CORSAllowOriginNotMatchingOrigin', param: value, rank: 4 };
  const result = chrome || firefox ? 'fail' : 'pass';
  const r: RuleEval = {
    row: row(
      stage,
      hopIndex,
      'allow-origin',
      'Access-Control-Allow-Origin',
      { kind: 'origin', origin, wildcard: !include },
      needed,
      value,
      result,
      SPEC.corsCheck,
    ),
  };
  if (chrome) r.chrome = chrome;
  if (firefox) r.firefox = firefox;
  out.push(r);

  if (!include) return;
  const acac = headerLines(headers, 'access-control-allow-credentials').joined;
  const ok = acac === 'true';
  const c: RuleEval = {
    row: row(
      stage,
      hopIndex,
      'allow-credentials',
      'Access-Control-Allow-Credentials',
      { kind: 'exact', value: 'true' },
      'exactly "true" (credentialed request)',
      acac,
      ok ? 'pass' : 'fail',
      SPEC.acac,
    ),
  };
  if (!ok) {
    c.chrome = {
      corsError: stage === 'preflight' ? 'PreflightInvalidAllowCredentials' : 'InvalidAllowCredentials',
      failedParameter: acac ?? '',
    };
    c.firefox = { reason: 'CORSMissingAllowCredentials', param: '', rank: 5 };
  }
  out.push(c);
}

/** A preflight must not be redirected (Chromium fails it as soon as the 3xx arrives). */
export function preflightRedirectRule(
  hopIndex: number,
  status: number,
  location: string | null,
  out: RuleEval[],
): boolean {
  if (!isRedirectStatus(status)) return false;
  out.push({
    row: row(
      'preflight',
      hopIndex,
      'preflight-no-redirect',
      'status',
      { kind: 'no-redirect' },
      'not a redirect (browsers never follow a preflight redirect)',
      location === null ? String(status) : `${status} → ${location}`,
      'fail',
      SPEC.preflightFetch,
    ),
    chrome: { corsError: 'PreflightDisallowedRedirect', failedParameter: '' },
    // Rank after the Allow-Origin/-Credentials checks: Firefox runs those on the 3xx first.
    firefox: { reason: 'CORSExternalRedirectNotAllowed', param: '', rank: 5.5 },
  });
  return true;
}

/** https://fetch.spec.whatwg.org/#ok-status */
export function preflightStatusRule(hopIndex: number, status: number, out: RuleEval[]): void {
  const ok = status >= 200 && status <= 299;
  const r: RuleEval = {
    row: row(
      'preflight',
      hopIndex,
      'preflight-ok-status',
      'status',
      { kind: 'ok-status' },
      '200–299 (an ok status)',
      String(status),
      ok ? 'pass' : 'fail',
      SPEC.okStatus,
    ),
  };
  if (!ok) {
    r.chrome = { corsError: 'PreflightInvalidStatus', failedParameter: '' };
    r.firefox = { reason: 'CORSPreflightDidNotSucceed', param: String(status), rank: 6 };
  }
  out.push(r);
}

export interface PreflightLists {
  methods: string[];
  headers: Set<string>;
  methodsValue: string | null;
  headersValue: string | null;
}

/**
 * Access-Control-Allow-Methods/-Headers parsing, then the method and header checks, in Chromium's
 * order (both lists are parsed before either is used). `unsafeNames` are the request's CORS-unsafe
 * header names (lower-case, in the order the browser checks them).
 */
export function preflightListRules(
  hopIndex: number,
  headers: ReadonlyArray<{ name: string; value: string }> | undefined,
  method: string,
  unsafeNames: readonly string[],
  include: boolean,
  out: RuleEval[],
): void {
  const acam = headerLines(headers, 'access-control-allow-methods').joined;
  const acah = headerLines(headers, 'access-control-allow-headers').joined;
  const m = parseTokenList(acam);
  const h = parseTokenList(acah);
  if (!m.ok) {
    out.push({
      row: row(
        'preflight',
        hopIndex,
        'allow-methods-syntax',
        'Access-Control-Allow-Methods',
        { kind: 'token-list' },
        'a comma-separated list of method names',
        acam,
        'fail',
        SPEC.headerSyntax,
      ),
      chrome: { corsError: 'InvalidAllowMethodsPreflightResponse', failedParameter: '' },
      firefox: { reason: 'CORSInvalidAllowMethod', param: m.bad, rank: 10 },
    });
  }
  if (!h.ok) {
    out.push({
      row: row(
        'preflight',
        hopIndex,
        'allow-headers-syntax',
        'Access-Control-Allow-Headers',
        { kind: 'token-list' },
        'a comma-separated list of header names',
        acah,
        'fail',
        SPEC.headerSyntax,
      ),
      chrome: { corsError: 'InvalidAllowHeadersPreflightResponse', failedParameter: '' },
      firefox: { reason: 'CORSInvalidAllowHeader', param: h.bad, rank: 20 },
    });
  }
  // Method: case-sensitive match (fetch() upper-cases only the six standard methods), "*" only
  // without credentials. Safelisted methods always pass.
  const methods = m.items;
  const safelisted = isSafelistedMethod(method) && method === method.toUpperCase();
  const listed = methods.includes(method);
  const wildcard = !include && methods.includes('*');
  const methodOk = safelisted || listed || wildcard;
  const neededMethod = safelisted
    ? `nothing (${method} is CORS-safelisted)`
    : include
      ? `"${method}" listed (credentialed request: "*" does not count)`
      : `"${method}" or "*" listed`;
  const expectedMethod: Expectation = safelisted
    ? { kind: 'safelisted', item: method }
    : { kind: 'listed', items: [method], wildcard: !include, caseSensitive: true };
  const mr: RuleEval = {
    row: row(
      'preflight',
      hopIndex,
      'allow-methods',
      'Access-Control-Allow-Methods',
      expectedMethod,
      neededMethod,
      acam,
      methodOk ? 'pass' : 'fail',
      SPEC.preflightFetch,
    ),
  };
  if (!methodOk) {
    mr.chrome = { corsError: 'MethodDisallowedByPreflightResponse', failedParameter: method };
    mr.firefox = { reason: 'CORSMethodNotFound', param: '', rank: 11 };
  }
  mr.row.subject = method;
  // An unparsable list already failed above; its method row would only repeat that.
  if (m.ok) out.push(mr);
  if (!h.ok) return;
  // Headers: case-insensitive; "*" covers everything without credentials (Authorization too in
  // today's Chrome and Firefox, although the standard excludes it: a warning, not a failure).
  const allowed = new Set(h.items.map(asciiLower));
  const hWildcard = !include && allowed.has('*');
  unsafeNames.forEach((name, i) => {
    const ok = allowed.has(name) || hWildcard;
    const byWildcardOnly = ok && !allowed.has(name);
    const needed = include ? `"${name}" listed (credentialed request: "*" does not count)` : `"${name}" or "*" listed`;
    let result: EvidenceRow['result'] = ok ? 'pass' : 'fail';
    let spec: string = SPEC.preflightFetch;
    if (byWildcardOnly && name === 'authorization') {
      result = 'warn';
      spec = SPEC.nonWildcardHeader;
    }
    const hr: RuleEval = {
      row: row(
        'preflight',
        hopIndex,
        'allow-headers',
        'Access-Control-Allow-Headers',
        { kind: 'listed', items: [name], wildcard: !include, caseSensitive: false },
        needed,
        acah,
        result,
        spec,
      ),
    };
    hr.row.subject = name;
    if (!ok) {
      hr.chrome = { corsError: 'HeaderDisallowedByPreflightResponse', failedParameter: name };
      hr.firefox = { reason: 'CORSMissingAllowHeaderFromPreflight', param: name, rank: 21 + i };
    }
    out.push(hr);
  });
}

/**
 * A redirect of a CORS request must not point at a URL with credentials in it.
 * https://fetch.spec.whatwg.org/#http-redirect-fetch (step "locationURL includes credentials").
 */
export function redirectLocationRule(
  hopIndex: number,
  location: string | null,
  resolved: string | null,
  out: RuleEval[],
): void {
  let hasCredentials = false;
  if (resolved) {
    try {
      const u = new URL(resolved);
      hasCredentials = u.username !== '' || u.password !== '';
    } catch {
      hasCredentials = false;
    }
  }
  const r: RuleEval = {
    row: row(
      'redirect',
      hopIndex,
      'redirect-no-credentials',
      'Location',
      { kind: 'url-without-credentials' },
      'a URL without user name or password',
      location,
      hasCredentials ? 'fail' : 'pass',
      SPEC.redirectFetch,
    ),
  };
  if (hasCredentials) {
    r.chrome = { corsError: 'RedirectContainsCredentials', failedParameter: '' };
    r.firefox = { reason: null, param: '', rank: 7 };
  }
  out.push(r);
}
