// The CORS panel inside Firefox ESR's own DevTools toolbox (docked, as a user sees it), not the
// popped-out page the other Firefox suites read. Firefox runs with --devtools and the remote agent's
// system access (--remote-allow-system-access): WebDriver BiDi then evaluates in the browser
// window's chrome scope, where the test selects the CORS tool through the toolbox's own API and
// reads the panel's document with a frame script in the panel's <browser>. Screenshots come from
// the window's own drawSnapshot (BiDi cannot capture chrome scope): test-results/firefox-toolbox*.png.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPlayground, type Playground } from '../../playground/server';
import { PLAYGROUND } from '../../playground/scenarios';
import { RESULTS, waitFor } from '../support/chromium';
import { launchFirefox, type FirefoxSession } from '../support/firefox';

type Results = Record<string, 'ok' | 'blocked'>;
type Row = [outcome: string, symptom: string, url: string];

let pg: Playground;
let ff: FirefoxSession;
let page: Page;
let chromeContext: string;

interface Bidi {
  send(method: string, params: object): Promise<{ result: any }>;
}
const bidi = () => (ff.browser as unknown as { connection: Bidi }).connection;

/** Evaluates an async function body in the browser window's chrome scope; returns its string result. */
async function inChrome(body: string): Promise<string> {
  const r = await bidi().send('script.evaluate', {
    expression: `(async () => { ${body} })()`,
    target: { context: chromeContext },
    awaitPromise: true,
    resultOwnership: 'none',
  });
  if (r.result.type !== 'success')
    throw new Error(`chrome-scope script failed: ${JSON.stringify(r.result.exceptionDetails?.text ?? r.result)}`);
  return String(r.result.result.value ?? '');
}

const TOOLBOX = `
  const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
  const { gDevTools } = require('devtools/client/framework/devtools');
  const tb = gDevTools.getToolboxForTab(gBrowser.selectedTab);`;

/** The id of the CORS tool in the selected tab's toolbox, once the extension registered it. */
async function corsToolId(): Promise<string | null> {
  const id = await inChrome(
    `${TOOLBOX} if (!tb) return ''; const t = tb.getAdditionalTools().find((x) => x.label === 'CORS'); return t ? t.id : '';`,
  );
  return id || null;
}

/** Runs `fn` (source of a function of no arguments) in the CORS panel's document inside the toolbox. */
async function inPanel<T>(fn: string): Promise<T> {
  const script = `sendAsyncMessage('cors-lens-test', JSON.stringify((${fn})()))`;
  const out = await inChrome(`${TOOLBOX}
    const id = tb.getAdditionalTools().find((x) => x.label === 'CORS').id;
    const frame = tb.doc.getElementById('toolbox-panel-iframe-' + id);
    const browser = frame && frame.contentDocument && frame.contentDocument.querySelector('browser');
    if (!browser) return 'null';
    const mm = browser.messageManager;
    return await new Promise((resolve) => {
      const done = (v) => { mm.removeMessageListener('cors-lens-test', on); resolve(v); };
      const on = (m) => done(m.data);
      mm.addMessageListener('cors-lens-test', on);
      mm.loadFrameScript('data:,' + encodeURIComponent(${JSON.stringify(script)}), false);
      setTimeout(() => done('null'), 10000);
    });`);
  return JSON.parse(out) as T;
}

const ROWS = `() => [...content.document.querySelectorAll('[data-testid="row"]')].map((r) => [r.dataset.outcome, r.dataset.symptom, r.querySelectorAll('td')[1].textContent])`;
const DETAIL = `() => { const d = content.document.querySelector('[data-testid="detail"]'); return d ? d.textContent : null; }`;
const openRow = (path: string) =>
  `() => { const r = [...content.document.querySelectorAll('[data-testid="row"]')].find((x) => x.querySelectorAll('td')[1].textContent.endsWith(${JSON.stringify(path)})); if (r) r.click(); return !!r; }`;
const PAGE_VIEW_STATE = `() => { const b = content.document.querySelector('[data-testid="page-view"]'); return b ? b.dataset.state : null; }`;

/** A PNG of the whole browser window (page and docked toolbox). */
async function screenshot(name: string): Promise<string> {
  const url = await inChrome(`
    const bmp = await window.browsingContext.currentWindowGlobal.drawSnapshot(null, 1, 'white');
    const c = document.createElementNS('http://www.w3.org/1999/xhtml', 'canvas');
    c.width = bmp.width; c.height = bmp.height;
    c.getContext('2d').drawImage(bmp, 0, 0);
    return c.toDataURL('image/png');`);
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, `${name}.png`);
  writeFileSync(file, Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'));
  return file;
}

const pathOf = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');
const runAll = () =>
  page.evaluate(() => (window as unknown as { runAll(): Promise<Results> }).runAll()) as Promise<Results>;

beforeAll(async () => {
  pg = await startPlayground();
  ff = await launchFirefox({ devtools: true, args: ['--remote-allow-system-access'] });
  page = (await ff.browser.pages())[0] ?? (await ff.browser.newPage());
  await page.goto(pg.url);
  const tree = await bidi().send('browsingContext.getTree', { 'moz:scope': 'chrome' });
  chromeContext = tree.result.contexts.find(
    (c: { url: string }) => c.url === 'chrome://browser/content/browser.xhtml',
  ).context;
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await screenshot('firefox-toolbox-FAILED').catch(() => {});
});
afterAll(async () => {
  await ff?.close();
  await pg?.close();
});

describe("Firefox ESR: the CORS tab in Firefox's own DevTools toolbox", () => {
  it('lists every request Firefox blocked under Blocked — the credentialed wildcard as "blocked if credentialed", with Firefox\'s reason', async () => {
    const id = await waitFor('the CORS tool in the toolbox', corsToolId, 60_000);
    await inChrome(`${TOOLBOX} await tb.selectTool(${JSON.stringify(id)}); return tb.currentToolId;`);
    expect(await inChrome(`${TOOLBOX} return tb.currentToolId;`)).toBe(id);
    await waitFor('the panel rendered in the toolbox', () => inPanel<string | null>(PAGE_VIEW_STATE), 60_000);

    const results = await runAll();
    const blocked = PLAYGROUND.filter((s) => results[s.id] === 'blocked').map((s) => s.path);
    expect(blocked).toContain('/me');
    const rows = await waitFor(
      'every blocked request listed in the toolbox panel',
      async () => {
        const r = await inPanel<Row[] | null>(ROWS);
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

    expect(await inPanel<boolean>(openRow('/me'))).toBe(true);
    const detail = await waitFor('detail of /me', () => inPanel<string | null>(DETAIL));
    expect(detail).toContain('CORSNotSupportingCredentials');
    expect(detail).toMatch(/Blocked if credentialed|Blocked if sent with credentials/);
    expect(detail).not.toContain('Allowed: every CORS rule passed');
    await screenshot('firefox-toolbox');
  });
});
