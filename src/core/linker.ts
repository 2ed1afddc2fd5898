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

import { accessRules, preflightListRules, preflightStatusRule, preflightRedirectRule, type RuleEval } from './fetch/rules';
import { parseRequestHeaderList, unsafeRequestHeaders } from './fetch/safelist';
import { getHeader } from './headers';
import { originOf } from './origin';
import type { BrowserName, EventRecord, Exchange, Hop, Preflight } from './types';

export type LinkResult =
  | { kind: 'exchange'; exchange: Exchange }
  | { kind: 'navigation'; tabId: number; url: string; timeStamp: number };

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

const NAVIGATION_TYPES = new Set(['main_frame', 'sub_frame', 'outermost_frame']);
const MAX_ORPHANS = 512;

function idNum(id: string): number {
  const n = Number(id);
  return Number.isFinite(n) ? n : NaN;
}

export function isPreflightEvent(ev: EventRecord): boolean {
  return ev.method === 'OPTIONS' && getHeader(ev.requestHeaders, 'access-control-request-method') !== null;
}

function isRedirect(status: number | undefined): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function resolveLocation(hop: Hop): string | null {
  if (!isRedirect(hop.statusCode)) return null;
  const loc = getHeader(hop.responseHeaders, 'location');
  if (loc === null) return null;
  try {
    return new URL(loc, hop.url).href;
  } catch {
    return null;
  }
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
  preflightListRules(0, p.hop.responseHeaders, method, parseRequestHeaderList(getHeader(p.hop.requestHeaders, 'access-control-request-headers')), false, rules);
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
      }
      return null;
    }
    return { kind: 'exchange', exchange: this.onActualEvent(created, ev) };
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
  }

  // -- actual requests ---------------------------------------------------------------

  /**
   * An OPTIONS event without request headers (its sendHeaders has not been seen: out-of-order
   * delivery) from a script context is taken for a preflight until proven otherwise.
   */
  private looksLikeHeaderlessPreflight(ev: EventRecord): boolean {
    return ev.method === 'OPTIONS' && ev.kind !== 'sendHeaders' && ev.type === 'xmlhttprequest' && !ev.requestHeaders;
  }

  private createExchange(ev: EventRecord, firstHop?: Hop): Exchange | null {
    if (ev.tabId < 0) return null;
    const target = originOf(ev.url);
    if (!target || target.includes('-extension://')) return null;
    const originHeader = getHeader(ev.requestHeaders, 'origin');
    const pageOrigin = firstHop ? ev.initiator : (originHeader ?? ev.initiator ?? originOf(ev.documentUrl) ?? undefined);
    if (pageOrigin?.includes('-extension://')) return null;
    if (!firstHop) {
      // Cross-origin by the initiator, or an explicit Origin header that differs from the target.
      const cross = (ev.initiator !== undefined && ev.initiator !== target) || (originHeader !== null && originHeader !== target);
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
    if (!firstHop) this.claimOrphan(ex, ev);
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
    if (ev.kind !== 'headersReceived' || !isRedirect(ev.statusCode)) return null;
    const hop: Hop = { url: ev.url, method: ev.method, statusCode: ev.statusCode! };
    if (ev.statusLine !== undefined) hop.statusLine = ev.statusLine;
    if (ev.responseHeaders) hop.responseHeaders = ev.responseHeaders;
    const next = resolveLocation(hop);
    const page = initiator ?? ev.initiator;
    if (!next || !page || originOf(next) === page || ev.type !== 'xmlhttprequest') return null;
    this.ignored.delete(ev.requestId);
    const ex = this.createExchange(ev, hop);
    return ex ? { kind: 'exchange', exchange: ex } : null;
  }

  private onActualEvent(ex: Exchange, ev: EventRecord): Exchange {
    let hop = ex.hops[ex.hops.length - 1]!;
    // A new URL after a redirect response starts a new hop.
    if (ev.url !== hop.url && isRedirect(hop.statusCode) && ev.kind !== 'errorOccurred') {
      const earlier = ex.hops.find((h) => h.url === ev.url && h.statusCode === undefined);
      if (earlier) hop = earlier;
      else {
        hop = { url: ev.url, method: ev.method };
        ex.hops.push(hop);
        if (ex.hops.length > 64) ex.hops.splice(1, ex.hops.length - 64); // redirect loops stay bounded
        this.claimOrphan(ex, ev);
      }
    } else if (ev.url !== hop.url && ev.kind !== 'errorOccurred') {
      // A straggler for an earlier hop (out-of-order delivery).
      hop = [...ex.hops].reverse().find((h) => h.url === ev.url) ?? hop;
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
        if (ev.responseHeaders && (ev.kind === 'headersReceived' || !hop.responseHeaders)) hop.responseHeaders = ev.responseHeaders;
        if (ev.ip !== undefined) hop.ip = ev.ip;
        if (ev.fromCache !== undefined) hop.fromCache = ev.fromCache;
        if (ev.kind === 'completed') this.finish(ex, 'completed', ev);
        break;
      case 'errorOccurred':
        ex.error = ev.error ?? 'unknown error';
        this.finish(ex, 'error', ev);
        break;
    }
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
    const owner = method ? this.findOwnerForPreflight(ev, method) : null;
    if (owner) {
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
  private findOwnerForPreflight(ev: EventRecord, method: string): Exchange | null {
    const pid = idNum(ev.requestId);
    const acrh = parseRequestHeaderList(getHeader(ev.requestHeaders, 'access-control-request-headers'));
    let best: Exchange | null = null;
    let bestScore = -Infinity;
    for (const ex of this.open.values()) {
      if (ex.tabId !== ev.tabId) continue;
      const hopIndex = ex.hops.length - 1;
      const hop = ex.hops[hopIndex]!;
      let score = 0;
      if (resolveLocation(hop) === ev.url) {
        // Waiting on a redirect to this URL: the new hop needs its own preflight.
        if (hop.method !== method && !(hop.statusCode === 303 || ((hop.statusCode === 301 || hop.statusCode === 302) && hop.method === 'POST'))) continue;
        score += 5;
      } else {
        if (hop.url !== ev.url || hop.method !== method) continue;
        if (hop.statusCode !== undefined || ex.preflights.some((p) => p.hopIndex === hopIndex)) continue;
        // In Chrome the request announces itself only after its preflight: an open request with
        // the same URL is a different (cached-preflight or concurrent) request.
        if (this.browser === 'chrome') continue;
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
        bestScore = score;
      }
    }
    return best;
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
    if (this.recentPreflights.size > this.recentCap) this.recentPreflights.delete(this.recentPreflights.keys().next().value as string);
  }

  /** Called when an actual request appears or moves to a new hop: adopt its waiting preflight. */
  private claimOrphan(ex: Exchange, ev: EventRecord): void {
    if (this.orphans.length === 0) return;
    const hop = ex.hops[ex.hops.length - 1]!;
    const aid = idNum(ex.requestId);
    const names = hop.requestHeaders ? unsafeRequestHeaders(hop.requestHeaders).map((u) => u.name) : null;
    // How the request went on tells which preflight it had: Chrome sends the request's headers
    // only after a successful preflight, and ends it with an error right after a failed one.
    const wantOk = ev.kind === 'sendHeaders' || ev.kind === 'headersReceived' || ev.kind === 'completed' ? true : ev.kind === 'errorOccurred' ? false : null;
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
      if (names) {
        const acrh = parseRequestHeaderList(getHeader(o.preflight.hop.requestHeaders, 'access-control-request-headers'));
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
          if ('preflight' in owner && !owner.method) owner.method = getHeader(ev.requestHeaders, 'access-control-request-method') ?? '';
        }
        break;
      case 'headersReceived':
      case 'completed':
        if (ev.statusCode !== undefined && (p.hop.statusCode === undefined || ev.kind === 'headersReceived')) {
          p.hop.statusCode = ev.statusCode;
          if (ev.statusLine !== undefined) p.hop.statusLine = ev.statusLine;
        }
        if (ev.responseHeaders && (ev.kind === 'headersReceived' || !p.hop.responseHeaders)) p.hop.responseHeaders = ev.responseHeaders;
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
