// webRequest listeners. They run for every request the browser makes, so the work per event is
// kept small: normalize, link, judge, index; writes and panel messages are batched elsewhere.
//
// Only four events are registered: they carry everything the verdict needs (request headers with
// Origin/Cookie, response headers with every Access-Control-*, the end state). onBeforeRequest,
// onBeforeSendHeaders, onResponseStarted and onBeforeRedirect add nothing the linker uses but cost
// a browser→extension message per request each (measured: 8 events ~2.3× page time vs 4 ~2.0×).
// Chrome needs "extraHeaders" or it hides preflights, the Origin header and failing responses.
//
// REGISTRATIONS is also what bench/bare-extension registers (with empty listeners), so the
// benchmark's "bare listener" profile is exactly this one.

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

/** Registers `handler(kind)` for every event above on `webRequest` (the browser's, or a fake). */
export function register(webRequest: typeof chrome.webRequest, browser: 'chrome' | 'firefox', handler: (kind: EventKind) => (details: object) => undefined): void {
  for (const r of registrations(browser)) {
    const ev = webRequest[r.event] as unknown as { addListener(cb: (d: object) => undefined, filter: object, spec?: string[]): void };
    if (r.spec) ev.addListener(handler(r.kind), FILTER, r.spec);
    else ev.addListener(handler(r.kind), FILTER);
  }
}

/**
 * Registers the listeners; each event goes straight to `onEvent`. No batching timer: a setTimeout
 * per event cost as much as the rest of our per-event work (profiled), and the browser does not
 * wait for non-blocking listeners anyway. Events that arrive while the background is still
 * restoring its state are queued and sorted by the caller (index.ts).
 */
export function listen(webRequest: typeof chrome.webRequest, onEvent: (kind: EventKind, details: Record<string, unknown>) => void): void {
  register(webRequest, __BROWSER__, (kind) => (details) => {
    onEvent(kind, details as Record<string, unknown>);
    return undefined;
  });
}
