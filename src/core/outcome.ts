// How every consumer (panel list and counts, exports, CLI) reads a verdict's outcome, so that an
// uncertain verdict — blocked under one credentials assumption, allowed under the other, with no
// failure signal from the browser — is never shown, counted or exported as a pass.
import type { Branch, Outcome, Verdict } from './verdict';

/** Each outcome in one or two words: the one table the panel, exports and CLI read. */
export const OUTCOME_LABEL: Readonly<Record<Outcome, string>> = {
  pass: 'Allowed',
  blocked: 'Blocked',
  uncertain: 'Blocked if credentialed',
  'not-cors': 'Not CORS',
  pending: 'Pending',
};

/** The outcome as a check's result, for the CLI's status line (which upper-cases it). */
export const OUTCOME_RESULT: Readonly<Record<Outcome, string>> = {
  ...OUTCOME_LABEL,
  pass: 'Pass',
  pending: 'Not decided',
};

/** Blocked, or possibly blocked: what the "Blocked" filter, its count and "blocked only" exports keep. */
export function countsAsBlocked(o: Outcome): o is 'blocked' | 'uncertain' {
  return o === 'blocked' || o === 'uncertain';
}

/** The assumption under which an uncertain verdict blocks, and the one under which it passes. */
export function uncertainBranches(
  v: Pick<Verdict, 'outcome' | 'branches'>,
): { blocked: Branch; passed: Branch } | null {
  if (v.outcome !== 'uncertain') return null;
  const blocked = v.branches?.find((b) => b.outcome === 'blocked');
  const passed = v.branches?.find((b) => b.outcome === 'pass');
  return blocked && passed ? { blocked, passed } : null;
}

/**
 * The short label naming both outcomes: "Blocked if credentialed" (the usual case: `*` or no
 * Access-Control-Allow-Credentials), or "Blocked unless credentialed" for the reverse.
 */
export function uncertainLabel(v: Pick<Verdict, 'outcome' | 'branches'>): string {
  const u = uncertainBranches(v);
  if (u && u.blocked.assumption === 'credentials-omit') return 'Blocked unless credentialed';
  return OUTCOME_LABEL.uncertain;
}

/** The sentence for a headline: both outcomes, in words. */
export function uncertainSentence(v: Pick<Verdict, 'outcome' | 'branches'>): string {
  const u = uncertainBranches(v);
  if (u && u.blocked.assumption === 'credentials-omit') return 'Blocked if sent without credentials, allowed with them';
  return 'Blocked if sent with credentials, allowed without them';
}

/** The outcome in one or two words, for lists, text exports and the CLI; an uncertain one names its branches. */
export function outcomeLabel(v: Pick<Verdict, 'outcome' | 'branches'>): string {
  return v.outcome === 'uncertain' ? uncertainLabel(v) : OUTCOME_LABEL[v.outcome];
}

/** The outcome as a check's result (CLI): "Pass", "Blocked", "Blocked if credentialed"… */
export function outcomeResult(v: Pick<Verdict, 'outcome' | 'branches'>): string {
  return v.outcome === 'uncertain' ? uncertainLabel(v) : OUTCOME_RESULT[v.outcome];
}
