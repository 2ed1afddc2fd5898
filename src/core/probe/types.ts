// What a Probe (one extra request sent from the inspected page) found, and the link between an
// entry and its Retry. Plain data: stored on the original entry's verdict, rendered by the panel,
// written by every export.
import type { Hop } from '../types';
import type { CauseRef, Confidence, Outcome } from '../verdict';

/** The request header that marks a probe; its value is the probe's unique id. */
export const PROBE_HEADER = 'X-Cors-Lens-Probe';

/**
 * What the probe's answer shows about the server's CORS layer for this URL and origin:
 * - `origin-rejected`: a CORS layer answers and does not allow the origin;
 * - `route-without-cors`: the CORS layer allows the origin on the preflight, the route's own response lacks it;
 * - `no-cors-layer`: nothing answers the preflight with any CORS header;
 * - `origin-allowed`: the CORS layer allows the origin, and the original's own cause stands;
 * - `inconclusive`: no usable answer (server down, timeout, redirect, 5xx, the page changed).
 */
export type ProbeKind = 'origin-rejected' | 'route-without-cors' | 'no-cors-layer' | 'origin-allowed' | 'inconclusive';

export interface ProbeFinding {
  probeId: string;
  /** When the probe's answer was judged (ms since epoch). */
  at: number;
  kind: ProbeKind;
  /** One line in plain words: what the probe's answer showed. */
  summary: string;
  /** The cause before the probe (the original's own, from its headers alone). */
  before?: CauseRef;
  /** The refined cause, when the probe changed or confirmed it (also the verdict's cause). */
  after?: CauseRef;
  /** The probe's own outcome as the engine judged it. */
  outcome: Outcome;
  /** The probe's own symptom (Chromium's CorsError name), when it was blocked. */
  corsError?: string;
  /** The Firefox console reason that matches the probe's failure, as the engine judged it. */
  firefoxReason?: string;
  /** The probe's preflight as sent and answered (absent when none went on the wire). */
  preflight?: Hop;
  /** The probe's actual OPTIONS request, when the preflight let it through. */
  actual?: Hop;
  /** The network error that ended the probe, if any. */
  error?: string;
  /**
   * Origins that differ from the page origin in the ways people misspell it (trailing slash,
   * scheme, port, localhost vs 127.0.0.1): the page cannot tell which one the server lists.
   */
  suspects?: string[];
  /** The `cors-lens probe …` line that finds the accepted origin from a terminal. */
  command?: string | null;
}

/** The outcome of the latest Retry of an entry, kept on the original. */
export interface RetryLink {
  /** Entry id of the retry. */
  id: string;
  outcome: Outcome;
  /** The retry's cause title and confidence, when it failed. */
  cause?: CauseRef;
  at: number;
}

export type { Confidence };
