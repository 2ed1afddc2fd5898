// The facts each cause's text needs (src/core/causes.ts), as types: a verdict that names a cause
// without a fact its title, explanation or fix always uses does not compile. Facts a cause uses only
// in an optional `[[ … ]]` segment, or that the evidence may not show, stay optional.
import type { CauseCode } from './causes';
import type { CauseRef, Confidence } from './verdict';

/** Every fact a catalogue template may name. */
export type FactName =
  | 'origin'
  | 'requestOrigin'
  | 'target'
  | 'url'
  | 'method'
  | 'status'
  | 'header'
  | 'sent'
  | 'corrected'
  | 'difference'
  | 'allowed'
  | 'present'
  | 'allow'
  | 'location'
  | 'kind'
  | 'count'
  | 'error'
  | 'stage'
  | 'secure'
  | 'listed'
  | 'rejectedWith'
  | 'probeStatus'
  | 'allowOrigin'
  | 'advice'
  /** The origins the CLI's origin search found accepted (space-separated). */
  | 'accepted';

/** Facts as a verdict carries them (and as saved reports hold them). */
export type Facts = Partial<Record<FactName, string>>;

/** Facts where `K` must be known; any other fact may be given. */
type Needs<K extends FactName> = { [F in FactName]?: string | undefined } & Record<K, string>;
type Any = Needs<never>;

export interface CauseFacts {
  'no-cors-config': Needs<'origin' | 'target'>;
  'origin-not-allowed': Needs<'origin'>;
  'origin-typo': Needs<'sent' | 'requestOrigin' | 'corrected'>;
  'invalid-allow-origin': Needs<'sent' | 'corrected'>;
  'duplicate-allow-origin': Needs<'sent' | 'count'>;
  'allow-origin-list': Needs<'sent' | 'corrected'>;
  'wildcard-with-credentials': Needs<'origin' | 'header'>;
  'wildcard-lists-with-credentials': Needs<'header'>;
  'credentials-not-enabled': Needs<'sent'>;
  'method-not-allowed': Needs<'method' | 'allowed'>;
  'method-case': Needs<'method' | 'listed'>;
  'header-not-allowed': Needs<'header' | 'allowed'>;
  'invalid-allow-methods': Needs<'sent'>;
  'invalid-allow-headers': Needs<'sent'>;
  'preflight-auth': Needs<'status'>;
  'preflight-not-routed': Needs<'status' | 'url'>;
  'preflight-without-cors': Needs<'status' | 'url'>;
  'preflight-redirected': Needs<'location' | 'kind'>;
  /** The status may be unknown when Firefox alone failed the preflight. */
  'preflight-bad-status': Any;
  'server-error-without-cors': Needs<'status'>;
  'redirect-without-cors': Needs<'status'>;
  'origin-null-after-redirect': Needs<'origin' | 'target' | 'url'>;
  'redirect-credentials-in-url': Needs<'location'>;
  'local-network-access': Needs<'origin' | 'target' | 'secure'>;
  'blocked-unidentified': Any;
  unreachable: Needs<'error' | 'target'>;
  'blocked-by-client': Needs<'error'>;
  'mixed-content': Any;
  'certificate-error': Needs<'error' | 'target'>;
  'request-aborted': Needs<'error'>;
  'network-error': Needs<'error'>;
  'cors-not-on-route': Needs<'origin' | 'url'>;
  'warn-wildcard-authorization': Needs<'url' | 'sent'>;
  'warn-missing-vary-origin': Needs<'url' | 'origin'>;
  'warn-reflect-any-origin-credentials': Needs<'url' | 'origin'>;
}

// Every code has an entry (and nothing else does): checked by the compiler.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const everyCodeHasFacts: Exact<keyof CauseFacts, CauseCode> = true;
void everyCodeHasFacts;

/** A cause reference with the facts its text needs; unknown (undefined) facts are left out. */
export function causeRef<C extends CauseCode>(code: C, confidence: Confidence, facts: CauseFacts[C]): CauseRef {
  // Callers pass a fresh object literal: it is kept as is unless a fact is unknown (copying every
  // fact showed in the engine's profile, bench/engine.ts).
  let unknown = false;
  for (const k in facts) if (facts[k as FactName] === undefined) unknown = true;
  if (!unknown) return { code, confidence, facts };
  const known: Facts = {};
  for (const k in facts) {
    const v = facts[k as FactName];
    if (v !== undefined) known[k as FactName] = v;
  }
  return { code, confidence, facts: known };
}
