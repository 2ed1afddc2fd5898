// Small pure formatting helpers shared by the list, the detail and the text export.
import { uncertainLabel } from '../core/outcome';
import type { LogEntry } from '../core/log';
import { originOf } from '../core/origin';
import { describeExchangeSymptom, type SymptomText } from '../core/symptoms';
import type { Hop } from '../core/types';

/** The URL as origin (dimmed in the list) and the rest (path and query, prominent). */
export function splitUrl(url: string): { origin: string; rest: string } {
  const o = originOf(url);
  if (o && url.startsWith(o)) return { origin: o, rest: url.slice(o.length) || '/' };
  return { origin: '', rest: url };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local wall-clock time with milliseconds, like the Network panel's timing tooltips. */
export function clock(ms: number | undefined): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '';
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function lastHop(e: LogEntry): Hop | undefined {
  const hops = e.exchange.hops ?? [];
  return hops[hops.length - 1];
}

/** The status the list shows: the preflight's when the preflight failed (the request never went). */
export function statusOf(e: LogEntry): { text: string; preflight: boolean } {
  const ex = e.exchange;
  const pre = ex.preflights?.[ex.preflights.length - 1];
  if (e.verdict.symptom?.stage === 'preflight' && pre) {
    if (pre.hop?.statusCode !== undefined) return { text: String(pre.hop.statusCode), preflight: true };
    if (pre.error) return { text: '(failed)', preflight: true };
  }
  const hop = lastHop(e);
  if (hop?.statusCode !== undefined) return { text: String(hop.statusCode), preflight: false };
  if (ex.state === 'pending') return { text: '(pending)', preflight: false };
  return { text: '(failed)', preflight: false };
}

export function symptomText(e: LogEntry): SymptomText | null {
  const s = e.verdict.symptom;
  return s ? describeExchangeSymptom(e.exchange, s) : null;
}

/** The symptom in a few words for the list. */
export function shortSymptom(e: LogEntry): string {
  const v = e.verdict;
  switch (v.outcome) {
    case 'pass':
      return 'Allowed';
    case 'pending':
      return 'Pending';
    case 'uncertain':
      // Both outcomes in the row itself: never "Allowed" for a request that may have been blocked.
      return `${uncertainLabel(v)}: ${symptomText(e)?.short ?? 'rule not identified'}`;
    case 'not-cors':
      return `Not CORS: ${v.networkError ?? e.exchange.error ?? 'network error'}`;
    default:
      return symptomText(e)?.short ?? 'Blocked (rule not identified)';
  }
}

/** The verdict is not certain: credentials mode unknown, or the cause is only possible. */
export function isUncertain(e: LogEntry): boolean {
  const v = e.verdict;
  return (v.branches?.length ?? 0) > 0 || v.cause?.confidence === 'possible';
}

export function stageLabel(stage: string, hopIndex: number, hops: number): string {
  const hop = hops > 1 ? ` (hop ${hopIndex + 1})` : '';
  switch (stage) {
    case 'preflight':
      return `Preflight${hop}`;
    case 'redirect':
      return `Redirect${hop}`;
    case 'request':
      return `Request${hop}`;
    default:
      return `Response${hop}`;
  }
}

export function isAccessControl(name: string): boolean {
  return /^access-control-/i.test(name);
}
