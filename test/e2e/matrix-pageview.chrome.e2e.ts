// The Chromium scenario matrix again, with the page view on (switched on in the CORS panel of the
// real DevTools window: its DevTools page reloads the page with the fetch/XHR wrapper). For every
// scenario:
//  - what the page view reports for each request (credentials mode, response / network error /
//    abort) equals what the test set and what the page saw;
//  - every request the wrapper reports is paired (except identical requests whose reports differ,
//    by design), and a paired verdict's credentials mode is the one the page reported;
//  - the verdicts equal Chromium's own (CDP Network.loadingFailed.corsErrorStatus) exactly, as in
//    matrix.chrome.e2e.ts, and none is uncertain.
// Counts go to test-results/matrix-pageview-chrome.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/core/log';
import { PANEL_PORT } from '../../src/shared/protocol';
import { CHROME_ONLY_SCENARIOS, expectedFor, scenariosFor, SCENARIOS } from '../fixtures/scenarios';
import {
  launchChromium,
  mainPage,
  RESULTS,
  ROOT,
  screenshot,
  waitFor,
  type ChromiumSession,
} from '../support/chromium';
import { DevtoolsWindow, type CdpTarget } from '../support/devtools';
import {
  ChromeOracle,
  compareVerdicts,
  COOKIE_PATH,
  runScenario,
  scenarioKey,
  startMatrixServers,
  type MatrixServers,
} from '../support/matrix';
import { pageViewPlan, reportMismatches } from '../support/pageview-matrix';

const scenarios = scenariosFor('chrome', [...SCENARIOS, ...CHROME_ONLY_SCENARIOS]);
const summary: Array<{ id: string; requests: number; paired: number; leftUnpaired: number; agree: boolean }> = [];

let srv: MatrixServers;
let s: ChromiumSession;
let page: Page;
let devtools: DevtoolsWindow;
let panel: CdpTarget;
let oracle: ChromeOracle;

/**
 * CORS Lens's entries for the inspected tab, read from the real background over a second panel
 * port opened inside the CORS panel's own frame (it knows the inspected tab: no other tab, so no
 * second DevTools window, is needed).
 */
async function subscribe(): Promise<void> {
  await panel.evaluate(async (portName: string) => {
    const g = globalThis as unknown as { __lens?: Map<string, unknown>; chrome: typeof chrome };
    if (g.__lens) return true;
    const store = new Map<string, unknown>();
    g.__lens = store;
    const port = g.chrome.runtime.connect({ name: portName });
    const synced = new Promise((resolve) =>
      port.onMessage.addListener((m: { type: string; entries?: Array<{ id: string }> }) => {
        if (m.type === 'snapshot' || m.type === 'entries') for (const e of m.entries ?? []) store.set(e.id, e);
        if (m.type === 'cleared') store.clear();
        if (m.type === 'snapshot') resolve(true);
      }),
    );
    port.postMessage({ type: 'subscribe', tabId: g.chrome.devtools.inspectedWindow.tabId });
    return synced;
  }, PANEL_PORT);
}

function entriesFor(key: string): Promise<LogEntry[]> {
  return panel.evaluate(
    (k: string) =>
      [...(globalThis as unknown as { __lens: Map<string, LogEntry> }).__lens.values()].filter(
        (e) => e.exchange.url.includes(k) || e.exchange.hops.some((h) => h.url.includes(k)),
      ),
    key,
  );
}

beforeAll(async () => {
  srv = await startMatrixServers(scenarios);
  s = await launchChromium({ extraExtensions: [join(ROOT, 'test/fixtures/blocker')] });
  // The credentialed scenarios need a cookie for 127.0.0.1 (the API's host, any port).
  page = await mainPage(s, srv.env.api + COOKIE_PATH);
  await page.goto(`${srv.env.page}/`);
  devtools = await DevtoolsWindow.of(s, page);
  panel = await devtools.showCorsPanel();
  // The switch works once the panel's port is up and this tab's DevTools page has answered: a
  // click before that is lost (seen once: the switch stayed off). Click when it is enabled, and
  // again if it falls back to off without starting.
  const until = Date.now() + 120_000;
  for (let state = ''; state !== 'on';) {
    if (Date.now() > until) throw new Error(`page view did not turn on (last state: ${state})`);
    state = await panel.evaluate(() => {
      const b = document.querySelector<HTMLButtonElement>('[data-testid="page-view"]');
      if (b && !b.disabled && b.dataset.state !== 'starting' && b.dataset.state !== 'on') b.click();
      return b?.dataset.state ?? 'none';
    });
    if (state === 'on') break;
    state = await panel
      .waitFor(
        'page view on',
        () => {
          const st = document.querySelector<HTMLElement>('[data-testid="page-view"]')?.dataset.state;
          return st === 'on' || st === 'error' || st === 'unavailable' ? st : null;
        },
        undefined,
        15_000,
      )
      .then(
        (st) => st ?? 'waiting',
        () => 'waiting',
      );
  }
  await waitFor(
    'the wrapper in the page',
    () =>
      page
        .evaluate(
          () =>
            typeof (window as unknown as Record<symbol, unknown>)[Symbol.for('cors-lens.pageview')] === 'function' ||
            null,
        )
        .catch(() => null),
    30_000,
  );
  oracle = await ChromeOracle.attach(page);
  await subscribe();
  // (Its waits add up to more than the config's hookTimeout under load: one run failed here.)
}, 300_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    const name = `matrix-pageview-chrome-${ctx.task.name.split(':')[0]}-FAILED`;
    await screenshot(page, name).catch(() => {});
    await devtools?.screenshot(`${name}-devtools`).catch(() => {});
  }
});

afterAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  const total = (k: 'requests' | 'paired' | 'leftUnpaired') => summary.reduce((n, x) => n + x[k], 0);
  writeFileSync(
    join(RESULTS, 'matrix-pageview-chrome.json'),
    JSON.stringify(
      {
        scenarios: summary.length,
        agree: summary.filter((x) => x.agree).length,
        requests: total('requests'),
        paired: total('paired'),
        leftUnpaired: total('leftUnpaired'),
        summary,
      },
      null,
      1,
    ),
  );
  await s?.close();
  await srv?.close();
});

describe('Chromium matrix with the page view on', () => {
  for (const sc of scenarios) {
    it(`${sc.id}: ${sc.title}`, async () => {
      const key = scenarioKey(sc);
      // A retried attempt repeats the scenario's requests: only this attempt's are compared.
      const mark = oracle.mark();
      const earlier = new Set((await entriesFor(key)).map((e) => e.id));
      // (The page view lasts for one page load: a retry after a failure that reloaded would say so here.)
      expect(
        await page.evaluate(
          () => typeof (window as unknown as Record<symbol, unknown>)[Symbol.for('cors-lens.pageview')] === 'function',
        ),
      ).toBe(true);
      const { requests, results } = await runScenario(page, sc, srv.env);
      const failed = results.filter((r) => !r.ok).length;
      await waitFor(
        `CDP failures for ${key}`,
        () => oracle.failures.filter((f) => f.seq >= mark && f.url.includes(key)).length >= failed || null,
        10_000,
      );
      const chromium = oracle.labels(key, results, mark);
      // The scenario still reproduces what it claims (the browser side of the matrix).
      chromium.forEach((label, i) => expect(label.split('|')[0]).toBe(expectedFor(sc.expect.chrome, i)));

      const plan = pageViewPlan(requests, results, srv.env.page);
      // The page's reports follow within a poll (250 ms) of the outcome.
      const entries = await waitFor(
        `page view reports for ${key}`,
        async () => {
          const e = (await entriesFor(key)).filter((x) => !earlier.has(x.id));
          return e.length >= results.length &&
            e.filter((x) => x.exchange.page).length >= plan.want &&
            e.every((x) => x.verdict.outcome !== 'pending')
            ? e
            : null;
        },
        60_000,
      );

      // What the page view reports is what the test set and what the page saw.
      expect(reportMismatches(entries, requests, results)).toEqual([]);
      const paired = entries.filter((e) => e.exchange.page);
      expect(paired.filter((e) => plan.ambiguous(e))).toEqual([]);
      // A paired verdict walks the credentials mode the page reported (or the Cookie header's, which agrees).
      for (const e of paired) {
        const include = e.exchange.page!.credentials === 'include';
        if (e.verdict.credentials !== undefined && e.verdict.credentials !== 'unknown')
          expect(e.verdict.credentials, e.exchange.url).toBe(include ? 'include' : 'not-include');
        // (A network error is judged before any credentials walk: no basis.)
        if (e.verdict.credentialsBasis !== undefined && e.verdict.credentialsBasis !== 'cookie-header')
          expect(e.verdict.credentialsBasis, e.exchange.url).toBe('page-view');
      }

      // Chromium's own verdicts, exactly; none uncertain.
      const verdicts = entries.map((e) => e.verdict);
      expect(verdicts.filter((v) => v.outcome === 'uncertain')).toEqual([]);
      const a = compareVerdicts('chrome', verdicts, chromium);
      summary.push({
        id: sc.id,
        requests: results.length,
        paired: paired.length,
        leftUnpaired: entries.filter((e) => plan.ambiguous(e)).length,
        agree: a.agree,
      });
      expect(a.ours.slice().sort()).toEqual(a.theirs.slice().sort());
      for (const v of verdicts) if (v.outcome !== 'pass') expect(v.cause?.code).toBe(sc.cause);
      // Every request of a scenario the wrapper reports, without ambiguity, was paired.
      expect(paired.length).toBeGreaterThanOrEqual(plan.want);
    });
  }
});
