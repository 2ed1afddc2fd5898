// One-line wording of a verdict for lists: the symptom in the browser's terms, then the root cause
// from the catalogue (one source of truth: src/core/symptoms.ts and src/core/causes.ts).
import { describeCause } from './causes';
import { uncertainLabel } from './outcome';
import { describeSymptom } from './symptoms';
import type { Verdict } from './verdict';

export function verdictSummary(v: Verdict): string {
  const cause = v.cause ? describeCause(v.cause) : null;
  switch (v.outcome) {
    case 'not-cors':
      return cause?.title ?? `Not CORS: ${v.networkError ?? 'network error'}`;
    case 'pending':
      return 'Pending';
    case 'pass': {
      const blockedBranch = v.branches?.find((b) => b.outcome === 'blocked');
      const base = v.preflight.fromCache ? 'Allowed (preflight answered from cache)' : 'Allowed';
      if (blockedBranch?.symptom)
        return `${base} — but blocked if sent with credentials: ${describeSymptom(blockedBranch.symptom, { url: '', origin: '', method: '' }).short}`;
      return v.warnings.length ? `${base}, ${v.warnings.length} warning${v.warnings.length > 1 ? 's' : ''}` : base;
    }
    case 'uncertain': {
      // Both outcomes, blocking one first: never read as a pass.
      const short = v.symptom
        ? describeSymptom(v.symptom, { url: '', origin: '', method: '' }).short
        : 'rule not identified';
      return `${uncertainLabel(v)}: ${short}${cause ? ` — ${cause.title}` : ''} (the browser gave no failure signal; the credentials mode is not visible)`;
    }
    case 'blocked': {
      if (!v.symptom) return cause?.title ?? 'Blocked (rule not identified)';
      const short = describeSymptom(v.symptom, { url: '', origin: '', method: '' }).short;
      const uncertain = v.branches ? ' (depends on credentials)' : '';
      return cause ? `${short} — ${cause.title}${uncertain}` : `${short}${uncertain}`;
    }
  }
}
