// The one message protocol between the background and its panels (runtime ports).
import type { LogEntry, Navigation, OriginStats } from './log';

export const PANEL_PORT = 'cors-lens-panel';

/** Panel → background. */
export type PanelMessage =
  | { type: 'subscribe'; tabId: number }
  | { type: 'clear' }
  /** Open the panel for `tabId` in its own window (for panel frames without the windows API, e.g. Firefox's). */
  | { type: 'popOut'; tabId: number };

/** Background → panel. */
export type BackgroundMessage =
  | {
      type: 'snapshot';
      tabId: number;
      entries: LogEntry[];
      navigations: Navigation[];
      origins: OriginStats[];
      evicted: number;
    }
  | { type: 'entries'; entries: LogEntry[]; origins: OriginStats[] }
  | { type: 'navigated'; navigation: Navigation; nav: number }
  | { type: 'cleared' };

/** Keys in extension storage.local shared by the background and the panel. */
export const SETTINGS = {
  /** Max entries kept per tab (number; default DEFAULT_CAP in log.ts). Read by the background. */
  logCap: 'settings.logCap',
  /** Panel view preferences (object). */
  panelPrefs: 'settings.panelPrefs',
  /** Chosen snippet stack per target origin: key prefix + origin. */
  snippetStackPrefix: 'snippetStack:',
} as const;
