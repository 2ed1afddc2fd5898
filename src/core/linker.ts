// Preflight linking: a state machine over EventRecords that groups each actual cross-origin
// request with its redirect hops and the OPTIONS preflights that guarded them.
//
// Neither browser links a preflight to its request in webRequest. What we know (measured,
// see ../shared/notes/webrequest.md and firefox.md):
//  - Chrome: the actual request A's first event we listen to comes *after* its preflight P
//    (A's sendHeaders fires only once P passed; on a failed P, A's only event is the error).
//  - Firefox: A's sendHeaders comes first (with A's full headers), then P.
//  - In both, P's requestId is usually A's + 1; after a redirect a new P targets the new URL.
//  - A preflight may never appear (answered from the preflight cache).
// So: a preflight attaches to an already-open A when the ids are adjacent, or A is waiting on
// a redirect to P's URL (or, in Firefox, A is the latest matching request still waiting);
// otherwise it waits as an orphan for the A that shows up next.

import { getHeader } from './headers';
import { originOf } from './origin';
import type { BrowserName, EventRecord, Exchange, Hop, Preflight } from './types';

export type LinkResult =
  | { kind: 'exchange'; exchange: Exchange }
  | { kind: 'navigation'; tabId: number; url: string; timeStamp: number };

interface Orphan {
  preflight: Preflight;
  tabId: number;
  frameId: number;
  method: string; // Access-Control-Request-Method
  seenAt: number;
}

export interface LinkerOptions {
  browser: BrowserName;
  /** How long a preflight waits for its actual request before it is dropped. */
  orphanTtlMs?: number;
  /** How long an unfinished request is tracked before it is forgotten (it stays pending in the log). */
  openTtlMs?: number;
}

const NAVIGATION_TYPES = new Set(['main_frame', 'sub_frame', 'outermost_frame']);

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

export class Linker {
  readonly browser: BrowserName;
  private readonly orphanTtlMs: number;
  private readonly openTtlMs: number;
  /** Open actual requests by requestId. */
  private readonly open = new Map<string, Exchange>();
  /** Open preflights by their own requestId → the exchange they belong to (or orphan). */
  private readonly preflightOwner = new Map<string, Exchange | Orphan>();
  private orphans: Orphan[] = [];
  /** Request ids already judged not to be cross-origin CORS traffic (so later events are cheap). */
  private readonly ignored = new Map<string, number>();

  constructor(opts: LinkerOptions) {
    this.browser = opts.browser;
    this.orphanTtlMs = opts.orphanTtlMs ?? 30_000;
    this.openTtlMs = opts.openTtlMs ?? 5 * 60_000;
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
    if (this.ignored.has(ev.requestId)) {
      if (ev.kind === 'completed' || ev.kind === 'errorOccurred') this.ignored.delete(ev.requestId);
      return null;
    }

    const owner = this.preflightOwner.get(ev.requestId);
    if (owner) return this.onPreflightEvent(owner, ev);

    const ex = this.open.get(ev.requestId);
    if (ex) return { kind: 'exchange', exchange: this.onActualEvent(ex, ev) };

    if (ev.kind === 'sendHeaders' && isPreflightEvent(ev)) return this.onNewPreflight(ev);

    const created = this.createExchange(ev);
    if (!created) {
      if (ev.kind !== 'completed' && ev.kind !== 'errorOccurred') this.ignored.set(ev.requestId, ev.timeStamp);
      return null;
    }
    return { kind: 'exchange', exchange: this.onActualEvent(created, ev) };
  }

  /** Forget state older than the TTLs. Call now and then with the current time. */
  sweep(now: number): void {
    this.orphans = this.orphans.filter((o) => {
      const keep = now - o.seenAt < this.orphanTtlMs;
      if (!keep) this.preflightOwner.delete(o.preflight.requestId);
      return keep;
    });
    for (const [id, ex] of this.open) {
      if (now - ex.startTime > this.openTtlMs) {
        this.open.delete(id);
        for (const p of ex.preflights) this.preflightOwner.delete(p.requestId);
      }
    }
    for (const [id, t] of this.ignored) if (now - t > this.openTtlMs) this.ignored.delete(id);
  }

  // -- actual requests ---------------------------------------------------------------

  private createExchange(ev: EventRecord): Exchange | null {
    if (ev.tabId < 0) return null;
    const target = originOf(ev.url);
    if (!target || target.includes('-extension://')) return null;
    const originHeader = getHeader(ev.requestHeaders, 'origin');
    const pageOrigin = originHeader ?? ev.initiator ?? originOf(ev.documentUrl) ?? undefined;
    if (pageOrigin?.includes('-extension://')) return null;
    // Cross-origin by the initiator, or an explicit Origin header that differs from the target.
    const cross =
      (ev.initiator !== undefined && ev.initiator !== target) ||
      (originHeader !== null && originHeader !== target);
    if (!cross) return null;
    const ex: Exchange = {
      id: ev.requestId,
      requestId: ev.requestId,
      browser: this.browser,
      tabId: ev.tabId,
      frameId: ev.frameId,
      type: ev.type,
      method: ev.method,
      url: ev.url,
      startTime: ev.timeStamp,
      hops: [{ url: ev.url, method: ev.method }],
      preflights: [],
      state: 'pending',
    };
    if (pageOrigin !== undefined) ex.pageOrigin = pageOrigin;
    if (ev.documentUrl !== undefined) ex.documentUrl = ev.documentUrl;
    this.open.set(ev.requestId, ex);
    this.claimOrphan(ex);
    return ex;
  }

  private onActualEvent(ex: Exchange, ev: EventRecord): Exchange {
    let hop = ex.hops[ex.hops.length - 1]!;
    // A new URL after a redirect response starts a new hop.
    if (hop.statusCode !== undefined && isRedirect(hop.statusCode) && ev.url !== hop.url && ev.kind !== 'errorOccurred') {
      hop = { url: ev.url, method: ev.method };
      ex.hops.push(hop);
      this.claimOrphan(ex);
    }
    switch (ev.kind) {
      case 'sendHeaders':
        if (ev.requestHeaders) hop.requestHeaders = ev.requestHeaders;
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
    ex.state = state;
    ex.endTime = ev.timeStamp;
    this.open.delete(ex.requestId);
    // Preflights of a finished request that are still open keep their owner until they end.
  }

  // -- preflights ----------------------------------------------------------------------

  private onNewPreflight(ev: EventRecord): LinkResult | null {
    const method = getHeader(ev.requestHeaders, 'access-control-request-method') ?? '';
    const p: Preflight = {
      requestId: ev.requestId,
      hopIndex: 0,
      hop: { url: ev.url, method: 'OPTIONS', requestHeaders: ev.requestHeaders ?? [] },
      state: 'pending',
    };
    const owner = this.findOwnerForPreflight(ev, method);
    if (owner) {
      this.attach(owner, p);
      return { kind: 'exchange', exchange: owner };
    }
    const orphan: Orphan = { preflight: p, tabId: ev.tabId, frameId: ev.frameId, method, seenAt: ev.timeStamp };
    this.orphans.push(orphan);
    this.preflightOwner.set(ev.requestId, orphan);
    return null;
  }

  private findOwnerForPreflight(ev: EventRecord, method: string): Exchange | null {
    const pid = idNum(ev.requestId);
    const adjacent = this.open.get(String(pid - 1));
    if (adjacent && this.canOwn(adjacent, ev, method, false)) return adjacent;
    // A request waiting on a redirect to this URL needs a new preflight there.
    for (const ex of this.open.values()) {
      const last = ex.hops[ex.hops.length - 1]!;
      if (ex.tabId === ev.tabId && ex.method === method && resolveLocation(last) === ev.url) return ex;
    }
    if (this.browser === 'firefox') {
      // Firefox announces A before its preflight; pick the latest A still waiting for this URL.
      let best: Exchange | null = null;
      for (const ex of this.open.values()) {
        if (this.canOwn(ex, ev, method, true) && (!best || idNum(ex.requestId) > idNum(best.requestId))) best = ex;
      }
      return best;
    }
    return null;
  }

  private canOwn(ex: Exchange, ev: EventRecord, method: string, strict: boolean): boolean {
    if (ex.tabId !== ev.tabId || ex.method !== method) return false;
    const hopIndex = ex.hops.length - 1;
    const hop = ex.hops[hopIndex]!;
    if (hop.url !== ev.url) return false;
    if (strict && (hop.statusCode !== undefined || ex.preflights.some((p) => p.hopIndex === hopIndex))) return false;
    return idNum(ex.requestId) < idNum(ev.requestId) || Number.isNaN(idNum(ev.requestId));
  }

  private attach(ex: Exchange, p: Preflight): void {
    p.hopIndex = ex.hops.length - 1;
    ex.preflights.push(p);
    if (p.state === 'pending') this.preflightOwner.set(p.requestId, ex);
  }

  /** Called when an actual request appears or moves to a new hop: adopt its waiting preflight. */
  private claimOrphan(ex: Exchange): void {
    if (this.orphans.length === 0) return;
    const hop = ex.hops[ex.hops.length - 1]!;
    const aid = idNum(ex.requestId);
    let pick = -1;
    for (let i = 0; i < this.orphans.length; i++) {
      const o = this.orphans[i]!;
      if (o.tabId !== ex.tabId || o.method !== ex.method || o.preflight.hop.url !== hop.url) continue;
      const pid = idNum(o.preflight.requestId);
      if (pid === aid + 1) {
        pick = i;
        break;
      }
      if (pick === -1 && (ex.hops.length > 1 || pid > aid)) pick = i;
    }
    if (pick === -1) return;
    const [o] = this.orphans.splice(pick, 1);
    this.attach(ex, o!.preflight);
  }

  private onPreflightEvent(owner: Exchange | Orphan, ev: EventRecord): LinkResult | null {
    const p = 'preflight' in owner ? owner.preflight : owner.preflights.find((x) => x.requestId === ev.requestId)!;
    switch (ev.kind) {
      case 'sendHeaders':
        if (ev.requestHeaders) p.hop.requestHeaders = ev.requestHeaders;
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
        if (ev.kind === 'completed') {
          p.state = 'completed';
          this.preflightOwner.delete(ev.requestId);
        }
        break;
      case 'errorOccurred':
        p.state = 'error';
        p.error = ev.error ?? 'unknown error';
        this.preflightOwner.delete(ev.requestId);
        break;
    }
    if ('preflight' in owner) {
      if (p.state !== 'pending') {
        // Keep the finished orphan so its request can still claim it.
        this.preflightOwner.delete(ev.requestId);
      }
      return null;
    }
    return { kind: 'exchange', exchange: owner };
  }
}
