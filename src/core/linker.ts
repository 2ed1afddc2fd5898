// Preflight linking: a state machine over EventRecords that groups each actual cross-origin
// request with its redirect hops and the OPTIONS preflights that guarded them.
//
// Neither browser links a preflight to its request in webRequest. What we know (measured with the
// recorder in test/fixtures/recorder, fixtures in test/fixtures/events/):
//  - Chrome: the actual request A's first event we listen to comes *after* its preflight P (A's
//    sendHeaders fires only once P passed; on a failed P, A's only event is net::ERR_FAILED). P's
//    requestId is A+1 for a lone request, but concurrent requests interleave (A1, A2, P1, P2).
//  - Firefox: A's sendHeaders comes first (with A's full headers), then P (usually A+1); on a failed
//    P both end with NS_ERROR_DOM_BAD_URI.
//  - After a redirect a new P targets the new URL (its Origin is "null" after a cross-origin hop).
//  - A preflight may never appear (answered from the preflight cache).
//  - After a service-worker cold start events may arrive out of order (the pipeline sorts each
//    batch by timeStamp; stragglers across batches are routed to finished exchanges here).
// So a preflight is matched on tab, URL, Access-Control-Request-Method, Access-Control-Request-Headers
// (against the request's CORS-unsafe headers when they are known), id adjacency and, when several
// remain, on whether its answer explains how the request ended.

import { getHeader } from './headers';
import {
  accessRules,
  preflightListRules,
  preflightStatusRule,
  preflightRedirectRule,
  type RuleEval,
} from './fetch/rules';
import { parseRequestHeaderList, unsafeRequestHeaders } from './fetch/safelist';
import { isRedirectStatus, resolveUrl } from './http';
import { originOf as originOfUncached } from './origin';
import type { BrowserName, EventRecord, Exchange, Hop, Preflight } from './types';

export type LinkResult =
  { kind: 'exchange'; exchange: Exchange } | { kind: 'navigation'; tabId: number; url: string; timeStamp: number };

interface Orphan {
  preflight: Preflight;
  tabId: number;
  /** Access-Control-Request-Method ('' when the request headers were not seen yet). */
  method: string;
  seenAt: number;
}

export interface LinkerOptions {
  browser: BrowserName;
  /** How long a preflight waits for its actual request before it is dropped. */
  orphanTtlMs?: number;
  /** How long an unfinished request is tracked before it is forgotten (it stays pending in the log). */
  openTtlMs?: number;
  /** How many finished exchanges are remembered for late (out-of-order) events. */
  recentCap?: number;
}

/** originOf with a small cache: URL parsing is the costliest step of linking a request. */
const originCache = new Map<string, string | null>();
function originOf(url: string | undefined): string | null {
  if (url === undefined) return null;
  let o = originCache.get(url);
  if (o === undefined) {
    o = originOfUncached(url);
    if (originCache.size > 1024) originCache.clear();
    originCache.set(url, o);
  }
  return o;
}

const NAVIGATION_TYPES = new Set(['main_frame', 'sub_frame', 'outermost_frame']);
const MAX_ORPHANS = 512;
const MAX_OPEN = 10_000;
const MAX_IGNORED = 20_000;

function idNum(id: string): number {
  const n = Number(id);
  return Number.isFinite(n) ? n : NaN;
}

export function isPreflightEvent(ev: EventRecord): boolean {
  return ev.method === 'OPTIONS' && getHeader(ev.requestHeaders, 'access-control-request-method') !== null;
}

function resolveLocation(hop: Hop): string | null {
  if (!isRedirectStatus(hop.statusCode)) return null;
  return resolveUrl(getHeader(hop.responseHeaders, 'location'), hop.url);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const x = [...a].sort();
  const y = [...b].sort();
  return x.every((v, i) => v === y[i]);
}

/**
 * Whether a finished preflight's answer lets its request through (origin, status, method,
 * headers), judged from the preflight alone and without credentials. Used only to tell apart
 * concurrent look-alike preflights.
 */
export function preflightLooksOk(p: Preflight): boolean {
  const status = p.hop.statusCode;
  if (status === undefined) return false;
  const rules: RuleEval[] = [];
  if (preflightRedirectRule(0, status, null, rules)) return false;
  const origin = getHeader(p.hop.requestHeaders, 'origin') ?? 'null';
  accessRules('preflight', 0, p.hop.responseHeaders, origin, false, rules);
  preflightStatusRule(0, status, rules);
  const method = getHeader(p.hop.requestHeaders, 'access-control-request-method') ?? '';
  preflightListRules(
    0,
    p.hop.responseHeaders,
    method,
    parseRequestHeaderList(getHeader(p.hop.requestHeaders, 'access-control-request-headers')),
    false,
    rules,
  );
  return !rules.some((r) => r.chrome);
}

export class Linker {
  readonly browser: BrowserName;
  private readonly orphanTtlMs: number;
  private readonly openTtlMs: number;
  private readonly recentCap: number;
  /** Open actual requests by requestId. */
  private readonly open = new Map<string, Exchange>();
  /** Finished exchanges, for events that arrive after the end (oldest first, bounded). */
  private readonly recent = new Map<string, Exchange>();
  /** Open preflights by their own requestId → the exchange they belong to (or orphan). */
  private readonly preflightOwner = new Map<string, Exchange | Orphan>();
  /** Finished preflights → owner, for late events (bounded like `recent`). */
  private readonly recentPreflights = new Map<string, Exchange | Orphan>();
  private orphans: Orphan[] = [];
  /** The most recently finished exchanges (for preflights that arrive after their request ended). */
  private lastFinished: Exchange[] = [];
  private latestEnd = -Infinity;
  /** Request ids already judged not to be cross-origin CORS traffic (so later events are cheap). */
  private readonly ignored = new Map<string, { at: number; initiator?: string }>();

  constructor(opts: LinkerOptions) {
    this.browser = opts.browser;
    this.orphanTtlMs = opts.orphanTtlMs ?? 30_000;
    this.openTtlMs = opts.openTtlMs ?? 5 * 60_000;
    this.recentCap = opts.recentCap ?? 1024;
  }

  /** Number of requests and preflights still tracked (bounded by sweep()). */
  get openCount(): number {
    return this.open.size + this.orphans.length + this.ignored.size;
  }

  ingest(ev: EventRecord): LinkResult | null {
    // TTLs compare timestamps: a non-finite one would keep state forever.
    if (!Number.isFinite(ev.timeStamp)) ev = { ...ev, timeStamp: 0 };
    if (NAVIGATION_TYPES.has(ev.type)) {
      if (ev.type !== 'sub_frame' && ev.kind === 'sendHeaders' && ev.tabId >= 0) {
        return { kind: 'navigation', tabId: ev.tabId, url: ev.url, timeStamp: ev.timeStamp };
      }
      return null;
    }
    const ign = this.ignored.get(ev.requestId);
    if (ign) return this.onIgnoredEvent(ev, ign.initiator);

    const owner = this.preflightOwner.get(ev.requestId) ?? this.recentPreflights.get(ev.requestId);
    if (owner) return this.onPreflightEvent(owner, ev);

    const ex = this.open.get(ev.requestId) ?? this.recent.get(ev.requestId);
    if (ex) return { kind: 'exchange', exchange: this.onActualEvent(ex, ev) };

    if (isPreflightEvent(ev) || this.looksLikeHeaderlessPreflight(ev)) return this.onNewPreflight(ev);

    const created = this.createExchange(ev);
    if (!created) {
      if (ev.kind !== 'completed' && ev.kind !== 'errorOccurred') {
        const entry: { at: number; initiator?: string } = { at: ev.timeStamp };
        if (ev.initiator !== undefined) entry.initiator = ev.initiator;
        this.ignored.set(ev.requestId, entry);
        if (this.ignored.size > MAX_IGNORED) this.ignored.delete(this.ignored.keys().next().value as string);
      }
      return null;
    }
    // The request's first event: adopt its preflight once the event's headers are on the hop.
    return { kind: 'exchange', exchange: this.onActualEvent(created, ev, true) };
  }

  /** Forget state older than the TTLs. Call now and then with the current time. */
  sweep(now: number): void {
    this.orphans = this.orphans.filter((o) => {
      const keep = now - o.seenAt < this.orphanTtlMs;
      if (!keep) {
        this.preflightOwner.delete(o.preflight.requestId);
        this.recentPreflights.delete(o.preflight.requestId);
      }
      return keep;
    });
    for (const [id, ex] of this.open) {
      if (now - ex.startTime > this.openTtlMs) {
        this.open.delete(id);
        for (const p of ex.preflights) this.preflightOwner.delete(p.requestId);
      }
    }
    for (const [id, t] of this.ignored) if (now - t.at > this.openTtlMs) this.ignored.delete(id);
    for (const [id, ex] of this.recent) if (now - (ex.endTime ?? ex.startTime) > this.openTtlMs) this.recent.delete(id);
    this.lastFinished = this.lastFinished.filter((ex) => this.recent.has(ex.requestId));
  }

  // -- actual requests ---------------------------------------------------------------

  /**
   * An OPTIONS event without request headers (its sendHeaders has not been seen: out-of-order
   * delivery) from a script context is taken for a preflight until proven otherwise.
   */
  private looksLikeHeaderlessPreflight(ev: EventRecord): boolean {
    if (!(ev.method === 'OPTIONS' && ev.kind !== 'sendHeaders' && ev.type === 'xmlhttprequest' && !ev.requestHeaders))
      return false;
    // A page's own OPTIONS request (fetch(url, {method: 'OPTIONS'}), e.g. a Probe) whose preflight
    // failed ends without headers in Chromium; its preflight, asking for method OPTIONS with a later
    // id, is already waiting for it.
    const id = idNum(ev.requestId);
    return !this.orphans.some(
      (o) =>
        o.tabId === ev.tabId &&
        o.method === 'OPTIONS' &&
        o.preflight.hop.url === ev.url &&
        idNum(o.preflight.requestId) > id,
    );
  }

  private createExchange(ev: EventRecord, firstHop?: Hop): Exchange | null {
    if (ev.tabId < 0) return null;
    const target = originOf(ev.url);
    if (!target || target.includes('-extension://')) return null;
    const originHeader = getHeader(ev.requestHeaders, 'origin');
    const pageOrigin = firstHop
      ? ev.initiator
      : (originHeader ?? ev.initiator ?? originOf(ev.documentUrl) ?? undefined);
    if (pageOrigin?.includes('-extension://')) return null;
    if (!firstHop) {
      // Cross-origin by the initiator, or an explicit Origin header that differs from the target.
      const cross =
        (ev.initiator !== undefined && ev.initiator !== target) || (originHeader !== null && originHeader !== target);
      if (!cross) return null;
      // A request whose headers we see without Origin is not in CORS mode (no-cors image, script…).
      if (ev.kind === 'sendHeaders' && ev.requestHeaders && originHeader === null) return null;
      // Without headers, only script-initiated requests are assumed to be CORS requests.
      if (!ev.requestHeaders && ev.type !== 'xmlhttprequest') return null;
    }
    const hop0 = firstHop ?? { url: ev.url, method: ev.method };
    const ex: Exchange = {
      id: ev.requestId,
      requestId: ev.requestId,
      browser: this.browser,
      tabId: ev.tabId,
      frameId: ev.frameId,
      type: ev.type,
      method: hop0.method,
      url: hop0.url,
      startTime: ev.timeStamp,
      hops: [hop0],
      preflights: [],
      state: 'pending',
    };
    if (pageOrigin !== undefined) ex.pageOrigin = pageOrigin;
    if (ev.documentUrl !== undefined) ex.documentUrl = ev.documentUrl;
    this.open.set(ev.requestId, ex);
    if (this.open.size > MAX_OPEN) {
      // A flood of requests that never end: forget the oldest (it stays pending in the log).
      const oldest = this.open.keys().next().value as string;
      for (const p of this.open.get(oldest)!.preflights) this.preflightOwner.delete(p.requestId);
      this.open.delete(oldest);
    }
    return ex;
  }

  /**
   * A same-origin request is ignored — unless it redirects to another origin, which makes it a
   * CORS request from that hop on (https://fetch.spec.whatwg.org/#http-redirect-fetch).
   */
  private onIgnoredEvent(ev: EventRecord, initiator: string | undefined): LinkResult | null {
    if (ev.kind === 'completed' || ev.kind === 'errorOccurred') {
      this.ignored.delete(ev.requestId);
      return null;
    }
    if (ev.kind !== 'headersReceived' || !isRedirectStatus(ev.statusCode)) return null;
    const hop: Hop = { url: ev.url, method: ev.method, statusCode: ev.statusCode };
    if (ev.statusLine !== undefined) hop.statusLine = ev.statusLine;
    if (ev.responseHeaders) hop.responseHeaders = ev.responseHeaders;
    const next = resolveLocation(hop);
    const page = initiator ?? ev.initiator;
    if (!next || !page || originOf(next) === page || ev.type !== 'xmlhttprequest') return null;
    this.ignored.delete(ev.requestId);
    const ex = this.createExchange(ev, hop);
    return ex ? { kind: 'exchange', exchange: ex } : null;
  }

  private onActualEvent(ex: Exchange, ev: EventRecord, isNew = false): Exchange {
    let hop = ex.hops[ex.hops.length - 1]!;
    let claim = isNew;
    // A new URL after a redirect response starts a new hop (an error at the new URL too: the
    // request moved there before it failed, e.g. on the new hop's preflight).
    if (ev.url !== hop.url) {
      const known = [...ex.hops].reverse().find((h) => h.url === ev.url);
      if (known) {
        // A straggler for an earlier hop (out-of-order delivery).
        hop = known;
      } else if (ev.kind !== 'errorOccurred' || resolveLocation(hop) === ev.url) {
        // Only a redirect moves a request to another URL; its response may still be on its way.
        hop = { url: ev.url, method: ev.method };
        this.pushHop(ex, hop);
        claim = true;
      }
    }
    switch (ev.kind) {
      case 'sendHeaders':
        if (ev.requestHeaders) hop.requestHeaders = ev.requestHeaders;
        hop.method = ev.method;
        if (ex.pageOrigin === undefined) {
          const o = getHeader(ev.requestHeaders, 'origin');
          if (o !== null) ex.pageOrigin = o;
        }
        break;
      case 'headersReceived':
      case 'completed':
        if (ev.statusCode !== undefined && (hop.statusCode === undefined || ev.kind === 'headersReceived')) {
          hop.statusCode = ev.statusCode;
          if (ev.statusLine !== undefined) hop.statusLine = ev.statusLine;
        }
        if (ev.responseHeaders && (ev.kind === 'headersReceived' || !hop.responseHeaders))
          hop.responseHeaders = ev.responseHeaders;
        if (ev.ip !== undefined) hop.ip = ev.ip;
        if (ev.fromCache !== undefined) hop.fromCache = ev.fromCache;
        if (ev.kind === 'completed') this.finish(ex, 'completed', ev);
        else if (hop === ex.hops[ex.hops.length - 1]) this.claimRedirectOrphan(ex);
        break;
      case 'errorOccurred':
        ex.error = ev.error ?? 'unknown error';
        this.finish(ex, 'error', ev);
        break;
    }
    if (claim && hop === ex.hops[ex.hops.length - 1]) this.claimOrphan(ex, ev);
    return ex;
  }

  private finish(ex: Exchange, state: 'completed' | 'error', ev: EventRecord): void {
    if (ex.state === 'pending' || ev.timeStamp >= (ex.endTime ?? 0)) {
      ex.state = state;
      ex.endTime = ev.timeStamp;
    }
    if (this.open.delete(ex.requestId)) {
      this.recent.set(ex.requestId, ex);
      if (this.recent.size > this.recentCap) this.recent.delete(this.recent.keys().next().value as string);
      this.lastFinished.push(ex);
      if (this.lastFinished.length > 64) this.lastFinished.shift();
      if ((ex.endTime ?? 0) > this.latestEnd) this.latestEnd = ex.endTime ?? 0;
    }
    // Preflights of a finished request that are still open keep their owner until they end.
  }

  // -- preflights ----------------------------------------------------------------------

  private onNewPreflight(ev: EventRecord): LinkResult | null {
    const method = getHeader(ev.requestHeaders, 'access-control-request-method') ?? '';
    const p: Preflight = {
      requestId: ev.requestId,
      hopIndex: 0,
      hop: { url: ev.url, method: 'OPTIONS' },
      state: 'pending',
    };
    if (ev.requestHeaders) p.hop.requestHeaders = ev.requestHeaders;
    const found = method ? this.findOwnerForPreflight(ev, method) : null;
    if (found) {
      const owner = found.exchange;
      if (found.late) {
        // The request already ended (its events overtook this preflight's): adopt the preflight
        // directly, without reopening the request.
        p.hopIndex = found.hopIndex;
        owner.preflights.push(p);
        this.retirePreflight(p.requestId, owner);
        this.onPreflightEvent(owner, ev);
        return { kind: 'exchange', exchange: owner };
      }
      // Chrome sends the redirected request's preflight before the request's own events for the
      // new URL: the new hop starts here.
      if (found.viaRedirect) this.pushHop(owner, { url: ev.url, method });
      this.attach(owner, p);
      const res = this.onPreflightEvent(owner, ev);
      return res ?? { kind: 'exchange', exchange: owner };
    }
    const orphan: Orphan = { preflight: p, tabId: ev.tabId, method, seenAt: ev.timeStamp };
    this.orphans.push(orphan);
    if (this.orphans.length > MAX_ORPHANS) {
      const dropped = this.orphans.shift()!;
      this.preflightOwner.delete(dropped.preflight.requestId);
    }
    this.preflightOwner.set(ev.requestId, orphan);
    return this.onPreflightEvent(orphan, ev);
  }

  /** The open request a newly seen preflight belongs to (Firefox order, or a redirect hop). */
  private findOwnerForPreflight(
    ev: EventRecord,
    method: string,
    reconsider = false,
  ): { exchange: Exchange; viaRedirect: boolean; late?: boolean; hopIndex: number } | null {
    const pid = idNum(ev.requestId);
    const acrh = parseRequestHeaderList(getHeader(ev.requestHeaders, 'access-control-request-headers'));
    let best: Exchange | null = null;
    let bestVia = false;
    let bestScore = -Infinity;
    for (const ex of this.open.values()) {
      if (ex.tabId !== ev.tabId) continue;
      const hopIndex = ex.hops.length - 1;
      const hop = ex.hops[hopIndex]!;
      let score = 0;
      const via = resolveLocation(hop) === ev.url;
      if (via) {
        // Waiting on a redirect to this URL: the new hop needs its own preflight.
        if (
          hop.method !== method &&
          !(hop.statusCode === 303 || ((hop.statusCode === 301 || hop.statusCode === 302) && hop.method === 'POST'))
        )
          continue;
        score += 5;
      } else {
        if (hop.url !== ev.url || hop.method !== method) continue;
        if (hop.statusCode !== undefined || ex.preflights.some((p) => p.hopIndex === hopIndex)) continue;
        // In Chrome the request announces itself only after its preflight: an open request with
        // the same URL is a different (cached-preflight or concurrent) request — unless this
        // preflight's own headers arrived late (out of order) and it is being reconsidered.
        if (this.browser === 'chrome' && !reconsider) continue;
      }
      const aid = idNum(ex.requestId);
      if (!(aid < pid) && !Number.isNaN(pid)) continue;
      if (hop.requestHeaders) {
        const names = unsafeRequestHeaders(hop.requestHeaders).map((u) => u.name);
        if (sameList(names, acrh)) score += 4;
        else if (acrh.every((n) => names.includes(n))) score += 1;
        else score -= 4;
      }
      if (aid === pid - 1) score += 2;
      score -= Math.min(1, Math.abs(pid - aid) / 1000);
      if (score > bestScore) {
        best = ex;
        bestVia = via;
        bestScore = score;
      }
    }
    // A request whose CORS-unsafe headers are not the ones this preflight asks about is not its request.
    if (best && bestScore > -2) return { exchange: best, viaRedirect: bestVia, hopIndex: best.hops.length - 1 };
    return this.findFinishedOwner(ev, method, pid, acrh);
  }

  /**
   * A preflight seen after its request already ended: only out-of-order delivery does that (a
   * preflight always ends before its request). Its request ended after the preflight started,
   * has the same URL and method, and no preflight for that hop yet.
   */
  private findFinishedOwner(
    ev: EventRecord,
    method: string,
    pid: number,
    acrh: string[],
  ): { exchange: Exchange; viaRedirect: boolean; late: true; hopIndex: number } | null {
    let best: Exchange | null = null;
    let bestHop = 0;
    let bestScore = -Infinity;
    // Only a request that ended after this preflight started can be its owner: usually none (a
    // preflight ends before its request), so this is almost always skipped.
    if (this.latestEnd < ev.timeStamp) return null;
    for (const ex of this.lastFinished) {
      if (ex.tabId !== ev.tabId || (ex.endTime ?? 0) < ev.timeStamp) continue;
      const hopIndex = ex.hops.findIndex((h) => h.url === ev.url && h.method === method);
      if (hopIndex === -1 || ex.preflights.some((p) => p.hopIndex === hopIndex)) continue;
      const aid = idNum(ex.requestId);
      if (!(aid < pid) && !Number.isNaN(pid)) continue;
      const hop = ex.hops[hopIndex]!;
      let score = 0;
      if (hop.requestHeaders) {
        const names = unsafeRequestHeaders(hop.requestHeaders).map((u) => u.name);
        score += sameList(names, acrh) ? 4 : -4;
      }
      if (aid === pid - 1) score += 2;
      if (score > bestScore) {
        best = ex;
        bestHop = hopIndex;
        bestScore = score;
      }
    }
    return best && bestScore > -2 ? { exchange: best, viaRedirect: false, late: true, hopIndex: bestHop } : null;
  }

  private pushHop(ex: Exchange, hop: Hop): void {
    ex.hops.push(hop);
    if (ex.hops.length > 64) ex.hops.splice(1, ex.hops.length - 64); // redirect loops stay bounded
  }

  private attach(ex: Exchange, p: Preflight): void {
    p.hopIndex = ex.hops.length - 1;
    ex.preflights.push(p);
    if (ex.preflights.length > 64) ex.preflights.splice(0, ex.preflights.length - 64);
    if (p.state === 'pending') this.preflightOwner.set(p.requestId, ex);
    else this.retirePreflight(p.requestId, ex);
  }

  /** A finished preflight stops being open but stays reachable for late events. */
  private retirePreflight(id: string, owner: Exchange | Orphan): void {
    this.preflightOwner.delete(id);
    this.recentPreflights.delete(id);
    this.recentPreflights.set(id, owner);
    if (this.recentPreflights.size > this.recentCap)
      this.recentPreflights.delete(this.recentPreflights.keys().next().value as string);
  }

  /**
   * A redirect response whose next hop's preflight was already seen (it overtook the redirect in
   * delivery): start the new hop and adopt that preflight.
   */
  private claimRedirectOrphan(ex: Exchange): void {
    const hop = ex.hops[ex.hops.length - 1]!;
    const next = resolveLocation(hop);
    if (next === null || this.orphans.length === 0) return;
    const aid = idNum(ex.requestId);
    const i = this.orphans.findIndex(
      (o) =>
        o.tabId === ex.tabId &&
        o.preflight.hop.url === next &&
        (!o.method || o.method === hop.method) &&
        idNum(o.preflight.requestId) > aid,
    );
    if (i === -1) return;
    const [o] = this.orphans.splice(i, 1);
    this.pushHop(ex, { url: next, method: o!.method || hop.method });
    this.attach(ex, o!.preflight);
    if (this.recentPreflights.has(o!.preflight.requestId)) this.recentPreflights.set(o!.preflight.requestId, ex);
  }

  /** Called when an actual request appears or moves to a new hop: adopt its waiting preflight. */
  private claimOrphan(ex: Exchange, ev: EventRecord): void {
    if (this.orphans.length === 0) return;
    const hop = ex.hops[ex.hops.length - 1]!;
    const aid = idNum(ex.requestId);
    const names = hop.requestHeaders ? unsafeRequestHeaders(hop.requestHeaders).map((u) => u.name) : null;
    // How the request went on tells which preflight it had: Chrome sends the request's headers
    // only after a successful preflight, and ends it with an error right after a failed one.
    const wantOk =
      ev.kind === 'sendHeaders' || ev.kind === 'headersReceived' || ev.kind === 'completed'
        ? true
        : ev.kind === 'errorOccurred'
          ? false
          : null;
    let pick = -1;
    let bestScore = -Infinity;
    const candidates: number[] = [];
    for (let i = 0; i < this.orphans.length; i++) {
      const o = this.orphans[i]!;
      if (o.tabId !== ex.tabId || o.preflight.hop.url !== hop.url) continue;
      if (o.method && o.method !== hop.method) continue;
      const pid = idNum(o.preflight.requestId);
      if (ex.hops.length === 1 && !(pid > aid) && !Number.isNaN(aid)) continue;
      candidates.push(i);
    }
    for (const i of candidates) {
      const o = this.orphans[i]!;
      const pid = idNum(o.preflight.requestId);
      let score = 0;
      // A preflight seen only by its response so far (out of order) cannot be compared with the
      // request's headers: its own request headers will come and find the request then.
      if (names && !o.preflight.hop.requestHeaders) continue;
      if (names) {
        const acrh = parseRequestHeaderList(
          getHeader(o.preflight.hop.requestHeaders, 'access-control-request-headers'),
        );
        if (sameList(names, acrh)) score += 4;
        else if (acrh.every((n) => names.includes(n))) score += 1;
        else score -= 4;
      }
      if (candidates.length > 1 && wantOk !== null && o.preflight.state !== 'pending') {
        const ok = o.preflight.state === 'completed' && preflightLooksOk(o.preflight);
        if (ok === wantOk) score += 3;
      }
      if (pid === aid + 1) score += 2;
      score -= Math.min(1, Math.abs(pid - aid) / 1000);
      if (score > bestScore) {
        bestScore = score;
        pick = i;
      }
    }
    if (pick === -1) return;
    if (names && bestScore < -2) return; // a preflight for other headers: not this request's
    const [o] = this.orphans.splice(pick, 1);
    this.attach(ex, o!.preflight);
    if (this.recentPreflights.has(o!.preflight.requestId)) this.recentPreflights.set(o!.preflight.requestId, ex);
  }

  private onPreflightEvent(owner: Exchange | Orphan, ev: EventRecord): LinkResult | null {
    const p = 'preflight' in owner ? owner.preflight : owner.preflights.find((x) => x.requestId === ev.requestId);
    if (!p) {
      this.preflightOwner.delete(ev.requestId);
      return null;
    }
    switch (ev.kind) {
      case 'sendHeaders':
        if (ev.requestHeaders) {
          p.hop.requestHeaders = ev.requestHeaders;
          if ('preflight' in owner && !owner.method) {
            // A preflight seen before its own request headers (out of order): now that its method
            // is known, look for its request again.
            owner.method = getHeader(ev.requestHeaders, 'access-control-request-method') ?? '';
            const found = owner.method ? this.findOwnerForPreflight(ev, owner.method, true) : null;
            const i = this.orphans.indexOf(owner);
            if (found && i !== -1) {
              this.orphans.splice(i, 1);
              if (found.viaRedirect) this.pushHop(found.exchange, { url: ev.url, method: owner.method });
              if (found.late) {
                p.hopIndex = found.hopIndex;
                found.exchange.preflights.push(p);
                if (p.state !== 'pending') this.retirePreflight(p.requestId, found.exchange);
                else this.preflightOwner.set(p.requestId, found.exchange);
              } else this.attach(found.exchange, p);
              if (this.recentPreflights.has(p.requestId)) this.recentPreflights.set(p.requestId, found.exchange);
              return { kind: 'exchange', exchange: found.exchange };
            }
          }
        }
        break;
      case 'headersReceived':
      case 'completed':
        if (ev.statusCode !== undefined && (p.hop.statusCode === undefined || ev.kind === 'headersReceived')) {
          p.hop.statusCode = ev.statusCode;
          if (ev.statusLine !== undefined) p.hop.statusLine = ev.statusLine;
        }
        if (ev.responseHeaders && (ev.kind === 'headersReceived' || !p.hop.responseHeaders))
          p.hop.responseHeaders = ev.responseHeaders;
        if (ev.ip !== undefined) p.hop.ip = ev.ip;
        {
          const loc = resolveLocation(p.hop);
          if (loc !== null) p.redirectedTo = loc;
        }
        if (ev.kind === 'completed' && p.state === 'pending') p.state = 'completed';
        break;
      case 'errorOccurred':
        p.state = 'error';
        p.error = ev.error ?? 'unknown error';
        break;
    }
    // A finished preflight (an orphan too: it stays in `orphans` until its request claims it)
    // keeps receiving late events through `recentPreflights`.
    if (p.state !== 'pending' && this.preflightOwner.has(ev.requestId)) this.retirePreflight(ev.requestId, owner);
    if ('preflight' in owner) {
      // Once claimed, late events of this preflight concern the exchange that owns it.
      return null;
    }
    return { kind: 'exchange', exchange: owner };
  }
}
