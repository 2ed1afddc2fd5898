// The command line against Chromium's own verdict: every matrix scenario (test/fixtures/scenarios.ts)
// that a command line can reproduce runs in Debian Chromium — its verdict captured over CDP
// (Network.loadingFailed.corsErrorStatus) in the same run — and through `cors-lens probe` (the CLI's
// runProbe, in-process) against the same servers. The labels (CorsError|failedParameter, network
// error, or pass) must be equal. Results: test-results/cli-vs-chromium.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../../src/cli/probe';
import { CHROME_ONLY_SCENARIOS, scenariosFor, SCENARIOS } from '../fixtures/scenarios';
import { notReproducible, probeOptionsFor } from '../cli/scenario-probe';
import { launchChromium, RESULTS, waitFor, type ChromiumSession } from '../support/chromium';
import {
  ChromeOracle,
  chromeLabel,
  COOKIE_PATH,
  runScenario,
  scenarioKey,
  startMatrixServers,
  type MatrixServers,
} from '../support/matrix';

const scenarios = scenariosFor('chrome', [...SCENARIOS, ...CHROME_ONLY_SCENARIOS]);
const summary: Array<{
  id: string;
  agree?: boolean;
  cli?: string;
  chromium?: string;
  skipped?: string;
  requests?: number;
  ms?: number;
}> = [];
let srv: MatrixServers;
let s: ChromiumSession;
let page: Page;
let oracle: ChromeOracle;

beforeAll(async () => {
  srv = await startMatrixServers(scenarios);
  s = await launchChromium({ devtools: false, extension: false });
  page = s.context.pages().find((p) => !p.url().startsWith('devtools://'))!;
  await page.goto(srv.env.api + COOKIE_PATH);
  await page.goto(`${srv.env.page}/`);
  oracle = await ChromeOracle.attach(page);
}, 180_000);

afterAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  const run = summary.filter((x) => x.agree !== undefined);
  const reqs = run.map((x) => x.requests!).sort((a, b) => a - b);
  const ms = run.map((x) => x.ms!).sort((a, b) => a - b);
  writeFileSync(
    join(RESULTS, 'cli-vs-chromium.json'),
    JSON.stringify(
      {
        scenarios: summary.length,
        compared: run.length,
        agree: run.filter((x) => x.agree).length,
        requestsMedian: reqs[Math.floor(reqs.length / 2)],
        requestsMax: reqs.at(-1),
        msMedian: ms[Math.floor(ms.length / 2)],
        msMax: ms.at(-1),
        summary,
      },
      null,
      1,
    ),
  );
  await s?.close();
  await srv?.close();
});

describe('cors-lens probe agrees with Chromium (CDP corsErrorStatus)', () => {
  for (const sc of scenarios) {
    it(`${sc.id}: ${sc.title}`, { timeout: 120_000 }, async () => {
      const reqs = sc.requests(srv.env);
      const why = notReproducible(sc, reqs);
      if (why) {
        summary.push({ id: sc.id, skipped: why });
        return;
      }
      const key = scenarioKey(sc);
      const { results } = await runScenario(page, sc, srv.env);
      const failed = results.filter((r) => !r.ok).length;
      await waitFor(
        `CDP failures for ${key}`,
        () => oracle.failures.filter((f) => f.url.includes(key)).length >= failed || null,
        10_000,
      );
      const chromium = oracle.labels(key, results)[0]!;
      const opts = probeOptionsFor(reqs[0]!, srv.env.page);
      const t0 = Date.now();
      const res = await runProbe(opts);
      const cli = chromeLabel(res.entry.verdict);
      summary.push({ id: sc.id, agree: cli === chromium, cli, chromium, requests: res.requests, ms: Date.now() - t0 });
      expect(cli).toBe(chromium);
    });
  }
});
