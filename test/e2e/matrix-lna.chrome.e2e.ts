// Local Network Access in Chromium: the page server's address is declared public with
// --ip-address-space-overrides, so requests from it to the API on 127.0.0.1 (loopback) are
// local-network requests. Headless Chromium denies the permission (LocalNetworkAccessPermissionDenied);
// a page that is not a secure context (http://public.test, mapped to 127.0.0.1) is refused outright
// (InsecureLocalNetwork); with the permission granted the request passes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeSymptom, symptomContext } from '../../src/core/symptoms';
import { LNA_INSECURE_SCENARIOS, LNA_SCENARIOS, path, type MatrixScenario } from '../fixtures/scenarios';
import { launchChromium, screenshot, waitFor, type ChromiumSession } from '../support/chromium';
import {
  ChromeOracle,
  compareVerdicts,
  LensProbe,
  runScenario,
  scenarioKey,
  startMatrixServers,
  type MatrixServers,
} from '../support/matrix';

let srv: MatrixServers;
const GRANTED: MatrixScenario = {
  id: 'lna-granted',
  title: 'GET from a public page to loopback with the local-network permission granted',
  routes: () => [
    {
      server: 'api',
      path: path('lna-granted'),
      spec: { actual: { status: 200, headers: [['Access-Control-Allow-Origin', '{origin}']] } },
    },
  ],
  requests: (e) => [{ url: e.api + path('lna-granted') }],
  expect: { chrome: 'pass' },
  browsers: ['chrome'],
};

beforeAll(async () => {
  srv = await startMatrixServers([...LNA_SCENARIOS, ...LNA_INSECURE_SCENARIOS, GRANTED]);
});
afterAll(async () => srv?.close());

async function check(s: ChromiumSession, pageUrl: string, sc: MatrixScenario, grant = false): Promise<void> {
  const page = s.context.pages().find((p) => !p.url().startsWith('devtools://'))!;
  if (grant) {
    const bs = await s.browser.newBrowserCDPSession();
    for (const name of ['local-network-access', 'loopback-network', 'local-network']) {
      await bs
        .send('Browser.setPermission', { permission: { name }, setting: 'granted', origin: new URL(pageUrl).origin })
        .catch(() => {});
    }
  }
  await page.goto(pageUrl);
  const oracle = await ChromeOracle.attach(page);
  const probe = await LensProbe.chrome(s, pageUrl);
  const key = scenarioKey(sc);
  try {
    const { results } = await runScenario(page, sc, srv.env);
    const failed = results.filter((r) => !r.ok).length;
    await waitFor(
      'CDP failures',
      () => oracle.failures.filter((f) => f.url.includes(key)).length >= failed || null,
      10_000,
    );
    const chromium = oracle.labels(key, results);
    chromium.forEach((l) => expect(l.split('|')[0]).toBe(sc.expect.chrome));
    const entries = await probe.settled(key, results.length);
    const a = compareVerdicts(
      'chrome',
      entries.map((e) => e.verdict),
      chromium,
    );
    expect(a.ours).toEqual(a.theirs);
    for (const e of entries) if (sc.cause) expect(e.verdict.cause?.code).toBe(sc.cause);
    // The sentence CORS Lens shows is the one Chromium printed.
    for (const e of entries)
      if (e.verdict.symptom)
        expect(oracle.consoleFor(key)).toContain(
          describeSymptom(e.verdict.symptom, symptomContext(e.exchange, e.verdict.symptom)).chromeConsole,
        );
  } catch (e) {
    await screenshot(page, `matrix-lna-${sc.id}-FAILED`).catch(() => {});
    throw e;
  }
}

describe('Local Network Access from a public, secure page', () => {
  let s: ChromiumSession;
  beforeAll(async () => {
    s = await launchChromium({
      devtools: false,
      extraArgs: [`--ip-address-space-overrides=127.0.0.1:${srv.env.pagePort}=public`],
    });
  });
  afterAll(async () => s?.close());

  for (const sc of LNA_SCENARIOS) it(`${sc.id}: ${sc.title}`, () => check(s, `${srv.env.page}/`, sc));
});

describe('Local Network Access with the permission granted', () => {
  let s: ChromiumSession;
  beforeAll(async () => {
    s = await launchChromium({
      devtools: false,
      extraArgs: [`--ip-address-space-overrides=127.0.0.1:${srv.env.pagePort}=public`],
    });
  });
  afterAll(async () => s?.close());

  it(`${GRANTED.id}: ${GRANTED.title}`, () => check(s, `${srv.env.page}/`, GRANTED, true));
});

describe('Local Network Access from a public page that is not a secure context', () => {
  let s: ChromiumSession;
  beforeAll(async () => {
    s = await launchChromium({
      devtools: false,
      extraArgs: [
        `--ip-address-space-overrides=127.0.0.1:${srv.env.pagePort}=public`,
        '--host-resolver-rules=MAP public.test 127.0.0.1',
      ],
    });
  });
  afterAll(async () => s?.close());

  for (const sc of LNA_INSECURE_SCENARIOS)
    it(`${sc.id}: ${sc.title}`, () => check(s, `http://public.test:${srv.env.pagePort}/`, sc));
});
