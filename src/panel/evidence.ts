// The rows of the side-by-side view, derived from the verdict's evidence plus every
// Access-Control-* response header no rule looked at (so nothing the server sent is hidden).
import { expectedItems } from '../core/expectation';
import { getHeader } from '../core/headers';
import type { LogEntry } from '../core/log';
import type { Header } from '../core/types';
import type { EvidenceRow, Stage } from '../core/verdict';
import { isAccessControl } from './format';

export interface SideRow extends EvidenceRow {
  /** The method or header name a per-item rule is about (set by the engine on list rules). */
  subject?: string;
  /** Set by the engine on the row whose failure is the verdict's symptom. */
  decisive?: boolean;
  /** True for a header row that no rule of the verdict covers. */
  unchecked?: boolean;
}

const RANK: Record<EvidenceRow['result'], number> = { fail: 0, warn: 1, pass: 2, info: 3 };

/** The decisive failure first, then other failures, warnings, passes, information; otherwise in the engine's order. */
export function sortedEvidence(rows: readonly SideRow[]): SideRow[] {
  const rank = (r: SideRow) => (r.decisive && r.result === 'fail' ? -1 : (RANK[r.result] ?? 9));
  return rows
    .map((r, i) => [r, i] as const)
    .sort(([a, i], [b, j]) => rank(a) - rank(b) || i - j)
    .map(([r]) => r);
}

/** The preflight guarding hop `hopIndex`, as the rows of that hop were checked against. */
function preflightOf(e: LogEntry, hopIndex: number) {
  return (e.exchange.preflights ?? []).find((p) => (p.hopIndex ?? 0) === hopIndex);
}

/**
 * The Origin an Access-Control-Allow-Origin row is compared with: the Origin header the browser
 * sent on that preflight or hop (after a cross-origin redirect it is "null"), else the origin the
 * rule expected, else the page's origin.
 */
export function originForRow(e: LogEntry, row: SideRow): string | null {
  const ex = e.exchange;
  const hs =
    row.stage === 'preflight'
      ? preflightOf(e, row.hopIndex)?.hop?.requestHeaders
      : ex.hops?.[row.hopIndex]?.requestHeaders;
  const sent = getHeader(hs, 'origin');
  if (sent !== null) return sent;
  if (row.expected?.kind === 'origin') return row.expected.origin;
  return ex.pageOrigin ?? null;
}

/**
 * The methods or header names a list rule needed: the engine's subject, the items it expected,
 * else what the preflight asked for (Access-Control-Request-Method / -Headers).
 */
export function neededItems(e: LogEntry, row: SideRow): string | null {
  if (row.subject) return row.subject;
  const items = expectedItems(row.expected);
  if (items) return items;
  const asked =
    row.field.toLowerCase() === 'access-control-allow-methods'
      ? 'access-control-request-method'
      : 'access-control-request-headers';
  return getHeader(preflightOf(e, row.hopIndex)?.hop?.requestHeaders, asked);
}

interface ResponseSource {
  stage: Stage;
  hopIndex: number;
  headers: readonly Header[];
}

function responses(e: LogEntry): ResponseSource[] {
  const out: ResponseSource[] = [];
  for (const p of e.exchange.preflights ?? []) {
    if (p?.hop?.responseHeaders)
      out.push({ stage: 'preflight', hopIndex: p.hopIndex ?? 0, headers: p.hop.responseHeaders });
  }
  const hops = e.exchange.hops ?? [];
  hops.forEach((h, i) => {
    if (!h?.responseHeaders) return;
    const redirect = i < hops.length - 1;
    out.push({ stage: redirect ? 'redirect' : 'response', hopIndex: i, headers: h.responseHeaders });
  });
  return out;
}

export function sideRows(e: LogEntry): SideRow[] {
  const evidence = sortedEvidence(e.verdict.evidence ?? []);
  const covered = new Set(evidence.map((r) => `${r.stage}|${r.hopIndex}|${r.field.toLowerCase()}`));
  // The engine may label a redirect hop's rows as 'response'; count those as covering it too.
  for (const r of evidence) if (r.stage === 'response') covered.add(`redirect|${r.hopIndex}|${r.field.toLowerCase()}`);
  const extra: SideRow[] = [];
  for (const src of responses(e)) {
    const seen = new Set<string>();
    for (const h of src.headers) {
      const name = String(h?.name ?? '');
      const lower = name.toLowerCase();
      if (!isAccessControl(name) || seen.has(lower)) continue;
      seen.add(lower);
      if (covered.has(`${src.stage}|${src.hopIndex}|${lower}`)) continue;
      extra.push({
        stage: src.stage,
        rule: 'header',
        field: name,
        needed: '',
        sent: getHeader(src.headers, name),
        result: 'info',
        hopIndex: src.hopIndex,
        unchecked: true,
      });
    }
  }
  return [...evidence, ...extra];
}

/** The request side: Origin and the preflight's Access-Control-Request-* as the browser sent them. */
export function requestSide(e: LogEntry): Array<{ name: string; value: string | null; note?: string }> {
  const ex = e.exchange;
  const pre = ex.preflights?.[ex.preflights.length - 1];
  const hop = ex.hops?.[0];
  const origin = getHeader(pre?.hop?.requestHeaders, 'origin') ?? getHeader(hop?.requestHeaders, 'origin');
  const out: Array<{ name: string; value: string | null; note?: string }> = [];
  if (origin !== null) out.push({ name: 'Origin', value: origin });
  else
    out.push({
      name: 'Origin',
      value: ex.pageOrigin ?? null,
      note: ex.pageOrigin ? 'not reported by the browser; from the initiator' : 'unknown',
    });
  if (pre?.hop?.requestHeaders) {
    out.push({
      name: 'Access-Control-Request-Method',
      value: getHeader(pre.hop.requestHeaders, 'access-control-request-method'),
    });
    const acrh = getHeader(pre.hop.requestHeaders, 'access-control-request-headers');
    if (acrh !== null) out.push({ name: 'Access-Control-Request-Headers', value: acrh });
  }
  return out;
}
