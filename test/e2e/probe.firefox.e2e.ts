// The Probe in Firefox ESR against real servers: FastAPI whose CORSMiddleware does not allow the
// page origin, and CORS registered after the route (nginx on OPTIONS only; Express `app.use(cors())`
// after the route). Firefox's DevTools toolbox is not reachable from BiDi (notes/firefox.md), so the
// test does what the docked panel does, through the same channels: it announces the probe to the
// background over the panel port, and evaluates the panel's own page code (core/probe/script.ts,
// what devtools.inspectedWindow.eval runs) in the page. The background must recognize the probe,
// keep it out of the log, and refine the original; the finding's reason must be the one Firefox's
// console printed for the probe. The popped-out panel then shows the finding.
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/core/log';
import { planProbe, planRetry } from '../../src/core/probe/script';
import { parseFirefoxConsole } from '../../src/core/symptoms';
import { waitFor } from '../support/chromium';
import { countingProxy, type CountingProxy } from '../support/count-proxy';
import { firefoxScreenshot, launchFirefox, openPopoutPanel, type FirefoxSession } from '../support/firefox';
import { startPages, type RunningServer } from '../support/servers';
import { freePort, freshDir, removeDir, type Started } from '../servers/harness';
import { fastapiFix, PROBE_CASES } from '../servers/probe-cases';

interface Row {
  stack: string;
  scenario: 'origin-not-allowed' | 'after-route';
  variant?: string;
  path?: string;
  kind: string;
  cause: string;
  confidence: string;
  /** The probe itself passes (the CORS layer answers OPTIONS, the route is another location). */
  passes?: boolean;
}

// The same rows as test/e2e/probe.e2e.ts measured in Chromium: Firefox must agree.
const ROWS: Row[] = [
  {
    stack: 'fastapi',
    scenario: 'origin-not-allowed',
    variant: 'http://localhost:3000',
    kind: 'origin-rejected',
    cause: 'origin-not-allowed',
    confidence: 'certain',
  },
  {
    stack: 'nginx',
    scenario: 'after-route',
    kind: 'route-without-cors',
    cause: 'cors-not-on-route',
    confidence: 'certain',
    passes: true,
  },
  {
    stack: 'express',
    scenario: 'after-route',
    path: '/api/list',
    kind: 'route-without-cors',
    cause: 'cors-not-on-route',
    confidence: 'certain',
  },
];

/** Runs in an extension page: a panel port subscribed to the tab showing `prefix`, keeping every entry. */
const SUBSCRIBE = `async (prefix) => {
  const api = globalThis.browser;
  const tab = (await api.tabs.query({})).find((t) => typeof t.url === 'string' && t.url.startsWith(prefix));
  if (!tab) return null;
  const store = new Map();
  const port = api.runtime.connect({ name: 'cors-lens-panel' });
  port.onMessage.addListener((m) => {
    if (m.type === 'snapshot' || m.type === 'entries') for (const e of m.entries) store.set(e.id, e);
  });
  const synced = new Promise((resolve) => port.onMessage.addListener((m) => m.type === 'snapshot' && resolve(true)));
  port.postMessage({ type: 'subscribe', tabId: tab.id });
  await synced;
  globalThis.__lens = { store, port };
  return tab.id;
}`;

describe('Firefox ESR: Probe against real FastAPI, nginx and Express, compared with Firefox’s console', () => {
  let ff: FirefoxSession;
  let pages: RunningServer;
  let page: Page;
  let lens: Page;
  /** Firefox's own network events (BiDi): completed responses and fetch errors, by method and URL. */
  const network: Array<{ event: 'completed' | 'error'; method: string; url: string }> = [];
  const dirs: string[] = [];
  const running: Array<Started | CountingProxy> = [];

  beforeAll(async () => {
    pages = await startPages();
    ff = await launchFirefox();
    const conn = (ff.browser as unknown as { connection: { on(ev: string, fn: (e: any) => void): void } }).connection;
    conn.on('network.responseCompleted', (e: any) =>
      network.push({ event: 'completed', method: String(e.request?.method ?? ''), url: String(e.request?.url ?? '') }),
    );
    conn.on('network.fetchError', (e: any) =>
      network.push({ event: 'error', method: String(e.request?.method ?? ''), url: String(e.request?.url ?? '') }),
    );
    page = (await ff.browser.pages())[0]!;
    await page.goto(`${pages.origin}/`);
    lens = await ff.browser.newPage();
    await lens.goto(`${pages.origin}/?lens`);
    await lens.evaluate((u) => {
      location.href = u;
    }, `${ff.extensionBase}/src/panel/panel.html?tabId=0`);
    await waitFor('extension page', () =>
      lens.evaluate(() => location.protocol === 'moz-extension:').catch(() => false),
    );
    await waitFor('subscribed', () =>
      lens.evaluate(`(${SUBSCRIBE})(${JSON.stringify(`${pages.origin}/`)})`).catch(() => null),
    );
  }, 120_000);
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail')
      await firefoxScreenshot(page, `probe-firefox-${ctx.task.name.split(':')[0]!.replace(/\W+/g, '-')}-FAILED`).catch(
        () => {},
      );
  });
  afterAll(async () => {
    for (const r of running) await ('stop' in r ? r.stop() : r.close()).catch(() => {});
    await ff?.close();
    await pages?.close();
    dirs.forEach(removeDir);
  });

  const entriesFor = (url: string) =>
    lens.evaluate(
      (u: string) => [...(globalThis as any).__lens.store.values()].filter((e: any) => e.exchange.url === u),
      url,
    ) as Promise<LogEntry[]>;
  /** Firefox's specific console reasons (the generic CORSDidNotSucceed left out) for `url`, logged from index `from` on. */
  const firefoxReasons = (url: string, from: number) =>
    ff.logs
      .slice(from)
      .map((l) => parseFirefoxConsole(l.text))
      .filter((p) => p && p.url === url && p.reason !== 'CORSDidNotSucceed')
      .map((p) => p!.reason);

  for (const row of ROWS) {
    it(`${row.stack} / ${row.scenario}: ${row.cause} (${row.confidence}) from a probe, as Firefox's console says`, async () => {
      const c = PROBE_CASES.find(
        (x) =>
          x.stack === row.stack &&
          x.scenario === row.scenario &&
          (row.variant === undefined || x.variant === row.variant),
      )!;
      expect(c, 'probe case').toBeDefined();
      const port = await freePort();
      const dir = freshDir(`${c.stack}-ff`);
      dirs.push(dir);
      const server = await c.server.start(dir, c.regions(pages.origin), port);
      running.push(server);
      const url = `http://127.0.0.1:${port}${row.path ?? '/api/items'}`;

      // The original: a blocked GET, as Firefox and CORS Lens see it.
      let from = ff.logs.length;
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
      await waitFor('Firefox console reason (original)', () => firefoxReasons(url, from)[0] ?? null, 20_000);
      const original = await waitFor(
        'CORS Lens entry',
        async () => (await entriesFor(url)).find((e) => e.verdict.outcome === 'blocked') ?? null,
        30_000,
      );
      expect(original.verdict.symptom?.firefoxReason).toBe(firefoxReasons(url, from)[0]);

      // The probe, exactly as the panel sends it.
      const probeId = `pff${Date.now().toString(36)}${row.stack}`;
      const plan = planProbe(original, probeId);
      expect(plan.frameURL).toBeUndefined();
      await lens.evaluate((m: unknown) => (globalThis as any).__lens.port.postMessage(m), {
        type: 'probe',
        probeId,
        credentials: plan.credentials,
        original,
      });
      from = ff.logs.length;
      const netFrom = network.length;
      expect(await page.evaluate(plan.code)).toEqual({ ok: true, origin: pages.origin });

      const refined = await waitFor(
        'the probe finding on the original',
        async () => (await entriesFor(url)).find((e) => e.verdict.probe?.probeId === probeId) ?? null,
        30_000,
      );
      const f = refined.verdict.probe!;
      expect(f.kind, f.summary).toBe(row.kind);
      expect(refined.verdict.cause).toMatchObject({ code: row.cause, confidence: row.confidence });
      // Firefox's own verdict on the probe is the finding's: its console reason when blocked; when
      // the probe passed (the CORS layer answers OPTIONS itself), a completed OPTIONS, no error, no reason.
      if (row.passes) {
        expect(f.outcome).toBe('pass');
        // (BiDi reports the preflight and the probe's own OPTIONS, both completed.)
        await waitFor(
          'Firefox completed the probe and its preflight',
          () => network.slice(netFrom).filter((n) => n.method === 'OPTIONS' && n.url === url).length >= 2 || null,
          20_000,
        );
        expect(network.slice(netFrom).filter((n) => n.url === url)).toEqual(
          [0, 1].map(() => ({ event: 'completed', method: 'OPTIONS', url })),
        );
        expect(firefoxReasons(url, from)).toEqual([]);
      } else {
        expect(f.outcome).toBe('blocked');
        const ffProbe = await waitFor(
          'Firefox console reason (probe)',
          () => firefoxReasons(url, from)[0] ?? null,
          20_000,
        );
        expect(f.firefoxReason, JSON.stringify(firefoxReasons(url, from))).toBe(ffProbe);
      }
      // The probe went out from the page with its id (Firefox shows the OPTIONS request's own headers).
      const sent = f.actual?.requestHeaders ?? [];
      const preflightSent = f.preflight?.requestHeaders ?? [];
      expect(preflightSent.find((h) => h.name.toLowerCase() === 'origin')?.value).toBe(pages.origin);
      if (row.passes) expect(sent.find((h) => h.name.toLowerCase() === 'x-cors-lens-probe')?.value).toBe(probeId);
      // The probe is never an entry of its own.
      expect((await entriesFor(url)).length).toBe(1);
      await server.stop();
    });
  }

  it('Retry after the fix: the re-sent GET passes in Firefox (no console reason, completed), is its own entry linked both ways, passing without credentials', async () => {
    const c = PROBE_CASES.find((x) => x.stack === 'fastapi' && x.scenario === 'no-cors')!;
    const port = await freePort();
    const dir = freshDir('fastapi-ff-retry');
    dirs.push(dir);
    const server = await c.server.start(dir, c.regions(pages.origin), port);
    const proxy = await countingProxy(port);
    running.push(server, proxy);
    const url = `http://127.0.0.1:${proxy.port}/api/items?retry`;
    let from = ff.logs.length;
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
    await waitFor('Firefox console reason (original)', () => firefoxReasons(url, from)[0] ?? null, 20_000);
    const original = await waitFor(
      'CORS Lens entry',
      async () => (await entriesFor(url)).find((e) => e.verdict.outcome === 'blocked') ?? null,
      30_000,
    );

    // The snippet's CORSMiddleware goes into the app, restarted behind the same address.
    await server.stop();
    const fixedPort = await freePort();
    const fixedDir = freshDir('fastapi-ff-fixed');
    dirs.push(fixedDir);
    const fixed = await c.server.start(fixedDir, { main: fastapiFix(pages.origin) }, fixedPort);
    running.push(fixed);
    proxy.retarget(fixedPort);

    const plan = planRetry(original);
    expect(plan.confirm).toBe(false);
    await lens.evaluate((m: unknown) => (globalThis as any).__lens.port.postMessage(m), {
      type: 'retry',
      method: plan.method,
      since: Date.now(),
      original,
    });
    from = ff.logs.length;
    const netFrom = network.length;
    expect(await page.evaluate(plan.code)).toEqual({ ok: true, origin: pages.origin });

    const retry = await waitFor(
      'the retry entry',
      async () =>
        (await entriesFor(url)).find((e) => e.verdict.retryOf === original.id && e.verdict.outcome !== 'pending') ??
        null,
      30_000,
    );
    expect(retry.id).not.toBe(original.id);
    // Firefox's webRequest hides the credentials mode and the fixed app sends no
    // Allow-Credentials: CORS Lens says "passes without credentials, blocked if credentialed"
    // (never a plain pass it cannot prove); the branch without credentials passes.
    expect(retry.verdict.outcome).toBe('uncertain');
    expect(retry.verdict.branches?.find((b) => b.assumption === 'credentials-omit')?.outcome).toBe('pass');
    const back = await waitFor(
      'the original links its retry',
      async () => (await entriesFor(url)).find((e) => e.id === original.id && e.verdict.retry?.id === retry.id) ?? null,
      30_000,
    );
    expect(back.verdict.retry?.outcome).toBe('uncertain');
    // Firefox agrees: the re-sent GET completed, no error, no CORS reason.
    await waitFor(
      'Firefox completed the retry',
      () => network.slice(netFrom).find((n) => n.method === 'GET' && n.url === url) ?? null,
      20_000,
    );
    expect(network.slice(netFrom).filter((n) => n.url === url)).toEqual([{ event: 'completed', method: 'GET', url }]);
    expect(firefoxReasons(url, from)).toEqual([]);
    expect(proxy.hits.filter((h) => h.method === 'GET')).toHaveLength(2);
  });

  it('the popped-out panel shows the refined cause and that it came from a probe', async () => {
    const panel = await openPopoutPanel(ff, pages.origin, `${pages.origin}/`);
    try {
      const found = await waitFor(
        'a probed row',
        () =>
          panel
            .evaluate(() => {
              const row = [...document.querySelectorAll('[data-testid="row"]')].find((r) =>
                r.querySelector('[data-testid="row-probe"]'),
              ) as HTMLElement | undefined;
              if (!row) return null;
              row.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
              const f = document.querySelector('[data-testid="probe-finding"]') as HTMLElement | null;
              return f
                ? { kind: f.dataset.kind, fromProbe: !!document.querySelector('[data-testid="cause-from-probe"]') }
                : null;
            })
            .catch(() => null),
        30_000,
      );
      expect(ROWS.map((r) => r.kind)).toContain(found.kind);
      expect(found.fromProbe).toBe(true);
      await firefoxScreenshot(panel, 'probe-firefox-panel');
    } finally {
      await panel.close();
    }
  });
});
