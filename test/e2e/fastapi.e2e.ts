// The FastAPI set: every cause named in the FastAPI CORS guides (/work/shared/seeds), reproduced on
// real FastAPI/Starlette from Debian (test/servers/fastapi) and checked in real Chromium with CORS
// Lens loaded: the symptom against Chromium's own (CDP corsErrorStatus) and the root cause against
// the configuration the server actually runs.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, waitFor, type ChromiumSession } from '../support/chromium';
import {
  ChromeOracle,
  compareVerdicts,
  COOKIE_PATH,
  LensProbe,
  startMatrixServers,
  type MatrixServers,
} from '../support/matrix';
import { startFastApi, type FastApiServer } from '../servers/fastapi';
import { apps, FASTAPI_SCENARIOS as SCENARIOS, key, type AppName } from '../servers/fastapi/scenarios';

let srv: MatrixServers;
const servers = new Map<AppName, FastApiServer>();
let s: ChromiumSession;
let page: Page;
let oracle: ChromeOracle;
let probe: LensProbe;

beforeAll(async () => {
  srv = await startMatrixServers([]);
  const configs = apps(srv.env.page, srv.env.pagePort);
  const needed = [...new Set(SCENARIOS.map((x) => x.app))];
  await Promise.all(needed.map(async (name) => servers.set(name, await startFastApi(configs[name]))));
  s = await launchChromium({ devtools: false });
  page = s.context.pages().find((p) => !p.url().startsWith('devtools://'))!;
  await page.goto(srv.env.api + COOKIE_PATH); // lens=1 for host 127.0.0.1: FastAPI's host too
  await page.goto(`${srv.env.page}/`);
  oracle = await ChromeOracle.attach(page);
  probe = await LensProbe.chrome(s, `${srv.env.page}/`);
}, 120_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail')
    await screenshot(page, `fastapi-${ctx.task.name.split(':')[0]}-FAILED`).catch(() => {});
});

afterAll(async () => {
  await s?.close();
  await Promise.all([...servers.values()].map((x) => x.close()));
  await srv?.close();
});

describe('FastAPI (Starlette from Debian) in Chromium: symptom vs CDP, root cause vs the configuration', () => {
  for (const sc of SCENARIOS) {
    it(`${sc.id}: ${sc.title}`, async () => {
      const api = servers.get(sc.app)!;
      const { path, host, ...init } = sc.request;
      const url = `${host === 'localhost' ? api.localhostOrigin : api.origin}${path}?${key(sc.id)}x=1`;
      const results = (await page.evaluate(
        async ([u, i]) => {
          try {
            const r = await fetch(u, i as RequestInit);
            await r.arrayBuffer();
            return [{ ok: true, status: r.status }];
          } catch (e) {
            return [{ ok: false, error: String(e) }];
          }
        },
        [url, init] as const,
      )) as Array<{ ok: boolean; status?: number }>;
      const failed = results.filter((r) => !r.ok).length;
      await waitFor(
        `CDP failures for ${sc.id}`,
        () => oracle.failures.filter((f) => f.url.includes(key(sc.id))).length >= failed || null,
        10_000,
      );
      const chromium = oracle.labels(key(sc.id), results);
      expect(chromium[0]!.split('|')[0]).toBe(sc.chrome);

      const entries = await probe.settled(key(sc.id), 1);
      const a = compareVerdicts(
        'chrome',
        entries.map((e) => e.verdict),
        chromium,
      );
      expect(a.ours).toEqual(a.theirs);
      const v = entries[0]!.verdict;
      if (sc.cause) {
        expect(v.cause?.code).toBe(sc.cause);
        // The fix names the exact origin to allow.
        if (v.cause?.code === 'origin-not-allowed') expect(v.cause.facts.origin).toBe(srv.env.page);
      } else {
        expect(v.outcome).toBe('pass');
      }
      if (sc.warning) expect(v.warnings.map((w) => w.code)).toContain(sc.warning);
    });
  }
});
