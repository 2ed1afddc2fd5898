// Which tabs are recorded. By default only tabs whose DevTools is open (or that a panel shows):
// with no DevTools open CORS Lens has no webRequest listener at all, so it costs other pages
// nothing (README "Performance"). "Record every tab" (the options page) listens everywhere.
// Read from the real background (its own stats hook, through CDP on the worker) and checked
// against what it logged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, Worker } from 'playwright-core';
import {
  backgroundStats,
  extensionWorker,
  launchChromium,
  mainPage,
  waitFor,
  type ChromiumSession,
} from '../support/chromium';
import { DevtoolsWindow, stopWorker, targets, workerTarget } from '../support/devtools';
import { startApi, startPages, type ApiServer, type RunningServer } from '../support/servers';

let api: ApiServer;
let pages: RunningServer;
let s: ChromiumSession;

beforeAll(async () => {
  api = await startApi();
  pages = await startPages();
  api.route('/fail', { actual: { status: 200, headers: [['Content-Type', 'text/plain']] } });
  s = await launchChromium({ devtools: false });
});
afterAll(async () => {
  await s?.close();
  await api?.close();
  await pages?.close();
});

interface Stats {
  scope: string | null;
  listening: 'all' | number[];
  inspected: number[];
}

const worker = (): Promise<Worker> => extensionWorker(s);
const stats = (): Promise<Stats> => backgroundStats(s);
/** URLs the background logged for a tab (flushes its pending verdicts first). */
const logged = async (tabId: number): Promise<string[]> =>
  (await worker()).evaluate(async (id) => {
    const lens = (globalThis as any).__corsLens;
    await lens.ready();
    lens.flush();
    // The log as a panel would get it, without subscribing (a subscription records the tab).
    const { store } = lens.internals();
    const urls: string[] = [];
    for await (const chunk of store.entries(id)) for (const e of chunk) urls.push(e.exchange.url);
    return urls;
  }, tabId);
const fire = (page: Page, tag: string, n = 3) =>
  page.evaluate(
    (us) =>
      Promise.all(
        us.map((u) =>
          fetch(u).then(
            () => 'ok',
            () => 'failed',
          ),
        ),
      ),
    Array.from({ length: n }, (_, i) => `${api.origin}/fail?${tag}=${i}`),
  );
const tabIdOf = async (page: Page): Promise<number> => {
  const url = page.url();
  return (await worker()).evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)!.id!, url);
};

describe('Chromium: recording scope', () => {
  it('records nothing while no DevTools is open, then the inspected tab from when its DevTools opens until it closes', async () => {
    await (await worker()).evaluate(() => (globalThis as any).__corsLens.ready());
    await waitFor('scope read', async () => ((await stats()).scope === 'inspected' ? true : null));
    expect((await stats()).listening, 'no DevTools open: no webRequest listener at all').toEqual([]);

    const page = await mainPage(s, `${pages.origin}/?scope-a`);
    const tabId = await tabIdOf(page);
    expect(await fire(page, 'closed-before')).toEqual(['failed', 'failed', 'failed']);
    expect(await logged(tabId)).toEqual([]);

    // Open DevTools on the tab: its DevTools page asks the background to record it.
    const bs = await s.browser.newBrowserCDPSession();
    const pageTarget = (await targets(s)).find((t) => t.type === 'page' && t.url === page.url())!;
    await bs.send('Target.openDevTools', { targetId: pageTarget.targetId });
    await waitFor('tab recorded', async () =>
      JSON.stringify((await stats()).listening) === JSON.stringify([tabId]) ? true : null,
    );
    // A second tab without DevTools stays unrecorded.
    const other = await s.context.newPage();
    await other.goto(`${pages.origin}/?scope-other`);
    const otherId = await tabIdOf(other);
    await fire(page, 'open');
    await fire(other, 'other-tab');
    const open = await waitFor('requests of the inspected tab logged', async () => {
      const urls = await logged(tabId);
      return urls.length >= 3 ? urls : null;
    });
    expect(open.sort()).toEqual([0, 1, 2].map((i) => `${api.origin}/fail?open=${i}`));
    expect(await logged(otherId)).toEqual([]);

    // The CORS panel shows them (and the empty state before DevTools opened said to reload).
    const devtools = await DevtoolsWindow.of(s, page);
    const panel = await devtools.showCorsPanel();
    await panel.waitFor('3 rows', () => document.querySelectorAll('[data-testid="row"]').length === 3 || null);

    // Close DevTools: listening stops; the log stays.
    await bs.send('Target.closeTarget', { targetId: devtools.window.info.targetId });
    await waitFor('listening stopped', async () => (JSON.stringify((await stats()).listening) === '[]' ? true : null));
    await fire(page, 'closed-after');
    expect((await logged(tabId)).sort()).toEqual(open.sort());

    // Removed listeners do not wake a stopped worker either: stop it, fire, and it stays stopped.
    await stopWorker(s);
    await fire(page, 'stopped', 5);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await workerTarget(s), 'no listener woke the worker').toBeUndefined();
    // Wake it (an extension page connecting) to read the log: unchanged.
    const ext = await s.context.newPage();
    await ext.goto(`chrome-extension://${s.extensionId}/src/panel/panel.html?tabId=999999`);
    expect((await logged(tabId)).sort()).toEqual(open.sort());
    await ext.close();
    await bs.detach();
    await other.close();
    await page.close();
  });

  it('"Record every tab" listens to every tab with no DevTools open, and can be switched back', async () => {
    const page = await s.context.newPage();
    await page.goto(`${pages.origin}/?scope-b`);
    const tabId = await tabIdOf(page);
    // The options page (chrome://extensions → Details → Extension options) sets it.
    const options = await s.context.newPage();
    await options.goto(`chrome-extension://${s.extensionId}/src/options/options.html`);
    await options.waitForFunction(
      () => (document.querySelector('[data-testid="scope-inspected"]') as HTMLInputElement).checked,
    );
    await options.click('[data-testid="scope-all"]');
    await options.waitForFunction(() =>
      document.querySelector('[data-testid="status"]')!.textContent!.includes('every tab is recorded'),
    );
    // A cap out of range is refused with a clear message and not saved.
    await options.fill('[data-testid="cap"]', '0');
    await options.dispatchEvent('[data-testid="cap"]', 'change');
    expect(await options.textContent('[data-testid="status"]')).toMatch(/whole number from 1 to 1,000,000/);
    expect(await (await worker()).evaluate(() => chrome.storage.local.get('settings.logCap'))).toEqual({});
    await options.close();
    await waitFor('listening to all tabs', async () => ((await stats()).listening === 'all' ? true : null));
    await fire(page, 'all');
    await waitFor('requests logged without DevTools', async () => ((await logged(tabId)).length === 3 ? true : null));

    // The setting survives a worker restart, and the restarted worker listens to all tabs at once.
    await stopWorker(s);
    // A request wakes it (top-level listeners) and is logged.
    await fire(page, 'woken', 1);
    await waitFor('the waking request logged', async () =>
      (await logged(tabId).catch(() => [])).some((u) => u.includes('woken=0')) ? true : null,
    );
    expect((await stats()).listening).toBe('all');

    await (await worker()).evaluate(() => chrome.storage.local.set({ 'settings.recordScope': 'inspected' }));
    await waitFor('back to inspected tabs only', async () =>
      JSON.stringify((await stats()).listening) === '[]' ? true : null,
    );
    await fire(page, 'inspected-again');
    expect((await logged(tabId)).some((u) => u.includes('inspected-again'))).toBe(false);
    await page.close();
  });
});
