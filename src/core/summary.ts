// One-line wording of a verdict for lists. (The cause catalogue supplies the full texts.)
import type { Verdict } from './verdict';

export function verdictSummary(v: Verdict): string {
  if (v.outcome === 'not-cors') return `Not CORS: ${v.networkError ?? 'network error'}`;
  if (v.outcome === 'pending') return 'Pending';
  if (v.outcome === 'pass') return 'Allowed';
  const s = v.symptom;
  if (!s) return 'Blocked (rule not identified)';
  const p = s.failedParameter;
  switch (s.corsError) {
    case 'MissingAllowOriginHeader':
      return 'No Access-Control-Allow-Origin header';
    case 'PreflightMissingAllowOriginHeader':
      return 'Preflight: no Access-Control-Allow-Origin header';
    case 'AllowOriginMismatch':
      return `Access-Control-Allow-Origin "${p}" does not match the page origin`;
    case 'PreflightAllowOriginMismatch':
      return `Preflight: Access-Control-Allow-Origin "${p}" does not match the page origin`;
    default:
      return p ? `${s.corsError} (${p})` : s.corsError;
  }
}
