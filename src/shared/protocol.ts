// The one message protocol between the background, its panels and the DevTools page (runtime
// ports), and the extension's storage keys. Extension plumbing, not CORS logic: outside the core.
import type { LogEntry, Navigation, OriginStats } from '../core/log';

export const PANEL_PORT = 'cors-lens-panel';
/** The DevTools page's port: while it is open its tab is recorded (see background/scope.ts). */
export const DEVTOOLS_PORT = 'cors-lens-devtools';
/** How often the DevTools page pings the background, so an idle worker is not stopped under it. */
export const KEEPALIVE_MS = 20_000;

/**
 * The page view (opt-in; src/core/pageview.ts) of a tab: off, reloading the page with the wrapper,
 * on (reports flow), ended (the page navigated: the wrapper lasts one page load), unavailable
 * (no DevTools open on the tab: the pop-out panel alone cannot inject), or error.
 */
export type PageViewState = 'off' | 'starting' | 'on' | 'ended' | 'unavailable' | 'error';

/** DevTools page → background. */
export type DevtoolsMessage =
  | { type: 'inspect'; tabId: number }
  | { type: 'keepalive' }
  /** Reports the page view's wrapper buffered (untrusted: validated by parsePageRecords). */
  | { type: 'pageRecords'; records: unknown }
  | { type: 'pageViewState'; state: PageViewState; detail?: string };

/** Background → DevTools page: turn the page view on (reload with the wrapper) or off (reload without). */
export type ToDevtoolsMessage = { type: 'pageView'; on: boolean };

/** Which tabs the background records: those with DevTools (or a panel) open, or all of them. */
export type RecordScope = 'inspected' | 'all';

/** Panel → background. */
export type PanelMessage =
  | { type: 'subscribe'; tabId: number }
  | { type: 'clear' }
  /** Open the panel for `tabId` in its own window (for panel frames without the windows API, e.g. Firefox's). */
  | { type: 'popOut'; tabId: number }
  /** A Probe is about to be sent from the page for `original` (src/background/probes.ts). */
  | { type: 'probe'; probeId: string; credentials?: 'include' | 'omit' | 'same-origin'; original: LogEntry }
  /** A Retry of `original` is about to be sent from the page. */
  | { type: 'retry'; method: string; since: number; original: LogEntry }
  /** Turn the tab's page view on or off (the background asks the tab's DevTools page). */
  | { type: 'pageView'; on: boolean };

/** Background → panel. */
export type BackgroundMessage =
  | {
      type: 'snapshot';
      tabId: number;
      entries: LogEntry[];
      navigations: Navigation[];
      origins: OriginStats[];
      evicted: number;
      /** The recording scope in force (absent from old or synthetic backgrounds). */
      scope?: RecordScope;
    }
  | { type: 'entries'; entries: LogEntry[]; origins: OriginStats[] }
  | { type: 'navigated'; navigation: Navigation; nav: number }
  | { type: 'cleared' }
  | { type: 'pageView'; state: PageViewState; detail?: string };

/** Keys in extension storage.local shared by the background and the panel. */
export const SETTINGS = {
  /** Max entries kept per tab (number; default DEFAULT_CAP in core/log.ts). Read by the background. */
  logCap: 'settings.logCap',
  /** Which tabs are recorded: RecordScope ('inspected' by default). Read by the background. */
  recordScope: 'settings.recordScope',
  /** Panel view preferences (object). */
  panelPrefs: 'settings.panelPrefs',
  /** Chosen snippet stack per target origin: key prefix + origin. */
  snippetStackPrefix: 'snippetStack:',
} as const;
