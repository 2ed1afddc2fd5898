// The root-cause catalogue: the single source of every cause's title and plain-language text.
// The panel, the exports and docs/causes.md all read from here. A verdict names a cause by code
// (CauseRef.code) and supplies facts that fill the text.
//
// Codes are stable identifiers (exports and saved reports carry them): add new ones, never rename.

import type { CauseRef, Confidence } from './verdict';

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
  /** What evidence makes the engine pick this cause (for docs/causes.md). */
  trigger: string;
}

const entries: CauseEntry[] = [
  { code: 'no-cors-config', kind: 'blocking', title: 'The server does not send CORS headers', explanation: 'The response from {target} has no Access-Control-* headers at all, so the browser does not let the page at {origin} read it. The server (or the proxy in front of it) has no CORS configuration for this route.', trigger: 'No Access-Control-Allow-Origin and no other Access-Control-* header on the failing response.' },
  { code: 'origin-not-allowed', kind: 'blocking', title: 'CORS is configured, but not for {origin}', explanation: 'The server answers with CORS headers, but leaves out Access-Control-Allow-Origin for this page: {origin} is not in its list of allowed origins.', trigger: 'Other Access-Control-* headers or Vary: Origin present without Access-Control-Allow-Origin, or a 400 preflight from a CORS middleware.' },
  { code: 'origin-typo', kind: 'blocking', title: 'The allowed origin is written differently from the page origin', explanation: 'The server allows "{sent}" but the page origin is "{origin}". Origins must match exactly: scheme, host and port, with no path and no trailing slash. Allow "{origin}".', trigger: 'Access-Control-Allow-Origin is a near miss of the request origin (trailing slash, scheme, port, localhost vs 127.0.0.1).' },
  { code: 'invalid-allow-origin', kind: 'blocking', title: 'Access-Control-Allow-Origin is not a valid origin', explanation: 'The server sent Access-Control-Allow-Origin: "{sent}", which is neither "*" nor an origin. Send exactly "{origin}".', trigger: 'Access-Control-Allow-Origin does not parse as an origin.' },
  { code: 'duplicate-allow-origin', kind: 'blocking', title: 'Access-Control-Allow-Origin is sent twice', explanation: 'The response carries several Access-Control-Allow-Origin values ("{sent}"). Usually both a proxy and the application add the header; only one of them should.', trigger: 'Several Access-Control-Allow-Origin lines or a comma-separated value.' },
  { code: 'wildcard-with-credentials', kind: 'blocking', title: 'Wildcard "*" cannot be used with credentials', explanation: 'The request carries credentials (cookies or HTTP auth), and for such requests the browser ignores "*". The server must echo the exact origin {origin} and send Access-Control-Allow-Credentials: true.', trigger: 'A "*" in Access-Control-Allow-Origin (or -Methods/-Headers) on a credentialed request.' },
  { code: 'credentials-not-enabled', kind: 'blocking', title: 'Credentials are not allowed by the server', explanation: 'The request carries credentials, so the response must include Access-Control-Allow-Credentials: true (exactly, lowercase).', trigger: 'Credentialed request and Access-Control-Allow-Credentials missing or not exactly "true".' },
  { code: 'method-not-allowed', kind: 'blocking', title: 'Method {method} is not allowed by the preflight response', explanation: 'Before sending {method}, the browser asked the server with an OPTIONS preflight; the answer did not list {method} in Access-Control-Allow-Methods.', trigger: 'A non-safelisted method missing from Access-Control-Allow-Methods.' },
  { code: 'header-not-allowed', kind: 'blocking', title: 'Request header {header} is not allowed by the preflight response', explanation: 'The page sends the header {header}, which needs permission: the preflight answer did not list it in Access-Control-Allow-Headers.', trigger: 'A non-safelisted request header missing from Access-Control-Allow-Headers.' },
  { code: 'invalid-allow-methods', kind: 'blocking', title: 'Access-Control-Allow-Methods cannot be parsed', explanation: 'The preflight answer sent Access-Control-Allow-Methods: "{sent}", which is not a comma-separated list of methods.', trigger: 'Access-Control-Allow-Methods is not a list of tokens.' },
  { code: 'invalid-allow-headers', kind: 'blocking', title: 'Access-Control-Allow-Headers cannot be parsed', explanation: 'The preflight answer sent Access-Control-Allow-Headers: "{sent}", which is not a comma-separated list of header names.', trigger: 'Access-Control-Allow-Headers is not a list of tokens.' },
  { code: 'preflight-auth', kind: 'blocking', title: 'The server requires authentication on the OPTIONS preflight', explanation: 'The preflight was answered with {status}. Browsers never send cookies or Authorization on a preflight, so an auth check that also runs on OPTIONS always rejects it. Let OPTIONS requests through before authentication.', trigger: '401 or 403 on the preflight.' },
  { code: 'preflight-not-routed', kind: 'blocking', title: 'The server has no route for the OPTIONS preflight', explanation: 'The preflight was answered with {status}: nothing on the server handles OPTIONS for this URL, so no CORS headers come back.', trigger: '404 or 405 on the preflight.' },
  { code: 'preflight-redirected', kind: 'blocking', title: 'The preflight was redirected', explanation: 'The preflight was answered with a redirect to {location}. Browsers never follow redirects on a preflight. Call the final URL directly (often a trailing slash or http→https), or stop the server from redirecting OPTIONS.', trigger: '3xx on the preflight.' },
  { code: 'preflight-bad-status', kind: 'blocking', title: 'The preflight was answered with status {status}', explanation: 'A preflight must be answered with a 2xx status. The server answered {status}.', trigger: 'A non-2xx preflight status not covered by a more specific cause.' },
  { code: 'server-error-without-cors', kind: 'blocking', title: 'Server error {status} without CORS headers — the real problem is a crash', explanation: 'The server failed with {status} and its error response has no CORS headers, so the browser reports a CORS error. Check the server log for the exception; also make error responses carry CORS headers so the page can see them.', trigger: '5xx response without Access-Control-Allow-Origin.' },
  { code: 'redirect-without-cors', kind: 'blocking', title: 'A redirect response has no CORS headers', explanation: 'The request was redirected ({status} to {location}) and the redirect response itself has no valid Access-Control-Allow-Origin. Every hop of a cross-origin redirect must pass the CORS check.', trigger: 'A 3xx hop fails the CORS check.' },
  { code: 'redirect-credentials-in-url', kind: 'blocking', title: 'The redirect target contains credentials', explanation: 'The request was redirected to a URL with a user name or password in it ({location}); browsers refuse that for cross-origin requests.', trigger: 'A cross-origin redirect Location contains userinfo.' },
  { code: 'local-network-access', kind: 'blocking', title: 'Blocked by Local Network Access', explanation: 'A public page tried to reach a local or private address. The server must opt in (Access-Control-Allow-Private-Network / Local Network Access permission) and the page must be served over HTTPS.', trigger: 'A Local/Private Network Access symptom.' },
  { code: 'blocked-unidentified', kind: 'blocking', title: 'Blocked by the browser for a reason CORS Lens could not identify', explanation: 'The browser blocked this request but the headers CORS Lens can see pass every CORS rule it checks. Check the Console for the browser\'s own message.', trigger: 'The browser failed the request and every visible rule passes.' },
  { code: 'unreachable', kind: 'not-cors', title: 'Not CORS: the server could not be reached ({error})', explanation: 'The request never got a response: {error}. The server is down, on another port, or the name does not resolve. The console may still say "CORS", but no CORS rule was involved.', trigger: 'Connection refused/reset, DNS failure, timeout.' },
  { code: 'blocked-by-client', kind: 'not-cors', title: 'Not CORS: blocked by an extension or browser policy', explanation: 'The browser or an extension (ad blocker, privacy tool) cancelled the request before it was sent ({error}).', trigger: 'net::ERR_BLOCKED_BY_CLIENT and similar.' },
  { code: 'mixed-content', kind: 'not-cors', title: 'Not CORS: an HTTPS page requested an HTTP URL', explanation: 'Browsers block insecure (http:) requests from secure (https:) pages. Use https for the API.', trigger: 'Mixed-content block.' },
  { code: 'certificate-error', kind: 'not-cors', title: 'Not CORS: the server\'s TLS certificate was rejected ({error})', explanation: 'The HTTPS connection failed before any CORS check. For local development, trust the certificate (e.g. mkcert) or use http.', trigger: 'net::ERR_CERT_* errors.' },
  { code: 'network-error', kind: 'not-cors', title: 'Not CORS: network error {error}', explanation: 'The request failed with a network error unrelated to CORS.', trigger: 'Any other network error.' },
  { code: 'warn-wildcard-authorization', kind: 'warning', title: 'Access-Control-Allow-Headers "*" does not cover Authorization by the standard', explanation: 'Chrome still allows it (with a deprecation warning) and Firefox warns; list Authorization explicitly before browsers start enforcing the standard.', trigger: 'Access-Control-Allow-Headers: * and an Authorization request header.' },
  { code: 'warn-missing-vary-origin', kind: 'warning', title: 'Access-Control-Allow-Origin echoes the origin without Vary: Origin', explanation: 'Caches may serve a response made for one origin to another. Add Vary: Origin whenever Access-Control-Allow-Origin depends on the request.', trigger: 'A reflected origin without Vary: Origin.' },
  { code: 'warn-reflect-any-origin-credentials', kind: 'warning', title: 'The server seems to allow any origin with credentials', explanation: 'Echoing every Origin back together with Access-Control-Allow-Credentials: true lets any website read your users\' data. Allow a fixed list of origins.', trigger: 'Origin reflected and Access-Control-Allow-Credentials: true.' },
];

export const CAUSES: ReadonlyMap<CauseCode, CauseEntry> = new Map(entries.map((e) => [e.code, e]));

function fill(template: string, facts: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in facts ? facts[k]! : m));
}

export interface CauseText {
  code: string;
  kind: CauseKind;
  title: string;
  explanation: string;
  confidence: Confidence;
}

/** The filled-in text of a cause reference (unknown codes get a neutral text, never a throw). */
export function describeCause(ref: CauseRef): CauseText {
  const entry = CAUSES.get(ref.code as CauseCode);
  if (!entry) return { code: ref.code, kind: 'blocking', title: ref.code, explanation: '', confidence: ref.confidence };
  return { code: entry.code, kind: entry.kind, title: fill(entry.title, ref.facts), explanation: fill(entry.explanation, ref.facts), confidence: ref.confidence };
}
