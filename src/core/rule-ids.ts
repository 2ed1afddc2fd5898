// The ids of the rows a verdict's evidence carries: the CORS rules the engine checks
// (src/core/fetch/rules.ts, walk.ts), the facts it records beside them, and the rows other
// producers add (the panel's unchecked headers, the CLI probe). Stable: exports carry them.
export const RULE_IDS = [
  // CORS rules, in the order the browser checks them
  'allow-origin',
  'allow-credentials',
  'preflight-no-redirect',
  'preflight-ok-status',
  'allow-methods-syntax',
  'allow-headers-syntax',
  'allow-methods',
  'allow-headers',
  'redirect-no-credentials',
  // what the request needed or how it went
  'preflight-needed',
  'preflight-cache',
  'preflight-response',
  'origin-after-redirect',
  'credentials-mode',
  'network',
  'browser-outcome',
  // rows added outside the engine
  'header',
  'not-sent',
  'origin-search',
  // a row from a saved report whose id this version does not know
  'other',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

const KNOWN: ReadonlySet<string> = new Set(RULE_IDS);
/** A rule id read from outside (an opened report): itself when this version knows it, else 'other'. */
export function toRuleId(x: string): RuleId {
  return KNOWN.has(x) ? (x as RuleId) : 'other';
}
