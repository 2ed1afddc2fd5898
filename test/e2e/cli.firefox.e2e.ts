// The command line against Firefox's own words: `cors-lens probe` prints Firefox's reason next to
// Chromium's CorsError ("Firefox reason: CORSAllowOriginNotMatchingOrigin — CORS header
// 'Access-Control-Allow-Origin' does not match '…'"). Every Firefox matrix scenario (test/fixtures/
// scenarios.ts) a command line can reproduce runs in Debian Firefox ESR — its verdict read from its
// console over WebDriver BiDi (log.entryAdded: "Cross-Origin Request Blocked … (Reason: …)") or its
// BiDi network error, in the same run — and through the CLI (runProbe, in-process) against the same
// servers. The reason key must be equal, and the reason text the CLI prints must be Firefox's own
// text for the same request. Not comparable: the scenarios a command line cannot reproduce
// (test/cli/scenario-probe.ts says why for each; they are listed in the results file).
// Results: test-results/cli-vs-firefox.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../../src/cli/probe';
import { renderText } from '../../src/cli/render';
import { symptomText } from '../../src/core/report/json';
import { notReproducible, probeOptionsFor } from '../cli/scenario-probe';
import { scenariosFor, SCENARIOS } from '../fixtures/scenarios';
import { RESULTS, waitFor } from '../support/chromium';
import { firefoxScreenshot, FIREFOX, type ConsoleEntry, type FirefoxSession } from '../support/firefox';
import {
  COOKIE_PATH,
  FirefoxOracle,
  firefoxLabel,
  normalizeLabel,
  runScenario,
  scenarioKey,
  startMatrixServers,
  type MatrixServers,
} from '../support/matrix';

const scenarios = scenariosFor('firefox', SCENARIOS);
const summary: Array<{
  id: string;
  agree?: boolean;
  sameText?: boolean | null;
  cli?: string;
  firefox?: string;
  cliText?: string | null;
  firefoxText?: string | null;
  skipped?: string;
}> = [];
let srv: MatrixServers;
let ff: FirefoxSession;
let page: Page;
let oracle: FirefoxOracle;

/** Firefox ESR over BiDi without any extension: only its own console and network errors matter here. */
async function launchPlainFirefox(): Promise<FirefoxSession> {
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
  const logs: ConsoleEntry[] = [];
  const conn = (browser as unknown as { connection: { on(ev: string, fn: (e: any) => void): void } }).connection;
  conn.on('log.entryAdded', (e: any) =>
    logs.push({ text: String(e.text ?? ''), level: String(e.level ?? ''), at: Date.now() }),
  );
  return { browser, extensionBase: '', logs, close: () => browser.close().catch(() => {}) };
}

/** The "(Reason: …)" part of Firefox's console line. */
function reasonText(line: string): string | null {
  return /\(Reason: (.*?)\)\.(?: Status code: .*\.)?$/s.exec(line.trim())?.[1] ?? null;
}

beforeAll(async () => {
  srv = await startMatrixServers(scenarios);
  ff = await launchPlainFirefox();
  oracle = new FirefoxOracle(ff);
  page = (await ff.browser.pages())[0]!;
  await page.goto(srv.env.api + COOKIE_PATH);
  await page.goto(`${srv.env.page}/`);
}, 180_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail')
    await firefoxScreenshot(page, `cli-firefox-${ctx.task.name.split(':')[0]}-FAILED`).catch(() => {});
});

afterAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  const run = summary.filter((x) => x.agree !== undefined);
  writeFileSync(
    join(RESULTS, 'cli-vs-firefox.json'),
    JSON.stringify(
      {
        scenarios: summary.length,
        compared: run.length,
        agree: run.filter((x) => x.agree).length,
        reasonTexts: run.filter((x) => x.sameText !== null).length,
        sameText: run.filter((x) => x.sameText === true).length,
        summary,
      },
      null,
      1,
    ),
  );
  await ff?.close();
  await srv?.close();
});

describe("cors-lens probe prints Firefox's own reason (BiDi log.entryAdded)", () => {
  for (const sc of scenarios) {
    it(`${sc.id}: ${sc.title}`, { timeout: 120_000 }, async () => {
      const why = notReproducible(sc, sc.requests(srv.env));
      if (why) {
        summary.push({ id: sc.id, skipped: why });
        return;
      }
      const key = scenarioKey(sc);
      const logStart = ff.logs.length;
      const { requests, results } = await runScenario(page, sc, srv.env);
      // Firefox logs at least one console line for every blocked request, network failures included
      // (as in matrix.firefox.e2e.ts); the specific reason comes before the generic CORSDidNotSucceed.
      if (!results[0]!.ok)
        await waitFor(
          `Firefox console for ${key}`,
          () => ff.logs.slice(logStart).some((l) => l.text.includes(key)) || null,
          20_000,
        );
      // Only the generic reason: a network-level failure, named by its BiDi fetch error (which may trail the console).
      if (!results[0]!.ok && oracle.reasonsFor(key).every((r) => r.reason === 'CORSDidNotSucceed'))
        await waitFor(
          `Firefox fetch error for ${key}`,
          () => oracle.fetchErrors.some((e) => e.url.includes(key)) || null,
          20_000,
        ).catch(() => null); // none: Firefox blocked it silently
      const firefox = oracle.labels(key, results)[0]!;
      const res = await runProbe(probeOptionsFor(requests[0]!, srv.env.page));
      const v = res.entry.verdict;
      const cli = firefoxLabel(v);
      // The wording: the reason text the CLI prints against the text in Firefox's console line.
      const line = oracle.reasonsFor(key).find((r) => r.reason === firefox)?.text ?? null;
      const theirs = line ? reasonText(line) : null;
      const ours = v.symptom ? (symptomText(v.symptom, res.entry.exchange).firefoxText ?? null) : null;
      const agree = normalizeLabel(cli) === normalizeLabel(firefox);
      summary.push({
        id: sc.id,
        agree,
        sameText: theirs === null ? null : ours === theirs,
        cli,
        firefox,
        cliText: ours,
        firefoxText: theirs,
      });
      expect(normalizeLabel(cli), `CLI ${cli} vs Firefox ${firefox}`).toBe(normalizeLabel(firefox));
      if (theirs !== null) {
        expect(ours).toBe(theirs);
        // …and it is what the terminal output says.
        expect(renderText(res, { ...probeOptionsFor(requests[0]!, srv.env.page), format: 'text' })).toContain(
          `Firefox reason: ${firefox} — ${theirs}`,
        );
      }
    });
  }
});
