// Harness for the scenario matrix (test/fixtures/scenarios.ts): the servers, the page-side request
// runner, the browsers' own verdicts (Chromium over CDP, Firefox from its console and BiDi network
// errors) and a probe that reads CORS Lens's verdicts from the real background over the panel port.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Page as PPage } from 'puppeteer-core';
import type { LogEntry } from '../../src/core/log';
import { PANEL_PORT } from '../../src/shared/protocol';
import { classifyNetError } from '../../src/core/fetch/net-errors';
import { parseFirefoxConsole } from '../../src/core/symptoms';
import type { Verdict } from '../../src/core/verdict';
import { type MatrixEnv, type MatrixScenario, type PageRequest, type RouteDef } from '../fixtures/scenarios';
import { waitFor, type ChromiumSession } from './chromium';
import type { FirefoxSession } from './firefox';
import { startApi, startPages, type ApiServer, type RunningServer } from './servers';

export interface MatrixServers {
  env: MatrixEnv;
  api: ApiServer;
  api2: ApiServer;
  tls: ApiServer;
  pages: RunningServer;
  close(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1 (openssl from Debian; nothing is downloaded). */
function selfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cors-lens-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'k.pem'),
        '-out',
        join(dir, 'c.pem'),
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'k.pem'), 'utf8'), cert: readFileSync(join(dir, 'c.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export const COOKIE_PATH = '/__cookie';

export async function startMatrixServers(
  scenarios: MatrixScenario[],
  pages: Record<string, string> = {},
): Promise<MatrixServers> {
  const [api, api2, tls, page, closed] = await Promise.all([
    startApi(),
    startApi(),
    startApi({ tls: selfSignedCert() }),
    startPages(pages),
    closedPort(),
  ]);
  const env: MatrixEnv = {
    page: page.origin,
    pagePort: page.port,
    api: api.origin,
    apiLocalhost: `http://localhost:${api.port}`,
    api2: api2.origin,
    closed: `http://127.0.0.1:${closed}`,
    tls: tls.origin,
  };
  api.route(COOKIE_PATH, {
    actual: {
      status: 200,
      headers: [
        ['Set-Cookie', 'lens=1; Path=/; SameSite=Lax'],
        ['Content-Type', 'text/plain'],
      ],
      body: 'cookie set',
    },
  });
  const servers = { api, api2, tls };
  for (const s of scenarios)
    for (const r of s.routes?.(env) ?? ([] as RouteDef[])) servers[r.server].route(r.path, r.spec);
  return {
    env,
    api,
    api2,
    tls,
    pages: page,
    async close() {
      await Promise.all([api.close(), api2.close(), tls.close(), page.close()]);
    },
  };
}

export interface PageResult {
  ok: boolean;
  status?: number;
  error?: string;
}

/**
 * Runs in the page: makes the scenario's requests with fetch or XMLHttpRequest. Kept as source
 * text: the test transpiler's helpers (e.g. __name) do not exist in the page.
 */
const PAGE_RUNNER = `async (arg) => {
  const one = async (r) => {
    if (r.xhr) {
      return new Promise((resolve) => {
        const x = new XMLHttpRequest();
        x.open(r.method || 'GET', r.url);
        if (r.withCredentials) x.withCredentials = true;
        for (const [k, v] of Object.entries(r.headers || {})) x.setRequestHeader(k, v);
        x.onload = () => resolve({ ok: true, status: x.status });
        x.onerror = () => resolve({ ok: false, error: 'XMLHttpRequest error' });
        x.send(r.body === undefined ? null : r.body);
      });
    }
    const ctl = new AbortController();
    const timer = r.abortAfterMs ? setTimeout(() => ctl.abort(), r.abortAfterMs) : undefined;
    try {
      const init = { signal: ctl.signal };
      if (r.method) init.method = r.method;
      if (r.headers) init.headers = r.headers;
      if (r.body !== undefined) init.body = r.body;
      if (r.credentials) init.credentials = r.credentials;
      if (r.mode) init.mode = r.mode;
      if (r.targetAddressSpace) init.targetAddressSpace = r.targetAddressSpace;
      const res = await fetch(r.url, init);
      await res.arrayBuffer();
      return { ok: true, status: res.status };
    } catch (e) {
      return { ok: false, error: String(e) };
    } finally {
      if (timer) clearTimeout(timer);
    }
  };
  if (arg.concurrent) return Promise.all(arg.reqs.map(one));
  const out = [];
  for (const r of arg.reqs) out.push(await one(r));
  return out;
}`;

type AnyPage = { evaluate: Page['evaluate'] } | PPage;

export async function runScenario(
  page: AnyPage,
  s: MatrixScenario,
  env: MatrixEnv,
): Promise<{ requests: PageRequest[]; results: PageResult[] }> {
  const requests = s.requests(env);
  const results = (await (page as Page).evaluate(
    `(${PAGE_RUNNER})(${JSON.stringify({ reqs: requests, concurrent: !!s.concurrent })})`,
  )) as PageResult[];
  return { requests, results };
}

/** The URL fragment every request of a scenario carries. */
export function scenarioKey(s: MatrixScenario): string {
  return `/m/${s.id}/`;
}

// ---- Chromium's own verdicts over CDP -----------------------------------------------------------

export interface CdpFailure {
  url: string;
  method: string;
  errorText: string;
  corsError?: string;
  failedParameter?: string;
  seq: number;
}

export class ChromeOracle {
  failures: CdpFailure[] = [];
  console: Array<{ text: string; seq: number }> = [];
  private seq = 0;

  static async attach(page: Page): Promise<ChromeOracle> {
    const o = new ChromeOracle();
    const cdp = await page.context().newCDPSession(page);
    const reqs = new Map<string, { url: string; method: string; preflight: boolean }>();
    cdp.on('Network.requestWillBeSent', (e: any) =>
      reqs.set(e.requestId, {
        url: e.request.url,
        method: e.request.method,
        preflight: e.initiator?.type === 'preflight',
      }),
    );
    cdp.on('Network.loadingFailed', (e: any) => {
      const r = reqs.get(e.requestId);
      if (!r || r.preflight) return;
      const f: CdpFailure = { url: r.url, method: r.method, errorText: e.errorText, seq: o.seq++ };
      if (e.corsErrorStatus) {
        f.corsError = e.corsErrorStatus.corsError;
        f.failedParameter = e.corsErrorStatus.failedParameter;
      }
      o.failures.push(f);
    });
    cdp.on('Log.entryAdded', (e: any) => {
      if (e.entry.source === 'javascript' || e.entry.source === 'network')
        o.console.push({ text: String(e.entry.text), seq: o.seq++ });
    });
    await cdp.send('Network.enable');
    await cdp.send('Log.enable');
    return o;
  }

  /** Where a test attempt starts: pass it to labels/consoleFor to ignore what earlier attempts logged. */
  mark(): number {
    return this.seq;
  }

  /** Chromium's label for each request of a scenario, paired with the page's results. */
  labels(key: string, results: PageResult[], since = 0): string[] {
    const mine = this.failures.filter((f) => f.seq >= since && f.url.includes(key));
    const cors = mine.filter((f) => f.corsError);
    const net = mine.filter((f) => !f.corsError && f.errorText !== 'net::ERR_ABORTED');
    const aborted = mine.filter((f) => !f.corsError && f.errorText === 'net::ERR_ABORTED');
    const pool = [...cors, ...net, ...aborted];
    return results.map((r) => {
      if (r.ok) return 'pass';
      const f = pool.shift();
      if (!f) return 'blocked:unknown';
      return f.corsError ? `${f.corsError}|${f.failedParameter ?? ''}` : f.errorText;
    });
  }

  consoleFor(key: string, since = 0): string[] {
    return this.console
      .filter((c) => c.seq >= since && c.text.includes(key) && c.text.includes('has been blocked by CORS policy'))
      .map((c) => c.text);
  }
}

// ---- Firefox's own verdicts: console reasons and BiDi network errors --------------------------------

export interface FirefoxMark {
  logs: number;
  errors: number;
}

export class FirefoxOracle {
  fetchErrors: Array<{ url: string; errorText: string }> = [];

  constructor(private readonly ff: FirefoxSession) {
    const conn = (ff.browser as unknown as { connection: { on(ev: string, fn: (e: any) => void): void } }).connection;
    conn.on('network.fetchError', (e: any) =>
      this.fetchErrors.push({ url: String(e.request?.url ?? ''), errorText: String(e.errorText ?? '') }),
    );
  }

  /** Where a test attempt starts: pass it to labels/reasonsFor to ignore what earlier attempts logged. */
  mark(): FirefoxMark {
    return { logs: this.ff.logs.length, errors: this.fetchErrors.length };
  }

  reasonsFor(key: string, since?: FirefoxMark): Array<{ reason: string; param?: string; text: string }> {
    const out: Array<{ reason: string; param?: string; text: string }> = [];
    for (const l of this.ff.logs.slice(since?.logs ?? 0)) {
      if (!l.text.includes(key)) continue;
      const p = parseFirefoxConsole(l.text);
      if (!p) continue;
      const r: { reason: string; param?: string; text: string } = { reason: p.reason, text: l.text };
      if (p.param !== undefined) r.param = p.param;
      out.push(r);
    }
    return out;
  }

  /**
   * Firefox's label for each failed request: its first specific console reason (Firefox follows
   * every preflight failure with a generic CORSDidNotSucceed), else the network error, else
   * 'blocked' (blocked without a console reason).
   */
  labels(key: string, results: PageResult[], since?: FirefoxMark): string[] {
    const reasons = this.reasonsFor(key, since);
    const specific = reasons.filter((r) => r.reason !== 'CORSDidNotSucceed');
    const errors = this.fetchErrors
      .slice(since?.errors ?? 0)
      .filter((e) => e.url.includes(key))
      .map((e) => e.errorText);
    // Several reasons may be logged for one request (redirect + status + generic): keep the first per request.
    const firstPerRequest: string[] = [];
    let last = '';
    for (const r of specific) {
      if (
        firstPerRequest.length > 0 &&
        r.reason === 'CORSPreflightDidNotSucceed' &&
        last === 'CORSExternalRedirectNotAllowed'
      )
        continue;
      firstPerRequest.push(r.reason);
      last = r.reason;
    }
    // Firefox's console for a request that got no HTTP response at all: "CORS request did not
    // succeed). Status code: (null)." — its own verdict that this is a network failure, not a rule.
    const noResponse = reasons.some((r) => r.reason === 'CORSDidNotSucceed' && r.text.includes('Status code: (null)'));
    return results.map((r) => {
      if (r.ok) return 'pass';
      const reason = firstPerRequest.shift();
      if (reason) return reason;
      // A network-level failure has no specific reason: its name is Firefox's own BiDi fetch error
      // (NS_ERROR_DOM_BAD_URI is Firefox's code for any refused CORS load, not a network error),
      // confirmed by the console's no-response line; a load the page aborted logs nothing.
      // Any other fetch error (e.g. NS_ERROR_UNEXPECTED for a redirect to user:pass@…) is Firefox
      // refusing the load without a reason: 'blocked'.
      const err = errors.find(isFirefoxNetworkError);
      if (!err) return 'blocked';
      return noResponse || err === 'NS_BINDING_ABORTED' ? err : `unconfirmed by the console: ${err}`;
    });
  }
}

// ---- CORS Lens's verdicts, from the real background -----------------------------------------------

/** Subscribes to the background over the panel port from an extension page and keeps every entry. */
const PROBE = `async (arg) => {
  const api = globalThis.browser || globalThis.chrome;
  const tabs = await api.tabs.query({});
  const tab = tabs.find((t) => typeof t.url === 'string' && t.url.startsWith(arg.prefix));
  if (!tab) throw new Error('no tab for ' + arg.prefix);
  const store = new Map();
  globalThis.__lens = store;
  const port = api.runtime.connect({ name: arg.portName });
  port.onMessage.addListener((m) => {
    if (m.type === 'snapshot' || m.type === 'entries') for (const e of m.entries) store.set(e.id, e);
    if (m.type === 'cleared') store.clear();
  });
  // Subscribing makes the background record the tab (the default scope records inspected tabs
  // only). Wait for the snapshot: by then the background has registered the tab's listeners.
  // addListener has no completion signal and reaches the browser over IPC, so allow it a moment.
  const synced = new Promise((resolve) => port.onMessage.addListener((m) => m.type === 'snapshot' && resolve(true)));
  port.postMessage({ type: 'subscribe', tabId: tab.id });
  await synced;
  await new Promise((r) => setTimeout(r, 200));
  return tab.id;
}`;

const ENTRIES = `(key) => [...globalThis.__lens.values()].filter((e) => e.exchange.url.includes(key) || e.exchange.hops.some((h) => h.url.includes(key)))`;

const call = (src: string, arg: unknown) => `(${src})(${JSON.stringify(arg)})`;

export class LensProbe {
  private constructor(private readonly page: AnyPage) {}

  static async chrome(s: ChromiumSession, pagePrefix: string): Promise<LensProbe> {
    const tab = await s.context.newPage();
    await tab.goto(`chrome-extension://${s.extensionId}/src/panel/panel.html?tabId=0`);
    await tab.evaluate(call(PROBE, { prefix: pagePrefix, portName: PANEL_PORT }));
    return new LensProbe(tab);
  }

  static async firefox(ff: FirefoxSession, pageOrigin: string, pagePrefix: string): Promise<LensProbe> {
    const tab = await ff.browser.newPage();
    await tab.goto(`${pageOrigin}/`);
    await tab.evaluate((u) => {
      location.href = u;
    }, `${ff.extensionBase}/src/panel/panel.html?tabId=0`);
    await waitFor('extension page', () =>
      tab.evaluate(() => location.protocol === 'moz-extension:').catch(() => false),
    );
    await waitFor('probe subscribed', () =>
      tab.evaluate(call(PROBE, { prefix: pagePrefix, portName: PANEL_PORT })).catch(() => null),
    );
    return new LensProbe(tab);
  }

  async entries(key: string): Promise<LogEntry[]> {
    return (await (this.page as Page).evaluate(call(ENTRIES, key))) as LogEntry[];
  }

  /** Waits until CORS Lens has a final (non-pending) verdict for `count` requests of the scenario. */
  async settled(key: string, count: number, timeoutMs = 30_000): Promise<LogEntry[]> {
    return waitFor(
      `CORS Lens verdicts for ${key}`,
      async () => {
        const e = await this.entries(key);
        return e.length >= count && e.every((x) => x.verdict.outcome !== 'pending') ? e : null;
      },
      timeoutMs,
      40,
    );
  }
}

/** CORS Lens's label for a verdict in Chromium's terms. */
export function chromeLabel(v: Verdict): string {
  if (v.outcome === 'pass') return 'pass';
  if (v.outcome === 'not-cors') return v.networkError ?? 'not-cors';
  if (v.outcome === 'blocked')
    return v.symptom ? `${v.symptom.corsError}|${v.symptom.failedParameter}` : 'blocked:unknown';
  if (v.outcome === 'uncertain') return 'uncertain';
  return 'pending';
}

/** CORS Lens's label for a verdict in Firefox's terms. */
export function firefoxLabel(v: Verdict): string {
  if (v.outcome === 'pass') return 'pass';
  if (v.outcome === 'not-cors') return v.networkError ?? 'not-cors';
  if (v.outcome === 'blocked') return v.symptom?.firefoxReason ?? 'blocked';
  if (v.outcome === 'uncertain') return 'uncertain';
  return 'pending';
}

export function sorted(a: string[]): string[] {
  return [...a].sort();
}

// ---- agreement between CORS Lens and the browser ----------------------------------------------------

/**
 * Firefox's names for a load that failed below HTTP (no response), as BiDi reports them: the
 * Necko connection errors and any failure of the security module (certificates). Test-owned on
 * purpose — the product's classifier must not decide what the product is compared with.
 */
const FIREFOX_NETWORK_ERRORS = new Set([
  'NS_ERROR_CONNECTION_REFUSED',
  'NS_ERROR_NET_RESET',
  'NS_ERROR_NET_TIMEOUT',
  'NS_ERROR_NET_INTERRUPT',
  'NS_ERROR_NET_EMPTY_RESPONSE',
  'NS_ERROR_UNKNOWN_HOST',
  'NS_ERROR_OFFLINE',
  'NS_BINDING_ABORTED',
]);
export function isFirefoxNetworkError(errorText: string): boolean {
  return (
    FIREFOX_NETWORK_ERRORS.has(errorText) || errorText.startsWith('NS_ERROR_GENERATE_FAILURE(NS_ERROR_MODULE_SECURITY,')
  );
}

/**
 * The one failure Firefox names differently in webRequest (what CORS Lens sees) and in BiDi (the
 * test's oracle), measured on Debian Firefox ESR: a self-signed certificate. Test-side on purpose:
 * the product's own classifier must not decide whether the product agrees with Firefox.
 */
export const FIREFOX_SAME_FAILURE: Readonly<Record<string, string>> = {
  'The certificate is not trusted because it is self-signed.':
    'NS_ERROR_GENERATE_FAILURE(NS_ERROR_MODULE_SECURITY, MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT)',
};

/** A Firefox label compared exactly: network errors by Firefox's own BiDi name. */
export function firefoxExact(label: string): string {
  return FIREFOX_SAME_FAILURE[label] ?? label;
}

/**
 * Network errors by kind, through the product's classifier — only where two runtimes name them
 * differently (the CLI's Node errors against Firefox's); the Firefox matrix compares exactly.
 */
export function normalizeLabel(label: string): string {
  if (
    label === 'pass' ||
    label === 'blocked' ||
    label === 'uncertain' ||
    label === 'pending' ||
    label.includes('|') ||
    /^CORS[A-Z]/.test(label)
  )
    return label;
  return `net:${classifyNetError(label)}`;
}

export interface Agreement {
  agree: boolean;
  /**
   * Firefox only: a blocked simple request looks completed, so when the credentials mode is
   * invisible CORS Lens answers "uncertain: blocked if credentialed" — agreement through a branch.
   */
  viaBranch: boolean;
  ours: string[];
  theirs: string[];
}

export function compareVerdicts(
  browser: 'chrome' | 'firefox',
  verdicts: Verdict[],
  browserLabels: string[],
): Agreement {
  const label = browser === 'chrome' ? chromeLabel : firefoxLabel;
  // Chromium: exact — corsErrorStatus|failedParameter, or CDP's errorText (webRequest reports the
  // same net::ERR_* string). Firefox: exact — the console reason, or the BiDi network error name.
  const norm = browser === 'chrome' ? (x: string) => x : firefoxExact;
  const ours = verdicts.map((v) => norm(label(v)));
  const theirs = browserLabels.map(norm);
  const eq = (a: string[], b: string[]) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
  if (eq(ours, theirs)) return { agree: true, viaBranch: false, ours, theirs };
  if (browser === 'firefox') {
    // An uncertain verdict names both outcomes: it agrees when the browser's outcome is one of
    // them (allowed, or blocked for exactly the blocking branch's reason).
    const alt = verdicts.map((v, i) => {
      if (v.outcome !== 'uncertain') return ours[i]!;
      const blocked = v.branches?.find((x) => x.outcome === 'blocked')?.symptom?.firefoxReason;
      return blocked && theirs.includes(blocked) ? blocked : 'pass';
    });
    if (eq(alt, theirs)) return { agree: true, viaBranch: true, ours, theirs };
  }
  return { agree: false, viaBranch: false, ours, theirs };
}
