// Plain data shared by every layer. No browser APIs here: the background turns webRequest
// details into these records, the pure core links and judges them, the panel renders them.

import type { PageObservation } from './pageview';

export type BrowserName = 'chrome' | 'firefox';

/** One header line as the browser reported it (name casing preserved, duplicates kept). */
export interface Header {
  name: string;
  value: string;
}

/** The webRequest events CORS Lens listens to (see src/background/listen.ts for why only these). */
export type EventKind = 'sendHeaders' | 'headersReceived' | 'completed' | 'errorOccurred';

/**
 * One webRequest event, normalized. Fields are copied from the browser's details object;
 * optional ones are absent when that event does not carry them.
 */
export interface EventRecord {
  kind: EventKind;
  /** Browser-wide request id (string in both browsers' APIs). */
  requestId: string;
  tabId: number;
  frameId: number;
  url: string;
  method: string;
  /** webRequest resource type: xmlhttprequest, script, image, … */
  type: string;
  /** Milliseconds since epoch, from the browser. */
  timeStamp: number;
  /** Origin of the context that started the request (Chrome `initiator`, Firefox origin of `originUrl`). */
  initiator?: string;
  /** URL of the document the request belongs to (Chrome `documentUrl`, Firefox `documentUrl`). */
  documentUrl?: string;
  requestHeaders?: Header[];
  responseHeaders?: Header[];
  statusCode?: number;
  statusLine?: string;
  /** `net::ERR_FAILED`, `NS_ERROR_DOM_BAD_URI`, … */
  error?: string;
  fromCache?: boolean;
  ip?: string;
}

/** What the browser sent and got back on one hop (one URL) of a request. */
export interface Hop {
  url: string;
  method: string;
  /** Undefined when the request headers of this hop were never reported. */
  requestHeaders?: Header[];
  statusCode?: number;
  statusLine?: string;
  responseHeaders?: Header[];
  ip?: string;
  fromCache?: boolean;
}

/** The OPTIONS request that guards an actual request, if it went on the wire. */
export interface Preflight {
  requestId: string;
  /** Index of the actual request's hop this preflight guarded (a redirect may need a new preflight). */
  hopIndex: number;
  hop: Hop;
  /** The preflight's own network error, if it had one (e.g. connection refused). */
  error?: string;
  /** Redirect target when the preflight was answered with a 3xx (never allowed). */
  redirectedTo?: string;
  state: 'pending' | 'completed' | 'error';
}

export type ExchangeState = 'pending' | 'completed' | 'error';

/**
 * An actual request with everything linked to it: its hops (redirect chain), the
 * preflights seen for it, and how it ended.
 */
export interface Exchange {
  /** Stable id: `${requestId}` of the actual request. */
  id: string;
  requestId: string;
  browser: BrowserName;
  tabId: number;
  frameId: number;
  type: string;
  method: string;
  /** URL as first requested. */
  url: string;
  /** Origin of the page that made the request, best evidence first (Origin header, initiator, document). */
  pageOrigin?: string;
  documentUrl?: string;
  startTime: number;
  endTime?: number;
  hops: Hop[];
  preflights: Preflight[];
  state: ExchangeState;
  error?: string;
  /** What the page itself saw of this request (opt-in page view; src/core/pageview.ts). */
  page?: PageObservation;
}
