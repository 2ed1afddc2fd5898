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
import { scenariosFor, SCENARIOS } from '../fixtures/scenarios';
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
} from '../support/matrix';
import { pageViewPlan, reportMismatches } from '../support/pageview-matrix';

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
      // A retried attempt repeats the scenario's requests: only this attempt's are compared.
      const mark = oracle.mark();
      const earlier = new Set((await probe.entries(key)).map((e) => e.id));
      const { requests, results } = await runScenario(page, sc, srv.env);
      const failed = results.filter((r) => !r.ok).length;
      if (failed)
        await waitFor(
          `Firefox console for ${key}`,
          () =>
            ff.logs.slice(mark.logs).filter((l) => l.text.includes(key)).length +
              oracle.fetchErrors.slice(mark.errors).filter((e) => e.url.includes(key) && /ABORT/.test(e.errorText))
                .length >=
              failed || null,
          10_000,
        );
      const firefox = oracle.labels(key, results, mark);

      const plan = pageViewPlan(requests, results, srv.env.page);
      // The page's reports follow within a poll (250 ms) of the outcome.
      const entries = await waitFor(
        `page view reports for ${key}`,
        async () => {
          const e = (await probe.entries(key)).filter((x) => !earlier.has(x.id));
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
      const ambiguousEntries = entries.filter((e) => plan.ambiguous(e));
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
