// Nothing lost: the browser stops the background (Chrome's MV3 service worker, Firefox's event
// page) whenever it likes. Requests logged before a stop, during it and after it all show up,
// each exactly once, in the panel — also after DevTools is closed and reopened — and a request
// whose events straddle the stop is one entry with its preflight.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backgroundStats, launchChromium, mainPage, waitFor, type ChromiumSession } from '../support/chromium';
import { CdpTarget, DevtoolsWindow, stopWorker, targets } from '../support/devtools';
import {
  firefoxScreenshot,
  launchFirefox,
  openPopoutPanel,
  waitInspected,
  type FirefoxSession,
} from '../support/firefox';
import { startApi, startPages, type ApiServer, type RunningServer } from '../support/servers';
import type { Page as PuppeteerPage } from 'puppeteer-core';

let api: ApiServer;
let pages: RunningServer;
const SLOW_MS = 4000;

beforeAll(async () => {
  api = await startApi();
  pages = await startPages();
  // Blocked simple GETs (no Access-Control-Allow-Origin).
  api.route('/fail', { actual: { status: 200, headers: [['Content-Type', 'text/plain']] } });
  // A preflighted PUT whose preflight passes and whose response comes late and without ACAO:
  // its events straddle the restart (preflight + request headers before, response after).
  api.route('/slow', {
    preflight: {
      status: 204,
      headers: [
        ['Access-Control-Allow-Origin', '{origin}'],
        ['Access-Control-Allow-Methods', 'PUT'],
        ['Access-Control-Allow-Headers', 'content-type'],
      ],
    },
    actual: { status: 200, headers: [['Content-Type', 'text/plain']], delayMs: SLOW_MS },
  });
});
afterAll(async () => {
  await api?.close();
  await pages?.close();
});

/** Fires `n` blocked GETs (unique URLs) from the page; returns their URLs. */
const failures = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `${api.origin}/fail?${tag}=${i}`);

interface BgEntry {
  id: string;
  url: string;
  nav: number;
  state: string;
  outcome: string;
  preflights: Array<{ state: string; status?: number }>;
}
interface BgSnapshot {
  entries: BgEntry[];
  navigations: string[];
  wakes: number;
}

/**
 * What the background holds for the tab, read over the panel protocol itself (a second port
 * from an extension page) plus the wake counter from storage.session. Runs in an extension page.
 */
async function backgroundSnapshot(tabId: number): Promise<BgSnapshot> {
  const api = (globalThis as any).browser ?? (globalThis as any).chrome;
  const snap: any = await new Promise((resolve, reject) => {
    const port = api.runtime.connect({ name: 'cors-lens-panel' });
    const t = setTimeout(() => reject(new Error('no snapshot')), 8000);
    port.onMessage.addListener((m: any) => {
      if (m.type !== 'snapshot') return;
      clearTimeout(t);
      port.disconnect();
      resolve(m);
    });
    port.postMessage({ type: 'subscribe', tabId });
  });
  const session = (await api.storage.session.get('corsLens.session'))['corsLens.session'];
  return {
    entries: snap.entries.map((e: any) => ({
      id: e.id,
      url: e.exchange.url,
      nav: e.nav,
      state: e.exchange.state,
      outcome: e.verdict.outcome,
      preflights: e.exchange.preflights.map((p: any) => ({ state: p.state, status: p.hop.statusCode })),
    })),
    navigations: snap.navigations.map((n: any) => n.url),
    wakes: session?.wakes ?? 0,
  };
}

/** The id of the tab whose log has an entry for `url` (asks the background per tab). Runs in an extension page. */
async function tabLogging(url: string): Promise<number | null> {
  const api = (globalThis as any).chrome;
  for (const t of await api.tabs.query({})) {
    const found: boolean = await new Promise((resolve) => {
      const port = api.runtime.connect({ name: 'cors-lens-panel' });
      port.onMessage.addListener((m: any) => {
        if (m.type !== 'snapshot') return;
        port.disconnect();
        resolve(m.entries.some((e: any) => e.exchange.url === url));
      });
      port.postMessage({ type: 'subscribe', tabId: t.id });
    });
    if (found) return t.id;
  }
  return null;
}

/** Distinct entries stored on disk (the background's IndexedDB) for a tab. Runs in an extension page. */
async function storedRows(tabId: number): Promise<number> {
  const db: IDBDatabase = await new Promise((resolve, reject) => {
    const r = indexedDB.open('cors-lens');
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const recs: Array<{ entries: Array<{ id: string }> }> = await new Promise((resolve, reject) => {
    const r = db
      .transaction('entries')
      .objectStore('entries')
      .getAll(IDBKeyRange.bound([tabId], [tabId, Infinity]));
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  db.close();
  return new Set(recs.flatMap((r) => r.entries.map((e) => e.id))).size;
}

/** The rows the panel renders: id and URL of each. Runs in the panel page. */
function panelRows(): Array<{ id: string; url: string }> {
  return [...document.querySelectorAll('[data-testid="row"]')].map((r) => ({
    id: (r as HTMLElement).dataset.id ?? '',
    url: r.querySelector('.url')?.textContent ?? '',
  }));
}

function expectEachOnce(rows: Array<{ id: string; url: string }>, urls: string[]) {
  const ids = rows.map((r) => r.id);
  expect(new Set(ids).size, `duplicate rows: ${ids.join(',')}`).toBe(ids.length);
  for (const u of urls)
    expect(
      rows.filter((r) => r.url === u),
      u,
    ).toHaveLength(1);
  expect(rows).toHaveLength(urls.length);
}

describe('Chromium: the service worker is stopped mid-session', () => {
  let s: ChromiumSession;
  let devtools: DevtoolsWindow | undefined;
  beforeAll(async () => {
    s = await launchChromium({ windowSize: [1400, 1400] });
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && devtools)
      await devtools.screenshot('restart-chromium-FAILED').catch(() => {});
  });
  afterAll(async () => s?.close());

  it('keeps every entry exactly once across a worker stop, a DevTools close/reopen and navigations', async () => {
    // A freshly installed extension's listeners exist only once its worker ran: wait for that
    // before the first page load, whose navigation the test checks.
    const sw = s.context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'))!;
    await sw.evaluate(() => (globalThis as any).__corsLens.ready());
    const page = await mainPage(s, `${pages.origin}/`);
    devtools = await DevtoolsWindow.of(s, page);
    let panel: CdpTarget = await devtools.showCorsPanel();
    const tabId = await panel.evaluate(() => (globalThis as any).chrome.devtools.inspectedWindow.tabId as number);
    // The first load happened before DevTools opened (the tab is recorded from then on): load it
    // again, for the navigation checks below.
    await page.reload();
    const fire = (urls: string[]) =>
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
        urls,
      );

    const before = failures('before', 6);
    expect(await fire(before)).toEqual(before.map(() => 'failed'));
    await panel.waitFor('6 rows', () => document.querySelectorAll('[data-testid="row"]').length >= 6 || null);

    // The straddling request: preflight passes now, the response arrives after the restart.
    const slow = `${api.origin}/slow?straddle`;
    const slowResult = page.evaluate(
      (u) =>
        fetch(u, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' }).then(
          () => 'ok',
          () => 'failed',
        ),
      slow,
    );
    // Asking for a snapshot makes the background write its pending changes first, so once the
    // pending entry shows up here it is stored (with the in-flight journal).
    const pending = await waitFor('the slow request logged as pending, with its preflight', async () => {
      const snap = await panel.evaluate(backgroundSnapshot, tabId);
      return snap.entries.find((e) => e.url === slow && e.state === 'pending' && e.preflights.length === 1) ?? null;
    });
    const wakesBefore = (await panel.evaluate(backgroundSnapshot, tabId)).wakes;
    const wakes = async () => (await panel.evaluate(backgroundSnapshot, tabId).catch(() => ({ wakes: 0 }))).wakes;

    await stopWorker(s, async () => (await wakes()) > wakesBefore);
    const during = failures('after-stop', 6);
    expect(await fire(during)).toEqual(during.map(() => 'failed'));
    expect(await slowResult).toBe('failed');

    const all = [...before, slow, ...during];
    // The panel reconnects by itself and resynchronises.
    await panel.waitFor(
      'all rows after the restart',
      (n: number) => document.querySelectorAll('[data-testid="row"]').length >= n || null,
      all.length,
      20_000,
    );
    expectEachOnce(await panel.evaluate(panelRows), all);
    const snap = await panel.evaluate(backgroundSnapshot, tabId);
    expect(snap.wakes, 'the worker really restarted').toBeGreaterThan(wakesBefore);
    const slowEntries = snap.entries.filter((e) => e.url === slow);
    expect(slowEntries).toEqual([
      expect.objectContaining({
        id: pending.id,
        state: 'error',
        outcome: 'blocked',
        preflights: [{ state: 'completed', status: 204 }],
      }),
    ]);
    expect(snap.entries.map((e) => e.url).sort()).toEqual([...all].sort());
    await devtools.screenshot('restart-chromium-after-stop');

    // Close DevTools (the tab is no longer recorded: the default scope records tabs while their
    // DevTools is open), stop the worker, fire requests, then open DevTools again on the same tab:
    // a fresh panel gets a fresh snapshot of everything recorded before, each once.
    const pageTarget = (await targets(s)).find((t) => t.type === 'page' && t.url === `${pages.origin}/`)!;
    const bs = await s.browser.newBrowserCDPSession();
    await bs.send('Target.closeTarget', { targetId: devtools.window.info.targetId });
    await waitFor(
      'DevTools closed',
      async () => !(await targets(s)).some((t) => t.type === 'iframe' && t.url.includes('/src/panel/panel.html')),
    );
    // (Tabs inspected before the restart are held a few seconds for their DevTools to reconnect.)
    await waitFor(
      'the tab no longer recorded',
      async () => JSON.stringify((await backgroundStats(s)).listening) === '[]' || null,
      15_000,
    );
    await stopWorker(s);
    const closed = failures('devtools-closed', 4);
    expect(await fire(closed)).toEqual(closed.map(() => 'failed'));
    await bs.send('Target.openDevTools', { targetId: pageTarget.targetId });
    await bs.detach();
    devtools = await DevtoolsWindow.of(s, page);
    panel = await devtools.showCorsPanel();
    await panel.waitFor(
      'all rows in the reopened panel',
      (n: number) => document.querySelectorAll('[data-testid="row"]').length >= n || null,
      all.length,
      20_000,
    );
    expectEachOnce(await panel.evaluate(panelRows), all);
    expect(
      (await panel.evaluate(backgroundSnapshot, tabId)).wakes,
      'reopening DevTools woke a new worker',
    ).toBeGreaterThan(wakesBefore + 1);

    // Navigations: recorded, and entries of earlier page loads kept and marked with theirs.
    // (Showing or hiding earlier loads — "preserve log" — is the panel's choice over this data.)
    await page.goto(`${pages.origin}/?second-load`);
    const afterNav = failures('after-nav', 3);
    expect(await fire(afterNav)).toEqual(afterNav.map(() => 'failed'));
    const nav = await waitFor('entries of the second page load', async () => {
      const sn = await panel.evaluate(backgroundSnapshot, tabId);
      return sn.entries.length === all.length + afterNav.length ? sn : null;
    });
    expect(nav.navigations.slice(-2)).toEqual([`${pages.origin}/`, `${pages.origin}/?second-load`]);
    const second = nav.navigations.length - 1;
    for (const e of nav.entries) expect(e.nav, e.url).toBe(afterNav.includes(e.url) ? second : second - 1);
    // Preserve log off (the default): only the new page load's rows; on: both loads', each once.
    await panel.waitFor(
      'rows of the second load only',
      (urls: string[]) => {
        const shown = [...document.querySelectorAll('[data-testid="row"] .url')].map((c) => c.textContent);
        return (shown.length === urls.length && urls.every((u) => shown.includes(u))) || null;
      },
      afterNav,
    );
    expect(
      await panel.evaluate(() => (document.querySelector('[data-testid="preserve-log"]') as HTMLInputElement).checked),
    ).toBe(false);
    expectEachOnce(await panel.evaluate(panelRows), afterNav);
    await panel.evaluate(() => (document.querySelector('[data-testid="preserve-log"]') as HTMLInputElement).click());
    await panel.waitFor(
      'rows from both page loads',
      (n: number) => document.querySelectorAll('[data-testid="row"]').length >= n || null,
      all.length + afterNav.length,
    );
    expectEachOnce(await panel.evaluate(panelRows), [...all, ...afterNav]);
    await devtools.screenshot('restart-chromium');

    // A closed tab is forgotten: in memory and on disk.
    const other = await s.context.newPage();
    await other.goto(`${pages.origin}/?other-tab`);
    // Its DevTools opens with it (--auto-open-devtools-for-tabs): wait until it is recorded.
    await waitFor(
      'the other tab recorded',
      async () => ((await backgroundStats(s)).listening as number[]).length >= 2 || null,
    );
    const otherUrls = failures('other-tab', 3);
    await other.evaluate((us) => Promise.all(us.map((u) => fetch(u).catch(() => 0))), otherUrls);
    const otherTab = await waitFor('the other tab logged', () => panel.evaluate(tabLogging, otherUrls[0]!));
    expect(await panel.evaluate(storedRows, otherTab)).toBe(3);
    await other.close();
    await waitFor(
      'the closed tab forgotten on disk',
      async () => (await panel.evaluate(storedRows, otherTab)) === 0 || null,
    );
    expect((await panel.evaluate(backgroundSnapshot, otherTab)).entries).toEqual([]);
    expect(await panel.evaluate(storedRows, tabId)).toBe(all.length + afterNav.length);
  });
});

describe('Firefox ESR: the event page is suspended mid-session', () => {
  let ff: FirefoxSession;
  let panel: PuppeteerPage | undefined;
  // Suspend the event page after 2 s idle instead of Firefox's default 30 s.
  const IDLE_MS = 2000;
  beforeAll(async () => {
    // DevTools open on the tab, as a user debugging has it: its DevTools page makes the
    // background record the tab (the default recording scope), also while the panel is closed.
    ff = await launchFirefox({ devtools: true, prefs: { 'extensions.background.idle.timeout': IDLE_MS } });
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && panel)
      await firefoxScreenshot(panel, 'restart-firefox-FAILED').catch(() => {});
  });
  afterAll(async () => ff?.close());

  it('keeps every entry exactly once across suspensions, panel reopen and navigations', async () => {
    const page = (await ff.browser.pages())[0]!;
    await page.goto(`${pages.origin}/`);
    const fire = (urls: string[]) =>
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
        urls,
      );
    panel = await openPopoutPanel(ff, pages.origin, `${pages.origin}/`);
    const tabId = Number(await panel.evaluate(() => new URLSearchParams(location.search).get('tabId')));
    // The add-on was just installed: make sure its background runs before the page load the
    // navigation checks below count on.
    await waitFor('background answering', () => panel!.evaluate(backgroundSnapshot, tabId).catch(() => null));
    await waitInspected(ff, pages.origin, `${pages.origin}/`);
    await page.goto(`${pages.origin}/`);

    const before = failures('ff-before', 6);
    expect(await fire(before)).toEqual(before.map(() => 'failed'));
    await waitFor('6 rows', () =>
      panel!.evaluate(() => document.querySelectorAll('[data-testid="row"]').length >= 6 || null),
    );
    expectEachOnce(await panel.evaluate(panelRows), before);
    const wakes0 = (await panel.evaluate(backgroundSnapshot, tabId)).wakes;

    // The straddling request, with the panel closed (an open port may keep the page alive).
    const slow = `${api.origin}/slow?ff-straddle`;
    const slowResult = page.evaluate(
      (u) =>
        fetch(u, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' }).then(
          () => 'ok',
          () => 'failed',
        ),
      slow,
    );
    await waitFor('the slow request logged as pending', async () => {
      const snap = await panel!.evaluate(backgroundSnapshot, tabId);
      return snap.entries.some((e) => e.url === slow && e.state === 'pending' && e.preflights.length === 1) || null;
    });
    await panel.close();
    panel = undefined;
    expect(await slowResult).toBe('failed'); // resolves after SLOW_MS, longer than the idle timeout

    await new Promise((r) => setTimeout(r, IDLE_MS + 2000));
    const during = failures('ff-after-suspend', 6);
    expect(await fire(during)).toEqual(during.map(() => 'failed'));

    panel = await openPopoutPanel(ff, pages.origin, `${pages.origin}/`);
    const all = [...before, slow, ...during];
    await waitFor(
      'all rows after the suspension',
      () => panel!.evaluate((n) => document.querySelectorAll('[data-testid="row"]').length >= n || null, all.length),
      20_000,
    );
    expectEachOnce(await panel.evaluate(panelRows), all);
    const snap = await panel.evaluate(backgroundSnapshot, tabId);
    expect(snap.wakes, 'the event page was really suspended and woken again').toBeGreaterThan(wakes0);
    // (Firefox reports a request blocked on its response as completed, preflighted or not.)
    expect(snap.entries.filter((e) => e.url === slow)).toEqual([
      expect.objectContaining({
        state: 'completed',
        outcome: 'blocked',
        preflights: [expect.objectContaining({ status: 204 })],
      }),
    ]);

    // Navigations: recorded, earlier entries kept and marked.
    await page.goto(`${pages.origin}/?second-load`);
    const afterNav = failures('ff-after-nav', 3);
    expect(await fire(afterNav)).toEqual(afterNav.map(() => 'failed'));
    const nav = await waitFor('entries of the second page load', async () => {
      const sn = await panel!.evaluate(backgroundSnapshot, tabId);
      return sn.entries.length === all.length + afterNav.length ? sn : null;
    });
    expect(nav.navigations.slice(-2)).toEqual([`${pages.origin}/`, `${pages.origin}/?second-load`]);
    const second = nav.navigations.length - 1;
    for (const e of nav.entries) expect(e.nav, e.url).toBe(afterNav.includes(e.url) ? second : second - 1);
    await waitFor('rows of the second load only', () =>
      panel!.evaluate((urls) => {
        const shown = [...document.querySelectorAll('[data-testid="row"] .url')].map((c) => c.textContent);
        return (shown.length === urls.length && urls.every((u) => shown.includes(u))) || null;
      }, afterNav),
    );
    expectEachOnce(await panel.evaluate(panelRows), afterNav);
    await panel.evaluate(() => (document.querySelector('[data-testid="preserve-log"]') as HTMLInputElement).click());
    await waitFor('rows from both loads', () =>
      panel!.evaluate(
        (n) => document.querySelectorAll('[data-testid="row"]').length >= n || null,
        all.length + afterNav.length,
      ),
    );
    expectEachOnce(await panel.evaluate(panelRows), [...all, ...afterNav]);
    await firefoxScreenshot(panel, 'restart-firefox');
  });
});
