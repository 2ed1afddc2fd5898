// Small pure formatting helpers shared by the list, the detail and the text export.
import { originOf } from '../core/origin';

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

// The list's status and symptom words are computed once per entry version for its row (src/core/row.ts).
export { isUncertain, lastHop, shortSymptom, statusOf, symptomText } from '../core/row';

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
