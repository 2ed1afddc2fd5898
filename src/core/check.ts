// The verdict engine: re-derives, from what webRequest shows, what the browser decided about a
// cross-origin request and why. https://fetch.spec.whatwg.org/#cors-protocol
//
// Chromium's and Firefox's checks are evaluated side by side (src/core/fetch/rules.ts); the walk
// (src/core/fetch/walk.ts) follows the exchange hop by hop and stops where the browser stopped.
// webRequest hides the credentials mode, so every exchange is walked under both assumptions unless a
// Cookie header settles it; the browser's own outcome (Chrome: net::ERR_FAILED vs completed) then
// picks the assumption that explains it, and otherwise the verdict carries both branches.
import { hasHeader } from './headers';
import { classifyNetError, type NetErrorKind } from './fetch/net-errors';
import { isPotentiallyTrustworthy } from './fetch/origin';
import { PREFLIGHT_VARIANT, type ChromeFailure, type FirefoxFailure } from './fetch/rules';
import { SPEC } from './fetch/spec';
import { contradictedByProgress, walk, type Walk } from './fetch/walk';
import { causeRef } from './cause-facts';
import { inferCause, notCorsCause } from './diagnosis/root-cause';
import { collectWarnings } from './diagnosis/warnings';
import type { Exchange } from './types';
import type {
  Branch,
  CorsErrorName,
  CredentialsBasis,
  EvidenceRow,
  FirefoxReason,
  Outcome,
  Symptom,
  Verdict,
} from './verdict';

/** The Firefox reason that corresponds to a Chromium CorsError, when Firefox did not tell us its own. */
const FIREFOX_EQUIVALENT: Partial<Record<CorsErrorName, FirefoxReason>> = {
  MissingAllowOriginHeader: 'CORSMissingAllowOrigin',
  PreflightMissingAllowOriginHeader: 'CORSMissingAllowOrigin',
  MultipleAllowOriginValues: 'CORSMultipleAllowOriginNotAllowed',
  PreflightMultipleAllowOriginValues: 'CORSMultipleAllowOriginNotAllowed',
  InvalidAllowOriginValue: 'CORSAllowOriginNotMatchingOrigin',
  PreflightInvalidAllowOriginValue: 'CORSAllowOriginNotMatchingOrigin',
  AllowOriginMismatch: 'CORSAllowOriginNotMatchingOrigin',
  PreflightAllowOriginMismatch: 'CORSAllowOriginNotMatchingOrigin',
  WildcardOriginNotAllowed: 'CORSNotSupportingCredentials',
  PreflightWildcardOriginNotAllowed: 'CORSNotSupportingCredentials',
  InvalidAllowCredentials: 'CORSMissingAllowCredentials',
  PreflightInvalidAllowCredentials: 'CORSMissingAllowCredentials',
  PreflightInvalidStatus: 'CORSPreflightDidNotSucceed',
  PreflightDisallowedRedirect: 'CORSExternalRedirectNotAllowed',
  InvalidAllowMethodsPreflightResponse: 'CORSInvalidAllowMethod',
  InvalidAllowHeadersPreflightResponse: 'CORSInvalidAllowHeader',
  MethodDisallowedByPreflightResponse: 'CORSMethodNotFound',
  HeaderDisallowedByPreflightResponse: 'CORSMissingAllowHeaderFromPreflight',
  CorsDisabledScheme: 'CORSRequestNotHttp',
};

/** The Chromium CorsError for a Firefox reason (used when only Firefox's rule failed). */
const CHROME_EQUIVALENT: Record<FirefoxReason, CorsErrorName> = {
  CORSDisabled: 'DisallowedByMode',
  CORSDidNotSucceed: 'InvalidResponse',
  CORSRequestNotHttp: 'CorsDisabledScheme',
  CORSMissingAllowOrigin: 'MissingAllowOriginHeader',
  CORSMultipleAllowOriginNotAllowed: 'MultipleAllowOriginValues',
  CORSAllowOriginNotMatchingOrigin: 'AllowOriginMismatch',
  CORSNotSupportingCredentials: 'WildcardOriginNotAllowed',
  CORSMethodNotFound: 'MethodDisallowedByPreflightResponse',
  CORSMissingAllowCredentials: 'InvalidAllowCredentials',
  CORSPreflightDidNotSucceed: 'PreflightInvalidStatus',
  CORSInvalidAllowMethod: 'InvalidAllowMethodsPreflightResponse',
  CORSInvalidAllowHeader: 'InvalidAllowHeadersPreflightResponse',
  CORSMissingAllowHeaderFromPreflight: 'HeaderDisallowedByPreflightResponse',
  CORSExternalRedirectNotAllowed: 'PreflightDisallowedRedirect',
  CORSOriginHeaderNotAdded: 'InvalidResponse',
};

/** The symptom a walk ends with (memoized on the walk: the decision asks several times). */
function symptomOf(w: Walk, browser: Exchange['browser']): Symptom | undefined {
  if (w.symptom === undefined) w.symptom = computeSymptom(w, browser) ?? null;
  return w.symptom ?? undefined;
}

function computeSymptom(w: Walk, browser: Exchange['browser']): Symptom | undefined {
  const f = w.failure;
  if (!f) return undefined;
  let chrome: ChromeFailure | null = f.chrome;
  const firefox: FirefoxFailure | null = f.firefox;
  if (!chrome && firefox?.reason) {
    // Only Firefox's rule failed here: name the symptom with the matching Chromium value.
    const e = CHROME_EQUIVALENT[firefox.reason];
    chrome = {
      corsError: f.stage.stage === 'preflight' ? (PREFLIGHT_VARIANT[e] ?? e) : e,
      failedParameter: firefox.param,
    };
  }
  if (!chrome) chrome = { corsError: 'InvalidResponse', failedParameter: '' };
  const s: Symptom = {
    corsError: chrome.corsError,
    failedParameter: chrome.failedParameter,
    stage: f.decisive.row.stage === 'redirect' ? 'redirect' : f.stage.stage,
    hopIndex: f.stage.hopIndex,
  };
  const reason = firefox
    ? firefox.reason
    : browser === 'firefox'
      ? null
      : (FIREFOX_EQUIVALENT[chrome.corsError] ?? null);
  if (reason) s.firefoxReason = reason;
  if (reason && firefox && firefox.param !== '' && firefox.param !== s.failedParameter)
    s.firefoxParameter = firefox.param;
  return s;
}

function sameSymptom(a: Walk, b: Walk, browser: Exchange['browser']): boolean {
  if (a.outcome !== b.outcome) return false;
  const x = symptomOf(a, browser);
  const y = symptomOf(b, browser);
  return (
    x?.corsError === y?.corsError && x?.failedParameter === y?.failedParameter && x?.firefoxReason === y?.firefoxReason
  );
}

/** What the browser itself showed: Chrome fails every CORS error with net::ERR_FAILED; Firefox reports blocked simple requests as completed. */
function observedOutcome(ex: Exchange): 'pass' | 'blocked' | 'unknown' {
  if (ex.state === 'pending') return 'unknown';
  if (ex.state === 'error') return 'blocked';
  return ex.browser === 'chrome' ? 'pass' : 'unknown';
}

function emptyVerdict(ex: Exchange): Verdict {
  return {
    outcome: 'pending',
    credentials: 'unknown',
    preflight: { needed: 'unknown', reasons: [], seen: ex.preflights.length > 0, fromCache: false },
    evidence: [],
    warnings: [],
  };
}

function networkRow(ex: Exchange, error: string, onPreflight: boolean): EvidenceRow {
  return {
    stage: onPreflight ? 'preflight' : 'request',
    rule: 'network',
    field: 'network',
    needed: 'a response from the server',
    sent: error,
    result: 'fail',
    hopIndex: Math.max(0, ex.hops.length - 1),
  };
}

/** The network error that ended the exchange, and whether it belongs to the preflight. */
function networkFailure(ex: Exchange): { error: string; kind: NetErrorKind; onPreflight: boolean } | null {
  // A preflight that failed at the network level takes the request down with it.
  const last = ex.preflights[ex.preflights.length - 1];
  if (last && last.state === 'error' && last.hop.statusCode === undefined && last.error) {
    const k = classifyNetError(last.error);
    if (k !== 'cors') return { error: last.error, kind: k, onPreflight: true };
  }
  if (ex.state === 'error' && ex.error) {
    const k = classifyNetError(ex.error);
    if (k !== 'cors') return { error: ex.error, kind: k, onPreflight: false };
  }
  return null;
}

/** Like diagnose(), but lets exceptions through (used by the property tests to prove totality). */
export function diagnoseStrict(ex: Exchange): Verdict {
  const v = emptyVerdict(ex);
  const pageOrigin = ex.pageOrigin ?? 'null';

  // 1. Failures that are not CORS at all (or are the browser's local-network gate).
  let net = networkFailure(ex);
  // An error name we do not know (Firefox reports a refused redirect as
  // NS_ERROR_NET_ON_RECEIVING_FROM) defers to the rules: if they explain a block, that is the verdict.
  if (net?.kind === 'other' && walk(ex, false, ex.browser).outcome === 'blocked') net = null;
  if (net?.kind === 'local-network') {
    // Chrome's Local Network Access gate: a CORS error in CDP, a network error in webRequest.
    const corsError: CorsErrorName = isPotentiallyTrustworthy(pageOrigin)
      ? 'LocalNetworkAccessPermissionDenied'
      : 'InsecureLocalNetwork';
    v.outcome = 'blocked';
    v.symptom = {
      corsError,
      failedParameter: '',
      stage: net.onPreflight ? 'preflight' : 'request',
      hopIndex: Math.max(0, ex.hops.length - 1),
    };
    v.evidence.push({
      ...networkRow(ex, net.error, net.onPreflight),
      needed: 'permission to reach a local-network address (Local Network Access)',
      spec: SPEC.localNetworkAccess,
      decisive: true,
    });
    v.cause = causeRef('local-network-access', 'certain', {
      origin: pageOrigin,
      url: ex.url,
      target: ex.url,
      secure: corsError === 'InsecureLocalNetwork' ? 'no' : 'yes',
    });
    return v;
  }
  if (net) {
    v.outcome = 'not-cors';
    v.networkError = net.error;
    v.evidence.push(networkRow(ex, net.error, net.onPreflight));
    v.cause = notCorsCause(net.kind as Exclude<NetErrorKind, 'cors' | 'local-network'>, net.error, ex, net.onPreflight);
    return v;
  }

  // 2. Still in flight: nothing is decided yet (the verdict follows within milliseconds).
  if (ex.state === 'pending') return v;

  // 3. Walk the exchange under each credentials assumption the evidence allows.
  const cookie = ex.hops.some((h) => hasHeader(h.requestHeaders, 'cookie'));
  // The assumption without credentials (fetch's default) is walked in detail right away; the
  // other only for the decision, and again in detail if it turns out to be the one reported.
  // Page view (src/core/pageview.ts): the page reported the credentials mode it asked for.
  const page = cookie ? undefined : ex.page;
  let walks: Walk[] = cookie
    ? [walk(ex, true, ex.browser, true)]
    : page
      ? [walk(ex, page.credentials === 'include', ex.browser, true)]
      : [walk(ex, false, ex.browser, true), walk(ex, true, ex.browser, false)];
  // An assumption under which the request would have stopped earlier than it visibly did is out.
  if (walks.length === 2) {
    const possible = walks.filter((w) => !contradictedByProgress(ex, w, ex.browser));
    if (possible.length === 1) walks = possible;
  }
  let observed = observedOutcome(ex);
  // The page saw a response or a network error: the outcome Firefox's webRequest does not show.
  if (observed === 'unknown' && page)
    observed = page.outcome === 'response' ? 'pass' : page.outcome === 'network-error' ? 'blocked' : 'unknown';
  let chosen: Walk;
  let basis: CredentialsBasis;
  let ambiguous = false;
  let uncertain = false;
  if (cookie) {
    chosen = walks[0]!;
    basis = 'cookie-header';
  } else if (page) {
    chosen = walks[0]!;
    basis = 'page-view';
  } else if (walks.length === 1) {
    chosen = walks[0]!;
    basis = 'browser-outcome';
  } else if (sameSymptom(walks[0]!, walks[1]!, ex.browser)) {
    chosen = walks[0]!;
    basis = 'not-needed';
  } else {
    const explains = observed === 'unknown' ? [] : walks.filter((w) => w.outcome === observed);
    if (explains.length === 1) {
      chosen = explains[0]!;
      basis = 'browser-outcome';
    } else {
      chosen = walks[0]!;
      basis = 'unknown';
      ambiguous = true;
      // No failure signal, and the rules block under one assumption only: the outcome itself is
      // uncertain. Report the blocking walk (its rows show the rule that would fail), never a pass.
      const blocking = walks.find((w) => w.outcome === 'blocked');
      if (observed === 'unknown' && blocking && walks.some((w) => w.outcome === 'pass')) {
        chosen = blocking;
        uncertain = true;
      }
    }
  }
  if (!chosen.detailed) chosen = walk(ex, chosen.include, ex.browser, true);
  v.credentialsBasis = basis;
  v.credentials =
    basis === 'not-needed' || basis === 'unknown' ? 'unknown' : chosen.include ? 'include' : 'not-include';
  v.preflight = chosen.preflight;
  v.evidence = chosen.rows.slice();
  // The walk's rows are built fresh for this verdict (rules.ts), so the decisive one is marked in
  // place: copying it was the largest own cost of this function (profiled, bench/engine.ts).
  const decisiveRow = chosen.failure?.decisive.row;
  if (decisiveRow && v.evidence.includes(decisiveRow)) decisiveRow.decisive = true;
  if (basis === 'cookie-header') {
    v.evidence.unshift({
      stage: 'request',
      rule: 'credentials-mode',
      field: 'Cookie',
      needed: 'the credentials mode (not shown by the browser)',
      sent: 'include — the request carried a Cookie header',
      result: 'info',
      hopIndex: 0,
      spec: SPEC.credentials,
    });
  } else if (basis === 'browser-outcome') {
    const how =
      observed === 'blocked'
        ? `${chosen.include ? 'include' : 'omit/same-origin'} — the browser failed the request (${ex.error ?? 'error'}) and only this assumption explains that`
        : `${chosen.include ? 'include' : 'omit/same-origin'} — the browser let the request through and only this assumption explains that`;
    v.evidence.unshift({
      stage: 'request',
      rule: 'credentials-mode',
      field: 'credentials',
      needed: 'the credentials mode (not shown by the browser)',
      sent: how,
      result: 'info',
      hopIndex: 0,
      spec: SPEC.credentials,
    });
  } else if (basis === 'page-view' && page) {
    const how = `${page.credentials} — the page's ${page.api === 'fetch' ? 'fetch()' : 'XMLHttpRequest'} asked for it${page.outcome === 'network-error' ? ' and saw a network error' : page.outcome === 'response' ? ` and got a response (status ${page.status})` : ' and aborted it'} (page view)${page.site ? `, called at ${page.site}` : ''}`;
    v.evidence.unshift({
      stage: 'request',
      rule: 'credentials-mode',
      field: 'credentials',
      needed: 'the credentials mode (not shown by the browser)',
      sent: how,
      result: 'info',
      hopIndex: 0,
      spec: SPEC.credentials,
    });
  } else if (basis === 'unknown') {
    v.evidence.unshift({
      stage: 'request',
      rule: 'credentials-mode',
      field: 'credentials',
      needed: 'the credentials mode (not shown by the browser)',
      sent: 'unknown — the verdict differs with and without credentials; see both branches',
      result: 'info',
      hopIndex: 0,
      spec: SPEC.credentials,
    });
  }

  // 4. Outcome: the rules' verdict, reconciled with what the browser did.
  const symptom = symptomOf(chosen, ex.browser);
  // (The request has ended here. Firefox reports a blocked simple request as completed, so for
  // Firefox a completed request is judged by the rules; a walk that could not finish passed.)
  let outcome: Outcome;
  if (chosen.outcome === 'blocked') outcome = observed === 'pass' ? 'pass' : 'blocked';
  else if (chosen.outcome === 'pass') outcome = observed === 'blocked' ? 'blocked' : 'pass';
  else outcome = observed === 'blocked' ? 'blocked' : 'pass';
  if (uncertain) outcome = 'uncertain';
  v.outcome = outcome;

  if (outcome === 'blocked' || outcome === 'uncertain') {
    if (symptom && chosen.outcome === 'blocked') {
      v.symptom = symptom;
      v.cause = inferCause({
        ex,
        walk: chosen,
        symptom,
        pageOrigin,
        credentialsSure: basis === 'cookie-header' || basis === 'browser-outcome' || basis === 'page-view',
      });
      if (uncertain) v.cause = { ...v.cause, confidence: 'possible' };
      else if (ambiguous && v.cause.confidence === 'certain') v.cause = { ...v.cause, confidence: 'likely' };
    } else if (
      ex.browser === 'chrome' &&
      chosen.gap === 'no-response' &&
      ex.error === 'net::ERR_FAILED' &&
      ex.hops[chosen.hopIndex]?.requestHeaders
    ) {
      // Chrome handed the request to the network (onSendHeaders) and failed it before any
      // response: its connection-time Local Network Access check does that when the server's
      // address space differs from the fetch's targetAddressSpace.
      v.symptom = {
        corsError: 'InvalidLocalNetworkAccess',
        failedParameter: '',
        stage: 'request',
        hopIndex: chosen.hopIndex,
      };
      v.cause = causeRef('local-network-access', 'possible', {
        origin: pageOrigin,
        url: ex.url,
        target: ex.url,
        secure: isPotentiallyTrustworthy(pageOrigin) ? 'yes' : 'no',
      });
      v.evidence.push({
        stage: 'response',
        rule: 'network',
        field: 'response',
        needed: 'a response',
        sent: `none: the browser failed the request with ${ex.error} after sending it`,
        result: 'fail',
        hopIndex: chosen.hopIndex,
        spec: SPEC.localNetworkAccess,
        decisive: true,
      });
    } else if (chosen.gap === 'preflight-network-error' || chosen.gap === 'request-not-sent') {
      // Chrome stops a preflight to a more private address space before it is sent (Local Network
      // Access): the preflight errors without a response, the request with net::ERR_FAILED.
      const corsError: CorsErrorName = isPotentiallyTrustworthy(pageOrigin)
        ? 'LocalNetworkAccessPermissionDenied'
        : 'InsecureLocalNetwork';
      if (chosen.gap === 'preflight-network-error') {
        v.symptom = { corsError, failedParameter: '', stage: 'preflight', hopIndex: chosen.hopIndex };
        v.cause = causeRef('local-network-access', 'possible', {
          origin: pageOrigin,
          url: ex.url,
          target: ex.url,
          secure: corsError === 'InsecureLocalNetwork' ? 'no' : 'yes',
        });
      } else {
        v.cause = causeRef('blocked-unidentified', 'possible', {
          origin: pageOrigin,
          url: ex.url,
          error: ex.error ?? '',
        });
      }
    } else {
      v.cause = causeRef('blocked-unidentified', 'possible', {
        origin: pageOrigin,
        url: ex.url,
        error: ex.error ?? '',
      });
      v.evidence.push({
        stage: 'response',
        rule: 'browser-outcome',
        field: 'outcome',
        needed: 'a rule that explains the failure',
        sent: `the browser failed the request (${ex.error ?? 'error'}) but every rule CORS Lens can check passed`,
        result: 'info',
        hopIndex: chosen.hopIndex,
      });
    }
  } else if (outcome === 'pass' && chosen.outcome === 'blocked') {
    v.evidence.push({
      stage: 'response',
      rule: 'browser-outcome',
      field: 'outcome',
      needed: 'the browser to block the request',
      sent: 'the browser let the request through, so the failing rule above did not apply to it',
      result: 'info',
      hopIndex: chosen.hopIndex,
    });
  }

  if (ambiguous) {
    v.branches = walks.map((w): Branch => {
      const s = symptomOf(w, ex.browser);
      const b: Branch = {
        assumption: w.include ? 'credentials-include' : 'credentials-omit',
        outcome: w.outcome === 'incomplete' ? (observed === 'blocked' ? 'blocked' : 'pass') : w.outcome,
      };
      if (s && w.outcome === 'blocked') {
        b.symptom = s;
        // The reported assumption's branch shares its cause.
        b.cause =
          w.include === chosen.include && v.cause && v.symptom === s
            ? v.cause
            : inferCause({ ex, walk: w, symptom: s, pageOrigin, credentialsSure: false });
      }
      return b;
    });
  }
  v.warnings = collectWarnings(ex, chosen);
  return v;
}

/**
 * The verdict for one exchange. Total: whatever the headers contain, a verdict comes back (an
 * internal error is reported as an unidentified block, never thrown into the pipeline).
 */
export function diagnose(ex: Exchange): Verdict {
  try {
    return diagnoseStrict(ex);
  } catch (e) {
    const v = emptyVerdict(ex);
    v.outcome = ex.state === 'pending' ? 'pending' : ex.state === 'error' ? 'blocked' : 'pass';
    v.cause = causeRef('blocked-unidentified', 'possible', { error: String(e).slice(0, 200) });
    return v;
  }
}
