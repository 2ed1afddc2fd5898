// Debian Firefox ESR over WebDriver BiDi (puppeteer-core), with dist/firefox installed as a
// temporary add-on. Firefox's DevTools toolbox is not reachable from BiDi, so tests read what the
// background recorded through the panel page opened as a pop-out (`panel.html?tabId=N`), which
// speaks the same port protocol as the docked panel.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { RESULTS, ROOT, waitFor } from './chromium';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const FIREFOX_EXT = join(ROOT, 'dist/firefox');
export const GECKO_ID = 'cors-lens@cors-lens.dev';
/** Pinned moz-extension:// host so tests can build extension URLs. */
export const FIXED_UUID = '5f1c2a3b-7d4e-4c5f-9a8b-0c1d2e3f4a5b';

export interface ConsoleEntry {
  text: string;
  level: string;
  at: number;
}

export interface FirefoxSession {
  browser: Browser;
  extensionBase: string;
  /** Every console/log entry Firefox reported over BiDi (CORS reasons arrive here). */
  logs: ConsoleEntry[];
  close(): Promise<void>;
}

export interface FirefoxLaunchOptions {
  devtools?: boolean;
  /** Default true; false opens a real window (needs a DISPLAY). */
  headless?: boolean;
  /** Unpacked extension to install instead of dist/firefox (its gecko id is pinned to `uuid`). */
  extension?: { dir: string; geckoId: string; uuid: string };
  /** More Firefox preferences. */
  prefs?: Record<string, unknown>;
  /** More command-line arguments (e.g. --remote-allow-system-access for the toolbox test). */
  args?: string[];
}

export async function launchFirefox(opts: FirefoxLaunchOptions = {}): Promise<FirefoxSession> {
  if (!existsSync(FIREFOX))
    throw new Error(`${FIREFOX} not found: apt-get install -y firefox-esr (or set FIREFOX_PATH)`);
  const ext = opts.extension ?? { dir: FIREFOX_EXT, geckoId: GECKO_ID, uuid: FIXED_UUID };
  if (!existsSync(join(ext.dir, 'manifest.json')))
    throw new Error(`${ext.dir}/manifest.json missing: run npm run build`);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: opts.headless ?? true,
    devtools: opts.devtools ?? false,
    ...(opts.args ? { args: opts.args } : {}),
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [ext.geckoId]: ext.uuid }),
      // Long tests must not see the event page suspended unless they ask for it.
      'extensions.background.idle.timeout': 600_000,
      ...(opts.prefs ?? {}),
    },
  });
  await browser.installExtension(ext.dir);
  const logs: ConsoleEntry[] = [];
  const conn = (browser as unknown as { connection: { on(ev: string, fn: (e: any) => void): void } }).connection;
  conn.on('log.entryAdded', (e: any) =>
    logs.push({ text: String(e.text ?? ''), level: String(e.level ?? ''), at: Date.now() }),
  );
  return {
    browser,
    extensionBase: `moz-extension://${ext.uuid}`,
    logs,
    async close() {
      await browser.close().catch(() => {});
    },
  };
}

/**
 * Opens an extension page (the panel page, `?tabId=…`) in a new tab. Extension pages cannot be
 * opened with goto under BiDi; navigate from a web page instead (panel.html is web-accessible to
 * http://127.0.0.1 in the Firefox build for this reason).
 */
export async function openExtensionPage(ff: FirefoxSession, pageOrigin: string, query: string): Promise<Page> {
  const tab = await ff.browser.newPage();
  await tab.goto(`${pageOrigin}/`);
  await tab.evaluate((u) => {
    location.href = u;
  }, `${ff.extensionBase}/src/panel/panel.html?${query}`);
  // (puppeteer's tab.url() does not follow navigations into moz-extension:, so ask the page.)
  await waitFor('extension page', () => tab.evaluate(() => location.protocol === 'moz-extension:').catch(() => false));
  return tab;
}

/** Opens the panel page for the tab showing `targetUrl`, in a new tab, and returns that page. */
export async function openPopoutPanel(ff: FirefoxSession, pageOrigin: string, targetUrl: string): Promise<Page> {
  const tab = await openExtensionPage(ff, pageOrigin, 'tabId=find');
  const tabId = await tabIdOf(tab, targetUrl);
  await tab.evaluate((u) => {
    location.href = u;
  }, `${ff.extensionBase}/src/panel/panel.html?tabId=${tabId}`);
  await waitFor('panel rendered', () =>
    tab
      .evaluate(
        () =>
          !!document.querySelector('main') && location.search.includes('tabId=') && !location.search.includes('find'),
      )
      .catch(() => false),
  );
  return tab;
}

/** The id of the tab showing `url`, asked from inside an extension page. */
function tabIdOf(extensionPage: Page, url: string): Promise<number> {
  return waitFor('tab id of ' + url, () =>
    extensionPage
      .evaluate(async (u: string) => {
        const tabs = await (globalThis as any).browser.tabs.query({});
        const t = tabs.find((x: any) => x.url === u);
        return t ? (t.id as number) : null;
      }, url)
      .catch(() => null),
  );
}

/**
 * Sets which tabs the background records (SETTINGS.recordScope) and waits until it applies it:
 * suites that fire requests before any panel or DevTools shows their tab record every tab.
 */
export async function setRecordScope(
  ff: FirefoxSession,
  pageOrigin: string,
  scope: 'inspected' | 'all',
): Promise<void> {
  const tab = await openExtensionPage(ff, pageOrigin, 'tabId=find');
  try {
    await tab.evaluate((s) => (globalThis as any).browser.storage.local.set({ 'settings.recordScope': s }), scope);
    await waitFor(`record scope ${scope}`, () =>
      tab
        .evaluate(
          () =>
            new Promise<string | null>((resolve) => {
              const port = (globalThis as any).browser.runtime.connect({ name: 'cors-lens-panel' });
              port.onMessage.addListener((m: any) => {
                if (m.type !== 'snapshot') return;
                port.disconnect();
                resolve(m.scope ?? null);
              });
              port.postMessage({ type: 'subscribe', tabId: 999_999 });
            }),
        )
        .then((got) => got === scope || null)
        .catch(() => null),
    );
  } finally {
    await tab.close();
  }
}

/**
 * With `devtools: true`, waits until the DevTools page of the tab showing `url` has told the
 * background to record it (read from the inspected tabs the background keeps in storage.session,
 * without subscribing, which would itself record the tab). Returns the tab id.
 */
export async function waitInspected(ff: FirefoxSession, pageOrigin: string, url: string): Promise<number> {
  const tab = await openExtensionPage(ff, pageOrigin, 'tabId=find');
  try {
    const tabId = await tabIdOf(tab, url);
    await waitFor(`DevTools of tab ${tabId} recording`, () =>
      tab.evaluate(async (id) => {
        const got = await (globalThis as any).browser.storage.session.get('corsLens.inspected');
        return (got['corsLens.inspected'] ?? []).includes(id) || null;
      }, tabId),
    );
    return tabId;
  } finally {
    await tab.close();
  }
}

export async function firefoxScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS, { recursive: true });
  const path = join(RESULTS, `${name}.png`) as `${string}.png`;
  await page.screenshot({ path });
  return path;
}
