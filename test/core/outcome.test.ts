import { describe, expect, it } from 'vitest';
import { countsAsBlocked, outcomeLabel, uncertainLabel, uncertainSentence } from '../../src/core/outcome';
import { verdictSummary } from '../../src/core/summary';
import type { Branch, Verdict } from '../../src/core/verdict';

const inc = (outcome: Branch['outcome']): Branch => ({ assumption: 'credentials-include', outcome });
const omit = (outcome: Branch['outcome']): Branch => ({ assumption: 'credentials-omit', outcome });
const base: Verdict = {
  outcome: 'uncertain',
  credentials: 'unknown',
  preflight: { needed: false, reasons: [], seen: false, fromCache: false },
  evidence: [],
  warnings: [],
};

describe('outcome helpers', () => {
  it('count blocked and uncertain as blocked, nothing else', () => {
    expect((['pass', 'blocked', 'uncertain', 'not-cors', 'pending'] as const).filter(countsAsBlocked)).toEqual([
      'blocked',
      'uncertain',
    ]);
  });
  it('name both outcomes, the blocking assumption first', () => {
    const v = { ...base, branches: [omit('pass'), inc('blocked')] };
    expect(uncertainLabel(v)).toBe('Blocked if credentialed');
    expect(uncertainSentence(v)).toBe('Blocked if sent with credentials, allowed without them');
    const r = { ...base, branches: [omit('blocked'), inc('pass')] };
    expect(uncertainLabel(r)).toBe('Blocked unless credentialed');
    expect(outcomeLabel(r)).toBe('Blocked unless credentialed');
    expect(outcomeLabel({ ...base, outcome: 'pass' })).toBe('Allowed');
  });
  it('never summarise an uncertain verdict as allowed', () => {
    const v: Verdict = {
      ...base,
      branches: [omit('pass'), inc('blocked')],
      symptom: { corsError: 'WildcardOriginNotAllowed', failedParameter: '*', stage: 'response', hopIndex: 0 },
    };
    const s = verdictSummary(v);
    expect(s).toMatch(/^Blocked if credentialed: /);
    expect(s).not.toMatch(/^Allowed/);
  });
});
