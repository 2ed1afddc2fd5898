// Everything the panel needs from the browser, behind one interface so the views can be tested
// in jsdom with a fake. The real one works in Chrome and Firefox, docked in DevTools or popped out.
import { ext } from '../shared/ext';
import { connect, inspectedTabId, type Connection } from './connection';
import type { BackgroundMessage } from '../shared/protocol';
import { copyText } from './clipboard';
import { browserPageActions, type PageActions } from './probe/actions';
import type { PanelMessage } from '../shared/protocol';

export type ThemeName = 'light' | 'dark';

export interface PanelEnv {
  tabId: number | null;
  /** Docked in DevTools (false in the pop-out window). */
  inDevtools: boolean;
  connect(tabId: number, onMessage: (m: BackgroundMessage) => void, onStatus: (connected: boolean) => void): Connection;
  /** DevTools theme, or null outside DevTools (the pop-out follows prefers-color-scheme). */
  theme(): ThemeName | null;
  onThemeChange(cb: (t: ThemeName) => void): void;
  /** Reloads the inspected page (for the empty state's button); null when not possible. */
  reload: (() => void) | null;
  /**
   * Opens this panel for `tabId` in its own window; resolves false when this frame cannot (the
   * panel then asks the background). Null when already popped out.
   */
  popOut: ((tabId: number) => Promise<boolean>) | null;
  /** Opens the extension's options page (recording scope, log size); null when not possible. */
  openOptions: (() => void) | null;
  load(key: string): Promise<unknown>;
  save(key: string, value: unknown): void;
  copy(text: string): Promise<boolean>;
  /** Probe/Retry: sending from the inspected page (absent or null where there is none). */
  pageActions?: (send: (msg: PanelMessage) => void) => PageActions | null;
}

function toTheme(name: unknown): ThemeName {
  return name === 'dark' ? 'dark' : 'light';
}

export function browserEnv(): PanelEnv {
  const devtools = ext.devtools;
  const inDevtools = !!devtools?.inspectedWindow && new URLSearchParams(location.search).get('tabId') === null;
  const panels = devtools?.panels as
    (typeof chrome.devtools.panels & { onThemeChanged?: chrome.events.Event<(t: string) => void> }) | undefined;
  return {
    tabId: inspectedTabId(),
    inDevtools,
    connect,
    theme: () => (inDevtools && panels ? toTheme(panels.themeName) : null),
    onThemeChange(cb) {
      if (!inDevtools || !panels) return;
      // Firefox: an event; Chrome: a single handler (the theme name itself is not updated live).
      if (panels.onThemeChanged) panels.onThemeChanged.addListener((t) => cb(toTheme(t)));
      else if (typeof panels.setThemeChangeHandler === 'function') panels.setThemeChangeHandler((t) => cb(toTheme(t)));
    },
    reload: inDevtools
      ? () => devtools.inspectedWindow.reload({})
      : ext.tabs?.reload
        ? () => {
            const id = inspectedTabId();
            if (id !== null) void ext.tabs.reload(id);
          }
        : null,
    popOut: inDevtools
      ? async (tabId) => {
          // windows.create needs no permission. Chrome exposes it to DevTools panel frames; where a
          // browser does not (Firefox gives devtools documents a reduced API set), the background opens it.
          if (!ext.windows?.create) return false;
          await ext.windows.create({
            url: ext.runtime.getURL(`src/panel/panel.html?tabId=${tabId}`),
            type: 'popup',
            width: 1100,
            height: 760,
          });
          return true;
        }
      : null,
    openOptions: ext.runtime?.openOptionsPage ? () => void ext.runtime.openOptionsPage().catch?.(() => {}) : null,
    async load(key) {
      try {
        const got = await ext.storage?.local.get(key);
        return got?.[key];
      } catch {
        return undefined;
      }
    },
    save(key, value) {
      try {
        void ext.storage?.local.set({ [key]: value })?.catch?.(() => {});
      } catch {
        // storage unavailable (e.g. a restricted frame): preferences just don't persist.
      }
    },
    copy: copyText,
    pageActions: inDevtools ? browserPageActions : undefined,
  };
}
