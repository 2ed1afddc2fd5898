// Probe edge cases in the real DevTools CORS panel (Chromium), against real local servers:
// - a request made by an iframe of another origin: the probe runs in that frame
//   (inspectedWindow.eval frameURL), so the server sees the frame's Origin, not the top page's;
// - a server that hangs, redirects or answers 5xx to the probe: a clear "inconclusive" finding
//   saying why, the original's cause kept, and nothing left busy;
// - the service worker stopped between the probe's send and its answer, and again between the
//   answer and reopening DevTools: the finding still lands on the original and stays there.
// Chromium's own verdict on each probe (CDP) must match the one the panel shows.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureVerdicts, launchChromium, mainPage, waitFor, type ChromiumSession } from '../support/chromium';
import { DevtoolsWindow, stopWorker, targets, type CdpTarget } from '../support/devtools';
import { startApi, startPages, type ApiServer, type RunningServer } from '../support/servers';
import type { Page } from 'playwright-core';

/** The answer of a Starlette CORSMiddleware that does not allow the origin (measured: 400, methods, max-age, no Allow-Origin). */
const STARLETTE_REFUSAL: Array<[string, string]> = [
  ['server', 'uvicorn'],
  ['access-control-allow-methods', 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT'],
  ['access-control-max-age', '600'],
  ['vary', 'Origin'],
  ['content-type', 'text/plain; charset=utf-8'],
];

describe('Chromium: Probe from a sub-frame, against hanging/redirecting/failing servers, across a worker restart', () => {
  let s: ChromiumSession;
  let pages: RunningServer;
  let framePages: RunningServer;
  let api: ApiServer;
  let page: Page;
  let cdp: Awaited<ReturnType<typeof captureVerdicts>>;
  let devtools: DevtoolsWindow | undefined;
  let panel: CdpTarget;

  beforeAll(async () => {
    framePages = await startPages();
    pages = await startPages({
      '/framed': `<!doctype html><title>frame host</title><iframe id="f" src="${framePages.origin}/"></iframe>`,
    });
    api = await startApi();
    api.route('/framed', {
      preflight: { status: 400, headers: STARLETTE_REFUSAL },
      actual: { status: 200, headers: [['server', 'uvicorn']] },
    });
    api.route('/hang', { preflight: { status: 204, delayMs: 120_000 }, actual: { status: 200 } });
    api.route('/redirect', {
      preflight: { status: 307, headers: [['Location', '/elsewhere']] },
      actual: { status: 200 },
    });
    api.route('/broken', { preflight: { status: 503, body: 'down for maintenance' }, actual: { status: 200 } });
    s = await launchChromium();
    page = await mainPage(s, `${pages.origin}/`);
    cdp = await captureVerdicts(page);
    devtools = await DevtoolsWindow.of(s, page);
    panel = await devtools.showCorsPanel();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && devtools)
      await devtools.screenshot(`probe-edge-FAILED-${ctx.task.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => {});
  });
  afterAll(async () => {
    await s?.close();
    for (const x of [api, pages, framePages]) await x?.close();
  });

  const selectRow = (url: string) =>
    panel.waitFor(
      'row selected',
      (u: string) => {
        const row = [...document.querySelectorAll('[data-testid="row"]')].find(
          (r) => (r.querySelector('td[title]') as HTMLElement | null)?.title === u,
        ) as HTMLElement | undefined;
        if (!row) return false;
        if (!row.classList.contains('selected')) row.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
        return document.querySelector('[data-testid="detail"]')?.getAttribute('data-id') === row.dataset.id;
      },
      url,
      30_000,
    );
  const clickProbe = () =>
    panel.waitFor('click probe-button', () => {
      const el = document.querySelector('[data-testid="probe-button"]') as HTMLButtonElement | null;
      if (!el || el.disabled) return false;
      el.click();
      return true;
    });
  /** The finding of the selected entry once it carries a probe id other than `previous`. */
  const finding = async (previous: string | null = null, timeoutMs = 45_000) => {
    const f = await panel.waitFor(
      'probe finding',
      (prev: string | null) => {
        const f = document.querySelector('[data-testid="probe-finding"]') as HTMLElement | null;
        if (!f || (f.dataset.probeId ?? null) === prev) return null;
        // Settled: the button is usable again once the panel has taken the answer.
        if ((document.querySelector('[data-testid="probe-button"]') as HTMLButtonElement | null)?.disabled !== false)
          return null;
        const q = (id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '';
        return {
          kind: f.dataset.kind ?? '',
          probeId: f.dataset.probeId ?? '',
          outcome: f.dataset.outcome ?? '',
          corsError: f.dataset.corsError ?? null,
          summary: q('probe-summary'),
          title: q('cause-title'),
          confidence: q('confidence'),
          status: q('probe-status'),
          busy: (document.querySelector('[data-testid="probe-button"]') as HTMLButtonElement | null)?.disabled ?? true,
        };
      },
      previous,
      timeoutMs,
    );
    if (!f) throw new Error('no finding');
    return f;
  };
  const blockedGet = async (url: string) => {
    expect(
      await page.evaluate(
        (u) =>
          fetch(u).then(
            () => 'ok',
            () => 'failed',
          ),
        url,
      ),
    ).toBe('failed');
    await waitFor('Chromium verdict', () => cdp.verdicts.find((v) => v.url === url && v.method === 'GET'));
  };
  const hitsFor = (path: string) => api.hits.filter((h) => h.path === path);
  const chromiumOnProbe = (url: string) => cdp.verdicts.find((v) => v.url === url && v.method === 'OPTIONS');

  it('a request from a cross-origin iframe is probed from that frame: the server sees the frame’s Origin', async () => {
    await page.goto(`${pages.origin}/framed`);
    const frame = await waitFor(
      'the iframe loaded',
      () => page.frames().find((f) => f.url().startsWith(framePages.origin)) ?? null,
    );
    const url = `${api.origin}/framed`;
    expect(
      await frame.evaluate(
        (u) =>
          fetch(u).then(
            () => 'ok',
            () => 'failed',
          ),
        url,
      ),
    ).toBe('failed');
    await waitFor('Chromium verdict', () => cdp.verdicts.find((v) => v.url === url && v.method === 'GET'));
    expect(hitsFor('/framed').map((h) => h.headers.origin)).toEqual([framePages.origin]);
    await selectRow(url);
    const where = await panel.evaluate(() =>
      [...document.querySelectorAll('.kv')].map((k) => k.textContent).join(' | '),
    );
    // Chromium reports the frame's id and origin, not its document URL: the panel finds the frame by origin.
    expect(Number(/Frame \/ request id(\d+)/.exec(where)?.[1]), where).toBeGreaterThan(0);

    await clickProbe();
    const f = await finding();
    const probeHits = hitsFor('/framed').slice(1);
    expect(probeHits.map((h) => [h.method, h.headers.origin, h.headers['access-control-request-headers']])).toEqual([
      ['OPTIONS', framePages.origin, 'x-cors-lens-probe'],
    ]);
    expect(framePages.origin).not.toBe(pages.origin);
    expect(f.kind, f.summary).toBe('origin-rejected');
    expect(f.confidence).toBe('certain');
    expect(f.summary).toContain(framePages.origin);
    await waitFor('Chromium verdict on the probe', () => chromiumOnProbe(url));
    expect(chromiumOnProbe(url)!.corsError).toBe(f.corsError);
    await page.goto(`${pages.origin}/`);
  });

  it('a server that never answers: the probe times out with a clear message, nothing stays busy', async () => {
    const url = `${api.origin}/hang`;
    await blockedGet(url);
    await selectRow(url);
    await clickProbe();
    const f = await finding();
    expect(f.kind).toBe('inconclusive');
    expect(f.summary).toMatch(/no answer in time/);
    expect(f.title).toContain('does not send CORS headers'); // the original's own cause stands
    expect(f.busy).toBe(false);
    expect(f.status).not.toMatch(/Probing/);
    expect(hitsFor('/hang').map((h) => h.method)).toEqual(['GET', 'OPTIONS']);
    // Chromium: the probe ended with an error (aborted by the page's timeout), not a CORS verdict.
    await waitFor('Chromium ended the probe', () => chromiumOnProbe(url) ?? null);
    expect(chromiumOnProbe(url)!.corsError).toBeUndefined();
  });

  for (const [path, status, words, corsError] of [
    ['/redirect', 307, /redirects OPTIONS for this URL \(307 to \/elsewhere\)/, 'PreflightDisallowedRedirect'],
    // Chromium checks Allow-Origin before the status (measured): a 503 without CORS headers is reported as that.
    ['/broken', 503, /answered the probe with 503/, 'PreflightMissingAllowOriginHeader'],
  ] as const) {
    it(`a server answering the probe's preflight with ${status}: inconclusive, said why, as Chromium saw it`, async () => {
      const url = `${api.origin}${path}`;
      await blockedGet(url);
      await selectRow(url);
      await clickProbe();
      const f = await finding();
      expect(f.kind, f.summary).toBe('inconclusive');
      expect(f.summary).toMatch(words);
      expect(f.title).toContain('does not send CORS headers');
      expect(f.busy).toBe(false);
      expect(hitsFor(path).map((h) => h.method)).toEqual(['GET', 'OPTIONS']);
      await waitFor('Chromium verdict on the probe', () => chromiumOnProbe(url));
      expect(chromiumOnProbe(url)!.corsError).toBe(corsError);
      expect(f.corsError).toBe(corsError);
    });
  }

  it('the worker is stopped between the probe’s send and its answer, then between the answer and reopening DevTools: the finding lands and stays', async () => {
    // A Starlette-like refusal held back until the worker is gone.
    let release: () => void = () => {};
    const released = new Promise<void>((r) => (release = r));
    const held: string[] = [];
    const gated = createServer((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
        held.push(String(req.headers.origin));
        void released.then(() => {
          res.writeHead(400, STARLETTE_REFUSAL.flat());
          res.end('Disallowed CORS origin');
        });
      } else {
        res.writeHead(200, { server: 'uvicorn', 'content-type': 'application/json' });
        res.end('[]');
      }
    });
    await new Promise<void>((r) => gated.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(gated.address() as AddressInfo).port}/api/items`;
      await blockedGet(url);
      await selectRow(url);
      const wakes = () =>
        panel
          .evaluate(
            async () =>
              ((await (globalThis as any).chrome.storage.session.get('corsLens.session'))['corsLens.session']?.wakes ??
                0) as number,
          )
          .catch(() => 0);
      const wakesBefore = await wakes();
      await clickProbe();
      await waitFor('the probe’s preflight reached the server', () => held.length > 0 || null, 30_000);
      // What the worker awaits (this probe, for this URL) is on disk before it is stopped (the store
      // writes within ~2 s, with the log's own pending changes in the same batch).
      const probeId = await panel.waitFor(
        'the awaited probe stored',
        async (u: string) => {
          const db: IDBDatabase = await new Promise((resolve, reject) => {
            const r = indexedDB.open('cors-lens');
            r.onsuccess = () => resolve(r.result);
            r.onerror = () => reject(r.error);
          });
          const st: any = await new Promise((resolve, reject) => {
            const r = db.transaction('state').objectStore('state').get('probes');
            r.onsuccess = () => resolve(r.result);
            r.onerror = () => reject(r.error);
          });
          db.close();
          return (
            ((st?.probes ?? []).find((p: [string, { url: string }]) => p[1].url === u)?.[0] as string | undefined) ??
            null
          );
        },
        url,
        15_000,
      );
      // The panel's port wakes a new worker at once: stopped means a new wake was counted.
      const wakesAtStop = await wakes();
      await stopWorker(s, async () => (await wakes()) > wakesAtStop);
      release();
      const f = await finding();
      expect(f.probeId).toBe(probeId);
      expect(f.kind, f.summary).toBe('origin-rejected');
      expect(f.title).toMatch(/not for/i);
      expect(f.confidence).toBe('certain');
      expect(await wakes(), 'the worker really restarted').toBeGreaterThan(wakesBefore);
      expect(held).toEqual([pages.origin]);
      await waitFor('Chromium verdict on the probe', () => chromiumOnProbe(url));
      expect(chromiumOnProbe(url)!.corsError).toBe(f.corsError);
      // The probe is never its own row.
      expect(
        await panel.evaluate(
          (u: string) =>
            [...document.querySelectorAll('[data-testid="row"]')].filter(
              (r) => (r.querySelector('td[title]') as HTMLElement).title === u,
            ).length,
          url,
        ),
      ).toBe(1);

      // A stopped worker loses what it had not written yet (the store batches its writes); a worker
      // Chrome stops after 30 s idle has written long before. So: stopped once the finding is on disk.
      await panel.waitFor(
        'the finding stored with its entry',
        async (id: string) => {
          const db: IDBDatabase = await new Promise((resolve, reject) => {
            const r = indexedDB.open('cors-lens');
            r.onsuccess = () => resolve(r.result);
            r.onerror = () => reject(r.error);
          });
          const all: unknown[] = await new Promise((resolve, reject) => {
            const r = db.transaction('entries').objectStore('entries').getAll();
            r.onsuccess = () => resolve(r.result);
            r.onerror = () => reject(r.error);
          });
          db.close();
          return all.some((x) => JSON.stringify(x).includes(`"probeId":"${id}"`)) || null;
        },
        probeId as string,
        30_000,
      );
      // Close DevTools, stop the worker, reopen: the stored finding is read back with the entry.
      const pageTarget = (await targets(s)).find((t) => t.type === 'page' && t.url === `${pages.origin}/`)!;
      const bs = await s.browser.newBrowserCDPSession();
      await bs.send('Target.closeTarget', { targetId: devtools!.window.info.targetId });
      await waitFor(
        'DevTools closed',
        async () => !(await targets(s)).some((t) => t.type === 'iframe' && t.url.includes('/src/panel/panel.html')),
      );
      await stopWorker(s);
      await bs.send('Target.openDevTools', { targetId: pageTarget.targetId });
      await bs.detach();
      devtools = await DevtoolsWindow.of(s, page);
      panel = await devtools.showCorsPanel();
      await selectRow(url);
      const back = await finding(null, 30_000);
      expect(back).toMatchObject({ probeId, kind: 'origin-rejected', confidence: 'certain' });
      await devtools.screenshot('probe-after-worker-restart-chromium');
    } finally {
      release();
      gated.closeAllConnections();
      await new Promise((r) => gated.close(r));
    }
  });
});
