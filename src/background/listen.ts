// webRequest listeners. They run for every request the browser makes, so the work per event is
// kept small: normalize, link, judge, index; writes and panel messages are batched elsewhere.
//
// Only four events are registered: they carry everything the verdict needs (request headers with
// Origin/Cookie, response headers with every Access-Control-*, the end state). onBeforeRequest,
// onBeforeSendHeaders, onResponseStarted and onBeforeRedirect add nothing the linker uses but cost
// a browser→extension message per request each (measured: 8 events ~2.3× page time vs 4 ~2.0×).
// Chrome needs "extraHeaders" or it hides preflights, the Origin header and failing responses.
//
// registrations() is also what bench/bare-extension registers (with empty listeners), so the
// benchmark's "bare listener" profile is exactly this one. Which tabs they listen to is scope.ts's
// business (a tabId filter, or none).

import type { EventKind } from '../core/types';

export type QueuedEvent = [EventKind, Record<string, unknown>];

export const FILTER = { urls: ['<all_urls>'] };

type WebRequestEvent = 'onSendHeaders' | 'onHeadersReceived' | 'onCompleted' | 'onErrorOccurred';

export interface Registration {
  event: WebRequestEvent;
  kind: EventKind;
  /** extraInfoSpec; null = call addListener without one (Firefox's onErrorOccurred throws on any array). */
  spec: string[] | null;
}

export function registrations(browser: 'chrome' | 'firefox'): Registration[] {
  const extra = browser === 'chrome' ? ['extraHeaders'] : [];
  return [
    { event: 'onSendHeaders', kind: 'sendHeaders', spec: ['requestHeaders', ...extra] },
    { event: 'onHeadersReceived', kind: 'headersReceived', spec: ['responseHeaders', ...extra] },
    { event: 'onCompleted', kind: 'completed', spec: ['responseHeaders', ...extra] },
    { event: 'onErrorOccurred', kind: 'errorOccurred', spec: extra.length ? extra : null },
  ];
}

/**
 * Registers `handler(kind)` for every event above on `webRequest` (the browser's, or a fake), with
 * `filter` (default: every URL of every tab). Returns a function that removes exactly these
 * listeners again.
 */
export function register(
  webRequest: typeof chrome.webRequest,
  browser: 'chrome' | 'firefox',
  handler: (kind: EventKind) => (details: object) => undefined,
  filter: object = FILTER,
): () => void {
  const added: Array<[{ removeListener(cb: (d: object) => undefined): void }, (d: object) => undefined]> = [];
  for (const r of registrations(browser)) {
    const ev = webRequest[r.event] as unknown as {
      addListener(cb: (d: object) => undefined, filter: object, spec?: string[]): void;
      removeListener(cb: (d: object) => undefined): void;
    };
    const cb = handler(r.kind);
    if (r.spec) ev.addListener(cb, filter, r.spec);
    else ev.addListener(cb, filter);
    added.push([ev, cb]);
  }
  return () => {
    for (const [ev, cb] of added) ev.removeListener(cb);
  };
}
