// The root-cause catalogue: the single source of every cause's title and plain-language text.
// The panel, the exports and docs/causes.md (npm run docs:causes) all read from here. A verdict
// names a cause by code (CauseRef.code) and supplies facts that fill the text.
//
// Codes are stable identifiers (exports and saved reports carry them): add new ones, never rename.
//
// Templates: `{fact}` is replaced by the fact (or a neutral wording when the fact is unknown);
// `[[ … ]]` is an optional segment, kept only when every fact it mentions is known.

import type { CauseRef, Confidence, CorsErrorName } from './verdict';

export const CAUSE_CODES = [
  // blocking causes
  'no-cors-config',
  'origin-not-allowed',
  'origin-typo',
  'invalid-allow-origin',
  'duplicate-allow-origin',
  'wildcard-with-credentials',
  'credentials-not-enabled',
  'method-not-allowed',
  'header-not-allowed',
  'invalid-allow-methods',
  'invalid-allow-headers',
  'preflight-auth',
  'preflight-not-routed',
  'preflight-redirected',
  'preflight-bad-status',
  'server-error-without-cors',
  'redirect-without-cors',
  'redirect-credentials-in-url',
  'local-network-access',
  'blocked-unidentified',
  // not CORS at all
  'unreachable',
  'blocked-by-client',
  'mixed-content',
  'certificate-error',
  'network-error',
  // warnings: allowed today, worth fixing
  'warn-wildcard-authorization',
  'warn-missing-vary-origin',
  'warn-reflect-any-origin-credentials',
  // added by the verdict engine (issue 3)
  'origin-null-after-redirect',
  'allow-origin-list',
  'wildcard-lists-with-credentials',
  'method-case',
  'request-aborted',
  'preflight-without-cors',
  // settled by a Probe (issue 11, src/core/probe)
  'cors-not-on-route',
] as const;
export type CauseCode = (typeof CAUSE_CODES)[number];

export type CauseKind = 'blocking' | 'not-cors' | 'warning';

export interface CauseEntry {
  code: CauseCode;
  kind: CauseKind;
  /** Short title; `{fact}` placeholders are filled from CauseRef.facts. */
  title: string;
  /** Plain-language explanation for whoever owns the server; may use `{fact}` placeholders. */
  explanation: string;
  /** What to change, in one or two sentences. */
  fix: string;
  /** What evidence makes the engine pick this cause (for docs/causes.md). */
  trigger: string;
  /**
   * The symptoms (Chromium CorsError values) this cause can explain. A verdict never pairs a cause
   * with a symptom outside this list. Empty for not-CORS causes and warnings.
   */
  symptoms: readonly CorsErrorName[];
}

const MISSING: CorsErrorName[] = ['MissingAllowOriginHeader', 'PreflightMissingAllowOriginHeader'];
const MISMATCH: CorsErrorName[] = ['AllowOriginMismatch', 'PreflightAllowOriginMismatch'];
const INVALID: CorsErrorName[] = ['InvalidAllowOriginValue', 'PreflightInvalidAllowOriginValue'];
const MULTIPLE: CorsErrorName[] = ['MultipleAllowOriginValues', 'PreflightMultipleAllowOriginValues'];
const LNA: CorsErrorName[] = [
  'InsecureLocalNetwork',
  'InvalidLocalNetworkAccess',
  'LocalNetworkAccessPermissionDenied',
  'InsecurePrivateNetwork',
  'InvalidPrivateNetworkAccess',
  'PrivateNetworkAccessPermissionDenied',
  'UnexpectedPrivateNetworkAccess',
];

const entries: CauseEntry[] = [
  {
    code: 'no-cors-config',
    kind: 'blocking',
    title: 'The server does not send CORS headers',
    explanation:
      'The response from {target} has no Access-Control-* headers at all, so the browser does not let the page at {origin} read it. Either nothing on the server (or the proxy in front of it) adds CORS headers for this route, or a CORS configuration exists but does not list {origin} — some middlewares then add nothing at all, which looks the same from the browser.[[ The server answered the OPTIONS preflight itself (Allow: {allow}), which is what frameworks do when no CORS middleware handles the route.]]',
    fix: 'Enable CORS on the server for this route and allow the origin {origin}: the response must carry Access-Control-Allow-Origin: {origin}. The fix snippet below shows it for your stack.',
    trigger:
      'No Access-Control-Allow-Origin and no other Access-Control-* header (nor Vary: Origin) on the failing response.',
    symptoms: MISSING,
  },
  {
    code: 'origin-not-allowed',
    kind: 'blocking',
    title: 'CORS is configured, but not for {origin}',
    explanation:
      'The server has a CORS configuration, but it does not allow the page origin {origin}.[[ The response carries {present} but no Access-Control-Allow-Origin: most CORS middlewares leave it out for an origin that is not on their list.]][[ It allows only "{allowed}".]]',
    fix: 'Add exactly "{origin}" to the server\'s list of allowed origins (scheme, host and port, no trailing slash).',
    trigger:
      'Other Access-Control-* headers or Vary: Origin without Access-Control-Allow-Origin; a 400 answer to the preflight; or Access-Control-Allow-Origin naming an unrelated origin.',
    symptoms: [...MISSING, ...MISMATCH],
  },
  {
    code: 'origin-typo',
    kind: 'blocking',
    title: 'The allowed origin is written differently from the page origin',
    explanation:
      'The server allows "{sent}" but the page origin is "{requestOrigin}"[[: {difference}]]. Browsers compare origins character by character: scheme, host and port, with no path and no trailing slash.',
    fix: 'Allow "{corrected}" — exactly that string.',
    trigger:
      "Access-Control-Allow-Origin is a near miss of the request origin: trailing slash or path, other scheme, other port, localhost vs 127.0.0.1, letter case, spaces, missing scheme. From the command line (cors-lens probe) also: the server rejects the page origin (no Access-Control-Allow-Origin, or Starlette's 400 preflight) but answers a near variant of it, sent as the Origin, with exactly that variant.",
    // Missing/400: the browser sees no Allow-Origin at all; cors-lens probe proves the near miss by varying the Origin.
    symptoms: [...MISMATCH, ...INVALID, ...MISSING, 'PreflightInvalidStatus'],
  },
  {
    code: 'invalid-allow-origin',
    kind: 'blocking',
    title: 'Access-Control-Allow-Origin is not a valid origin',
    explanation: 'The server sent Access-Control-Allow-Origin: "{sent}", which is neither "*" nor an origin.',
    fix: 'Send exactly "{corrected}" (or "*" for requests without credentials).',
    trigger:
      'Access-Control-Allow-Origin does not parse as an origin (for example a bare host name or an empty value).',
    symptoms: [...INVALID, ...MULTIPLE],
  },
  {
    code: 'duplicate-allow-origin',
    kind: 'blocking',
    title: 'Access-Control-Allow-Origin is sent twice',
    explanation:
      'The response carries {count} Access-Control-Allow-Origin values ("{sent}"). Usually both a proxy (nginx, a gateway) and the application add the header; the browser accepts exactly one.',
    fix: 'Let only one layer add CORS headers: remove them from the proxy configuration or from the application.',
    trigger:
      'Several Access-Control-Allow-Origin header lines (Firefox merges lines before extensions see them: identical comma-separated values there).',
    symptoms: MULTIPLE,
  },
  {
    code: 'allow-origin-list',
    kind: 'blocking',
    title: 'Access-Control-Allow-Origin lists several origins',
    explanation:
      'The server sent the list "{sent}" in one Access-Control-Allow-Origin header. The header takes a single origin; a list is never accepted.',
    fix: 'Keep the list on the server, and send back only the origin that matches the request: "{corrected}".',
    trigger:
      'One Access-Control-Allow-Origin header whose value is a comma- or space-separated list of different origins.',
    symptoms: MULTIPLE,
  },
  {
    code: 'wildcard-with-credentials',
    kind: 'blocking',
    title: 'Wildcard "*" cannot be used with credentials',
    explanation:
      'The request carries credentials (cookies or HTTP authentication: fetch with credentials: "include", or XMLHttpRequest.withCredentials), and for such requests the browser does not accept "*" in {header}.',
    fix: 'Echo the exact origin {origin} instead of "*" and send Access-Control-Allow-Credentials: true — or drop credentials from the request if it does not need cookies.',
    trigger:
      'Access-Control-Allow-Origin "*" on a credentialed request (credentials proven by a Cookie header, or the only assumption that explains the browser\'s failure).',
    symptoms: ['WildcardOriginNotAllowed', 'PreflightWildcardOriginNotAllowed'],
  },
  {
    code: 'wildcard-lists-with-credentials',
    kind: 'blocking',
    title: '"*" in {header} does not count for a request with credentials',
    explanation:
      'For a request that carries credentials, "*" in {header} is read literally, not as a wildcard, so the preflight answer allows nothing.',
    fix: 'List the methods and headers explicitly in {header} (for example "GET, POST, PUT, DELETE" and "Content-Type, Authorization").',
    trigger: 'Access-Control-Allow-Methods or -Headers is "*" and the request is credentialed.',
    symptoms: ['MethodDisallowedByPreflightResponse', 'HeaderDisallowedByPreflightResponse'],
  },
  {
    code: 'credentials-not-enabled',
    kind: 'blocking',
    title: 'Credentials are not allowed by the server',
    explanation:
      'The request carries credentials (cookies or HTTP authentication), so the response must include Access-Control-Allow-Credentials: true — exactly that, in lower case. The server sent {sent}.',
    fix: 'Send Access-Control-Allow-Credentials: true (exactly, lowercase) with the exact origin, or drop credentials from the request.',
    trigger: 'Credentialed request and Access-Control-Allow-Credentials missing or not exactly "true".',
    symptoms: ['InvalidAllowCredentials', 'PreflightInvalidAllowCredentials'],
  },
  {
    code: 'method-not-allowed',
    kind: 'blocking',
    title: 'Method {method} is not allowed by the preflight response',
    explanation:
      'Before sending {method}, the browser asked the server with an OPTIONS preflight; the answer allows only {allowed}.[[ The server even rejected the preflight with {rejectedWith}, which is how Starlette/FastAPI answer a method that is not in allow_methods (whose default is GET only).]]',
    fix: 'Add {method} to the methods the server allows (Access-Control-Allow-Methods in the preflight response).',
    trigger:
      'A method that is not CORS-safelisted, missing from Access-Control-Allow-Methods (or a 400 preflight whose allowed methods lack it).',
    symptoms: ['MethodDisallowedByPreflightResponse', 'PreflightInvalidStatus'],
  },
  {
    code: 'method-case',
    kind: 'blocking',
    title: 'The method "{method}" is not "{listed}": method names are case-sensitive',
    explanation:
      'The page sent the method "{method}" in lower case. fetch() upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT, so "{method}" stays as written, and the server\'s "{listed}" does not match it.',
    fix: 'Write the method in upper case in the page ("{listed}"), or also list "{method}" on the server.',
    trigger: 'Access-Control-Allow-Methods lists the method in another letter case.',
    symptoms: ['MethodDisallowedByPreflightResponse'],
  },
  {
    code: 'header-not-allowed',
    kind: 'blocking',
    title: 'Request header {header} is not allowed by the preflight response',
    explanation:
      "The page sends the header {header}, which needs the server's permission: the preflight answer allows only {allowed}.[[ The server even rejected the preflight with {rejectedWith}, which is how Starlette/FastAPI answer a header that is not in allow_headers.]] (Content-Type: application/json counts as such a header.)",
    fix: 'Add {header} to the headers the server allows (Access-Control-Allow-Headers in the preflight response).',
    trigger:
      'A CORS-unsafe request header missing from Access-Control-Allow-Headers (or a 400 preflight whose allowed headers lack it).',
    symptoms: ['HeaderDisallowedByPreflightResponse', 'PreflightInvalidStatus'],
  },
  {
    code: 'invalid-allow-methods',
    kind: 'blocking',
    title: 'Access-Control-Allow-Methods cannot be parsed',
    explanation:
      'The preflight answer sent Access-Control-Allow-Methods: "{sent}", which is not a comma-separated list of method names.',
    fix: 'Send the methods separated by commas, for example "GET, POST, PUT".',
    trigger: 'Access-Control-Allow-Methods contains something other than comma-separated tokens.',
    symptoms: ['InvalidAllowMethodsPreflightResponse'],
  },
  {
    code: 'invalid-allow-headers',
    kind: 'blocking',
    title: 'Access-Control-Allow-Headers cannot be parsed',
    explanation:
      'The preflight answer sent Access-Control-Allow-Headers: "{sent}", which is not a comma-separated list of header names.',
    fix: 'Send the header names separated by commas, for example "Content-Type, Authorization".',
    trigger: 'Access-Control-Allow-Headers contains something other than comma-separated tokens.',
    symptoms: ['InvalidAllowHeadersPreflightResponse'],
  },
  {
    code: 'preflight-auth',
    kind: 'blocking',
    title: 'The server requires authentication on the OPTIONS preflight',
    explanation:
      'The preflight was answered with {status}. Browsers never send cookies or Authorization on a preflight, so an authentication check that also runs on OPTIONS always rejects it.',
    fix: 'Let OPTIONS requests through before authentication (answer them in the CORS layer).',
    trigger: '401 or 403 on the preflight.',
    symptoms: ['PreflightMissingAllowOriginHeader', 'PreflightInvalidStatus'],
  },
  {
    code: 'preflight-not-routed',
    kind: 'blocking',
    title: 'The server has no route for the OPTIONS preflight',
    explanation:
      'The preflight was answered with {status}: nothing on the server handles OPTIONS for {url}, so no CORS headers come back.',
    fix: 'Let the CORS middleware answer OPTIONS for this route: register it before the routes, and remove hand-written OPTIONS handlers that answer without CORS headers.',
    trigger: '404 or 405 on the preflight.',
    symptoms: ['PreflightMissingAllowOriginHeader', 'PreflightInvalidStatus'],
  },
  {
    code: 'preflight-without-cors',
    kind: 'blocking',
    title: 'The OPTIONS preflight is answered without CORS headers',
    explanation:
      "The preflight got {status}, so something on the server handles OPTIONS for {url} — a hand-written OPTIONS route, a proxy, or a framework default — but its answer has no CORS headers. (FastAPI's CORSMiddleware answers preflights itself; a custom @app.options route only answers them when the middleware is missing.)",
    fix: 'Let the CORS middleware answer preflights (remove the hand-written OPTIONS handler, or add the Access-Control-Allow-* headers to it).',
    trigger: 'A 2xx preflight response without any Access-Control-* header.',
    symptoms: ['PreflightMissingAllowOriginHeader'],
  },
  {
    code: 'preflight-redirected',
    kind: 'blocking',
    title: 'The preflight was redirected ({kind})',
    explanation:
      'The preflight was answered with a redirect to {location}. Browsers never follow redirects on a preflight.',
    fix: 'Call the final URL directly (often a trailing slash or http→https), or stop the server from redirecting OPTIONS requests.',
    trigger: '3xx on the preflight.',
    symptoms: ['PreflightDisallowedRedirect'],
  },
  {
    code: 'preflight-bad-status',
    kind: 'blocking',
    title: 'The preflight was answered with status {status}',
    explanation:
      'A preflight must be answered with a 2xx status. The server answered {status}, although its CORS headers were right.',
    fix: 'Answer OPTIONS with 204 (or 200) and the CORS headers; check the server log for why it answered {status}.',
    trigger:
      'A non-2xx preflight status with a valid Access-Control-Allow-Origin, not covered by a more specific cause.',
    symptoms: ['PreflightInvalidStatus'],
  },
  {
    code: 'server-error-without-cors',
    kind: 'blocking',
    title: 'Server error {status} without CORS headers — the real problem is a crash',
    explanation:
      'The server failed with {status} and its error response has no CORS headers, so the browser reports a CORS error. CORS is a symptom here: the request reached the server and it crashed (FastAPI/Starlette answer an unhandled exception outside the CORS middleware).',
    fix: 'Check the server log for the exception and fix it; make error responses carry CORS headers so the page can see them.',
    trigger: '5xx response without Access-Control-Allow-Origin.',
    symptoms: MISSING,
  },
  {
    code: 'redirect-without-cors',
    kind: 'blocking',
    title: 'A redirect response has no CORS headers',
    explanation:
      'The request was redirected ({status} to {location}) and the redirect response itself has no Access-Control-Allow-Origin. Every hop of a cross-origin redirect must pass the CORS check.',
    fix: 'Add CORS headers to the redirect response too, or call the final URL directly.',
    trigger: 'A 3xx hop without Access-Control-Allow-Origin.',
    symptoms: ['MissingAllowOriginHeader'],
  },
  {
    code: 'origin-null-after-redirect',
    kind: 'blocking',
    title: 'After a cross-origin redirect the request\'s Origin is "null"',
    explanation:
      'The request was redirected from one origin to another, so the browser sent Origin: null to {target} (the Fetch standard hides the page origin after such a hop). The server allows {origin}[[, answered "{sent}"]], but must allow "null".',
    fix: 'Avoid the cross-origin redirect (call {url} directly), or make the final server allow the origin "null" (only safe for public data).',
    trigger: 'A hop after a cross-origin redirect fails because it allows the page origin, not "null".',
    symptoms: [...MISMATCH, ...MISSING],
  },
  {
    code: 'redirect-credentials-in-url',
    kind: 'blocking',
    title: 'The redirect target contains a user name or password',
    explanation:
      'The request was redirected to a URL with credentials in it ({location}); browsers refuse that for cross-origin requests.',
    fix: 'Redirect to a URL without "user:password@", and authenticate with a header or cookie instead.',
    trigger: 'A cross-origin redirect Location contains userinfo.',
    symptoms: ['RedirectContainsCredentials'],
  },
  {
    code: 'local-network-access',
    kind: 'blocking',
    title: 'Blocked by Local Network Access',
    explanation:
      'The page at {origin} reached for a more private address ({target}: this device or the local network). Chrome asks the user for permission first[[ (secure context: {secure})]]; without it (or from a page that is not HTTPS) the request is blocked before it is sent.',
    fix: "Serve the page over HTTPS (or from localhost) and let the user grant the local-network permission; for development, open the page from the same machine's localhost.",
    trigger:
      'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS, or a preflight stopped without any response while the request failed.',
    symptoms: LNA,
  },
  {
    code: 'cors-not-on-route',
    kind: 'blocking',
    title: "CORS allows {origin} on the preflight, but this route's response has no CORS headers",
    explanation:
      "A probe from the page showed that the server's CORS layer answers an OPTIONS preflight for {url} and allows {origin}[[ (status {probeStatus})]], yet the route's own[[ {status}]] response carries no Access-Control-Allow-Origin. The CORS layer does not run for this response: it is registered after the route, scoped to OPTIONS or to other paths, or an error handler answers without it.[[ {advice}]]",
    fix: "Put the CORS layer in front of this route (or give the route's responses the same headers): the response must carry Access-Control-Allow-Origin: {origin}.",
    trigger:
      "A probe's preflight allowed the page origin while the original response (2xx) lacked Access-Control-Allow-Origin.",
    symptoms: ['MissingAllowOriginHeader'],
  },
  {
    code: 'blocked-unidentified',
    kind: 'blocking',
    title: 'Blocked by the browser for a reason CORS Lens could not identify',
    explanation:
      "The browser blocked this request, but the headers CORS Lens can see pass every CORS rule it checks. Check the Console for the browser's own message.",
    fix: 'Compare with the Console message; please report the case to CORS Lens.',
    trigger: 'The browser failed the request and every visible rule passes, or the evidence is incomplete.',
    symptoms: [],
  },
  {
    code: 'unreachable',
    kind: 'not-cors',
    title: 'Not CORS: the server could not be reached ({error})',
    explanation:
      'The request never got a response: {error}. The server is down, listening on another port, or the name does not resolve. The console may still mention CORS, but no CORS rule was involved.',
    fix: "Start the server, or check the URL's host and port ({target}).",
    trigger: 'Connection refused/reset, empty response, DNS failure, timeout.',
    symptoms: [],
  },
  {
    code: 'blocked-by-client',
    kind: 'not-cors',
    title: 'Not CORS: blocked by an extension or browser policy',
    explanation:
      'The browser or an extension (ad blocker, privacy tool) cancelled the request before it was sent ({error}).',
    fix: 'Disable the blocking extension for this site, or rename the URL path it matches (e.g. /ads, /track).',
    trigger: 'net::ERR_BLOCKED_BY_CLIENT and similar.',
    symptoms: [],
  },
  {
    code: 'mixed-content',
    kind: 'not-cors',
    title: 'Not CORS: an HTTPS page requested an HTTP URL',
    explanation: 'Browsers block insecure (http:) requests from secure (https:) pages.',
    fix: 'Use https for the API.',
    trigger: 'Mixed-content block.',
    symptoms: [],
  },
  {
    code: 'certificate-error',
    kind: 'not-cors',
    title: "Not CORS: the server's TLS certificate was rejected ({error})",
    explanation: 'The HTTPS connection to {target} failed before any CORS check.',
    fix: 'For local development, trust the certificate (e.g. with mkcert) or use http; in production, fix the certificate chain.',
    trigger: 'net::ERR_CERT_* / SEC_ERROR_* / SSL_ERROR_* errors.',
    symptoms: [],
  },
  {
    code: 'request-aborted',
    kind: 'not-cors',
    title: 'Not CORS: the request was cancelled ({error})',
    explanation: 'The page cancelled the request (AbortController, a navigation, or a closed tab) before it finished.',
    fix: 'Nothing to fix on the server.',
    trigger: 'net::ERR_ABORTED / NS_BINDING_ABORTED.',
    symptoms: [],
  },
  {
    code: 'network-error',
    kind: 'not-cors',
    title: 'Not CORS: network error {error}',
    explanation: 'The request failed with a network error unrelated to CORS.',
    fix: 'Look the error up; it is not a CORS configuration problem.',
    trigger: 'Any other network error.',
    symptoms: [],
  },
  {
    code: 'warn-wildcard-authorization',
    kind: 'warning',
    title: 'Access-Control-Allow-Headers "*" does not cover Authorization by the standard',
    explanation:
      'Chrome and Firefox still let Authorization through "*" (with a deprecation warning); the Fetch standard excludes it, so this breaks once browsers enforce it.',
    fix: 'List Authorization explicitly: Access-Control-Allow-Headers: Authorization, Content-Type (or "*, Authorization").',
    trigger: 'Access-Control-Allow-Headers: * without Authorization, and an Authorization request header.',
    symptoms: [],
  },
  {
    code: 'warn-missing-vary-origin',
    kind: 'warning',
    title: 'Access-Control-Allow-Origin may depend on the Origin without Vary: Origin',
    explanation:
      "The response allows exactly {origin} and is cacheable, but does not say Vary: Origin. If the server picks the value from the request's Origin, a shared cache may serve this response to another origin, which then fails.",
    fix: 'Add Vary: Origin whenever Access-Control-Allow-Origin depends on the request.',
    trigger:
      'A cacheable response whose Access-Control-Allow-Origin equals the request origin and that has no Vary: Origin.',
    symptoms: [],
  },
  {
    code: 'warn-reflect-any-origin-credentials',
    kind: 'warning',
    title: 'The server seems to allow any origin with credentials',
    explanation:
      'The server echoed the Origin "{origin}" back together with Access-Control-Allow-Credentials: true. Echoing every origin with credentials lets any website read your users\' data.',
    fix: 'Allow a fixed list of origins instead of echoing whatever Origin arrives (in FastAPI, allow_origins=["*"] with allow_credentials=True does exactly that).',
    trigger:
      'Origin "null" reflected with credentials, or a preflight that reflects the origin while the response answers "*" with credentials.',
    symptoms: [],
  },
];

export const CAUSES: ReadonlyMap<CauseCode, CauseEntry> = new Map(entries.map((e) => [e.code, e]));

/** Neutral wording for facts a verdict could not supply, so no `{placeholder}` ever shows. */
const FALLBACK: Record<string, string> = {
  origin: 'the page origin',
  requestOrigin: 'the request origin',
  target: 'the server',
  url: 'this URL',
  method: 'the method',
  header: 'the header',
  status: 'an error status',
  sent: '(missing)',
  corrected: 'the page origin',
  location: 'another URL',
  allowed: 'other values',
  error: 'a network error',
  count: 'several',
  kind: 'a redirect',
};

const MAX_FACT = 300;

function factValue(facts: Record<string, string>, k: string): string | undefined {
  const v = facts[k];
  if (v === undefined) return undefined;
  return v.length > MAX_FACT ? `${v.slice(0, MAX_FACT)}…` : v;
}

/** Fills a catalogue template: optional `[[…]]` segments first, then `{fact}` placeholders. */
export function fillTemplate(template: string, facts: Record<string, string>): string {
  const withSegments = template.replace(/\[\[(.*?)\]\]/g, (_m, seg: string) => {
    const keys = [...seg.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    return keys.every((k) => factValue(facts, k) !== undefined && facts[k] !== '') ? seg : '';
  });
  return withSegments.replace(/\{(\w+)\}/g, (_m, k: string) => factValue(facts, k) ?? FALLBACK[k] ?? '…');
}

export interface CauseText {
  code: string;
  kind: CauseKind;
  title: string;
  /** The whole text for the server's owner: why it happens, then what to change (`why` + `fix`). */
  explanation: string;
  /** Why it happens, without the fix (for views that show the fix separately). */
  why: string;
  /** What to change. */
  fix: string;
  confidence: Confidence;
}

/** The filled-in text of a cause reference (unknown codes get a neutral text, never a throw). */
export function describeCause(ref: CauseRef): CauseText {
  const entry = CAUSES.get(ref.code);
  let facts = ref.facts ?? {};
  // Reports from before the engine named the request's origin only `origin`.
  if (facts.requestOrigin === undefined && facts.origin !== undefined)
    facts = { ...facts, requestOrigin: facts.origin };
  if (facts.corrected === undefined && facts.requestOrigin !== undefined && facts.requestOrigin !== 'null')
    facts = { ...facts, corrected: facts.requestOrigin };
  if (!entry)
    return {
      code: String(ref.code),
      kind: 'blocking',
      title: String(ref.code),
      explanation: '',
      why: '',
      fix: '',
      confidence: ref.confidence,
    };
  const why = fillTemplate(entry.explanation, facts);
  const fix = fillTemplate(entry.fix, facts);
  return {
    code: entry.code,
    kind: entry.kind,
    title: fillTemplate(entry.title, facts),
    explanation: `${why} ${fix}`,
    why,
    fix,
    confidence: ref.confidence,
  };
}

export const CONFIDENCE_TEXT: Record<Confidence, string> = {
  certain: 'certain — read directly off the headers',
  likely: 'likely — the usual reason for this evidence',
  possible: 'possible — the evidence fits, but other explanations exist',
};
