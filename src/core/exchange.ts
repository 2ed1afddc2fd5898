// Questions about one linked exchange that several layers ask: which preflight guarded a hop, and
// which response a symptom is about.
import type { Exchange, Hop, Preflight } from './types';
import type { Symptom } from './verdict';

/**
 * The preflight that guarded hop `hopIndex`. When the browser sent several for the same hop (a
 * retry), the last one is the one whose answer decided.
 */
export function preflightFor(ex: Exchange, hopIndex: number): Preflight | undefined {
  let found: Preflight | undefined;
  for (const p of ex.preflights) if (p.hopIndex === hopIndex) found = p;
  return found;
}

/** The response a symptom is about: the preflight's answer for a preflight symptom, else the hop's. */
export function failingResponse(ex: Exchange, s: Symptom): Hop | undefined {
  if (s.stage === 'preflight') return preflightFor(ex, s.hopIndex)?.hop;
  return ex.hops[s.hopIndex];
}
