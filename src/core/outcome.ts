// How every consumer (panel list and counts, exports, CLI) reads a verdict's outcome, so that an
// uncertain verdict — blocked under one credentials assumption, allowed under the other, with no
// failure signal from the browser — is never shown, counted or exported as a pass.
import type { Branch, Outcome, Verdict } from './verdict';

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
  return 'Blocked if credentialed';
}

/** The sentence for a headline: both outcomes, in words. */
export function uncertainSentence(v: Pick<Verdict, 'outcome' | 'branches'>): string {
  const u = uncertainBranches(v);
  if (u && u.blocked.assumption === 'credentials-omit') return 'Blocked if sent without credentials, allowed with them';
  return 'Blocked if sent with credentials, allowed without them';
}

/** The outcome in one or two words, for lists, text exports and the CLI. */
export function outcomeLabel(v: Pick<Verdict, 'outcome' | 'branches'>): string {
  switch (v.outcome) {
    case 'pass':
      return 'Allowed';
    case 'blocked':
      return 'Blocked';
    case 'uncertain':
      return uncertainLabel(v);
    case 'not-cors':
      return 'Not CORS';
    case 'pending':
      return 'Pending';
  }
}
