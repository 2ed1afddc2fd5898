// Walks one linked exchange the way the browser processed it — for each hop of the redirect chain:
// the preflight (if the request needed one), then the response — evaluating every rule and
// stopping where the browser would have stopped. One walk per credentials assumption.
import { getHeader } from '../headers';
import { originOf as originOfUncached } from '../origin';
import type { BrowserName, Exchange, Hop } from '../types';
import type { EvidenceRow, Verdict } from '../verdict';
import { preflightFor } from '../exchange';
import type { RuleId } from '../rule-ids';
import { isRedirectStatus, resolveUrl } from '../http';
import {
  accessRules,
  preflightListRules,
  preflightRedirectRule,
  preflightStatusRule,
  redirectLocationRule,
  type ChromeFailure,
  type FirefoxFailure,
  type RuleEval,
} from './rules';
import { isSafelistedMethod, parseRequestHeaderList, unsafeRequestHeaders } from './safelist';
import { SPEC } from './spec';
import { clip } from './tokens';

/** originOf with a small cache: the same few URLs come back for every hop and assumption. */
const originCache = new Map<string, string | null>();
export { originOf as cachedOriginOf };
function originOf(url: string): string | null {
  let o = originCache.get(url);
  if (o === undefined) {
    o = originOfUncached(url);
    if (originCache.size > 512) originCache.clear();
    originCache.set(url, o);
  }
  return o;
}

const NO_NAMES: ReadonlySet<string> & { add(v: string): unknown } = new Set<string>();

export interface StageEval {
  stage: 'preflight' | 'response';
  hopIndex: number;
  rules: RuleEval[];
}

/** Why a walk stopped before reaching a decision. */
export type WalkGap =
  /** The preflight ended in a network error without a response. */
  | 'preflight-network-error'
  /** The preflight has not answered yet. */
  | 'preflight-pending'
  /** The request needed a preflight, none was seen, and the request itself never went out. */
  | 'request-not-sent'
  /** The response (of the last hop reached) has not arrived. */
  | 'no-response'
  /** A redirect whose next hop has not been seen. */
  | 'redirect-pending';

export interface Failure {
  stage: StageEval;
  decisive: RuleEval;
  chrome: ChromeFailure | null;
  firefox: FirefoxFailure | null;
}

export interface Walk {
  include: boolean;
  /** Whether explanatory rows and reasons were built (see walk()'s `detail`). */
  detailed: boolean;
  outcome: 'pass' | 'blocked' | 'incomplete';
  gap?: WalkGap;
  /** Evidence rows in the order they were checked (request info, then per hop preflight/response). */
  rows: EvidenceRow[];
  stages: StageEval[];
  failure?: Failure;
  preflight: Verdict['preflight'];
  /** The hop the walk ended on. */
  hopIndex: number;
  /** The Origin the browser sent on that hop ("null" after a cross-origin redirect). */
  requestOrigin: string;
  tainted: boolean;
  /** CORS-unsafe request header names of the last hop (lower-case). */
  unsafeNames: string[];
  /** Memo of the symptom this walk ends with (null: none), filled by the engine. */
  symptom?: import('../verdict').Symptom | null;
}

function failsFor(browser: BrowserName, rules: RuleEval[]): boolean {
  for (const r of rules) if (browser === 'chrome' ? r.chrome : r.firefox) return true;
  return false;
}

function failureOf(browser: BrowserName, stage: StageEval): Failure {
  let firstChrome: RuleEval | undefined;
  let firstFirefox: RuleEval | undefined;
  for (const r of stage.rules) {
    if (r.chrome && !firstChrome) firstChrome = r;
    if (r.firefox && (!firstFirefox || r.firefox.rank < firstFirefox.firefox!.rank)) firstFirefox = r;
  }
  const decisive = (browser === 'chrome' ? firstChrome : firstFirefox)!;
  return { stage, decisive, chrome: firstChrome?.chrome ?? null, firefox: firstFirefox?.firefox ?? null };
}

function info(
  stage: EvidenceRow['stage'],
  hopIndex: number,
  rule: RuleId,
  field: string,
  needed: string,
  sent: string | null,
  spec: string,
  subject?: string,
): EvidenceRow {
  const r: EvidenceRow = { stage, rule, field, needed, sent, result: 'info', spec, hopIndex };
  if (subject !== undefined) r.subject = subject;
  return r;
}

/**
 * Whether the browser demonstrably got past the point where the walk failed: it sent the actual
 * request after the preflight (Chrome announces it only then), received the response after it
 * (both browsers), or followed the redirect to a next hop. Such a walk cannot be what happened.
 */
export function contradictedByProgress(ex: Exchange, w: Walk, browser: BrowserName): boolean {
  const f = w.failure;
  if (!f) return false;
  const i = f.stage.hopIndex;
  const hop = ex.hops[i];
  if (!hop) return false;
  const next = ex.hops[i + 1];
  if (next && (next.requestHeaders !== undefined || next.statusCode !== undefined)) return true;
  if (f.stage.stage === 'preflight') {
    if (hop.statusCode !== undefined) return true;
    if (browser === 'chrome' && hop.requestHeaders !== undefined) return true;
  }
  return false;
}

/**
 * Walks the exchange under one credentials assumption. With `detail` false only the decision is
 * computed (no explanatory rows or reasons): the engine decides between assumptions with cheap
 * walks and details only the one it reports.
 */
export function walk(ex: Exchange, include: boolean, browser: BrowserName, detail = true): Walk {
  const pageOrigin = ex.pageOrigin ?? 'null';
  const w: Walk = {
    include,
    detailed: detail,
    outcome: 'incomplete',
    rows: [],
    stages: [],
    preflight: { needed: 'unknown', reasons: [], seen: false, fromCache: false },
    hopIndex: 0,
    requestOrigin: pageOrigin,
    tainted: false,
    unsafeNames: [],
  };
  let corsFlag = false;
  let tainted = false;
  const hops = ex.hops;
  for (let i = 0; i < hops.length; i++) {
    const hop: Hop = hops[i]!;
    const hopOrigin = originOf(hop.url);
    w.hopIndex = i;
    if (!corsFlag) corsFlag = hopOrigin !== pageOrigin;
    const requestOrigin = tainted ? 'null' : pageOrigin;
    w.requestOrigin = requestOrigin;
    w.tainted = tainted;
    if (!corsFlag) {
      // Same-origin hops are not CORS-checked; only a redirect onwards matters.
      if (isRedirectStatus(hop.statusCode) && i + 1 < hops.length) continue;
      w.outcome = hop.statusCode === undefined ? 'incomplete' : 'pass';
      if (hop.statusCode === undefined) w.gap = 'no-response';
      return w;
    }
    if (detail && tainted && i > 0) {
      w.rows.push(info('request', i, 'origin-after-redirect', 'Origin', 'the page origin', 'null', SPEC.taintedOrigin));
    }

    // Does this hop need a preflight? The preflight's own Access-Control-Request-Headers is what
    // the browser asked; the request's headers (when seen) say why.
    const pf = preflightFor(ex, i);
    const method = hop.method;
    const fromRequest = hop.requestHeaders ? unsafeRequestHeaders(hop.requestHeaders) : null;
    const acrhValue = pf ? getHeader(pf.hop.requestHeaders, 'access-control-request-headers') : null;
    const unsafeNames = pf ? parseRequestHeaderList(acrhValue) : (fromRequest?.map((u) => u.name) ?? []);
    w.unsafeNames = unsafeNames;
    const methodUnsafe = !isSafelistedMethod(method) || method !== method.toUpperCase();
    const needed = methodUnsafe || unsafeNames.length > 0 || pf !== undefined;
    const reasons: string[] = [];
    if (detail && methodUnsafe) {
      const why = isSafelistedMethod(method)
        ? ` (method names are case-sensitive: "${method}" is not "${method.toUpperCase()}")`
        : '';
      reasons.push(`method ${method} is not CORS-safelisted (GET, HEAD, POST)${why}`);
      w.rows.push(
        info(
          'request',
          i,
          'preflight-needed',
          'method',
          'GET, HEAD or POST for no preflight',
          method,
          SPEC.safelistedMethod,
          method,
        ),
      );
    }
    const seenNames = detail ? new Set<string>() : NO_NAMES;
    for (const u of detail ? (fromRequest ?? []) : []) {
      if (pf && !unsafeNames.includes(u.name)) continue;
      seenNames.add(u.name);
      reasons.push(`header ${u.name}: ${u.reason}`);
      const value = hop.requestHeaders!.find((h) => h.name.toLowerCase() === u.name)?.value ?? '';
      w.rows.push(
        info(
          'request',
          i,
          'preflight-needed',
          u.name,
          'CORS-safelisted header (or a preflight)',
          clip(value, 300),
          SPEC.safelistedHeader,
          u.name,
        ),
      );
    }
    for (const name of detail ? unsafeNames : []) {
      if (seenNames.has(name)) continue;
      reasons.push(
        name === 'content-type'
          ? 'header content-type: its value is not one of application/x-www-form-urlencoded, multipart/form-data, text/plain'
          : `header ${name} is not CORS-safelisted`,
      );
      w.rows.push(
        info(
          'request',
          i,
          'preflight-needed',
          name,
          'CORS-safelisted header (or a preflight)',
          null,
          SPEC.unsafeNames,
          name,
        ),
      );
    }
    w.preflight = { needed, reasons, seen: pf !== undefined, fromCache: false };

    if (needed) {
      if (pf) {
        if (pf.hop.statusCode === undefined) {
          w.gap = pf.state === 'error' ? 'preflight-network-error' : 'preflight-pending';
          if (pf.state === 'error') {
            w.rows.push({
              stage: 'preflight',
              rule: 'preflight-response',
              field: 'network',
              needed: 'a response to the OPTIONS preflight',
              sent: pf.error ?? null,
              result: 'fail',
              spec: SPEC.preflightFetch,
              hopIndex: i,
            });
          }
          return w;
        }
        const rules: RuleEval[] = [];
        const location = getHeader(pf.hop.responseHeaders, 'location');
        // The browser compares Access-Control-Allow-Origin with the Origin it sent. After a
        // cross-origin redirect Chrome's preflight says "null" (as the standard asks) but Firefox's
        // still carries the page origin — the header on the wire settles it.
        const pfOrigin = getHeader(pf.hop.requestHeaders, 'origin') ?? requestOrigin;
        w.requestOrigin = pfOrigin;
        const redirected = preflightRedirectRule(i, pf.hop.statusCode, location, rules);
        // Chromium refuses a redirected preflight at once (the redirect rule comes first); Firefox
        // checks Access-Control-Allow-Origin on the 3xx before refusing the redirect, so a 3xx
        // without it is CORSMissingAllowOrigin there (the redirect rule ranks after the origin rules).
        accessRules('preflight', i, pf.hop.responseHeaders, pfOrigin, include, rules);
        if (!redirected) {
          preflightStatusRule(i, pf.hop.statusCode, rules);
          preflightListRules(i, pf.hop.responseHeaders, method, unsafeNames, include, rules);
        }
        const stage: StageEval = { stage: 'preflight', hopIndex: i, rules };
        w.stages.push(stage);
        if (detail) for (const r of rules) w.rows.push(r.row);
        if (failsFor(browser, rules)) {
          w.outcome = 'blocked';
          w.failure = failureOf(browser, stage);
          return w;
        }
      } else if (hop.requestHeaders !== undefined || hop.statusCode !== undefined) {
        // The request went out without an OPTIONS on the wire: the browser reused a cached
        // preflight result (only successful preflights are cached).
        w.preflight.fromCache = true;
        if (detail)
          w.rows.push(
            info(
              'preflight',
              i,
              'preflight-cache',
              'preflight',
              'an OPTIONS preflight, or a cached preflight result',
              'answered from the preflight cache (no OPTIONS request was sent)',
              SPEC.preflightCache,
            ),
          );
      } else {
        w.gap = 'request-not-sent';
        return w;
      }
    }

    if (hop.statusCode === undefined) {
      w.gap = 'no-response';
      return w;
    }
    const rules: RuleEval[] = [];
    const sentOrigin = getHeader(hop.requestHeaders, 'origin') ?? requestOrigin;
    w.requestOrigin = sentOrigin;
    accessRules('response', i, hop.responseHeaders, sentOrigin, include, rules);
    const redirect = isRedirectStatus(hop.statusCode);
    let next: string | null = null;
    if (redirect) {
      const location = getHeader(hop.responseHeaders, 'location');
      next = hops[i + 1]?.url ?? resolveUrl(location, hop.url);
      redirectLocationRule(i, location, resolveUrl(location, hop.url), rules);
    }
    const stage: StageEval = { stage: 'response', hopIndex: i, rules };
    w.stages.push(stage);
    if (detail) for (const r of rules) w.rows.push(r.row);
    if (failsFor(browser, rules)) {
      w.outcome = 'blocked';
      w.failure = failureOf(browser, stage);
      return w;
    }
    if (redirect) {
      // https://fetch.spec.whatwg.org/#concept-request-tainted-origin
      if (next !== null && originOf(next) !== hopOrigin && pageOrigin !== hopOrigin) tainted = true;
      if (i === hops.length - 1) {
        w.gap = 'redirect-pending';
        return w;
      }
      continue;
    }
    w.outcome = 'pass';
    return w;
  }
  return w;
}
