// The acceptance bar in Chromium: every scenario of the matrix (test/fixtures/scenarios.ts) runs in
// Debian Chromium with dist/chrome loaded; Chromium's own verdict for each request is captured over
// CDP (Network.loadingFailed.corsErrorStatus) in the same run, and CORS Lens's verdict is read from
// the real background over the panel port. They must be equal, passing requests must never be
// flagged, the root cause must be the one the server's configuration embodies, and CORS Lens's
// console sentence must be the one Chromium printed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeSymptom, symptomContext } from '../../src/core/symptoms';
import {
  CHROME_ONLY_SCENARIOS,
  expectedFor,
  scenariosFor,
  SCENARIOS,
  type MatrixScenario,
} from '../fixtures/scenarios';
import { launchChromium, RESULTS, ROOT, screenshot, waitFor, type ChromiumSession } from '../support/chromium';
import {
  ChromeOracle,
  compareVerdicts,
  COOKIE_PATH,
  LensProbe,
  runScenario,
  scenarioKey,
  startMatrixServers,
  type MatrixServers,
} from '../support/matrix';

const scenarios = scenariosFor('chrome', [...SCENARIOS, ...CHROME_ONLY_SCENARIOS]);
const summary: Array<{
  id: string;
  agree: boolean;
  ours: string[];
  chromium: string[];
  cause?: string;
  expectedCause?: string;
  branches: number;
}> = [];

let srv: MatrixServers;
let s: ChromiumSession;
let page: Page;
let oracle: ChromeOracle;
let probe: LensProbe;

beforeAll(async () => {
  srv = await startMatrixServers(scenarios);
  s = await launchChromium({ devtools: false, extraExtensions: [join(ROOT, 'test/fixtures/blocker')] });
  page = s.context.pages().find((p) => !p.url().startsWith('devtools://'))!;
  // The credentialed scenarios need a cookie for 127.0.0.1 (the API's host, any port).
  await page.goto(srv.env.api + COOKIE_PATH);
  await page.goto(`${srv.env.page}/`);
  oracle = await ChromeOracle.attach(page);
  probe = await LensProbe.chrome(s, `${srv.env.page}/`);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail')
    await screenshot(page, `matrix-chrome-${ctx.task.name.split(':')[0]}-FAILED`).catch(() => {});
});

afterAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    join(RESULTS, 'matrix-chrome.json'),
    JSON.stringify({ scenarios: summary.length, agree: summary.filter((x) => x.agree).length, summary }, null, 1),
  );
  await s?.close();
  await srv?.close();
});

describe('scenario matrix in Chromium: CORS Lens agrees with CDP corsErrorStatus', () => {
  it('has at least 40 scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(40);
  });

  for (const sc of scenarios) {
    it(`${sc.id}: ${sc.title}`, async () => {
      const key = scenarioKey(sc);
      const { results } = await runScenario(page, sc, srv.env);
      const failed = results.filter((r) => !r.ok).length;
      // Chromium's verdict: CDP reports the failure at (or just after) the fetch rejection.
      await waitFor(
        `CDP failures for ${key}`,
        () => oracle.failures.filter((f) => f.url.includes(key)).length >= failed || null,
        10_000,
      );
      const chromium = oracle.labels(key, results);

      // The scenario still reproduces what it claims (the browser side of the matrix).
      chromium.forEach((label, i) => expect(label.split('|')[0]).toBe(expectedFor(sc.expect.chrome, i)));
      if (sc.expect.chromeParam !== undefined) {
        const param =
          typeof sc.expect.chromeParam === 'function' ? sc.expect.chromeParam(srv.env) : sc.expect.chromeParam;
        for (const label of chromium.filter((l) => l.includes('|')))
          expect(label.slice(label.indexOf('|') + 1)).toBe(param);
      }

      // CORS Lens's verdicts from the real background.
      const entries = await probe.settled(key, results.length);
      const verdicts = entries.map((e) => e.verdict);
      const a = compareVerdicts('chrome', verdicts, chromium);
      summary.push({
        id: sc.id,
        agree: a.agree,
        ours: a.ours,
        chromium: a.theirs,
        cause: verdicts.find((v) => v.cause)?.cause?.code,
        expectedCause: sc.cause,
        branches: verdicts.filter((v) => v.branches).length,
      });
      expect(a.ours.slice().sort()).toEqual(a.theirs.slice().sort());
      // When the credentials mode stays open (both assumptions fail, differently), the primary
      // verdict is the one without credentials (fetch's default) and it is the one Chromium gave.
      for (const v of verdicts)
        if (v.branches) expect(v.branches.find((b) => b.assumption === 'credentials-omit')?.symptom).toEqual(v.symptom);

      for (const v of verdicts) {
        if (v.outcome === 'pass') {
          expect(v.symptom).toBeUndefined();
          continue;
        }
        expect(v.cause?.code).toBe(sc.cause);
        expect(v.evidence.length).toBeGreaterThan(0);
        if (v.symptom) expect(v.evidence.filter((r) => r.decisive).length).toBeLessThanOrEqual(1);
      }
      if (sc.warning) for (const v of verdicts) expect(v.warnings.map((w) => w.code)).toContain(sc.warning);

      // The sentence CORS Lens shows is the one Chromium printed in the console.
      const printed = oracle.consoleFor(key);
      const xhr = sc.requests(srv.env)[0]?.xhr ? 'xmlhttprequest' : 'fetch';
      entries.forEach((e) => {
        if (!e.verdict.symptom) return;
        expect(printed).toContain(
          describeSymptom(e.verdict.symptom, symptomContext(e.exchange, e.verdict.symptom, xhr)).chromeConsole,
        );
      });
    });
  }
});

describe('preflight cache', () => {
  it('says the second preflight was answered from the cache', async () => {
    const entries = await probe.entries(
      scenarioKey(SCENARIOS.find((x) => x.id === 'cached-preflight') as MatrixScenario),
    );
    const fromCache = entries.filter((e) => e.verdict.preflight.fromCache);
    expect(entries).toHaveLength(2);
    expect(fromCache).toHaveLength(1);
    expect(fromCache[0]!.exchange.preflights).toHaveLength(0);
    expect(fromCache[0]!.verdict.preflight.needed).toBe(true);
  });
});
