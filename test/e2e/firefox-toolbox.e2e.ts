// The CORS panel inside Firefox ESR's own DevTools toolbox (docked, as a user sees it), not the
// popped-out page the other Firefox suites read. Firefox runs with --devtools and the remote agent's
// system access (--remote-allow-system-access): WebDriver BiDi then evaluates in the browser
// window's chrome scope, where the test selects the CORS tool through the toolbox's own API and
// reads the panel's document with a frame script in the panel's <browser> (test/support/firefox-toolbox.ts,
// shared with `npm start -- --firefox`). Screenshots come from
// the window's own drawSnapshot (BiDi cannot capture chrome scope): test-results/firefox-toolbox*.png.
// The second test switches the page view on in the docked panel and checks the credentialed
// wildcard becomes Blocked, certain.
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPlayground, type Playground } from '../../playground/server';
import { PLAYGROUND } from '../../playground/scenarios';
import { waitFor } from '../support/chromium';
import { launchFirefox, type FirefoxSession } from '../support/firefox';
import { firefoxToolbox, TOOLBOX_ARGS, type FirefoxToolbox } from '../support/firefox-toolbox';

type Results = Record<string, 'ok' | 'blocked'>;
type Row = [outcome: string, symptom: string, url: string];

let pg: Playground;
let ff: FirefoxSession;
let page: Page;
let toolbox: FirefoxToolbox;

const ROWS = `() => [...content.document.querySelectorAll('[data-testid="row"]')].map((r) => [r.dataset.outcome, r.dataset.symptom, r.querySelectorAll('td')[1].textContent])`;
const DETAIL = `() => { const d = content.document.querySelector('[data-testid="detail"]'); return d ? d.textContent : null; }`;
const openRow = (path: string) =>
  `() => { const r = [...content.document.querySelectorAll('[data-testid="row"]')].find((x) => x.querySelectorAll('td')[1].textContent.endsWith(${JSON.stringify(path)})); if (r) r.click(); return !!r; }`;
const PAGE_VIEW_STATE = `() => { const b = content.document.querySelector('[data-testid="page-view"]'); return b ? b.dataset.state : null; }`;
const STATUS = `() => { const b = content.document.querySelector('[data-testid="statusbar"]'); return b ? b.textContent : null; }`;
const CLICK_PAGE_VIEW = `() => { const b = content.document.querySelector('[data-testid="page-view"]'); if (b) b.click(); return !!b; }`;
const wrapperInstalled = () =>
  typeof (window as unknown as Record<symbol, unknown>)[Symbol.for('cors-lens.pageview')] === 'function';

const pathOf = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');
const runAll = () =>
  page.evaluate(() => (window as unknown as { runAll(): Promise<Results> }).runAll()) as Promise<Results>;

beforeAll(async () => {
  pg = await startPlayground();
  ff = await launchFirefox({ devtools: true, args: TOOLBOX_ARGS });
  page = (await ff.browser.pages())[0] ?? (await ff.browser.newPage());
  await page.goto(pg.url);
  toolbox = await firefoxToolbox(ff);
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await toolbox?.screenshot('firefox-toolbox-FAILED').catch(() => {});
});
afterAll(async () => {
  await ff?.close();
  await pg?.close();
});

describe("Firefox ESR: the CORS tab in Firefox's own DevTools toolbox", () => {
  it('lists every request Firefox blocked under Blocked — the credentialed wildcard as "blocked if credentialed", with Firefox\'s reason', async () => {
    const id = await toolbox.selectCorsTool();
    expect(await toolbox.currentToolId()).toBe(id);
    await waitFor('the panel rendered in the toolbox', () => toolbox.inPanel<string | null>(PAGE_VIEW_STATE), 60_000);

    const results = await runAll();
    const blocked = PLAYGROUND.filter((s) => results[s.id] === 'blocked').map((s) => s.path);
    expect(blocked).toContain('/me');
    const rows = await waitFor(
      'every blocked request listed in the toolbox panel',
      async () => {
        const r = await toolbox.inPanel<Row[] | null>(ROWS);
        return r && blocked.every((p) => r.some((x) => pathOf(x[2]) === p && x[0] !== 'pending')) ? r : null;
      },
      60_000,
    );
    // The Blocked filter (the default) holds them all, and nothing Firefox blocked reads as a pass.
    expect(rows.filter((r) => r[0] === 'pass')).toEqual([]);
    expect(rows.find((r) => pathOf(r[2]) === '/me')).toEqual([
      'uncertain',
      'WildcardOriginNotAllowed',
      expect.stringMatching(/\/me$/),
    ]);

    expect(await toolbox.inPanel<boolean>(openRow('/me'))).toBe(true);
    const detail = await waitFor('detail of /me', () => toolbox.inPanel<string | null>(DETAIL));
    expect(detail).toContain('CORSNotSupportingCredentials');
    expect(detail).toMatch(/Blocked if credentialed|Blocked if sent with credentials/);
    expect(detail).not.toContain('Allowed: every CORS rule passed');
    await toolbox.screenshot('firefox-toolbox');
  });

  it("page view switched on in the toolbox: the credentialed wildcard is Blocked, certain, with Firefox's reason", async () => {
    await toolbox.selectCorsTool();
    // Start from the page view off (a retry may find it on) and the page loaded without the wrapper.
    // (A click turns it on from "off" or "ended", off from "starting" or "on".)
    const state = await waitFor('the page view switch', () => toolbox.inPanel<string | null>(PAGE_VIEW_STATE), 60_000);
    if (state === 'on' || state === 'starting') {
      expect(await toolbox.inPanel<boolean>(CLICK_PAGE_VIEW)).toBe(true);
      await waitFor(
        'page view off',
        async () => (await toolbox.inPanel<string | null>(PAGE_VIEW_STATE)) === 'off',
        60_000,
      );
    }
    await waitFor(
      'the page without the wrapper',
      () =>
        page
          .evaluate(
            () =>
              document.readyState === 'complete' &&
              typeof (window as unknown as Record<string, unknown>).runAll === 'function' &&
              typeof (window as unknown as Record<symbol, unknown>)[Symbol.for('cors-lens.pageview')] !== 'function',
          )
          .then((x) => x || null)
          .catch(() => null),
      30_000,
    );

    // The switch in the docked panel: the toolbox's DevTools page reloads the page with the wrapper.
    expect(await toolbox.inPanel<boolean>(CLICK_PAGE_VIEW)).toBe(true);
    await waitFor('page view on', async () => (await toolbox.inPanel<string | null>(PAGE_VIEW_STATE)) === 'on', 60_000);
    await waitFor(
      'the wrapper in the reloaded page',
      () =>
        page
          .evaluate(wrapperInstalled)
          .then((x) => x || null)
          .catch(() => null),
      30_000,
    );
    const logStart = ff.logs.length;
    const results = await runAll();
    const blocked = PLAYGROUND.filter((s) => results[s.id] === 'blocked')
      .map((s) => s.path)
      .sort();
    expect(blocked).toContain('/me');
    // Every request Firefox blocked is listed under Blocked, settled, and the page load's counts
    // (the status bar: the list only renders the rows in view) have none "blocked if credentialed".
    const passed = PLAYGROUND.length - blocked.length;
    const rows = await waitFor(
      'every request of this page load settled in the toolbox panel',
      async () => {
        const r = await toolbox.inPanel<Row[] | null>(ROWS);
        const status = await toolbox.inPanel<string | null>(STATUS);
        return r &&
          status?.startsWith(`${PLAYGROUND.length} requests · ${blocked.length} blocked · ${passed} passed`) &&
          blocked.every((p) => r.some((x) => pathOf(x[2]) === p && x[0] === 'blocked')) &&
          !r.some((x) => x[0] === 'uncertain' || x[0] === 'pending')
          ? r
          : null;
      },
      60_000,
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}; status bar: ${await toolbox.inPanel<string | null>(STATUS).catch(() => null)}`);
    });
    expect(rows.map((r) => pathOf(r[2])).sort()).toEqual(blocked);
    expect(rows.find((r) => pathOf(r[2]) === '/me')).toEqual([
      'blocked',
      'WildcardOriginNotAllowed',
      expect.stringMatching(/\/me$/),
    ]);
    // Firefox's own reason for /me, in the same run (typographic quotes around the header name).
    await waitFor(
      "Firefox's console reason for /me",
      () =>
        ff.logs
          .slice(logStart)
          .find(
            (l) =>
              l.text.includes('/me') &&
              /Credential is not supported if the CORS header .Access-Control-Allow-Origin. is .\*./.test(l.text),
          ) ?? null,
    );
    expect(await toolbox.inPanel<boolean>(openRow('/me'))).toBe(true);
    const detail = await waitFor('detail of /me with the page view', async () => {
      const d = await toolbox.inPanel<string | null>(DETAIL);
      return d && /\(page view\)/.test(d) ? d : null;
    });
    expect(detail).toContain('CORSNotSupportingCredentials');
    expect(detail).toMatch(/include — the page's fetch\(\) asked for it and saw a network error \(page view\)/);
    expect(detail).not.toMatch(/Blocked if credentialed|Blocked if sent with credentials/);
    expect(detail).not.toContain('Allowed: every CORS rule passed');
    await toolbox.screenshot('firefox-toolbox-pageview');
  });
});
