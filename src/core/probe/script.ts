// The code the panel evaluates in the inspected page (devtools.inspectedWindow.eval) to send a
// Probe or a Retry from the page itself, so the browser adds the page's real Origin and preflight.
// Every value from the log is embedded as a JSON literal: a hostile URL or header value stays data.
// The code only starts the fetch and answers at once (eval cannot await); the background sees the
// exchange through webRequest like any other. A timeout aborts a hanging request, so nothing waits
// forever.
import { getHeader } from '../headers';
import { parseRequestHeaderList, unsafeRequestHeaders } from '../fetch/safelist';
import type { LogEntry } from '../log';
import { PROBE_HEADER } from './types';

export const PROBE_TIMEOUT_MS = 8000;
export const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];

/** What the evaluated code returns synchronously. */
export type PageAnswer =
  | { ok: true; origin: string }
  | { ok: false; reason: 'not-http' | 'other-origin' | 'threw'; origin?: string; message?: string };

export type FetchCredentials = 'include' | 'omit' | 'same-origin';

/** Credentials as the original request had them, where known; fetch's default otherwise. */
export function credentialsOf(e: LogEntry): FetchCredentials {
  return e.verdict.credentials === 'include'
    ? 'include'
    : e.verdict.credentials === 'not-include'
      ? 'omit'
      : 'same-origin';
}

/** The frame to evaluate in: the document that made the request, when it was not the top frame. */
export function frameUrlOf(e: LogEntry): string | undefined {
  const ex = e.exchange;
  return ex.frameId !== 0 && ex.documentUrl && /^https?:/i.test(ex.documentUrl) ? ex.documentUrl : undefined;
}

function pageCode(
  expectOrigin: string | undefined,
  url: string,
  init: Record<string, unknown>,
  timeoutMs: number,
): string {
  const j = JSON.stringify;
  return `(function () {
  var p = location.protocol;
  if (p !== 'http:' && p !== 'https:') return { ok: false, reason: 'not-http', origin: String(location.origin) };
  var expect = ${j(expectOrigin ?? null)};
  if (expect !== null && location.origin !== expect) return { ok: false, reason: 'other-origin', origin: String(location.origin) };
  try {
    var init = ${j(init)};
    if (typeof AbortSignal !== 'undefined' && AbortSignal.timeout) init.signal = AbortSignal.timeout(${Math.max(1, Math.floor(timeoutMs))});
    fetch(${j(url)}, init).then(function (r) { return r.arrayBuffer(); }).then(null, function () {});
  } catch (e) {
    return { ok: false, reason: 'threw', message: String(e && e.message || e).slice(0, 300) };
  }
  return { ok: true, origin: String(location.origin) };
})()`;
}

export interface ProbePlan {
  id: string;
  url: string;
  credentials: FetchCredentials;
  frameURL?: string;
  /** One line: what will be sent. */
  describe: string;
  code: string;
}

/** A unique probe id (letters and digits: a valid header value). */
export function newProbeId(rand: () => number = Math.random): string {
  let s = '';
  for (let i = 0; i < 12; i++) s += Math.floor(rand() * 36).toString(36);
  return `p${Date.now().toString(36)}${s}`;
}

export function planProbe(e: LogEntry, id: string, timeoutMs = PROBE_TIMEOUT_MS): ProbePlan {
  const ex = e.exchange;
  const credentials = credentialsOf(e);
  const init = {
    method: 'OPTIONS',
    headers: { [PROBE_HEADER]: id },
    credentials,
    cache: 'no-store',
    mode: 'cors',
    redirect: 'manual',
  };
  return {
    id,
    url: ex.url,
    credentials,
    frameURL: frameUrlOf(e),
    describe: `Sends OPTIONS ${ex.url} from the page with the header ${PROBE_HEADER} (credentials: ${credentials}): the browser preflights it with the page's Origin. Nothing is sent with the original method or body.`,
    code: pageCode(ex.pageOrigin, ex.url, init, timeoutMs),
  };
}

export interface RetryPlan {
  url: string;
  method: string;
  headers: Array<[string, string]>;
  credentials: FetchCredentials;
  frameURL?: string;
  /** Whether the user must confirm first (methods that may change data). */
  confirm: boolean;
  /** What is sent, and what cannot be (the body, unseen header values), in words. */
  notes: string[];
  code: string;
}

/**
 * The original request again: same method and URL, the page-set headers (CORS-unsafe ones and
 * Content-Type as sent; names only known from the preflight go with an empty value, which keeps
 * the preflight the same). Extensions never see the body, so it goes without one.
 */
export function planRetry(e: LogEntry, timeoutMs = PROBE_TIMEOUT_MS * 2): RetryPlan {
  const ex = e.exchange;
  const method = ex.hops[0]?.method ?? ex.method;
  const sent = ex.hops[0]?.requestHeaders;
  const headers: Array<[string, string]> = [];
  const notes: string[] = [];
  if (sent) {
    const names = new Set(unsafeRequestHeaders(sent).map((u) => u.name.toLowerCase()));
    for (const n of ['content-type', 'content-language']) if (getHeader(sent, n) !== null) names.add(n);
    for (const n of names) {
      const value = getHeader(sent, n);
      if (value !== null) headers.push([n, value]);
    }
  } else {
    const pre = ex.preflights.find((p) => p.hopIndex === 0) ?? ex.preflights[0];
    const unseen = parseRequestHeaderList(getHeader(pre?.hop.requestHeaders, 'access-control-request-headers'));
    for (const n of unseen) headers.push([n, '']);
    if (unseen.length)
      notes.push(
        `The browser never showed the values of ${unseen.join(', ')} (the request stopped at its preflight): they are sent empty, which asks the same preflight.`,
      );
  }
  const hasBody = !['GET', 'HEAD'].includes(method.toUpperCase());
  if (hasBody) notes.push('Sent without a body: browsers do not show request bodies to extensions.');
  const credentials = credentialsOf(e);
  const init = { method, headers: Object.fromEntries(headers), credentials, cache: 'no-store', mode: 'cors' };
  return {
    url: ex.url,
    method,
    headers,
    credentials,
    frameURL: frameUrlOf(e),
    confirm: !SAFE_METHODS.includes(method.toUpperCase()),
    notes,
    code: pageCode(ex.pageOrigin, ex.url, init, timeoutMs),
  };
}
