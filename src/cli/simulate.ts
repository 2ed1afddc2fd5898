// The browser, played from the command line: the requests Chromium sends for one fetch() from a page
// origin — the preflight when one is needed, the request, each redirect hop — written down as the
// same webRequest event records the background receives. Whether the browser goes on after a step
// is decided by the core's own walk (src/core/fetch/walk.ts) on what was linked so far: no second
// CORS check lives here. https://fetch.spec.whatwg.org/#main-fetch, #http-redirect-fetch
import { walk } from '../core/fetch/walk';
import { isSafelistedMethod, unsafeRequestHeaders } from '../core/fetch/safelist';
import { Linker } from '../core/linker';
import { originOf } from '../core/origin';
import type { EventKind, EventRecord, Exchange, Header } from '../core/types';
import type { ProbeOptions } from './args';
import { send, type HttpResult } from './http';

export const USER_AGENT = 'cors-lens (+https://github.com/cors-lens/cors-lens)';
/** Chromium's redirect limit (net::ERR_TOO_MANY_REDIRECTS after 20). */
const MAX_REDIRECTS = 20;
export const TAB_ID = 1;
const ACTUAL_ID = 100;

/** What goes on the wire: the probe options without the output choices. */
export type ProbeRequest = Pick<
  ProbeOptions,
  'url' | 'origin' | 'method' | 'headers' | 'credentials' | 'cookie' | 'send' | 'timeoutMs'
>;

/** One request that went on the wire. */
export interface WireRecord {
  role: 'preflight' | 'request';
  method: string;
  url: string;
  requestHeaders: Header[];
  result: HttpResult;
  ms: number;
}

export interface Simulation {
  /** Events as the browser reports them, for the credentials mode the wire followed. */
  events: EventRecord[];
  /** When credentials are unknown and `include` stops earlier than `omit`: that branch's events. */
  includeEvents: EventRecord[] | null;
  wire: WireRecord[];
  /** The actual request was not sent (unsafe method without --send): which one. */
  notSent: { method: string; url: string; preflightSent: boolean } | null;
  /** Ended by a network error (not CORS). */
  networkError: string | null;
}

const REQUEST_BODY_HEADERS = ['content-encoding', 'content-language', 'content-location', 'content-type'];

export function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** Links events into the exchange the background would build (fresh linker: one request). */
export function linkEvents(events: readonly EventRecord[]): Exchange | null {
  const linker = new Linker({ browser: 'chrome' });
  let ex: Exchange | null = null;
  for (const ev of events) {
    const r = linker.ingest({ ...ev });
    if (r?.kind === 'exchange') ex = r.exchange;
  }
  return ex;
}

/** Sec-Fetch-Site as Chromium computes it for a request from `origin` to `url`. */
function fetchSite(origin: string, url: string): string {
  const target = originOf(url);
  if (origin === 'null' || !target) return 'cross-site';
  if (target === origin) return 'same-origin';
  const host = (o: string) => new URL(o).hostname;
  const site = (h: string) => h.split('.').slice(-2).join('.');
  return new URL(origin).protocol === new URL(target).protocol && site(host(origin)) === site(host(target))
    ? 'same-site'
    : 'cross-site';
}

export async function simulate(req: ProbeRequest): Promise<Simulation> {
  const events: EventRecord[] = [];
  const wire: WireRecord[] = [];
  const out: Simulation = { events, includeEvents: null, wire, notSent: null, networkError: null };
  const base = {
    tabId: TAB_ID,
    frameId: 0,
    type: 'xmlhttprequest',
    initiator: req.origin,
    ...(req.origin !== 'null' ? { documentUrl: `${req.origin}/` } : {}),
  };
  const actualId = String(ACTUAL_ID);
  let nextPreflightId = ACTUAL_ID + 1;
  const push = (kind: EventKind, requestId: string, url: string, method: string, extra: Partial<EventRecord> = {}) => {
    events.push({ kind, requestId, url, method, timeStamp: Date.now(), ...base, ...extra });
  };
  const wireInclude = req.credentials === 'include';
  /** Where the `include` branch stops, when it stops before the wire's branch (credentials unknown). */
  let includeStop: { at: number; url: string; method: string } | null = null;
  /** Whether the browser stops now, under each credentials assumption (the core's walk decides). */
  const stops = (url: string, method: string, hopHeaders: Header[]): boolean => {
    // Before the request's own events (Chrome reports a request only once its preflight passed),
    // a stand-in sendHeaders lets the linker attach the preflight; it does not change the walk.
    const announced = events.some((e) => e.requestId === actualId && e.kind === 'sendHeaders' && e.url === url);
    const standIn: EventRecord = {
      kind: 'sendHeaders',
      requestId: actualId,
      url,
      method,
      timeStamp: Date.now(),
      ...base,
      requestHeaders: [{ name: 'Origin', value: req.origin }, ...hopHeaders],
    };
    const ex = linkEvents(announced ? events : [...events, standIn]);
    if (!ex) return false;
    const blocked = (include: boolean) => walk(ex, include, 'chrome', false).outcome === 'blocked';
    if (req.credentials === 'unknown' && !includeStop && blocked(true))
      includeStop = { at: events.length, url, method };
    return blocked(wireInclude);
  };
  const fail = (url: string, method: string, error: string) => push('errorOccurred', actualId, url, method, { error });

  let url = req.url;
  let method = req.method;
  let headers = req.headers.slice();
  let tainted = false;
  let corsFlag = false;
  for (let redirects = 0; ; redirects++) {
    const hopOrigin = originOf(url);
    if (!corsFlag) corsFlag = hopOrigin !== req.origin;
    const requestOrigin = tainted ? 'null' : req.origin;
    const unsafe = [...new Set(unsafeRequestHeaders(headers).map((u) => u.name))].sort();
    // https://fetch.spec.whatwg.org/#cors-preflight-fetch (method names are case-sensitive)
    const needsPreflight =
      corsFlag && (!isSafelistedMethod(method) || method !== method.toUpperCase() || unsafe.length > 0);
    const common: Header[] = [
      { name: 'User-Agent', value: USER_AGENT },
      { name: 'Sec-Fetch-Mode', value: 'cors' },
      { name: 'Sec-Fetch-Site', value: fetchSite(req.origin, url) },
      { name: 'Sec-Fetch-Dest', value: 'empty' },
    ];
    if (needsPreflight) {
      const pid = String(nextPreflightId++);
      const pfHeaders: Header[] = [
        { name: 'Accept', value: '*/*' },
        { name: 'Access-Control-Request-Method', value: method },
      ];
      if (unsafe.length) pfHeaders.push({ name: 'Access-Control-Request-Headers', value: unsafe.join(',') });
      pfHeaders.push({ name: 'Origin', value: requestOrigin }, ...common);
      push('sendHeaders', pid, url, 'OPTIONS', { requestHeaders: pfHeaders });
      const t0 = Date.now();
      const res = await send({ url, method: 'OPTIONS', headers: pfHeaders, timeoutMs: req.timeoutMs });
      wire.push({
        role: 'preflight',
        method: 'OPTIONS',
        url,
        requestHeaders: pfHeaders,
        result: res,
        ms: Date.now() - t0,
      });
      if (res.kind === 'error') {
        push('errorOccurred', pid, url, 'OPTIONS', { error: res.error });
        fail(url, method, res.error);
        out.networkError = res.error;
        break;
      }
      const resp = {
        statusCode: res.status,
        statusLine: res.statusLine,
        responseHeaders: res.headers,
        ...(res.ip ? { ip: res.ip } : {}),
      };
      push('headersReceived', pid, url, 'OPTIONS', resp);
      push('completed', pid, url, 'OPTIONS', { ...resp, fromCache: false });
      if (stops(url, method, headers)) {
        fail(url, method, 'net::ERR_FAILED');
        break;
      }
    }
    if (redirects === 0 && !req.send && !['GET', 'HEAD', 'OPTIONS'].includes(method)) {
      out.notSent = { method, url, preflightSent: needsPreflight };
      break;
    }
    const reqHeaders: Header[] = [];
    if (!headers.some((h) => h.name.toLowerCase() === 'accept')) reqHeaders.push({ name: 'Accept', value: '*/*' });
    reqHeaders.push(...headers);
    if (corsFlag || !['GET', 'HEAD'].includes(method)) reqHeaders.push({ name: 'Origin', value: requestOrigin });
    reqHeaders.push(...common);
    // The cookie jar's part: only with credentials, never in a preflight (Fetch: #cors-preflight-fetch).
    if (req.credentials === 'include' && req.cookie) reqHeaders.push({ name: 'Cookie', value: req.cookie });
    push('sendHeaders', actualId, url, method, { requestHeaders: reqHeaders });
    const t0 = Date.now();
    const res = await send({ url, method, headers: reqHeaders, timeoutMs: req.timeoutMs });
    wire.push({ role: 'request', method, url, requestHeaders: reqHeaders, result: res, ms: Date.now() - t0 });
    if (res.kind === 'error') {
      fail(url, method, res.error);
      out.networkError = res.error;
      break;
    }
    const resp = {
      statusCode: res.status,
      statusLine: res.statusLine,
      responseHeaders: res.headers,
      ...(res.ip ? { ip: res.ip } : {}),
    };
    push('headersReceived', actualId, url, method, resp);
    const location = res.headers.find((h) => h.name.toLowerCase() === 'location')?.value;
    const redirect = isRedirect(res.status) && location !== undefined;
    if (stops(url, method, headers)) {
      fail(url, method, 'net::ERR_FAILED');
      break;
    }
    if (!redirect) {
      push('completed', actualId, url, method, { ...resp, fromCache: false });
      break;
    }
    let next: string;
    try {
      next = new URL(location, url).href.replace(/#.*$/, '');
    } catch {
      fail(url, method, 'net::ERR_INVALID_REDIRECT');
      out.networkError = 'net::ERR_INVALID_REDIRECT';
      break;
    }
    if (redirects + 1 > MAX_REDIRECTS) {
      fail(url, method, 'net::ERR_TOO_MANY_REDIRECTS');
      out.networkError = 'net::ERR_TOO_MANY_REDIRECTS';
      break;
    }
    if (!/^https?:/.test(next)) {
      fail(next, method, 'net::ERR_UNSAFE_REDIRECT');
      out.networkError = 'net::ERR_UNSAFE_REDIRECT';
      break;
    }
    // https://fetch.spec.whatwg.org/#http-redirect-fetch: 303 (and 301/302 for POST) become GET without a body.
    if (
      (res.status === 303 && method !== 'HEAD') ||
      ((res.status === 301 || res.status === 302) && method === 'POST')
    ) {
      method = 'GET';
      headers = headers.filter((h) => !REQUEST_BODY_HEADERS.includes(h.name.toLowerCase()));
    }
    // https://fetch.spec.whatwg.org/#concept-request-tainted-origin
    if (originOf(next) !== hopOrigin && req.origin !== hopOrigin) tainted = true;
    url = next;
  }
  if (includeStop) {
    const s = includeStop as { at: number; url: string; method: string };
    const wireStoppedThere = events.length === s.at + 1 && events[s.at]?.kind === 'errorOccurred';
    if (!wireStoppedThere) {
      out.includeEvents = [
        ...events.slice(0, s.at),
        {
          kind: 'errorOccurred',
          requestId: actualId,
          url: s.url,
          method: s.method,
          timeStamp: Date.now(),
          ...base,
          error: 'net::ERR_FAILED',
        },
      ];
    }
  }
  return out;
}
