// The same scenario matrix in Firefox ESR with dist/firefox installed. Firefox's own verdict is the
// reason in its console ("Cross-Origin Request Blocked … (Reason: …)", mapped to the
// security.properties key) or, for network failures (the console's "Status code: (null)"), the
// exact BiDi fetch error name — compared exactly with CORS Lens's, never through its classifier. Firefox reports a blocked
// simple request as completed, so when the credentials mode is invisible CORS Lens cannot tell a
// blocked credentialed request from a passing plain one: it answers "pass" with the blocked branch
// attached, and that branch must carry Firefox's reason (counted separately in the summary).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeSymptom, symptomContext } from '../../src/core/symptoms';
import { expectedFor, scenariosFor, SCENARIOS } from '../fixtures/scenarios';
import { RESULTS, waitFor } from '../support/chromium';
import { firefoxScreenshot, launchFirefox, type FirefoxSession } from '../support/firefox';
import {
  compareVerdicts,
  COOKIE_PATH,
  FirefoxOracle,
  LensProbe,
  runScenario,
  scenarioKey,
  startMatrixServers,
  type MatrixServers,
} from '../support/matrix';

const scenarios = scenariosFor('firefox', SCENARIOS);
const summary: Array<{
  id: string;
  agree: boolean;
  viaBranch: boolean;
  ours: string[];
  firefox: string[];
  cause?: string;
  expectedCause?: string;
}> = [];

let srv: MatrixServers;
let ff: FirefoxSession;
let page: Page;
let oracle: FirefoxOracle;
let probe: LensProbe;

beforeAll(async () => {
  srv = await startMatrixServers(scenarios);
  ff = await launchFirefox();
  oracle = new FirefoxOracle(ff);
  page = (await ff.browser.pages())[0]!;
  await page.goto(srv.env.api + COOKIE_PATH);
  await page.goto(`${srv.env.page}/`);
  probe = await LensProbe.firefox(ff, srv.env.page, `${srv.env.page}/`);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail')
    await firefoxScreenshot(page, `matrix-firefox-${ctx.task.name.split(':')[0]}-FAILED`).catch(() => {});
});

afterAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    join(RESULTS, 'matrix-firefox.json'),
    JSON.stringify(
      {
        scenarios: summary.length,
        agree: summary.filter((x) => x.agree).length,
        viaBranch: summary.filter((x) => x.viaBranch).length,
        summary,
      },
      null,
      1,
    ),
  );
  await ff?.close();
  await srv?.close();
});

describe("scenario matrix in Firefox ESR: CORS Lens agrees with Firefox's console reason", () => {
  it('has at least 40 scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(40);
  });

  for (const sc of scenarios) {
    it(`${sc.id}: ${sc.title}`, async () => {
      const key = scenarioKey(sc);
      const logStart = ff.logs.length;
      const { results } = await runScenario(page, sc, srv.env);
      const failed = results.filter((r) => !r.ok).length;
      // Firefox's console lines (every blocked request logs at least one) trail the rejection.
      // (an aborted request logs nothing: its BiDi fetch error stands in)
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

      if (sc.expect.firefox !== undefined)
        firefox.forEach((label, i) => expect(label).toBe(expectedFor(sc.expect.firefox!, i)));

      const entries = await probe.settled(key, results.length);
      const verdicts = entries.map((e) => e.verdict);
      const a = compareVerdicts('firefox', verdicts, firefox);
      const causeOf = (v: (typeof verdicts)[number]) =>
        v.cause?.code ?? v.branches?.find((b) => b.outcome === 'blocked')?.cause?.code;
      summary.push({
        id: sc.id,
        agree: a.agree,
        viaBranch: a.viaBranch,
        ours: a.ours,
        firefox: a.theirs,
        cause: verdicts.map(causeOf).find(Boolean),
        expectedCause: sc.cause,
      });
      expect(a.agree, `ours ${a.ours.join(', ')} vs Firefox ${a.theirs.join(', ')}`).toBe(true);
      // Never a false pass (issue #14): no more "pass" verdicts than requests Firefox let through.
      expect(verdicts.filter((v) => v.outcome === 'pass').length).toBeLessThanOrEqual(
        firefox.filter((l) => l === 'pass').length,
      );

      for (const v of verdicts) {
        const blockedSomehow = v.outcome !== 'pass' || v.branches?.some((b) => b.outcome === 'blocked');
        if (!blockedSomehow) continue;
        if (sc.expect.firefox === 'pass' || (Array.isArray(sc.expect.firefox) && v.outcome === 'pass')) continue;
        expect(causeOf(v)).toBe(sc.cause);
      }
      if (sc.warning) for (const v of verdicts) expect(v.warnings.map((w) => w.code)).toContain(sc.warning);

      // The reason text CORS Lens shows is the one Firefox printed.
      const printed = ff.logs.slice(logStart).map((l) => l.text);
      const xhr = sc.requests(srv.env)[0]?.xhr ? 'xmlhttprequest' : 'fetch';
      entries.forEach((e) => {
        const s = e.verdict.symptom;
        if (!s?.firefoxReason) return;
        // Uncertain: the symptom is the credentialed branch's, printed only when Firefox blocked.
        if (e.verdict.outcome === 'uncertain' && !firefox.some((l) => /^CORS/.test(l))) return;
        expect(printed).toContain(describeSymptom(s, symptomContext(e.exchange, s, xhr)).firefoxConsole);
      });
    });
  }
});
