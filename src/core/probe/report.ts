// The Probe and Retry as exports write them (JSON report, Markdown): the finding with its causes in
// words and the probe's own request/response, credentials headers left out.
import type { Header, Hop } from '../types';
import type { CauseRef, Verdict } from '../verdict';
import type { ProbeFinding } from './types';

const SECRET = new Set(['cookie', 'authorization', 'proxy-authorization']);

export interface ReportProbeHop {
  method: string;
  url: string;
  status: number | null;
  requestHeaders: Header[] | null;
  responseHeaders: Header[] | null;
}

export type ReportProbe<C> = Omit<ProbeFinding, 'before' | 'after' | 'preflight' | 'actual'> & {
  before?: C;
  after?: C;
  preflight?: ReportProbeHop;
  actual?: ReportProbeHop;
};

function hop(h: Hop | undefined): ReportProbeHop | undefined {
  if (!h) return undefined;
  return {
    method: h.method,
    url: h.url,
    status: h.statusCode ?? null,
    requestHeaders: h.requestHeaders ? h.requestHeaders.filter((x) => !SECRET.has(x.name.toLowerCase())) : null,
    responseHeaders: h.responseHeaders ?? null,
  };
}

/** The finding for a report, causes rendered by `cause` (the report's own cause text). */
export function reportProbe<C>(f: ProbeFinding, cause: (r: CauseRef) => C): ReportProbe<C> {
  const { before, after, preflight, actual, ...rest } = f;
  const out: ReportProbe<C> = { ...rest };
  if (before) out.before = cause(before);
  if (after) out.after = cause(after);
  const p = hop(preflight);
  if (p) out.preflight = p;
  const a = hop(actual);
  if (a) out.actual = a;
  return out;
}

/** Markdown lines for the probe and retry of a verdict (empty when there is none). */
export function probeMarkdown(
  v: Verdict,
  text: (s: string) => string,
  code: (s: string) => string,
  causeTitle: (r: CauseRef) => string,
): string[] {
  const out: string[] = [];
  const f = v.probe;
  if (f) {
    out.push(`**From a probe** (${text(f.kind)}): ${text(f.summary)}`);
    if (f.after)
      out.push(
        `- **Refined cause:** ${text(causeTitle(f.after))} (${f.after.confidence})${f.before ? ` — from the headers alone: ${text(causeTitle(f.before))} (${f.before.confidence})` : ''}`,
      );
    for (const [label, h] of [
      ['Probe preflight', f.preflight],
      ['Probe request', f.actual],
    ] as const) {
      if (!h) continue;
      const resp = (h.responseHeaders ?? []).map((x) => `${x.name}: ${x.value}`).join('; ');
      out.push(
        `- **${label}:** ${code(`${h.method} ${h.url}`)} → ${h.statusCode ?? 'no response'}${resp ? ` · ${code(resp)}` : ''}`,
      );
    }
    if (f.error) out.push(`- **Probe error:** ${code(f.error)}`);
    if (f.suspects?.length)
      out.push(`- **Usual near misses of the origin:** ${f.suspects.map((s) => code(s)).join(', ')}`);
    if (f.command) out.push(`- **Find the accepted origin:** ${code(f.command)}`);
  }
  if (v.retryOf) out.push(`**Retry of** entry ${code(v.retryOf)}.`);
  if (v.retry)
    out.push(
      `**Latest retry** (entry ${code(v.retry.id)}): ${v.retry.outcome === 'pass' ? 'now passes' : text(v.retry.outcome)}${v.retry.cause ? ` — ${text(causeTitle(v.retry.cause))}` : ''}`,
    );
  return out;
}

/** Back from a report (re-open): the finding as the panel shows it. */
export function probeFromReport<C>(r: ReportProbe<C>, cause: (c: C) => CauseRef): ProbeFinding {
  const { before, after, preflight, actual, ...rest } = r;
  const f: ProbeFinding = { ...rest };
  if (before) f.before = cause(before);
  if (after) f.after = cause(after);
  const back = (h: ReportProbeHop): Hop => {
    const out: Hop = { method: h.method, url: h.url };
    if (h.status !== null) out.statusCode = h.status;
    if (h.requestHeaders) out.requestHeaders = h.requestHeaders;
    if (h.responseHeaders) out.responseHeaders = h.responseHeaders;
    return out;
  };
  if (preflight) f.preflight = back(preflight);
  if (actual) f.actual = back(actual);
  return f;
}
