// Which tabs CORS Lens listens to. A webRequest listener with "extraHeaders" (which we need: see
// listen.ts) slows every page of the browser, even pages of tabs its filter excludes (measured:
// ~1.09–1.14× page time on a request-heavy page with our listeners, ~1.06× with them filtered to
// another tab, ~1.01× with none; README "Performance"). So by default CORS Lens records like
// DevTools' own Network panel: only tabs whose DevTools is open (or that a popped-out panel
// shows), and it has no listener at all while no DevTools is open. The "all" scope records every
// tab, at that cost.
//
// Worker restarts: the browser only delivers the event that woke a stopped worker to listeners
// registered synchronously at top level, before any setting can be read. So every wake starts
// with listeners for all tabs (nothing is lost while the state is restored), and once the scope
// and the inspected tabs are known they are swapped for per-tab listeners (or kept, for "all").
// Tabs inspected before the restart are held for RESTORE_HOLD_MS, until their DevTools page
// reconnects. While listeners are swapped one request's event may reach two listeners; such
// duplicates are dropped for DEDUPE_MS after every swap.
import type { RecordScope } from '../shared/protocol';
import type { EventKind } from '../core/types';
import { FILTER, register } from './listen';
import { TabHolds } from './watch';

export type { RecordScope };
export const DEFAULT_SCOPE: RecordScope = 'inspected';

export function scopeFrom(value: unknown): RecordScope {
  return value === 'all' ? 'all' : DEFAULT_SCOPE;
}

export const RESTORE_HOLD_MS = 5_000;
export const DEDUPE_MS = 5_000;

type OnEvent = (kind: EventKind, details: Record<string, unknown>) => void;

export class Recorder {
  /** null until the setting is read: listen to everything meanwhile. */
  private scope: RecordScope | null = null;
  /** Tab id → how many inspectors (DevTools pages, panels, restore holds) have it open. */
  private readonly inspectors = new TabHolds();
  private allListeners: (() => void) | null = null;
  private readonly tabListeners = new Map<number, () => void>();
  private dedupeUntil = 0;
  private readonly seen = new Set<string>();
  /** Called with the inspected tab ids whenever they change (persisted for restarts). */
  onInspectedChange: (tabIds: number[]) => void = () => {};

  constructor(
    private readonly webRequest: typeof chrome.webRequest,
    private readonly browser: 'chrome' | 'firefox',
    private readonly onEvent: OnEvent,
    private readonly now: () => number = Date.now,
  ) {
    this.reconcile();
  }

  /** What is registered now: 'all', or the tab ids with their own listeners. */
  get listening(): 'all' | number[] {
    return this.allListeners ? 'all' : [...this.tabListeners.keys()].sort((a, b) => a - b);
  }

  get currentScope(): RecordScope | null {
    return this.scope;
  }

  isRecording(tabId: number): boolean {
    return this.allListeners !== null || this.tabListeners.has(tabId);
  }

  setScope(scope: RecordScope): void {
    this.scope = scope;
    this.reconcile();
  }

  /** Starts recording `tabId` (if the scope limits it); the returned function stops it again (once). */
  inspect(tabId: number): () => void {
    if (!Number.isSafeInteger(tabId) || tabId < 0) return () => {};
    const release = this.inspectors.add(tabId);
    this.changed();
    return () => {
      if (release()) this.changed();
    };
  }

  /** Holds tabs that were inspected before a restart until their inspectors reconnect. */
  restore(tabIds: number[], holdMs = RESTORE_HOLD_MS): void {
    for (const id of tabIds) {
      const release = this.inspect(id);
      setTimeout(release, holdMs);
    }
  }

  inspected(): number[] {
    return [...this.inspectors.keys()].sort((a, b) => a - b);
  }

  private changed(): void {
    this.reconcile();
    this.onInspectedChange(this.inspected());
  }

  /** Registers what the scope wants, then removes what it no longer wants (never a gap). */
  private reconcile(): void {
    const all = this.scope !== 'inspected';
    let swapped = false;
    if (all && !this.allListeners) {
      this.allListeners = register(this.webRequest, this.browser, this.handler);
      swapped = true;
    }
    if (!all) {
      for (const tabId of this.inspectors.keys()) {
        if (this.tabListeners.has(tabId)) continue;
        this.tabListeners.set(tabId, register(this.webRequest, this.browser, this.handler, { ...FILTER, tabId }));
        swapped = true;
      }
    }
    for (const [tabId, remove] of this.tabListeners) {
      if (!all && this.inspectors.has(tabId)) continue;
      remove();
      this.tabListeners.delete(tabId);
      swapped = true;
    }
    if (!all && this.allListeners) {
      this.allListeners();
      this.allListeners = null;
      swapped = true;
    }
    if (swapped) this.dedupeUntil = this.now() + DEDUPE_MS;
  }

  // Each event goes straight to `onEvent`. No batching timer: a setTimeout per event cost as much
  // as the rest of our per-event work (profiled), and the browser does not wait for non-blocking
  // listeners anyway.
  private readonly handler =
    (kind: EventKind) =>
    (details: object): undefined => {
      if (this.dedupeUntil !== 0 && this.duplicate(kind, details as Record<string, unknown>)) return undefined;
      this.onEvent(kind, details as Record<string, unknown>);
      return undefined;
    };

  /** True if this very event was already delivered (only checked for a while after a swap). */
  private duplicate(kind: EventKind, d: Record<string, unknown>): boolean {
    if (this.now() > this.dedupeUntil) {
      this.dedupeUntil = 0;
      this.seen.clear();
      return false;
    }
    const key = `${kind}\u0000${String(d.requestId)}\u0000${String(d.timeStamp)}\u0000${String(d.statusCode)}\u0000${String(d.url)}`;
    if (this.seen.has(key)) return true;
    this.seen.add(key);
    return false;
  }
}
