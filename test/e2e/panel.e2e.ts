// The CORS panel in the real DevTools window (Chromium): a page that produces several kinds of
// CORS failures plus passing requests and a not-CORS network error, checked against Chromium's
// own verdicts (CDP corsErrorStatus). Also: the per-origin view, the filter and keyboard with
// real key events, preserve log across navigations, hostile header values, the pop-out window,
// light/dark/400 px screenshots, and the same panel page in Firefox.
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import {
  captureVerdicts,
  launchChromium,
  mainPage,
  waitFor,
  type BrowserVerdict,
  type ChromiumSession,
} from '../support/chromium';
import { CdpTarget, DevtoolsWindow, targets } from '../support/devtools';
import {
  firefoxScreenshot,
  launchFirefox,
  openPopoutPanel,
  setRecordScope,
  type FirefoxSession,
} from '../support/firefox';
import { startApi, startPages, type ApiServer, type RunningServer } from '../support/servers';

const HOSTILE_IMG = '<img src=x onerror="window.__pwned=1;alert(1)">';
const HOSTILE_SCRIPT = '"><script>window.__pwned=2;alert(2)</script>';

let api: ApiServer;
let pages: RunningServer;
/** A URL on a port nothing listens on: a network error, not CORS. */
let downUrl: string;

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

beforeAll(async () => {
  api = await startApi();
  pages = await startPages({
    '/next': '<!doctype html><title>next</title><h1>next page</h1>',
    '/third': '<!doctype html><title>third</title><h1>third page</h1>',
  });
  downUrl = `http://127.0.0.1:${await closedPort()}/api/down`;
  const allow = (extra: Array<[string, string]> = []): Array<[string, string]> => [
    ['Access-Control-Allow-Origin', '{origin}'],
    ...extra,
  ];
  api.route('/trailing', {
    actual: {
      status: 200,
      headers: [
        ['Access-Control-Allow-Origin', '{origin}/'],
        ['Content-Type', 'application/json'],
      ],
      body: '{}',
    },
  });
  api.route('/items/1', {
    preflight: {
      status: 204,
      headers: allow([
        ['Access-Control-Allow-Methods', 'GET, POST'],
        ['Access-Control-Allow-Headers', 'content-type'],
        ['Access-Control-Max-Age', '0'],
      ]),
    },
    actual: { status: 200, headers: allow() },
  });
  api.route('/search', {
    preflight: {
      status: 204,
      headers: allow([
        ['Access-Control-Allow-Methods', 'POST'],
        ['Access-Control-Allow-Headers', 'content-type'],
        ['Access-Control-Max-Age', '0'],
      ]),
    },
    actual: { status: 200, headers: allow() },
  });
  api.route('/no-acao', { actual: { status: 200, headers: [['Content-Type', 'application/json']], body: '{}' } });
  api.route('/ok', { actual: { status: 200, headers: allow([['Vary', 'Origin']]) } });
  api.route('/ok-star', { actual: { status: 200, headers: [['Access-Control-Allow-Origin', '*']] } });
  api.route('/evil', {
    actual: {
      status: 200,
      headers: [
        ['Access-Control-Allow-Origin', HOSTILE_IMG],
        ['X-Evil', HOSTILE_SCRIPT],
      ],
    },
  });
  api.route('/evil-pre', {
    preflight: {
      status: 204,
      headers: allow([
        ['Access-Control-Allow-Methods', HOSTILE_SCRIPT],
        ['Access-Control-Allow-Headers', HOSTILE_IMG],
        ['Access-Control-Max-Age', '0'],
      ]),
    },
    actual: { status: 200, headers: allow() },
  });
});
afterAll(async () => {
  await api?.close();
  await pages?.close();
});

async function fire(page: Page, calls: string[]): Promise<string[]> {
  return page.evaluate(
    async ([origin, down, list]) => {
      const out: string[] = [];
      const r: Record<string, (a: string) => Promise<Response>> = {
        trailing: (a) => fetch(`${a}/trailing`),
        put: (a) =>
          fetch(`${a}/items/1`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' }),
        search: (a) =>
          fetch(`${a}/search`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-Api-Key': 'k' },
            body: '{}',
          }),
        noAcao: (a) => fetch(`${a}/no-acao`),
        ok: (a) => fetch(`${a}/ok`),
        okStar: (a) => fetch(`${a}/ok-star`),
        down: () => fetch(down as string),
        evil: (a) => fetch(`${a}/evil`),
        evilPre: (a) => fetch(`${a}/evil-pre`, { method: 'PATCH', headers: { 'X-Evil': '1' } }),
      };
      // Bodies are read so Chromium finishes the passing requests (an unread one ends as ERR_ABORTED).
      for (const c of list as string[])
        out.push(
          await r[c]!(origin as string).then(
            (res) => res.text().then(() => 'ok'),
            () => 'failed',
          ),
        );
      return out;
    },
    [api.origin, downUrl, calls] as const,
  );
}

interface Row {
  id: string;
  method: string;
  url: string;
  status: string;
  symptom: string;
  outcome: string;
  short: string;
  preflighted: boolean;
}

function readRows(): Row[] {
  return [...document.querySelectorAll<HTMLElement>('[data-testid="row"]')].map((r) => {
    const cells = [...r.querySelectorAll('td')].map((td) => td.textContent ?? '');
    return {
      id: r.dataset.id!,
      method: cells[0]!,
      url: cells[1]!,
      status: cells[2]!,
      short: cells[3]!,
      symptom: r.dataset.symptom ?? '',
      outcome: r.dataset.outcome ?? '',
      preflighted: !!r.querySelector('[aria-label="preflighted"]'),
    };
  });
}

/** A real mouse press on the element matching `selector` (the n-th), through the panel's target. */
async function mouseDown(panel: CdpTarget, selector: string, n = 0): Promise<void> {
  const at = await panel.evaluate(
    ([sel, i]) => {
      const el = document.querySelectorAll(sel as string)[i as number] as HTMLElement | undefined;
      if (!el) return null;
      el.scrollIntoView({ block: 'nearest' });
      const r = el.getBoundingClientRect();
      return { x: r.x + Math.min(30, r.width / 2), y: r.y + r.height / 2 };
    },
    [selector, n] as const,
  );
  if (!at) throw new Error(`no element ${selector}[${n}] in the panel`);
  await panel.send('Input.dispatchMouseEvent', {
    type: 'mousePressed',
    x: at.x,
    y: at.y,
    button: 'left',
    clickCount: 1,
  });
  await panel.send('Input.dispatchMouseEvent', {
    type: 'mouseReleased',
    x: at.x,
    y: at.y,
    button: 'left',
    clickCount: 1,
  });
}

const KEYS: Record<string, number> = { ArrowDown: 40, ArrowUp: 38, Enter: 13, Escape: 27, f: 70 };

async function click(panel: CdpTarget, testid: string): Promise<void> {
  await panel.evaluate((id) => (document.querySelector(`[data-testid="${id}"]`) as HTMLElement).click(), testid);
}

describe('Chromium: the CORS panel in the real DevTools window', () => {
  let s: ChromiumSession;
  let page: Page;
  let devtools: DevtoolsWindow;
  let panel: CdpTarget;
  let cdp: { cdp: CDPSession; verdicts: BrowserVerdict[]; finished: Map<string, number> };
  const dialogs: string[] = [];
  let firstLoadIds: string[] = [];

  beforeAll(async () => {
    s = await launchChromium();
    page = await mainPage(s, `${pages.origin}/`);
    page.on('dialog', (d) => {
      dialogs.push(`page: ${d.message()}`);
      void d.dismiss();
    });
    cdp = await captureVerdicts(page);
    devtools = await DevtoolsWindow.of(s, page);
    panel = await devtools.showCorsPanel();
    // Any alert() in the panel or the DevTools window would open a dialog there.
    for (const t of [panel, devtools.window]) {
      await t.send('Page.enable').catch(() => {});
      t.on('Page.javascriptDialogOpening', (e: { message: string }) => {
        dialogs.push(`devtools: ${e.message}`);
        void t.send('Page.handleJavaScriptDialog', { accept: false }).catch(() => {});
      });
    }
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && devtools)
      await devtools.screenshot(`panel-FAILED-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => {});
  });
  afterAll(async () => s?.close());

  const browserSays = (url: string, method: string) => cdp.verdicts.find((v) => v.url === url && v.method === method);

  it('lists each blocked request with the symptom Chromium reports, and passing ones under "All"', async () => {
    const results = await fire(page, ['trailing', 'put', 'search', 'noAcao', 'ok', 'okStar', 'down']);
    expect(results).toEqual(['failed', 'failed', 'failed', 'failed', 'ok', 'ok', 'failed']);
    const failures = await waitFor('Chromium verdicts', () =>
      cdp.verdicts.length >= 5 && cdp.verdicts.some((v) => v.url === downUrl) ? cdp.verdicts : null,
    );
    const corsFailures = failures.filter((v) => v.corsError);
    expect(corsFailures.map((v) => v.corsError).sort()).toEqual([
      'AllowOriginMismatch',
      'HeaderDisallowedByPreflightResponse',
      'MethodDisallowedByPreflightResponse',
      'MissingAllowOriginHeader',
    ]);
    expect(failures.find((v) => v.url === downUrl)?.errorText).toBe('net::ERR_CONNECTION_REFUSED');

    const rows = await panel.waitFor(
      '4 blocked rows',
      (n: number) => {
        const r = document.querySelectorAll('[data-testid="row"][data-outcome="blocked"]');
        return r.length >= n ? true : null;
      },
      corsFailures.length,
    );
    expect(rows).toBe(true);
    const shown = await panel.evaluate(readRows);
    expect(shown).toHaveLength(corsFailures.length);
    for (const v of corsFailures) {
      const row = shown.find((r) => r.url === v.url && r.method === v.method);
      expect(row, `${v.method} ${v.url}`).toBeDefined();
      expect(row!.outcome).toBe('blocked');
      // Every blocked row names the symptom, and it is the one Chromium reports.
      expect(row!.symptom, `${v.method} ${v.url}`).toBe(v.corsError);
    }
    // The two simple-request failures are named exactly as Chromium names them.
    expect(shown.find((r) => r.url.endsWith('/trailing'))).toMatchObject({
      symptom: 'AllowOriginMismatch',
      status: '200',
      short: 'Allow-Origin mismatch',
      preflighted: false,
    });
    expect(shown.find((r) => r.url.endsWith('/no-acao'))).toMatchObject({
      symptom: 'MissingAllowOriginHeader',
      status: '200',
    });
    // Requests that needed a preflight carry the marker.
    expect(
      shown
        .filter((r) => r.preflighted)
        .map((r) => r.method)
        .sort(),
    ).toEqual(['POST', 'PUT']);
    expect(await panel.evaluate(() => document.querySelector('[data-testid="blocked-count"]')!.textContent)).toBe(
      `${corsFailures.length} blocked`,
    );

    await click(panel, 'show-all');
    const all = await panel.waitFor('all rows', () => {
      const r = document.querySelectorAll('[data-testid="row"]');
      return r.length >= 7 ? true : null;
    });
    expect(all).toBe(true);
    const every = await panel.evaluate(readRows);
    expect(
      every
        .filter((r) => r.outcome === 'pass')
        .map((r) => r.url)
        .sort(),
    ).toEqual([`${api.origin}/ok`, `${api.origin}/ok-star`]);
    expect(every.find((r) => r.url === downUrl)).toMatchObject({
      outcome: 'not-cors',
      short: 'Not CORS: net::ERR_CONNECTION_REFUSED',
    });
    firstLoadIds = every.map((r) => r.id);
    await click(panel, 'show-blocked');
    await devtools.screenshot('panel-light-list');
  });

  it('shows the side-by-side rows for the trailing slash and for the method the preflight did not allow', async () => {
    const shown = await panel.evaluate(readRows);
    const trailingIdx = shown.findIndex((r) => r.url.endsWith('/trailing'));
    await mouseDown(panel, '[data-testid="row"]', trailingIdx);
    await panel.waitFor(
      'detail of the trailing-slash request',
      (id: string) => document.querySelector(`[data-testid="detail"][data-id="${id}"]`) !== null || null,
      shown[trailingIdx]!.id,
    );
    const chromium = browserSays(`${api.origin}/trailing`, 'GET')!;
    const d = await panel.evaluate(() => {
      const first = document.querySelector<HTMLElement>('[data-testid="sbs-row"]')!;
      return {
        first: {
          result: first.dataset.result,
          field: first.dataset.field,
          stage: first.dataset.stage,
          sent: first.querySelector('[data-testid="sent"]')!.textContent,
        },
        marks: [...first.querySelectorAll('[data-testid="diff"]')].map((m) => m.textContent),
        note: document.querySelector('[data-testid="mismatch-note"]')?.textContent ?? '',
        corsError: document.querySelector('[data-testid="cors-error"]')?.textContent,
        console: document.querySelector('[data-testid="chrome-console"]')?.textContent ?? '',
        origin: document.querySelector('[data-testid="request-side"] dd')?.textContent,
      };
    });
    expect(d.first).toEqual({
      result: 'fail',
      field: 'Access-Control-Allow-Origin',
      stage: 'response',
      sent: `${pages.origin}/`,
    });
    expect(d.marks).toEqual(['', '/']); // exactly the trailing slash
    expect(d.note).toMatch(/slash/);
    expect(d.origin).toBe(pages.origin);
    expect(d.corsError).toBe(chromium.corsError);
    expect(d.console).toContain(`'${chromium.failedParameter}'`);
    await devtools.screenshot('panel-light-trailing-slash');

    const putIdx = shown.findIndex((r) => r.method === 'PUT');
    await mouseDown(panel, '[data-testid="row"]', putIdx);
    await panel.waitFor(
      'detail of the PUT',
      (id: string) => document.querySelector(`[data-testid="detail"][data-id="${id}"]`) !== null || null,
      shown[putIdx]!.id,
    );
    const put = await panel.evaluate(() => {
      const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="sbs-row"]')].map((r) => ({
        result: r.dataset.result,
        field: r.dataset.field!.toLowerCase(),
        stage: r.dataset.stage,
        sent: r.querySelector('[data-testid="sent"]')!.textContent,
        missing: [...r.querySelectorAll('.missing-item')].map((m) => m.textContent),
      }));
      return {
        rows,
        request: [...document.querySelectorAll('[data-testid="request-side"] .kv')].map((kv) => kv.textContent),
        preflight: document.querySelector('[data-testid="preflight"]')!.textContent,
        corsError: document.querySelector('[data-testid="cors-error"]')?.textContent ?? '',
      };
    });
    expect(put.request).toContain('Access-Control-Request-MethodPUT');
    const acam = put.rows.find((r) => r.field === 'access-control-allow-methods' && r.stage === 'preflight');
    expect(acam?.sent).toBe('GET, POST');
    expect(put.preflight).toContain('204');
    const chromiumPut = browserSays(`${api.origin}/items/1`, 'PUT')!;
    expect(chromiumPut.corsError).toBe('MethodDisallowedByPreflightResponse');
    // Whatever the engine names must be what Chromium reports; when it names it, the row shows why.
    expect(['', chromiumPut.corsError]).toContain(put.corsError);
    if (acam?.result === 'fail') expect(acam.missing).toEqual([chromiumPut.failedParameter]);
    await devtools.screenshot('panel-light-method-not-allowed');
  });

  it('counts requests per origin, live, and clicks through to the list filtered to that origin', async () => {
    await click(panel, 'view-origins');
    const apiBlocked = cdp.verdicts.filter((v) => v.corsError && v.url.startsWith(api.origin)).length;
    const apiPassed = () =>
      [...cdp.finished].filter(([k]) => k.includes(` ${api.origin}/`)).reduce((n, [, c]) => n + c, 0);
    const group = (target: string) =>
      panel.evaluate((t: string) => {
        const g = document.querySelector<HTMLElement>(`[data-testid="origin-group"][data-target="${t}"]`);
        return g ? { pass: Number(g.dataset.pass), blocked: Number(g.dataset.blocked) } : null;
      }, target);
    expect(
      await panel.waitFor(
        'api group',
        (t: string) => !!document.querySelector(`[data-testid="origin-group"][data-target="${t}"]`) || null,
        api.origin,
      ),
    ).toBe(true);
    await waitFor('Chromium finished the 2 passing requests', () => apiPassed() >= 2 || null);
    expect(apiPassed()).toBe(2);
    expect(await group(api.origin)).toEqual({ pass: apiPassed(), blocked: apiBlocked });
    const down = new URL(downUrl).origin;
    expect(
      await panel.evaluate(
        (t: string) =>
          document.querySelector<HTMLElement>(`[data-testid="origin-group"][data-target="${t}"] .o-other`)?.textContent,
        down,
      ),
    ).toBe('1');
    // Page origin inside the target origin.
    expect(
      await panel.evaluate(
        (t: string) =>
          [...document.querySelectorAll<HTMLElement>(`[data-testid="origin-page"][data-target="${t}"]`)].map(
            (p) => p.dataset.page,
          ),
        api.origin,
      ),
    ).toEqual([pages.origin]);

    // Live: three more passing requests.
    await fire(page, ['ok', 'ok', 'ok']);
    await waitFor('Chromium finished 5', () => apiPassed() >= 5 || null);
    await panel.waitFor(
      'pass count 5',
      (t: string) =>
        document.querySelector<HTMLElement>(`[data-testid="origin-group"][data-target="${t}"]`)?.dataset.pass === '5' ||
        null,
      api.origin,
    );
    expect(await group(api.origin)).toEqual({ pass: 5, blocked: apiBlocked });
    await devtools.screenshot('panel-light-origins');

    // Click-through: every request to the API origin, passing and failing.
    await panel.evaluate(
      (t: string) => document.querySelector<HTMLElement>(`[data-testid="origin-group"][data-target="${t}"]`)!.click(),
      api.origin,
    );
    await panel.waitFor('filtered list', () => !!document.querySelector('[data-testid="origin-chip"]') || null);
    const filtered = await panel.evaluate(readRows);
    expect(filtered.every((r) => r.url.startsWith(`${api.origin}/`))).toBe(true);
    expect(filtered).toHaveLength(5 + apiBlocked);
    await panel.evaluate(() => (document.querySelector('.chip-x') as HTMLElement).click());
    await click(panel, 'show-blocked');
  });

  it('filters with Ctrl+F and typed text, and Esc clears (real key events)', async () => {
    await mouseDown(panel, '[data-testid="row"]', 0);
    await devtools.press('f', { keyCode: KEYS.f, modifiers: 2 });
    expect(
      await panel.waitFor(
        'filter focused',
        () => document.activeElement?.getAttribute('data-testid') === 'filter' || null,
      ),
    ).toBe(true);
    await devtools.window.send('Input.insertText', { text: 'x-api-key' });
    const one = await panel.waitFor('only the X-Api-Key request', () => {
      const r = [...document.querySelectorAll<HTMLElement>('[data-testid="row"]')];
      return r.length === 1 ? r[0]!.querySelectorAll('td')[1]!.textContent : null;
    });
    expect(one).toBe(`${api.origin}/search`);
    await devtools.press('Escape', { keyCode: KEYS.Escape });
    const back = await panel.waitFor('filter cleared', () => {
      const f = document.querySelector<HTMLInputElement>('[data-testid="filter"]')!;
      return f.value === '' && document.querySelectorAll('[data-testid="row"]').length > 1
        ? document.querySelectorAll('[data-testid="row"]').length
        : null;
    });
    expect(back).toBe(4);
  });

  it('moves through the list with ↑/↓ and opens the detail with Enter (real key events)', async () => {
    const ids = (await panel.evaluate(readRows)).map((r) => r.id);
    await mouseDown(panel, '[data-testid="row"]', 0);
    const detailId = () =>
      panel.evaluate(() => document.querySelector<HTMLElement>('[data-testid="detail"]')?.dataset.id ?? null);
    await panel.waitFor(
      'first selected',
      (id: string) => document.querySelector<HTMLElement>('[data-testid="detail"]')?.dataset.id === id || null,
      ids[0],
    );
    await devtools.press('ArrowDown', { keyCode: KEYS.ArrowDown });
    await devtools.press('ArrowDown', { keyCode: KEYS.ArrowDown });
    await panel.waitFor(
      'third selected',
      (id: string) => document.querySelector<HTMLElement>('[data-testid="detail"]')?.dataset.id === id || null,
      ids[2],
    );
    await devtools.press('ArrowUp', { keyCode: KEYS.ArrowUp });
    await panel.waitFor(
      'second selected',
      (id: string) => document.querySelector<HTMLElement>('[data-testid="detail"]')?.dataset.id === id || null,
      ids[1],
    );
    expect(await detailId()).toBe(ids[1]);
    expect(
      await panel.evaluate(() =>
        document.querySelector('[data-testid="row"][aria-selected="true"]')?.getAttribute('data-id'),
      ),
    ).toBe(ids[1]);
    await devtools.press('Enter', { keyCode: KEYS.Enter });
    expect(
      await panel.waitFor(
        'detail focused',
        () => document.activeElement?.getAttribute('data-testid') === 'detail' || null,
      ),
    ).toBe(true);
  });

  it('hides requests of earlier page loads unless "Preserve log" is on', async () => {
    const before = (await panel.evaluate(readRows)).map((r) => r.id);
    expect(before.length).toBe(4);
    await page.goto(`${pages.origin}/next`);
    await panel.waitFor(
      'list emptied by the navigation',
      () => document.querySelectorAll('[data-testid="row"]').length === 0 || null,
    );
    expect(await panel.evaluate(() => document.querySelector('[data-testid="empty"]')!.textContent)).toMatch(
      /from earlier page loads (is|are) hidden/,
    );
    await fire(page, ['noAcao']);
    const fresh = await panel.waitFor('the new page load’s request', () => {
      const r = [...document.querySelectorAll<HTMLElement>('[data-testid="row"]')];
      return r.length === 1 ? r[0]!.dataset.id : null;
    });
    expect(before).not.toContain(fresh);

    await click(panel, 'preserve-log');
    const preserved = await panel.waitFor(
      'earlier requests back',
      (n: number) => {
        const r = [...document.querySelectorAll<HTMLElement>('[data-testid="row"]')];
        return r.length === n ? r.map((x) => x.dataset.id) : null;
      },
      before.length + 1,
    );
    expect(preserved).toEqual([...before, fresh]);
    await page.goto(`${pages.origin}/third`);
    await fire(page, ['trailing']);
    const kept = await panel.waitFor(
      'kept across the navigation',
      (n: number) => {
        const r = document.querySelectorAll('[data-testid="row"]');
        return r.length === n ? true : null;
      },
      before.length + 2,
    );
    expect(kept).toBe(true);

    await click(panel, 'preserve-log');
    const current = await panel.waitFor('only the third page load', () => {
      const r = [...document.querySelectorAll<HTMLElement>('[data-testid="row"]')];
      return r.length === 1 ? r[0]!.querySelectorAll('td')[1]!.textContent : null;
    });
    expect(current).toBe(`${api.origin}/trailing`);
    expect(firstLoadIds.length).toBeGreaterThan(0);
  });

  it('renders hostile header values as inert text: no dialog, no script', async () => {
    const results = await fire(page, ['evil', 'evilPre']);
    expect(results).toEqual(['failed', 'failed']);
    await panel.waitFor(
      'hostile rows',
      (a: string) => {
        const urls = [...document.querySelectorAll('[data-testid="row"] td:nth-child(2)')].map((td) => td.textContent);
        return urls.includes(`${a}/evil`) && urls.includes(`${a}/evil-pre`) ? true : null;
      },
      api.origin,
    );
    for (const path of ['/evil', '/evil-pre']) {
      const idx = (await panel.evaluate(readRows)).findIndex((r) => r.url === `${api.origin}${path}`);
      await mouseDown(panel, '[data-testid="row"]', idx);
      await panel.waitFor(
        'detail',
        (u: string) => document.querySelector('[data-testid="detail-url"]')?.textContent === u || null,
        `${api.origin}${path}`,
      );
      // Open every fold so all header tables are in the DOM.
      await panel.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
      const text = await panel.evaluate(() => document.querySelector('[data-testid="detail"]')!.textContent ?? '');
      expect(text).toContain(path === '/evil' ? HOSTILE_IMG : HOSTILE_SCRIPT);
      await new Promise((r) => setTimeout(r, 300));
      const dom = await panel.evaluate(() => ({
        imgs: document.querySelectorAll('img').length,
        scripts: [...document.querySelectorAll('script')].map(
          (s) => s.getAttribute('src') ?? `inline:${s.textContent}`,
        ),
        handlers: [...document.querySelectorAll('*')].flatMap((el) =>
          el.getAttributeNames().filter((a) => a.startsWith('on')),
        ),
        pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
      }));
      expect(dom.imgs).toBe(0);
      expect(dom.scripts.every((src) => !src.startsWith('inline:'))).toBe(true);
      expect(dom.handlers).toEqual([]);
      expect(dom.pwned).toBeNull();
    }
    await devtools.screenshot('panel-light-hostile');
    expect(
      await devtools.window.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned ?? null),
    ).toBeNull();
    expect(dialogs).toEqual([]);
  });

  it('fits a 400 px wide DevTools without horizontal overflow', async () => {
    const bs = await s.browser.newBrowserCDPSession();
    const { windowId, bounds } = (await bs.send('Browser.getWindowForTarget', {
      targetId: devtools.window.info.targetId,
    } as never)) as unknown as { windowId: number; bounds: { width: number; height: number } };
    await bs.send('Browser.setWindowBounds', { windowId, bounds: { width: 400, height: 820 } } as never);
    try {
      await panel.waitFor('400 px viewport', () => (innerWidth <= 400 ? true : null));
      const idx = (await panel.evaluate(readRows)).findIndex((r) => r.url.endsWith('/trailing'));
      await mouseDown(panel, '[data-testid="row"]', Math.max(0, idx));
      await new Promise((r) => setTimeout(r, 400));
      const overflow = await panel.evaluate(() => {
        const wide = [
          ...document.querySelectorAll<HTMLElement>(
            '.toolbar, .toolbar *, .statusbar, .split, .detail, .card, .sbs-row, .d-head',
          ),
        ].filter((el) => el.getBoundingClientRect().right > innerWidth + 1);
        // Every toolbar control is on screen and not painted over by the list.
        const hidden = ['blocked-count', 'pop-out', 'filter', 'preserve-log', 'show-all', 'view-origins'].filter(
          (id) => {
            const el = document.querySelector<HTMLElement>(`[data-testid="${id}"]`)!;
            const r = el.getBoundingClientRect();
            const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
            return !(hit && (hit === el || el.contains(hit) || hit.contains(el)));
          },
        );
        return {
          doc: document.documentElement.scrollWidth - innerWidth,
          wide: wide.map((el) => `${el.tagName}.${el.className}@${Math.round(el.getBoundingClientRect().right)}`),
          hidden,
        };
      });
      expect(overflow).toEqual({ doc: 0, wide: [], hidden: [] });
      await devtools.screenshot('panel-400-detail');
      await click(panel, 'view-origins');
      await new Promise((r) => setTimeout(r, 300));
      expect(await panel.evaluate(() => document.documentElement.scrollWidth - innerWidth)).toBe(0);
      await devtools.screenshot('panel-400-origins');
      await click(panel, 'view-requests');
    } finally {
      await bs.send('Browser.setWindowBounds', {
        windowId,
        bounds: { width: bounds.width, height: bounds.height },
      } as never);
      await bs.detach();
    }
  });

  it('pops out into its own window for the same tab', async () => {
    const docked = (await panel.evaluate(readRows)).map((r) => r.id);
    await panel.evaluate(() => (document.querySelector('[data-testid="pop-out"]') as HTMLElement).click());
    const info = await waitFor('pop-out window', async () =>
      (await targets(s)).find((t) => t.type === 'page' && t.url.includes('/src/panel/panel.html?tabId=')),
    );
    const popout = await CdpTarget.attach(s, info);
    try {
      const ids = await popout.waitFor(
        'rows in the pop-out',
        (n: number) => {
          const r = [...document.querySelectorAll<HTMLElement>('[data-testid="row"]')];
          return r.length >= n ? r.map((x) => x.dataset.id) : null;
        },
        docked.length,
      );
      expect(ids).toEqual(docked);
      // Outside DevTools the theme follows the system and there is nothing to pop out again.
      expect(
        await popout.evaluate(() => [
          document.documentElement.dataset.theme ?? null,
          !!document.querySelector('[data-testid="pop-out"]'),
        ]),
      ).toEqual([null, false]);
    } finally {
      const bs = await s.browser.newBrowserCDPSession();
      await bs.send('Target.closeTarget', { targetId: info.targetId } as never).catch(() => {});
      await bs.detach();
    }
    // The background opens it too, for panel frames without the windows API (Firefox).
    await panel.evaluate(() => {
      const c = (globalThis as any).chrome;
      c.runtime
        .connect({ name: 'cors-lens-panel' })
        .postMessage({ type: 'popOut', tabId: c.devtools.inspectedWindow.tabId });
    });
    const viaBackground = await waitFor('pop-out opened by the background', async () =>
      (await targets(s)).find((t) => t.type === 'page' && t.url.includes('/src/panel/panel.html?tabId=')),
    );
    const bs = await s.browser.newBrowserCDPSession();
    await bs.send('Target.closeTarget', { targetId: viaBackground.targetId } as never).catch(() => {});
    await bs.detach();
  });
});

describe('Chromium: dark DevTools theme', () => {
  let s: ChromiumSession;
  let devtools: DevtoolsWindow | undefined;
  beforeAll(async () => {
    s = await launchChromium({ dark: true });
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && devtools) await devtools.screenshot('panel-dark-FAILED').catch(() => {});
  });
  afterAll(async () => s?.close());

  it('follows the DevTools theme', async () => {
    const page = await mainPage(s, `${pages.origin}/`);
    devtools = await DevtoolsWindow.of(s, page);
    const panel = await devtools.showCorsPanel();
    await fire(page, ['trailing', 'put', 'search', 'ok']);
    await panel.waitFor('rows', () => document.querySelectorAll('[data-testid="row"]').length >= 3 || null);
    const theme = await panel.evaluate(() => ({
      theme: document.documentElement.dataset.theme,
      bg: getComputedStyle(document.body).backgroundColor,
    }));
    expect(theme.theme).toBe('dark');
    const [r, g, b] = theme.bg.match(/\d+/g)!.map(Number);
    expect(r! + g! + b!).toBeLessThan(200); // a dark background
    const idx = (await panel.evaluate(readRows)).findIndex((x) => x.url.endsWith('/trailing'));
    await mouseDown(panel, '[data-testid="row"]', idx);
    await panel.waitFor('detail', () => !!document.querySelector('[data-testid="detail"]') || null);
    await devtools.screenshot('panel-dark-trailing-slash');
    const put = (await panel.evaluate(readRows)).findIndex((x) => x.method === 'PUT');
    await mouseDown(panel, '[data-testid="row"]', put);
    await new Promise((r) => setTimeout(r, 300));
    await devtools.screenshot('panel-dark-method-not-allowed');
    await click(panel, 'view-origins');
    await new Promise((r) => setTimeout(r, 300));
    await devtools.screenshot('panel-dark-origins');
  });
});

describe('Firefox ESR: the same panel page', () => {
  let ff: FirefoxSession;
  beforeAll(async () => {
    ff = await launchFirefox();
    // Requests are fired before the pop-out panel shows their tab: record every tab.
    await setRecordScope(ff, pages.origin, 'all');
  });
  afterAll(async () => ff?.close());

  it('lists the blocked requests and shows the side-by-side detail', async () => {
    const page = (await ff.browser.pages())[0]!;
    await page.goto(`${pages.origin}/`);
    const results = await page.evaluate(
      async (a: string) => [
        await fetch(`${a}/trailing`).then(
          () => 'ok',
          () => 'failed',
        ),
        await fetch(`${a}/ok`).then(
          () => 'ok',
          () => 'failed',
        ),
      ],
      api.origin,
    );
    expect(results).toEqual(['failed', 'ok']);
    const reason = await waitFor('Firefox console reason', () =>
      ff.logs.find((l) => l.text.includes(`${api.origin}/trailing`) && l.text.includes('Reason:')),
    );
    expect(reason.text).toContain('does not match');
    const panel = await openPopoutPanel(ff, pages.origin, `${pages.origin}/`);
    try {
      await waitFor('row', () =>
        panel.evaluate(() => document.querySelectorAll('[data-testid="row"]').length >= 1 || null),
      );
      await panel.click('[data-testid="row"]');
      await waitFor('detail', () => panel.evaluate(() => !!document.querySelector('[data-testid="sbs-row"]') || null));
      const d = await panel.evaluate(() => {
        const first = document.querySelector<HTMLElement>('[data-testid="sbs-row"]')!;
        return {
          result: first.dataset.result,
          field: first.dataset.field,
          marks: [...first.querySelectorAll('[data-testid="diff"]')].map((m) => m.textContent),
          firefox: document.querySelector('[data-testid="firefox-reason"]')?.textContent ?? '',
        };
      });
      expect(d).toMatchObject({ result: 'fail', field: 'Access-Control-Allow-Origin', marks: ['', '/'] });
      // In a narrow list pane the URL keeps room (the time column gives way first).
      expect(
        await panel.evaluate(() => document.querySelector('[data-testid="row"] td.url')!.getBoundingClientRect().width),
      ).toBeGreaterThan(100);
      expect(d.firefox).toContain('CORSAllowOriginNotMatchingOrigin');
      await firefoxScreenshot(panel, 'panel-firefox');
    } catch (e) {
      await firefoxScreenshot(panel, 'panel-firefox-FAILED').catch(() => {});
      throw e;
    }
  });
});
