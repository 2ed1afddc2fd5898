// Entries from an opened report come from a file anyone can edit: coerce them into the shape the
// views expect (or drop them) so a malformed report renders inertly instead of crashing.
import type { LogEntry } from '../core/log';
import type { Header, Hop, Preflight } from '../core/types';
import type { CauseCode } from '../core/causes';
import type { CauseRef, EvidenceRow, Verdict } from '../core/verdict';
import { toRuleId } from '../core/rule-ids';

const OUTCOMES = new Set(['pass', 'blocked', 'uncertain', 'not-cors', 'pending']);
const RESULTS = new Set(['pass', 'fail', 'warn', 'info']);
const obj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
// eslint-disable-next-line @typescript-eslint/no-base-to-string -- a report anyone can edit: any value becomes inert text
const str = (x: unknown, d = ''): string => (typeof x === 'string' ? x : x === undefined || x === null ? d : String(x));
const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);

function headers(x: unknown): Header[] | undefined {
  if (!Array.isArray(x)) return undefined;
  return x.filter(obj).map((h) => ({ name: str(h.name), value: str(h.value) }));
}

function hop(x: unknown, url: string, method: string): Hop {
  const h = obj(x) ? x : {};
  const out: Hop = { url: str(h.url, url), method: str(h.method, method) };
  const rq = headers(h.requestHeaders);
  const rs = headers(h.responseHeaders);
  if (rq) out.requestHeaders = rq;
  if (rs) out.responseHeaders = rs;
  const status = num(h.statusCode);
  if (status !== undefined) out.statusCode = status;
  if (h.statusLine !== undefined) out.statusLine = str(h.statusLine);
  if (h.fromCache === true) out.fromCache = true;
  return out;
}

function evidence(x: unknown): EvidenceRow[] {
  if (!Array.isArray(x)) return [];
  return x.filter(obj).map((r) => ({
    stage: (['request', 'preflight', 'response', 'redirect'].includes(str(r.stage))
      ? r.stage
      : 'response') as EvidenceRow['stage'],
    rule: toRuleId(str(r.rule)),
    field: str(r.field),
    needed: str(r.needed),
    sent: r.sent === null || r.sent === undefined ? null : str(r.sent),
    result: (RESULTS.has(str(r.result)) ? r.result : 'info') as EvidenceRow['result'],
    ...(typeof r.spec === 'string' ? { spec: r.spec } : {}),
    hopIndex: num(r.hopIndex) ?? 0,
  }));
}

export function sanitizeEntry(x: unknown, index: number): LogEntry | null {
  if (!obj(x) || !obj(x.exchange) || !obj(x.verdict)) return null;
  const ex = x.exchange;
  const v = x.verdict;
  if (typeof ex.url !== 'string' || !OUTCOMES.has(str(v.outcome))) return null;
  const method = str(ex.method, 'GET');
  const hops =
    Array.isArray(ex.hops) && ex.hops.length > 0
      ? ex.hops.map((h) => hop(h, ex.url as string, method))
      : [hop({}, ex.url, method)];
  const preflights: Preflight[] = Array.isArray(ex.preflights)
    ? ex.preflights.filter(obj).map((p) => ({
        requestId: str(p.requestId),
        hopIndex: num(p.hopIndex) ?? 0,
        hop: hop(p.hop, str((p.hop as { url?: unknown })?.url, ex.url as string), 'OPTIONS'),
        state: (['pending', 'completed', 'error'].includes(str(p.state)) ? p.state : 'completed') as Preflight['state'],
        ...(p.error !== undefined ? { error: str(p.error) } : {}),
        ...(p.redirectedTo !== undefined ? { redirectedTo: str(p.redirectedTo) } : {}),
      }))
    : [];
  const pf = obj(v.preflight) ? v.preflight : {};
  const verdict: Verdict = {
    ...(v as unknown as Verdict),
    outcome: v.outcome as Verdict['outcome'],
    credentials: (['include', 'not-include', 'unknown'].includes(str(v.credentials))
      ? v.credentials
      : 'unknown') as Verdict['credentials'],
    preflight: {
      needed: pf.needed === true ? true : pf.needed === false ? false : 'unknown',
      reasons: Array.isArray(pf.reasons) ? pf.reasons.map((r) => str(r)) : [],
      seen: pf.seen === true,
      fromCache: pf.fromCache === true,
    },
    evidence: evidence(v.evidence),
    warnings: Array.isArray(v.warnings) ? v.warnings.filter(obj).map((w) => cause(w)) : [],
  };
  if (obj(v.cause)) verdict.cause = cause(v.cause);
  else delete verdict.cause;
  if (obj(v.symptom))
    verdict.symptom = {
      ...(v.symptom as unknown as NonNullable<Verdict['symptom']>),
      corsError: str(v.symptom.corsError) as never,
      failedParameter: str(v.symptom.failedParameter),
      hopIndex: num(v.symptom.hopIndex) ?? 0,
    };
  else delete verdict.symptom;
  if (Array.isArray(v.branches))
    verdict.branches = v.branches.filter(obj).map((b) => {
      const br = { ...b } as unknown as NonNullable<Verdict['branches']>[number];
      if (obj(b.cause)) br.cause = cause(b.cause);
      else delete br.cause;
      br.outcome = str(b.outcome) as never;
      return br;
    });
  else delete verdict.branches;
  const start = num(ex.startTime) ?? 0;
  return {
    id: str(x.id, `imported-${index}`),
    seq: num(x.seq) ?? index,
    nav: num(x.nav) ?? 0,
    exchange: {
      id: str(ex.id, str(x.id, `imported-${index}`)),
      requestId: str(ex.requestId),
      browser: ex.browser === 'firefox' ? 'firefox' : 'chrome',
      tabId: num(ex.tabId) ?? -1,
      frameId: num(ex.frameId) ?? 0,
      type: str(ex.type, 'other'),
      method,
      url: ex.url,
      ...(ex.pageOrigin !== undefined ? { pageOrigin: str(ex.pageOrigin) } : {}),
      ...(ex.documentUrl !== undefined ? { documentUrl: str(ex.documentUrl) } : {}),
      startTime: start,
      ...(num(ex.endTime) !== undefined ? { endTime: num(ex.endTime)! } : {}),
      hops,
      preflights,
      state: (['pending', 'completed', 'error'].includes(str(ex.state))
        ? ex.state
        : 'completed') as LogEntry['exchange']['state'],
      ...(ex.error !== undefined ? { error: str(ex.error) } : {}),
    },
    verdict,
  };
}

function cause(c: Record<string, unknown>): CauseRef {
  const facts: Record<string, string> = {};
  if (obj(c.facts)) for (const [k, val] of Object.entries(c.facts)) facts[k] = str(val);
  // A code this version does not know (a newer report) is kept: describeCause words it neutrally.
  return {
    code: str(c.code) as CauseCode,
    confidence: (['certain', 'likely', 'possible'].includes(str(c.confidence)) ? c.confidence : 'possible') as
      'certain' | 'likely' | 'possible',
    facts,
  };
}

/** Valid entries in order, with unique ids; `dropped` counts what could not be read. */
export function sanitizeEntries(raw: unknown): { entries: LogEntry[]; dropped: number } {
  const list = Array.isArray(raw) ? raw : [];
  const entries: LogEntry[] = [];
  const ids = new Set<string>();
  let dropped = 0;
  list.forEach((x, i) => {
    const e = sanitizeEntry(x, i);
    if (!e) {
      dropped++;
      return;
    }
    while (ids.has(e.id)) e.id = `${e.id}~`;
    ids.add(e.id);
    entries.push(e);
  });
  return { entries, dropped };
}
