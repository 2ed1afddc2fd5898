// The CORS check over a linked exchange. https://fetch.spec.whatwg.org/#cors-check
// (First cut: the access-control-allow-origin rules only. The full engine replaces this.)

import { getHeader } from './headers';
import type { Exchange } from './types';
import type { EvidenceRow, Verdict } from './verdict';

const CORS_CHECK = 'https://fetch.spec.whatwg.org/#cors-check';
/** Errors the browsers use for every CORS failure (and nothing we could tell apart). */
const CORS_FAILURE_ERRORS = new Set(['net::ERR_FAILED', 'NS_ERROR_DOM_BAD_URI']);

export function diagnose(ex: Exchange): Verdict {
  const v: Verdict = {
    outcome: 'pending',
    credentials: 'unknown',
    preflight: { needed: 'unknown', reasons: [], seen: ex.preflights.length > 0, fromCache: false },
    evidence: [],
    warnings: [],
  };
  if (ex.state === 'error' && ex.error && !CORS_FAILURE_ERRORS.has(ex.error)) {
    v.outcome = 'not-cors';
    v.networkError = ex.error;
    return v;
  }
  const origin = ex.pageOrigin ?? '';
  const pre = ex.preflights[ex.preflights.length - 1];
  if (pre && pre.hop.statusCode !== undefined) {
    const acao = getHeader(pre.hop.responseHeaders, 'access-control-allow-origin');
    const row = acaoRow('preflight', origin, acao, pre.hopIndex);
    v.evidence.push(row);
    if (row.result === 'fail') {
      v.outcome = 'blocked';
      v.symptom = {
        corsError: acao === null ? 'PreflightMissingAllowOriginHeader' : 'PreflightAllowOriginMismatch',
        failedParameter: acao ?? '',
        firefoxReason: acao === null ? 'CORSMissingAllowOrigin' : 'CORSAllowOriginNotMatchingOrigin',
        stage: 'preflight',
        hopIndex: pre.hopIndex,
      };
      return v;
    }
  }
  const hop = ex.hops[ex.hops.length - 1]!;
  if (hop.statusCode !== undefined) {
    const acao = getHeader(hop.responseHeaders, 'access-control-allow-origin');
    const row = acaoRow('response', origin, acao, ex.hops.length - 1);
    v.evidence.push(row);
    if (row.result === 'fail') {
      v.outcome = 'blocked';
      v.symptom = {
        corsError: acao === null ? 'MissingAllowOriginHeader' : 'AllowOriginMismatch',
        failedParameter: acao ?? '',
        firefoxReason: acao === null ? 'CORSMissingAllowOrigin' : 'CORSAllowOriginNotMatchingOrigin',
        stage: 'response',
        hopIndex: ex.hops.length - 1,
      };
      return v;
    }
  }
  if (ex.state === 'completed') v.outcome = 'pass';
  // The browser failed the request for a reason this first cut does not check yet.
  else if (ex.state === 'error') v.outcome = 'blocked';
  return v;
}

function acaoRow(stage: 'preflight' | 'response', origin: string, acao: string | null, hopIndex: number): EvidenceRow {
  const ok = acao !== null && (acao === '*' || acao === origin);
  return {
    stage,
    rule: 'acao-match',
    field: 'Access-Control-Allow-Origin',
    needed: origin,
    sent: acao,
    result: ok ? 'pass' : 'fail',
    spec: CORS_CHECK,
    hopIndex,
  };
}
