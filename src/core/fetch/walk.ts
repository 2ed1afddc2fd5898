// Walks one linked exchange the way the browser processed it — for each hop of the redirect chain:
// the preflight (if the request needed one), then the response — evaluating every rule and
// stopping where the browser would have stopped. One walk per credentials assumption.
import { getHeader } from '../headers';
import { originOf as originOfUncached } from '../origin';
import type { BrowserName, Exchange, Hop, Preflight } from '../types';
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
 * What a walk reads of one hop that does not depend on the credentials assumption: gathered once
 * per diagnosis and shared by the walks under both assumptions (and their explanatory rows, which
 * are the same under both: only the rules' rows differ).
 */
interface HopFacts {
  origin: string | null;
  preflight: Preflight | undefined;
  /** CORS-unsafe request header names (lower-case): the preflight's own list when one was sent. */
  unsafeNames: string[];
  methodUnsafe: boolean;
  /** Whether the Fetch rules require a preflight for this hop. */
  needed: boolean;
  /** Why a preflight is needed, in words, and the rows that show it (built on first detailed use). */
  reasons?: string[];
  rows?: EvidenceRow[];
}

/**
 * Per-diagnosis memo of hop facts. Create one per exchange and pass it to every walk of that
 * exchange; it holds rows, so it must not outlive the verdict they go into.
 */
export class WalkContext {
  private readonly hops: Array<HopFacts | undefined> = [];
  constructor(readonly ex: Exchange) {}

  hop(i: number): HopFacts {
    return (this.hops[i] ??= hopFacts(this.ex, i));
  }

  /** The reasons and rows that say why hop `i` needs a preflight (shared by both walks). */
  preflightReasons(i: number): { reasons: string[]; rows: EvidenceRow[] } {
    const f = this.hop(i);
    if (!f.reasons || !f.rows) {
      f.reasons = [];
      f.rows = [];
      explainPreflightNeed(this.ex.hops[i]!, i, f, f.reasons, f.rows);
    }
    return { reasons: f.reasons, rows: f.rows };
  }
}

function hopFacts(ex: Exchange, i: number): HopFacts {
  const hop = ex.hops[i]!;
  // Does this hop need a preflight? The preflight's own Access-Control-Request-Headers is what
  // the browser asked; the request's headers (when seen) say why.
  const pf = preflightFor(ex, i);
  const method = hop.method;
  const unsafeNames = pf
    ? parseRequestHeaderList(getHeader(pf.hop.requestHeaders, 'access-control-request-headers'))
    : hop.requestHeaders
      ? unsafeRequestHeaders(hop.requestHeaders).map((u) => u.name)
      : [];
  const methodUnsafe = !isSafelistedMethod(method) || method !== method.toUpperCase();
  return {
    origin: originOf(hop.url),
    preflight: pf,
    unsafeNames,
    methodUnsafe,
    needed: methodUnsafe || unsafeNames.length > 0 || pf !== undefined,
  };
}

/** The rows (and reasons) that say why a hop needs a preflight: its method, then its headers. */
function explainPreflightNeed(hop: Hop, i: number, f: HopFacts, reasons: string[], rows: EvidenceRow[]): void {
  const method = hop.method;
  const pf = f.preflight;
  const unsafeNames = f.unsafeNames;
  if (f.methodUnsafe) {
    const why = isSafelistedMethod(method)
      ? ` (method names are case-sensitive: "${method}" is not "${method.toUpperCase()}")`
      : '';
    reasons.push(`method ${method} is not CORS-safelisted (GET, HEAD, POST)${why}`);
    rows.push(
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
  const seenNames = new Set<string>();
  const fromRequest = hop.requestHeaders ? unsafeRequestHeaders(hop.requestHeaders) : null;
  for (const u of fromRequest ?? []) {
    if (pf && !unsafeNames.includes(u.name)) continue;
    seenNames.add(u.name);
    reasons.push(`header ${u.name}: ${u.reason}`);
    const value = hop.requestHeaders!.find((h) => h.name.toLowerCase() === u.name)?.value ?? '';
    rows.push(
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
  for (const name of unsafeNames) {
    if (seenNames.has(name)) continue;
    reasons.push(
      name === 'content-type'
        ? 'header content-type: its value is not one of application/x-www-form-urlencoded, multipart/form-data, text/plain'
        : `header ${name} is not CORS-safelisted`,
    );
    rows.push(
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
}

/** Ends the walk as blocked when the stage's rules fail for this browser; true when it did. */
function judgeStage(w: Walk, browser: BrowserName, stage: StageEval, detail: boolean): boolean {
  w.stages.push(stage);
  if (detail) for (const r of stage.rules) w.rows.push(r.row);
  if (!failsFor(browser, stage.rules)) return false;
  w.outcome = 'blocked';
  w.failure = failureOf(browser, stage);
  return true;
}

/**
 * The preflight of hop `i` (or the cached result that stood for it). Returns true when the walk
 * ends here (blocked, or a gap).
 */
function preflightStage(
  w: Walk,
  ctx: WalkContext,
  i: number,
  requestOrigin: string,
  browser: BrowserName,
  detail: boolean,
): boolean {
  const hop = ctx.ex.hops[i]!;
  const f = ctx.hop(i);
  const pf = f.preflight;
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
      return true;
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
    accessRules('preflight', i, pf.hop.responseHeaders, pfOrigin, w.include, rules);
    if (!redirected) {
      preflightStatusRule(i, pf.hop.statusCode, rules);
      preflightListRules(i, pf.hop.responseHeaders, hop.method, f.unsafeNames, w.include, rules);
    }
    return judgeStage(w, browser, { stage: 'preflight', hopIndex: i, rules }, detail);
  }
  if (hop.requestHeaders !== undefined || hop.statusCode !== undefined) {
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
    return false;
  }
  w.gap = 'request-not-sent';
  return true;
}

/** What the response of hop `i` decided: 'stop' (blocked or a gap), 'pass', or the redirect's next URL. */
function responseStage(
  w: Walk,
  ctx: WalkContext,
  i: number,
  requestOrigin: string,
  browser: BrowserName,
  detail: boolean,
): 'stop' | 'pass' | { next: string | null } {
  const hops = ctx.ex.hops;
  const hop = hops[i]!;
  if (hop.statusCode === undefined) {
    w.gap = 'no-response';
    return 'stop';
  }
  const rules: RuleEval[] = [];
  const sentOrigin = getHeader(hop.requestHeaders, 'origin') ?? requestOrigin;
  w.requestOrigin = sentOrigin;
  accessRules('response', i, hop.responseHeaders, sentOrigin, w.include, rules);
  const redirect = isRedirectStatus(hop.statusCode);
  let next: string | null = null;
  if (redirect) {
    const location = getHeader(hop.responseHeaders, 'location');
    const resolved = resolveUrl(location, hop.url);
    next = hops[i + 1]?.url ?? resolved;
    redirectLocationRule(i, location, resolved, rules);
  }
  if (judgeStage(w, browser, { stage: 'response', hopIndex: i, rules }, detail)) return 'stop';
  return redirect ? { next } : 'pass';
}

/**
 * Walks the exchange under one credentials assumption. With `detail` false only the decision is
 * computed (no explanatory rows or reasons). `ctx` shares the assumption-independent facts between
 * the walks of one diagnosis.
 */
export function walk(
  ex: Exchange,
  include: boolean,
  browser: BrowserName,
  detail = true,
  ctx: WalkContext = new WalkContext(ex),
): Walk {
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
    const f = ctx.hop(i);
    const hopOrigin = f.origin;
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
    w.unsafeNames = f.unsafeNames;
    let reasons: string[] = [];
    if (detail) {
      const why = ctx.preflightReasons(i);
      reasons = why.reasons;
      for (const r of why.rows) w.rows.push(r);
    }
    w.preflight = { needed: f.needed, reasons, seen: f.preflight !== undefined, fromCache: false };
    if (f.needed && preflightStage(w, ctx, i, requestOrigin, browser, detail)) return w;

    const res = responseStage(w, ctx, i, requestOrigin, browser, detail);
    if (res === 'stop') return w;
    if (res === 'pass') {
      w.outcome = 'pass';
      return w;
    }
    // A redirect: https://fetch.spec.whatwg.org/#concept-request-tainted-origin
    if (res.next !== null && originOf(res.next) !== hopOrigin && pageOrigin !== hopOrigin) tainted = true;
    if (i === hops.length - 1) {
      w.gap = 'redirect-pending';
      return w;
    }
  }
  return w;
}
