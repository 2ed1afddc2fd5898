// The page view, background side: relays a panel's on/off to its tab's DevTools page (which
// injects the wrapper: src/devtools/pageview.ts), relays the state back to the tab's panels, and
// pairs the page's reports with the tab's finished exchanges (src/core/pageview.ts). A paired
// exchange carries the page's observation and is judged again, so an uncertain verdict becomes
// certain wherever the page's credentials mode and outcome decide it.
import type { LogEntry } from '../core/log';
import { observation, pairRecords, parsePageRecords, type PageRecord } from '../core/pageview';
import type { BackgroundMessage, PageViewState, ToDevtoolsMessage } from '../shared/protocol';
import type { Exchange } from '../core/types';

/** Reports and exchanges waiting to be paired, per tab (oldest dropped first). */
const MAX_PENDING = 500;
const MAX_RECENT = 2000;
/** A report or exchange older than this is no longer paired. */
const TTL_MS = 60_000;

interface TabView {
  state: PageViewState;
  detail?: string;
  pending: PageRecord[];
  /** Finished exchanges not yet paired (insertion order = oldest first). */
  recent: Map<string, Exchange>;
  /** When the page view last (re)started: requests started before the reload cannot be reported. */
  since: number;
}

export class PageViewDesk {
  private readonly tabs = new Map<number, TabView>();
  private readonly devtools = new Map<number, Set<(m: ToDevtoolsMessage) => void>>();

  constructor(
    /** Judges and stores an exchange again (Pipeline.rejudge). */
    private readonly rejudge: (ex: Exchange) => void,
    /** Sends a message to the tab's panels. */
    private readonly toPanels: (tabId: number, m: BackgroundMessage) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** A DevTools page inspecting `tabId` connected; returns its disconnect. */
  attachDevtools(tabId: number, send: (m: ToDevtoolsMessage) => void): () => void {
    let set = this.devtools.get(tabId);
    if (!set) this.devtools.set(tabId, (set = new Set()));
    set.add(send);
    return () => {
      set.delete(send);
      if (set.size === 0) {
        this.devtools.delete(tabId);
        // Without DevTools nothing polls the page any more.
        if (this.tabs.has(tabId)) this.setState(tabId, 'off');
      }
    };
  }

  /** A panel's switch. */
  request(tabId: number, on: boolean): void {
    const pages = this.devtools.get(tabId);
    if (!pages?.size) {
      this.setState(
        tabId,
        'unavailable',
        'Open DevTools on this tab: only DevTools can reload the page with the page view.',
      );
      return;
    }
    if (on) this.view(tabId); // create the tab's buffers
    for (const send of pages) {
      try {
        send({ type: 'pageView', on });
      } catch {}
    }
    if (!on) this.forget(tabId);
  }

  /** A state change reported by the tab's DevTools page. */
  setState(tabId: number, state: PageViewState, detail?: string): void {
    const v = this.view(tabId);
    if (state === 'starting') {
      v.since = this.now();
      v.pending = [];
      v.recent.clear();
    }
    v.state = state;
    v.detail = detail?.slice(0, 300);
    this.toPanels(tabId, this.stateMessage(tabId));
    if (state === 'off' || state === 'unavailable') this.forget(tabId, state, v.detail);
  }

  stateMessage(tabId: number): BackgroundMessage {
    const v = this.tabs.get(tabId);
    return v?.detail
      ? { type: 'pageView', state: v.state, detail: v.detail }
      : { type: 'pageView', state: v?.state ?? 'off' };
  }

  /** Whether the tab's reports are being collected (its entries are remembered for pairing). */
  active(tabId: number): boolean {
    const s = this.tabs.get(tabId)?.state;
    return s === 'starting' || s === 'on' || s === 'ended';
  }

  /** Reports from the tab's DevTools page (untrusted). */
  records(tabId: number, raw: unknown): void {
    if (!this.active(tabId)) return;
    const v = this.view(tabId);
    for (const r of parsePageRecords(raw)) v.pending.push(r);
    if (v.pending.length > MAX_PENDING) v.pending.splice(0, v.pending.length - MAX_PENDING);
    this.pair(tabId);
  }

  /** Entries the pipeline stored for a tab (Pipeline listener). */
  seen(tabId: number, entries: readonly LogEntry[]): void {
    if (!this.active(tabId)) return;
    const v = this.view(tabId);
    for (const e of entries) {
      const ex = e.exchange;
      // Only fetch/XHR (webRequest type "xmlhttprequest") can have a report; an image or a request
      // from before the reload would be a candidate no report ever claims, and hold its neighbours.
      if (ex.state === 'pending' || ex.page || ex.type !== 'xmlhttprequest' || ex.startTime < v.since) continue;
      v.recent.delete(ex.id);
      v.recent.set(ex.id, ex);
    }
    while (v.recent.size > MAX_RECENT) v.recent.delete(v.recent.keys().next().value as string);
    if (v.pending.length) this.pair(tabId);
  }

  private pair(tabId: number): void {
    const v = this.view(tabId);
    const cutoff = this.now() - TTL_MS;
    v.pending = v.pending.filter((r) => r.end >= cutoff);
    for (const [id, ex] of v.recent) {
      if (ex.startTime >= cutoff) break;
      v.recent.delete(id);
    }
    if (!v.pending.length || !v.recent.size) return;
    const pairs = pairRecords(v.pending, [...v.recent.values()]);
    if (!pairs.length) return;
    const used = new Set(pairs.map((p) => p.record));
    v.pending = v.pending.filter((r) => !used.has(r));
    for (const { record, exchangeId } of pairs) {
      const ex = v.recent.get(exchangeId);
      if (!ex) continue;
      v.recent.delete(exchangeId);
      // The linker's object: a later re-judgement of this exchange keeps the observation.
      ex.page = observation(record);
      this.rejudge(ex);
    }
  }

  private view(tabId: number): TabView {
    let v = this.tabs.get(tabId);
    if (!v) this.tabs.set(tabId, (v = { state: 'off', pending: [], recent: new Map(), since: 0 }));
    return v;
  }

  private forget(tabId: number, state: PageViewState = 'off', detail?: string): void {
    const v = this.tabs.get(tabId);
    if (!v) return;
    v.pending = [];
    v.recent.clear();
    v.state = state;
    v.detail = detail;
  }
}
