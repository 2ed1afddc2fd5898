// `cors-lens probe`: simulate the browser, link its events, judge them with the same engine as the
// extension (diagnose), and when the origin is rejected look for the one the server accepts.
import { describeOriginDifference } from '../core/origin-difference';
import { diagnose } from '../core/check';
import { walk } from '../core/fetch/walk';
import type { LogEntry } from '../core/log';
import { causeRef } from '../core/cause-facts';
import { originOf } from '../core/origin';
import type { Exchange } from '../core/types';
import type { Branch, CauseRef, CorsErrorName, CredentialsMode, EvidenceRow, Verdict } from '../core/verdict';
import { UsageError, type ProbeOptions } from './args';
import { searchAcceptedOrigin, type SearchResult } from './origin-search';
import { linkEvents, simulate, TAB_ID, type Simulation } from './simulate';

export interface ProbeResult {
  entry: LogEntry;
  sim: Simulation;
  search: SearchResult | null;
  exitCode: 0 | 1 | 3 | 4;
  /** Requests sent in all (the probe's and the origin search's). */
  requests: number;
  elapsedMs: number;
}

/** Symptoms that mean "this origin is not accepted" (a varied Origin may find one that is). */
const ORIGIN_SYMPTOMS: ReadonlySet<CorsErrorName> = new Set([
  'MissingAllowOriginHeader',
  'PreflightMissingAllowOriginHeader',
  'AllowOriginMismatch',
  'PreflightAllowOriginMismatch',
  'InvalidAllowOriginValue',
  'PreflightInvalidAllowOriginValue',
  'PreflightInvalidStatus',
]);
/** Causes that a different Origin cannot change. */
const NOT_ORIGIN_CAUSES = new Set([
  'server-error-without-cors',
  'redirect-without-cors',
  'origin-null-after-redirect',
  'preflight-auth',
  'preflight-not-routed',
  'preflight-redirected',
  'method-not-allowed',
  'header-not-allowed',
  'local-network-access',
]);

function credentialsOf(opt: ProbeOptions['credentials']): CredentialsMode {
  return opt === 'include' ? 'include' : opt === 'omit' ? 'not-include' : 'unknown';
}

/**
 * Credentials not given, and the two assumptions part ways (the wire followed `omit`, fetch's
 * default for a cross-origin request): the verdict shows both branches, as the panel does.
 */
function withBranches(vOmit: Verdict, vInc: Verdict): Verdict {
  const branch = (assumption: Branch['assumption'], v: Verdict): Branch => {
    const b: Branch = { assumption, outcome: v.outcome === 'uncertain' ? 'blocked' : v.outcome };
    if (v.symptom) b.symptom = v.symptom;
    if (v.cause) b.cause = v.cause;
    return b;
  };
  const evidence = vOmit.evidence.filter((r) => r.rule !== 'credentials-mode');
  evidence.unshift({
    stage: 'request',
    rule: 'credentials-mode',
    field: 'credentials',
    needed: 'the credentials mode (--credentials include|omit)',
    sent: "not given — the verdict differs with and without credentials; shown for fetch's default (omit), see both branches",
    result: 'info',
    hopIndex: 0,
  });
  const branches = [branch('credentials-include', vInc), branch('credentials-omit', vOmit)];
  // Blocked under one assumption and allowed under the other: uncertain, never a pass (issue #14).
  const blocking =
    vOmit.outcome === 'pass' && vInc.outcome === 'blocked'
      ? vInc
      : vInc.outcome === 'pass' && vOmit.outcome === 'blocked'
        ? vOmit
        : null;
  if (blocking) {
    const u: Verdict = {
      ...blocking,
      outcome: 'uncertain',
      credentials: 'unknown',
      credentialsBasis: 'unknown',
      evidence: [evidence[0]!, ...blocking.evidence.filter((r) => r.rule !== 'credentials-mode')],
      branches,
    };
    if (blocking.cause) u.cause = { ...blocking.cause, confidence: 'possible' };
    return u;
  }
  return { ...vOmit, credentials: 'unknown', credentialsBasis: 'unknown', evidence, branches };
}

/** The verdict when the actual request was not sent: the preflight's part is decided, the rest stays open. */
function notSentVerdict(ex: Exchange, opts: ProbeOptions, sim: Simulation): Verdict {
  const w = walk(ex, opts.credentials === 'include', 'chrome', true);
  const open =
    opts.credentials === 'omit'
      ? 'Access-Control-Allow-Origin'
      : 'Access-Control-Allow-Origin and (with credentials) Access-Control-Allow-Credentials';
  const row: EvidenceRow = {
    stage: 'response',
    rule: 'not-sent',
    field: 'response',
    needed: `the actual response's ${open}`,
    sent: `not checked: cors-lens did not send the ${sim.notSent!.method} (it may change data on the server); run again with --send`,
    result: 'info',
    hopIndex: 0,
  };
  return {
    outcome: 'pending',
    credentials: credentialsOf(opts.credentials),
    preflight: w.preflight,
    evidence: [...w.rows, row],
    warnings: [],
  };
}

function originRejected(v: Verdict): boolean {
  if (v.outcome !== 'blocked' || !v.symptom || v.symptom.hopIndex !== 0) return false;
  if (!ORIGIN_SYMPTOMS.has(v.symptom.corsError)) return false;
  if (v.cause && NOT_ORIGIN_CAUSES.has(v.cause.code)) return false;
  // A non-2xx preflight counts only when the CORS layer said why (Starlette's 400 "Disallowed CORS origin").
  return v.symptom.corsError !== 'PreflightInvalidStatus' || v.cause?.code === 'origin-not-allowed';
}

function acceptedCause(origin: string, accepted: string[], ex: Exchange): CauseRef {
  const first = accepted[0]!;
  return causeRef('origin-typo', 'certain', {
    origin,
    requestOrigin: origin,
    sent: first,
    corrected: origin,
    difference: describeOriginDifference(first, origin) ?? 'a different origin',
    accepted: accepted.join(' '),
    target: originOf(ex.url) ?? ex.url,
    url: ex.url,
  });
}

export async function runProbe(opts: ProbeOptions): Promise<ProbeResult> {
  const t0 = Date.now();
  if (originOf(opts.url) === opts.origin)
    throw new UsageError(
      `${opts.url} is on the page's own origin ${opts.origin}: browsers apply no CORS check to it (give the page's --origin)`,
    );
  const sim = await simulate({
    url: opts.url,
    origin: opts.origin,
    method: opts.method,
    headers: opts.headers,
    credentials: opts.credentials,
    ...(opts.cookie ? { cookie: opts.cookie } : {}),
    send: opts.send,
    timeoutMs: opts.timeoutMs,
  });
  let ex: Exchange | null;
  let v: Verdict;
  if (sim.notSent) {
    const standIn = {
      kind: 'sendHeaders' as const,
      requestId: '100',
      url: sim.notSent.url,
      method: sim.notSent.method,
      timeStamp: Date.now(),
      tabId: TAB_ID,
      frameId: 0,
      type: 'xmlhttprequest',
      initiator: opts.origin,
      requestHeaders: [{ name: 'Origin', value: opts.origin }, ...opts.headers],
    };
    ex = linkEvents([...sim.events, standIn]);
    if (!ex) throw new Error('internal: the probe could not be linked');
    // Nothing of the actual request went on the wire.
    delete ex.hops[0]!.requestHeaders;
    v = notSentVerdict(ex, opts, sim);
  } else {
    ex = linkEvents(sim.events);
    if (!ex) throw new Error('internal: the probe could not be linked');
    v = diagnose(ex);
    if (sim.includeEvents) {
      const exInc = linkEvents(sim.includeEvents);
      if (exInc) v = withBranches(v, diagnose(exInc));
    }
  }

  let search: SearchResult | null = null;
  const first = sim.wire[0];
  if (opts.search && originRejected(v) && first && opts.origin !== 'null') {
    const safe = first.role === 'preflight' || ['GET', 'HEAD', 'OPTIONS'].includes(first.method);
    if (safe) {
      search = await searchAcceptedOrigin(opts.origin, {
        url: first.url,
        method: first.method,
        headers: first.requestHeaders,
        timeoutMs: opts.timeoutMs,
      });
      const row: EvidenceRow = {
        stage: 'request',
        rule: 'origin-search',
        field: 'Origin',
        needed: `an Origin this server accepts (cors-lens tried ${search.tried.length} near variants of ${opts.origin})`,
        sent: search.accepted.length ? `accepted: ${search.accepted.join(', ')}` : 'none of them is accepted',
        result: 'info',
        hopIndex: 0,
      };
      v = { ...v, evidence: [...v.evidence, row] };
      if (search.accepted.length) {
        const cause = acceptedCause(opts.origin, search.accepted, ex);
        const oldCode = v.cause?.code;
        v = { ...v, cause };
        if (v.branches)
          v.branches = v.branches.map((b) =>
            b.outcome === 'blocked' && b.cause?.code === oldCode ? { ...b, cause } : b,
          );
      }
    }
  }

  const entry: LogEntry = { id: ex.id, seq: 1, nav: 0, exchange: ex, verdict: v };
  // Uncertain (blocked if credentialed) fails like a block: a CI gate must not pass it.
  const exitCode =
    v.outcome === 'pass'
      ? 0
      : v.outcome === 'blocked' || v.outcome === 'uncertain'
        ? 1
        : v.outcome === 'not-cors'
          ? 3
          : 4;
  return {
    entry,
    sim,
    search,
    exitCode,
    requests: sim.wire.length + (search?.requests ?? 0),
    elapsedMs: Date.now() - t0,
  };
}
