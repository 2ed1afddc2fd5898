// LogEntry → SnippetInput: the facts every stack generator needs, read from the verdict when the
// engine supplies them and re-derived from the exchange's own headers when it does not (so the
// snippets stay correct while the engine is partial, and say so: cause.source = 'derived').

import { countsAsBlocked } from '../outcome';
import { getHeader, headerValues } from '../headers';
import type { LogEntry } from '../log';
import { originOf } from '../origin';
import type { Exchange, Header, Hop, Preflight } from '../types';
import type { Confidence, Symptom, Verdict } from '../verdict';
import { CAUSES, type CauseCode } from '../causes';
import { diagnose } from '../check';
import { failingResponse } from '../exchange';
import { nearMiss } from '../fetch/origin';
import { isRedirectStatus, resolveUrl } from '../http';
import type { CauseInfo, CorsConfig, FixStep, ObservedCors, SnippetInput } from './types';
import { isSafelistedMethod, unsafeRequestHeaders } from '../fetch/safelist';

/** Shown when the page origin is unknown (opaque or not reported); never a wildcard. */
export const ORIGIN_PLACEHOLDER = 'https://your-frontend.example';
/** Preflight cache time we suggest: long enough to spare round trips, short enough to iterate. */
export const DEFAULT_MAX_AGE = 600;

/** Response headers that are readable without exposing (https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name). */
const SAFELISTED_RESPONSE = new Set([
  'cache-control',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
]);
/** x-* response headers that are infrastructure noise, not data a page reads. */
const NOT_WORTH_EXPOSING =
  /^x-(powered-by|frame-options|content-type-options|xss-protection|runtime|aspnet(mvc)?-version|permitted-cross-domain-policies|download-options|dns-prefetch-control|robots-tag|ua-compatible|cache|cache-hits|served-by|timer|middleware-.*|nextjs-.*|vercel-.*|amz-cf-.*)$/;
const EXPOSE_WORTHY = new Set(['etag', 'link', 'content-disposition', 'retry-after', 'content-range', 'location']);

const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** An HTTP token (method or header name). https://httpwg.org/specs/rfc9110.html#tokens */
export function isToken(s: string): boolean {
  return /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/.test(s);
}

/**
 * Splits a comma-separated header list into trimmed items, keeping only tokens (and `*`): values
 * from hostile headers never reach a snippet unless they could be legitimate names.
 */
export function splitList(value: string | null): string[] | null {
  if (value === null) return null;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && s.length <= 100 && isToken(s));
}

function uniq<T>(xs: Iterable<T>): T[] {
  return [...new Set(xs)];
}

export function sortMethods(methods: string[]): string[] {
  const rank = (m: string) => {
    const i = METHOD_ORDER.indexOf(m);
    return i === -1 ? METHOD_ORDER.length : i;
  };
  return uniq(methods).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** A Location resolved against its URL; kept as sent when it does not parse (shown, never fetched). */
function resolveOrRaw(loc: string | null, base: string): string | null {
  return resolveUrl(loc, base) ?? loc;
}

/** A single valid serialized origin (what ACAO may name besides `*` and `null`). */
function isOrigin(v: string): boolean {
  return originOf(v) === v;
}

function observe(headers: Header[] | undefined, from: 'preflight' | 'response'): ObservedCors {
  const acao = headerValues(headers, 'access-control-allow-origin');
  const max = getHeader(headers, 'access-control-max-age');
  const vary = (splitList(getHeader(headers, 'vary')) ?? []).map((v) => v.toLowerCase());
  return {
    from,
    allowOrigin: acao.length ? acao.join(', ') : null,
    allowOriginLines: acao.length,
    allowCredentials: getHeader(headers, 'access-control-allow-credentials'),
    allowMethods: splitList(getHeader(headers, 'access-control-allow-methods')),
    allowHeaders: splitList(getHeader(headers, 'access-control-allow-headers'))?.map((h) => h.toLowerCase()) ?? null,
    exposeHeaders: splitList(getHeader(headers, 'access-control-expose-headers')),
    maxAge: max !== null && /^\d+$/.test(max.trim()) ? Number(max.trim()) : null,
    varyOrigin: vary.includes('origin'),
    anyCors: (headers ?? []).some((h) => h.name.toLowerCase().startsWith('access-control-')),
  };
}

const STEPS: Partial<Record<CauseCode, FixStep[]>> = {
  'server-error-without-cors': ['errors-carry-cors', 'fix-crash'],
  'preflight-auth': ['preflight-before-auth'],
  'preflight-not-routed': ['answer-preflight'],
  'preflight-redirected': ['stop-redirect'],
  'redirect-without-cors': ['redirect-cors'],
  'duplicate-allow-origin': ['single-allow-origin'],
  'wildcard-with-credentials': ['no-wildcard-credentials'],
  'local-network-access': ['private-network'],
};

/** Causes a server config cannot fix: the catalogue's not-CORS causes. */
function notFixableByConfig(code: CauseCode): boolean {
  return CAUSES.get(code)?.kind === 'not-cors';
}

function lastPreflight(preflights: Preflight[]): Preflight | undefined {
  return preflights[preflights.length - 1];
}

/** A derived cause is never surer than "likely": the verdict that was stored did not name it. */
function derivedConfidence(c: Confidence): Confidence {
  return c === 'certain' ? 'likely' : c;
}

function credentialsNeed(
  v: Verdict,
  cookie: boolean,
  observedAcac: string | null,
  causeCode: CauseCode | undefined,
): SnippetInput['credentials'] {
  if (v.credentials === 'include' || cookie) return 'yes';
  if (causeCode === 'wildcard-with-credentials' || causeCode === 'credentials-not-enabled') return 'yes';
  const inc = v.branches?.find((b) => b.assumption === 'credentials-include');
  const omit = v.branches?.find((b) => b.assumption === 'credentials-omit');
  // The browser blocked it, and only the credentialed reading fails: so it was credentialed.
  if (countsAsBlocked(v.outcome) && inc?.outcome === 'blocked' && omit?.outcome === 'pass') return 'yes';
  // The server already allows credentials: keep them, a fix must not take them away.
  if (observedAcac === 'true') return 'yes';
  if (v.credentials === 'not-include') return 'no';
  return inc && omit && inc.outcome !== omit.outcome ? 'maybe' : 'no';
}

function mergeList(
  current: string[] | null,
  needed: string[],
  creds: boolean,
  fresh: string[],
): { list: string[]; added: string[] } {
  const base = current && current.length ? current : fresh;
  // `*` is no wildcard for credentialed requests: list the names instead.
  const kept = creds ? base.filter((x) => x !== '*') : base;
  const covered = (x: string) => kept.includes(x) || (kept.includes('*') && x !== 'authorization');
  const added = needed.filter((x) => !covered(x));
  return { list: uniq([...kept, ...added]), added };
}

/** Whether a server config can fix this entry: not pending, not a not-CORS failure, not a clean pass. */
function fixableByConfig(v: Verdict): boolean {
  if (v.outcome === 'pending' || v.outcome === 'not-cors') return false;
  if (v.cause && notFixableByConfig(v.cause.code)) return false;
  return !(v.outcome === 'pass' && v.warnings.length === 0);
}

/** Where the request went and from which page. */
function placeOf(ex: Exchange, lastHop: Hop | undefined) {
  const pageOrigin = ex.pageOrigin && originOf(ex.pageOrigin) === ex.pageOrigin ? ex.pageOrigin : null;
  const url = lastHop?.url ?? ex.url;
  let path = '/';
  try {
    path = new URL(url).pathname.replace(/[^\x21-\x7e]/g, '');
  } catch {}
  return { pageOrigin, origin: pageOrigin ?? ORIGIN_PLACEHOLDER, url, target: originOf(url) ?? url, path };
}

/** What the preflight asked for; without a preflight on the wire, what the request itself carries. */
function requestNeeds(ex: Exchange, v: Verdict) {
  const pre = lastPreflight(ex.preflights);
  const acrm = pre ? getHeader(pre.hop.requestHeaders, 'access-control-request-method') : null;
  const acrh = pre ? splitList(getHeader(pre.hop.requestHeaders, 'access-control-request-headers')) : null;
  const actualHeaders = ex.hops.find((h) => h.requestHeaders)?.requestHeaders ?? [];
  // The Fetch safelist (one source: src/core/fetch/safelist.ts) decides which headers need permission.
  const requestHeaders = uniq(
    (
      acrh ??
      unsafeRequestHeaders(actualHeaders)
        .map((h) => h.name)
        .filter(isToken)
    ).map((h) => h.toLowerCase()),
  ).sort();
  const requestMethod = [acrm?.trim(), ex.method].find((m) => m && isToken(m)) ?? 'GET';
  const preflight = !!pre || v.preflight.needed === true || !isSafelistedMethod(ex.method) || requestHeaders.length > 0;
  const cookie = actualHeaders.some((h) => h.name.toLowerCase() === 'cookie');
  return { pre, requestHeaders, requestMethod, preflight, cookie };
}

/**
 * Root cause and symptom: the verdict's. A stored verdict that lacks them (a report from an older
 * engine, a hand-built entry) is judged again by the same engine: one CORS judgement, not two.
 */
function causeOf(ex: Exchange, v: Verdict): { cause: CauseInfo | null; symptom: Symptom | undefined } {
  const judged = countsAsBlocked(v.outcome) && (!v.cause || !v.symptom) ? diagnose(ex) : v;
  let cause: CauseInfo | null = null;
  if (v.cause) cause = { code: v.cause.code, source: 'engine', confidence: v.cause.confidence };
  else if (judged.outcome === 'blocked' && judged.cause && judged.cause.code !== 'blocked-unidentified') {
    cause = { code: judged.cause.code, source: 'derived', confidence: derivedConfidence(judged.cause.confidence) };
  }
  return { cause, symptom: v.symptom ?? judged.symptom };
}

/**
 * The response the symptom is about, and how it reached the browser (a hop before the last, or
 * a 3xx, is a redirect).
 */
function failurePoint(ex: Exchange, v: Verdict, symptom: Symptom | undefined) {
  const failed = countsAsBlocked(v.outcome) && symptom ? failingResponse(ex, symptom) : undefined;
  let stage: SnippetInput['stage'] = null;
  if (symptom && symptom.stage !== 'request') {
    if (symptom.stage === 'preflight' || symptom.stage === 'redirect') stage = symptom.stage;
    else
      stage = symptom.hopIndex < ex.hops.length - 1 || isRedirectStatus(failed?.statusCode) ? 'redirect' : 'response';
  }
  const status = failed?.statusCode ?? null;
  const location = failed ? resolveOrRaw(getHeader(failed.responseHeaders, 'location'), failed.url) : null;
  return { stage, status, location };
}

/**
 * The responses whose headers show the current config. Allow-lists (methods, headers, max-age)
 * live on the preflight; origin, credentials and expose-headers on whichever response failed.
 * A crash page or a bare redirect says nothing about the CORS config, so fall back to the preflight.
 */
function observedCors(pre: Preflight | undefined, lastHop: Hop | undefined, stage: SnippetInput['stage']) {
  const useful = (o: ObservedCors | null) => (o && o.anyCors ? o : null);
  const obsPre = useful(pre && pre.hop.statusCode !== undefined ? observe(pre.hop.responseHeaders, 'preflight') : null);
  const obsResp = useful(
    lastHop && lastHop.statusCode !== undefined ? observe(lastHop.responseHeaders, 'response') : null,
  );
  return { lists: obsPre, observed: stage === 'preflight' ? obsPre : (obsResp ?? obsPre) };
}

/**
 * Current origins: a valid single ACAO that is not the page's (keep it: another front end), minus
 * near-misses of the page origin (the typo being fixed) and wildcards (never with credentials).
 */
function originsToAllow(observed: ObservedCors | null, origin: string, creds: boolean) {
  const acao = observed?.allowOrigin?.trim() ?? null;
  const current: string[] = [];
  let otherOrigins = false;
  if (acao !== null && observed!.allowOriginLines === 1 && !acao.includes(',')) {
    if (acao === '*') current.push('*');
    else if (isOrigin(acao)) current.push(acao);
  } else if (observed && acao === null) {
    // CORS is configured but says nothing for this origin: the allow-list has other entries.
    otherOrigins = true;
  }
  const fixed = uniq([
    ...current.filter((o) => o !== '*' && o !== origin && nearMiss(o, origin) === null && !(creds && o === '*')),
    origin,
  ]);
  return { current, otherOrigins, fixed };
}

/** Response headers the page can read only if exposed (visible on the actual response only). */
function exposeNeeds(lastHop: Hop | undefined, creds: boolean) {
  const respHeaders = lastHop?.responseHeaders ?? [];
  const candidates = respHeaders
    .map((h) => h.name.toLowerCase())
    .filter(
      (n) =>
        isToken(n) &&
        !SAFELISTED_RESPONSE.has(n) &&
        !n.startsWith('access-control-') &&
        ((n.startsWith('x-') && !NOT_WORTH_EXPOSING.test(n)) || EXPOSE_WORTHY.has(n)),
    )
    .filter((n) => !(n === 'location' && !isRedirectStatus(lastHop?.statusCode)));
  const current = (observe(respHeaders, 'response').exposeHeaders ?? []).map((x) => x.toLowerCase());
  return { current, merged: mergeList(current, uniq(candidates), creds, []) };
}

type Merged = ReturnType<typeof mergeList>;

/**
 * The current config, when the responses reveal it well enough to diff against (a valid ACAO).
 * A preflight answer without the Allow-Methods / Allow-Headers this request needs hides the
 * server's lists (flask-cors and others omit them when the request is not allowed): a diff
 * against an empty list would patch a line the user's config does not have, so offer none.
 */
function currentConfig(
  obs: { lists: ObservedCors | null; observed: ObservedCors | null },
  origins: string[],
  m: Merged,
  hd: Merged,
  currentExpose: string[],
  maxAge: number,
): CorsConfig | null {
  const { lists, observed } = obs;
  const hiddenLists =
    lists !== null &&
    ((lists.allowMethods === null && m.added.length > 0) || (lists.allowHeaders === null && hd.added.length > 0));
  if (!observed || origins.length !== 1 || hiddenLists) return null;
  return {
    origins,
    otherOrigins: false,
    methods: sortMethods(lists ? (lists.allowMethods ?? []) : m.list.filter((x) => !m.added.includes(x))),
    headers: [...(lists ? (lists.allowHeaders ?? []) : hd.list.filter((x) => !hd.added.includes(x)))].sort(),
    credentials: observed.allowCredentials === 'true',
    exposeHeaders: [...currentExpose].sort(),
    maxAge: lists?.maxAge ?? maxAge,
  };
}

/** The redirect target: the failed response's, the preflight's, or for a redirect cause the hop's. */
function locationOf(
  failure: ReturnType<typeof failurePoint>,
  pre: Preflight | undefined,
  lastHop: Hop | undefined,
  cause: CauseInfo | null,
  url: string,
): string | null {
  const location = failure.location ?? pre?.redirectedTo ?? null;
  if (location !== null) return location;
  if (cause?.code !== 'preflight-redirected' && cause?.code !== 'redirect-without-cors') return null;
  return resolveOrRaw(
    getHeader((failure.stage === 'preflight' ? pre?.hop : lastHop)?.responseHeaders, 'location'),
    url,
  );
}

/**
 * The snippet input for one log entry, or null when no server config can fix it: the request
 * passed with nothing to warn about, is still pending, or failed for a reason that is not CORS.
 */
export function buildSnippetInput(entry: LogEntry): SnippetInput | null {
  const { exchange: ex, verdict: v } = entry;
  if (!fixableByConfig(v)) return null;
  const lastHop = ex.hops[ex.hops.length - 1];
  const { pageOrigin, origin, url, target, path } = placeOf(ex, lastHop);
  const { pre, requestHeaders, requestMethod, preflight, cookie } = requestNeeds(ex, v);
  const { cause, symptom } = causeOf(ex, v);
  const failure = failurePoint(ex, v, symptom);
  const obs = observedCors(pre, lastHop, failure.stage);
  const lists = obs.lists;

  const credentials = credentialsNeed(v, cookie, obs.observed?.allowCredentials ?? null, cause?.code);
  const creds = credentials === 'yes';
  const origins = originsToAllow(obs.observed, origin, creds);
  const neededMethods = uniq([requestMethod]).filter((m) => m !== 'OPTIONS');
  const m = mergeList(lists?.allowMethods ?? null, neededMethods, creds, ['GET', 'POST']);
  const hd = mergeList(lists?.allowHeaders ?? null, requestHeaders, creds, []);
  const expose = exposeNeeds(lastHop, creds);
  const maxAge = lists?.maxAge && lists.maxAge > 0 ? lists.maxAge : DEFAULT_MAX_AGE;
  const config: CorsConfig = {
    origins: origins.fixed,
    otherOrigins: origins.otherOrigins,
    methods: sortMethods(m.list),
    headers: hd.list.sort(),
    credentials: creds,
    exposeHeaders: expose.merged.list.sort(),
    maxAge,
  };
  const current = currentConfig(obs, origins.current, m, hd, expose.current, maxAge);

  return {
    origin,
    originKnown: pageOrigin !== null,
    target,
    url,
    path,
    method: isToken(ex.method) ? ex.method : requestMethod,
    preflight,
    requestMethods: neededMethods,
    requestHeaders,
    credentials,
    cause,
    stage: failure.stage,
    status:
      failure.status ?? (failure.stage === 'preflight' ? (pre?.hop.statusCode ?? null) : (lastHop?.statusCode ?? null)),
    location: locationOf(failure, pre, lastHop, cause, url),
    observed: obs.observed,
    current,
    config,
    added: {
      origins: current ? config.origins.filter((o) => !current.origins.includes(o)) : config.origins,
      methods: m.added,
      headers: hd.added,
      credentials: creds && !(current?.credentials ?? false),
      exposeHeaders: expose.merged.added,
    },
    steps: [...((cause && STEPS[cause.code]) ?? [])],
    // A crash page carries no CORS headers at all: the config itself is unknown, errors must carry it.
    warnings: uniq(v.warnings.map((w) => w.code)),
  };
}
