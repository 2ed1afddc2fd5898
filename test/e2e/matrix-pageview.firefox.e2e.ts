// The Firefox scenario matrix again, with the page view on (turned on with the popped-out panel's
// switch: the tab's DevTools page reloads the page with the fetch/XHR wrapper). For every scenario:
//  - what the page view reports for each request (credentials mode, response / network error /
//    abort) equals what the test set and what the page saw;
//  - every request the page view paired has a certain verdict (never 'uncertain'), and the
//    verdicts agree with Firefox exactly: as many passes as Firefox let through, no fewer blocks;
//  - the same exchanges judged without the page observation give the counts of uncertain verdicts
//    the page view settled (written to test-results/matrix-pageview-firefox.json).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../src/core/check';
import { requestUrl } from '../../src/core/pageview';
import { scenariosFor, SCENARIOS, type PageRequest } from '../fixtures/scenarios';
import { RESULTS, waitFor } from '../support/chromium';
import { firefoxScreenshot, launchFirefox, openPopoutPanel, type FirefoxSession } from '../support/firefox';
import {
  compareVerdicts,
  COOKIE_PATH,
  FirefoxOracle,
  LensProbe,
  normalizeLabel,
  runScenario,
  scenarioKey,
  startMatrixServers,
  type MatrixServers,
  type PageResult,
} from '../support/matrix';

const scenarios = scenariosFor('firefox', SCENARIOS);
const summary: Array<{
  id: string;
  requests: number;
  paired: number;
  uncertainWithout: number;
  uncertainWith: number;
  leftUnpaired: number;
}> = [];

let srv: MatrixServers;
let ff: FirefoxSession;
let page: Page;
let panel: Page;
let oracle: FirefoxOracle;
let probe: LensProbe;

/** The requests the wrapper reports: fetch in cors mode and XHR, to another http(s) origin. */
function pairable(r: PageRequest, pageOrigin: string): boolean {
  const u = requestUrl(r.url);
  return !!u && new URL(u).origin !== pageOrigin && (r.xhr || !r.mode || r.mode === 'cors');
}

function expectedCredentials(r: PageRequest): string {
  return r.xhr ? (r.withCredentials ? 'include' : 'same-origin') : (r.credentials ?? 'same-origin');
}

function expectedOutcome(res: PageResult): string {
  return res.ok ? 'response' : /abort/i.test(res.error ?? '') ? 'aborted' : 'network-error';
}

beforeAll(async () => {
  srv = await startMatrixServers(scenarios);
  ff = await launchFirefox({ devtools: true });
  oracle = new FirefoxOracle(ff);
  page = (await ff.browser.pages())[0]!;
  await page.goto(srv.env.api + COOKIE_PATH);
  await page.goto(`${srv.env.page}/`);
  panel = await openPopoutPanel(ff, srv.env.page, page.url());
  await panel.evaluate(() => document.querySelector<HTMLElement>('[data-testid="page-view"]')!.click());
  await waitFor(
    'page view on',
    () =>
      panel.evaluate(
        () => document.querySelector<HTMLElement>('[data-testid="page-view"]')?.dataset.state === 'on' || null,
      ),
    60_000,
  );
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
  probe = await LensProbe.firefox(ff, srv.env.page, `${srv.env.page}/`);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail')
    await firefoxScreenshot(page, `matrix-pageview-firefox-${ctx.task.name.split(':')[0]}-FAILED`).catch(() => {});
});

afterAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  const total = (k: 'requests' | 'paired' | 'uncertainWithout' | 'uncertainWith' | 'leftUnpaired') =>
    summary.reduce((n, s) => n + s[k], 0);
  writeFileSync(
    join(RESULTS, 'matrix-pageview-firefox.json'),
    JSON.stringify(
      {
        scenarios: summary.length,
        requests: total('requests'),
        paired: total('paired'),
        uncertainWithout: total('uncertainWithout'),
        uncertainWith: total('uncertainWith'),
        leftUnpaired: total('leftUnpaired'),
        summary,
      },
      null,
      1,
    ),
  );
  await ff?.close();
  await srv?.close();
});

describe('Firefox ESR matrix with the page view on', () => {
  for (const sc of scenarios) {
    it(`${sc.id}: ${sc.title}`, async () => {
      const key = scenarioKey(sc);
      const logStart = ff.logs.length;
      const { requests, results } = await runScenario(page, sc, srv.env);
      const failed = results.filter((r) => !r.ok).length;
      if (failed)
        await waitFor(
          `Firefox console for ${key}`,
          () =>
            ff.logs.slice(logStart).filter((l) => l.text.includes(key)).length +
              oracle.fetchErrors.filter((e) => e.url.includes(key) && /ABORT/.test(e.errorText)).length >=
              failed || null,
          10_000,
        );
      const firefox = oracle.labels(key, results);

      await probe.settled(key, results.length);
      // Identical requests (URL, method) whose reports differ are never paired (pairRecords does not
      // guess which is which); every other request the wrapper reports must be paired.
      const sig = (r: PageRequest) => `${(r.method ?? 'GET').toUpperCase()} ${requestUrl(r.url)}`;
      const views = new Map<string, Set<string>>();
      requests.forEach((r, i) => {
        if (!pairable(r, srv.env.page)) return;
        const v = views.get(sig(r)) ?? new Set<string>();
        v.add(`${expectedCredentials(r) === 'include'} ${expectedOutcome(results[i]!)}`);
        views.set(sig(r), v);
      });
      const ambiguous = (r: PageRequest) => (views.get(sig(r))?.size ?? 0) > 1;
      const want = requests.filter((r) => pairable(r, srv.env.page) && !ambiguous(r)).length;
      // The page's reports follow within a poll (250 ms) of the outcome.
      const entries = await waitFor(
        `page view reports for ${key}`,
        async () => {
          const e = await probe.entries(key);
          return e.filter((x) => x.exchange.page).length >= want && e.every((x) => x.verdict.outcome !== 'pending')
            ? e
            : null;
        },
        20_000,
      );

      // What the page view reports is what the test set and what the page saw.
      const unused = requests.map((r, i) => ({ r, res: results[i]! }));
      for (const e of entries.filter((x) => x.exchange.page)) {
        const pv = e.exchange.page!;
        const i = unused.findIndex(
          ({ r, res }) =>
            requestUrl(r.url) === requestUrl(e.exchange.url) &&
            (r.method ?? 'GET').toUpperCase() === e.exchange.method.toUpperCase() &&
            expectedCredentials(r) === pv.credentials &&
            expectedOutcome(res) === pv.outcome,
        );
        expect(
          i,
          `${e.exchange.method} ${e.exchange.url}: page view said ${JSON.stringify(e.exchange.page)}; requests ${JSON.stringify(unused.map(({ r, res }) => [r.url, expectedCredentials(r), expectedOutcome(res)]))}`,
        ).toBeGreaterThanOrEqual(0);
        unused.splice(i, 1);
      }

      const ambiguousEntries = entries.filter((e) =>
        requests.some(
          (r) => ambiguous(r) && sig(r) === `${e.exchange.method.toUpperCase()} ${requestUrl(e.exchange.url)}`,
        ),
      );
      expect(ambiguousEntries.filter((e) => e.exchange.page)).toEqual([]);
      const verdicts = entries.map((e) => e.verdict);
      // Every paired verdict is certain; the exchanges judged without the page report show what it settled.
      const paired = entries.filter((e) => e.exchange.page);
      expect(paired.filter((e) => e.verdict.outcome === 'uncertain').map((e) => e.exchange.url)).toEqual([]);
      const without = paired.filter((e) => diagnose({ ...e.exchange, page: undefined }).outcome === 'uncertain').length;
      summary.push({
        id: sc.id,
        requests: results.length,
        paired: paired.length,
        uncertainWithout: without,
        uncertainWith: verdicts.filter((v) => v.outcome === 'uncertain').length,
        leftUnpaired: ambiguousEntries.length,
      });

      const a = compareVerdicts('firefox', verdicts, firefox);
      expect(a.agree, `ours ${a.ours.join(', ')} vs Firefox ${a.theirs.join(', ')}`).toBe(true);
      // With every request paired, the outcomes match Firefox's exactly (not only through a branch).
      const passes = firefox.filter((l) => normalizeLabel(l) === 'pass').length;
      expect(verdicts.filter((v) => v.outcome === 'pass').length).toBeLessThanOrEqual(passes);
      if (paired.length === results.length) expect(verdicts.filter((v) => v.outcome === 'pass').length).toBe(passes);
    });
  }
});
