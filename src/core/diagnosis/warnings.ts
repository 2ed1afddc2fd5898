// Things that do not block today but are worth fixing, read off the responses the walk checked.
import { getHeader } from '../headers';
import { headerLines } from '../fetch/rules';
import type { Walk } from '../fetch/walk';
import { preflightFor } from '../exchange';
import { causeRef } from '../cause-facts';
import type { Exchange, Header } from '../types';
import type { CauseRef } from '../verdict';

function cacheable(headers: readonly Header[] | undefined): boolean {
  const cc = (getHeader(headers, 'cache-control') ?? '').toLowerCase();
  return !/(^|[,\s])(no-store|private)([,\s=]|$)/.test(cc);
}

function varies(headers: readonly Header[] | undefined): boolean {
  const v = getHeader(headers, 'vary');
  return v !== null && /(^|,)\s*(origin|\*)\s*(,|$)/i.test(v);
}

export function collectWarnings(ex: Exchange, w: Walk): CauseRef[] {
  const out: CauseRef[] = [];
  const seen = new Set<string>();
  const add = (r: CauseRef) => {
    if (seen.has(r.code)) return;
    seen.add(r.code);
    out.push(r);
  };
  // Authorization allowed only through "*" in Access-Control-Allow-Headers.
  for (const row of w.rows) {
    if (row.rule === 'allow-headers' && row.result === 'warn' && row.subject === 'authorization') {
      add(causeRef('warn-wildcard-authorization', 'certain', { url: ex.url, sent: row.sent ?? '' }));
    }
  }
  let preflightReflected = false;
  for (const stage of w.stages) {
    const hop = ex.hops[stage.hopIndex];
    if (!hop) continue;
    const headers =
      stage.stage === 'preflight' ? preflightFor(ex, stage.hopIndex)?.hop.responseHeaders : hop.responseHeaders;
    const acao = headerLines(headers, 'access-control-allow-origin').joined;
    const acac = headerLines(headers, 'access-control-allow-credentials').joined;
    const origin =
      stage.hopIndex === w.hopIndex
        ? w.requestOrigin
        : (getHeader(hop.requestHeaders, 'origin') ?? ex.pageOrigin ?? '');
    const reflected = acao !== null && acao !== '*' && acao === origin;
    if (stage.stage === 'preflight' && reflected && acac === 'true') preflightReflected = true;
    // A response that depends on Origin must say so, or shared caches may serve it to other origins.
    if (stage.stage === 'response' && reflected && origin !== 'null' && !varies(headers) && cacheable(headers)) {
      add(causeRef('warn-missing-vary-origin', 'possible', { url: hop.url, origin }));
    }
    // Reflecting "null" (or mixing a reflecting preflight with a wildcard response) with
    // credentials means the server echoes whatever Origin it gets.
    if (reflected && acac === 'true' && origin === 'null') {
      add(causeRef('warn-reflect-any-origin-credentials', 'likely', { url: hop.url, origin }));
    }
    if (stage.stage === 'response' && preflightReflected && acao === '*' && acac === 'true') {
      add(causeRef('warn-reflect-any-origin-credentials', 'likely', { url: hop.url, origin }));
    }
  }
  return out;
}
