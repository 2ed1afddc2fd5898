// `cors-lens probe` on the ten real stacks of the snippet round trips (test/servers: FastAPI, Flask,
// Django, Express, Fastify, Hono, Koa, nginx, Apache, Caddy). For every broken config the same
// request goes once through Debian Chromium (its verdict over CDP: Network.loadingFailed
// corsErrorStatus, captured in this run) and once through the CLI (runProbe, in-process): the
// labels (CorsError|failedParameter, or pass) must be equal and the CLI's root cause must be one the
// case names. Origin near-misses (trailing slash, scheme, host name, port, a regex without the port):
// the CLI must find the origin the server does accept, and that origin must really be accepted — by
// Chromium itself, from a page at that origin, wherever a browser can send it.
// Results: test-results/cli-stacks.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { normalizeMethod, type ProbeOptions } from '../../src/cli/args';
import { send } from '../../src/cli/http';
import { runProbe, type ProbeResult } from '../../src/cli/probe';
import { APACHE, CADDY, DJANGO, EXPRESS, FASTAPI, FASTIFY, FLASK, HONO, KOA, NGINX } from '../servers/cases';
import { fastapiServer } from '../servers/fastapi-snippets/server';
import { freePort, freshDir, removeDir, type Regions, type Started, type StackServer } from '../servers/harness';
import { nodeServer } from '../servers/node';
import { GET_ITEMS, pageFetch, PUT_JSON, type Case, type PageRequest } from '../servers/roundtrip';
import {
  captureVerdicts,
  launchChromium,
  mainPage,
  RESULTS,
  screenshot,
  waitFor,
  type ChromiumSession,
} from '../support/chromium';
import { startPages, type RunningServer } from '../support/servers';
import { chromeLabel } from '../support/matrix';

interface Row {
  stack: string;
  name: string;
  chromium: string;
  cli: string;
  cause: string | null;
  confidence: string | null;
  accepted?: string[];
  /** true: Chromium passed the request from a page at the accepted origin; else why it was not asked. */
  acceptedInChromium?: boolean | string;
  requests: number;
  ms: number;
}

const rows: Row[] = [];
let session: ChromiumSession;
let pages: RunningServer;
let page: Page;
let cdp: Awaited<ReturnType<typeof captureVerdicts>>;
const dirs: string[] = [];
const running = new Set<Started>();
let caseNo = 0;
/** The cookie the page holds for 127.0.0.1 (every port): Chromium sends it with credentials. */
const PAGE_COOKIE = 'session=s1';

beforeAll(async () => {
  pages = await startPages();
  session = await launchChromium({ devtools: false, extension: false });
  page = await mainPage(session, `${pages.origin}/`);
  await page.evaluate((c) => {
    document.cookie = `${c}; path=/`;
  }, PAGE_COOKIE);
  cdp = await captureVerdicts(page);
}, 180_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail')
    await screenshot(page, `cli-stacks-FAILED-${ctx.task.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => {});
});

afterAll(async () => {
  for (const r of running) await r.stop().catch(() => {});
  mkdirSync(RESULTS, { recursive: true });
  const reqs = rows.map((r) => r.requests).sort((a, b) => a - b);
  const ms = rows.map((r) => r.ms).sort((a, b) => a - b);
  const near = rows.filter((r) => r.accepted !== undefined);
  writeFileSync(
    join(RESULTS, 'cli-stacks.json'),
    JSON.stringify(
      {
        cases: rows.length,
        agree: rows.filter((r) => r.cli === r.chromium).length,
        nearMisses: near.length,
        found: near.filter((r) => r.accepted!.length > 0).length,
        confirmedInChromium: near.filter((r) => r.acceptedInChromium === true).length,
        requestsMedian: reqs[Math.floor(reqs.length / 2)],
        requestsMax: reqs.at(-1),
        msMedian: ms[Math.floor(ms.length / 2)],
        msMax: ms.at(-1),
        rows,
      },
      null,
      1,
    ),
  );
  await session?.close();
  await pages?.close();
  dirs.forEach(removeDir);
});

async function launch(server: StackServer, regions: Regions, port: number): Promise<Started> {
  const dir = freshDir(server.stack);
  dirs.push(dir);
  const s = await server.start(dir, regions, port);
  running.add(s);
  return s;
}

async function shutdown(s: Started): Promise<void> {
  await s.stop();
  running.delete(s);
}

/** Chromium's label for the page's fetch of `url` (CDP corsErrorStatus), or 'pass'. */
async function chromiumLabel(
  p: Page,
  url: string,
  req: PageRequest,
): Promise<{ label: string; result: Awaited<ReturnType<typeof pageFetch>> }> {
  const method = normalizeMethod(req.method ?? 'GET');
  const result = await pageFetch(p, url, req);
  if (result.ok) return { label: 'pass', result };
  const f = await waitFor(
    `CDP loadingFailed for ${method} ${url}`,
    () => cdp.verdicts.find((v) => v.url === url && v.method === method),
    20_000,
  );
  return { label: f.corsError ? `${f.corsError}|${f.failedParameter ?? ''}` : f.errorText, result };
}

function probeOptions(url: string, req: PageRequest, origin: string): ProbeOptions {
  return {
    command: 'probe',
    url,
    origin,
    method: normalizeMethod(req.method ?? 'GET'),
    headers: Object.entries(req.headers ?? {}).map(([name, value]) => ({ name, value })),
    credentials: req.credentials === 'include' ? 'include' : 'omit',
    // The page's cookie (set in beforeAll) goes with every credentialed request, as in Chromium.
    ...(req.credentials === 'include' ? { cookie: PAGE_COOKIE } : {}),
    send: true,
    stack: null,
    format: 'json',
    timeoutMs: 20_000,
    search: true,
  };
}

/** Starts the broken server, asks Chromium and the CLI about the same request. */
async function both(
  server: StackServer,
  regions: Regions,
  req: PageRequest,
): Promise<{
  chromium: string;
  cli: string;
  res: ProbeResult;
  url: string;
  port: number;
  started: Started;
  t: number;
}> {
  const port = await freePort();
  const fill = (r: Regions) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.replaceAll('{{PAGE}}', pages.origin)]));
  const started = await launch(server, fill(regions), port);
  // A query unique to the case: no preflight cached for an earlier server on a reused port applies.
  const [path, query] = req.path.split('?');
  const url = `http://127.0.0.1:${port}${path}?cli-case=${++caseNo}${query ? `&${query}` : ''}`;
  const { label: chromium } = await chromiumLabel(page, url, req);
  const t = Date.now();
  const res = await runProbe(probeOptions(url, req, pages.origin));
  return { chromium, cli: chromeLabel(res.entry.verdict), res, url, port, started, t: Date.now() - t };
}

const STACK_CASES: Case[] = [
  ...FASTAPI,
  ...FLASK,
  ...DJANGO,
  ...EXPRESS,
  ...FASTIFY,
  ...HONO,
  ...KOA,
  ...NGINX,
  ...APACHE,
  ...CADDY,
];

describe("cors-lens probe on the ten real stacks agrees with Chromium's own verdict (CDP) and names the root cause", () => {
  it('covers all ten stacks', () => {
    expect(new Set(STACK_CASES.map((c) => c.stack))).toEqual(
      new Set(['fastapi', 'flask', 'django', 'express', 'fastify', 'hono', 'koa', 'nginx', 'apache', 'caddy']),
    );
  });

  for (const c of STACK_CASES) {
    it(`${c.stack}: ${c.name}`, { timeout: 180_000 }, async () => {
      const r = await both(c.server, c.broken, c.request);
      const out = r.started.output();
      await shutdown(r.started);
      const v = r.res.entry.verdict;
      rows.push({
        stack: c.stack,
        name: c.name,
        chromium: r.chromium,
        cli: r.cli,
        cause: v.cause?.code ?? null,
        confidence: v.cause?.confidence ?? null,
        requests: r.res.requests,
        ms: r.t,
      });
      const why = `${c.stack}/${c.name}: CLI ${r.cli} (cause ${v.cause?.code}) vs Chromium ${r.chromium}\n${out.slice(-2000)}`;
      expect(r.chromium, why).not.toBe('pass');
      expect(r.cli, why).toBe(r.chromium);
      expect(r.res.exitCode, why).toBe(1);
      // Cases that name no cause are the "no CORS layer at all" configs.
      expect(c.causes ?? ['no-cors-config'], why).toContain(v.cause?.code);
    });
  }
});

// ---- origin near-misses: the server accepts an origin close to the page's ----------------------------

interface NearMiss {
  stack: string;
  name: string;
  server: StackServer;
  /** The CORS region, given the page origin (scheme://127.0.0.1:port). */
  regions(page: string): Regions;
  /** The origin the server really accepts (what the search must find). */
  accepted(page: string): string;
  request: PageRequest;
}

const fastapiMw = (args: string) =>
  `from fastapi.middleware.cors import CORSMiddleware\n\napp.add_middleware(\n    CORSMiddleware,\n${args}\n)\n`;
const port = (o: string) => new URL(o).port;
const NEAR_MISSES: NearMiss[] = [
  {
    stack: 'fastapi',
    name: 'allow_origins with a trailing slash (GET)',
    server: fastapiServer,
    regions: (p) => ({ main: fastapiMw(`    allow_origins=["${p}/"],`) }),
    accepted: (p) => `${p}/`,
    request: GET_ITEMS,
  },
  {
    stack: 'fastapi',
    name: 'allow_origins with a trailing slash (preflighted PUT: Starlette answers 400)',
    server: fastapiServer,
    regions: (p) => ({
      main: fastapiMw(`    allow_origins=["${p}/"],\n    allow_methods=["*"],\n    allow_headers=["*"],`),
    }),
    accepted: (p) => `${p}/`,
    request: PUT_JSON,
  },
  {
    stack: 'fastapi',
    name: 'allow_origins with https',
    server: fastapiServer,
    regions: (p) => ({ main: fastapiMw(`    allow_origins=["https://127.0.0.1:${port(p)}"],`) }),
    accepted: (p) => `https://127.0.0.1:${port(p)}`,
    request: GET_ITEMS,
  },
  {
    stack: 'fastapi',
    name: 'allow_origins with localhost for 127.0.0.1',
    server: fastapiServer,
    regions: (p) => ({ main: fastapiMw(`    allow_origins=["http://localhost:${port(p)}"],`) }),
    accepted: (p) => `http://localhost:${port(p)}`,
    request: GET_ITEMS,
  },
  {
    stack: 'fastapi',
    name: 'allow_origins with another dev port',
    server: fastapiServer,
    regions: () => ({ main: fastapiMw('    allow_origins=["http://127.0.0.1:5173"],') }),
    accepted: () => 'http://127.0.0.1:5173',
    request: GET_ITEMS,
  },
  // Starlette full-matches the regex: without the port only the port-less origin matches.
  {
    stack: 'fastapi',
    name: 'allow_origin_regex without the port',
    server: fastapiServer,
    regions: () => ({ main: fastapiMw('    allow_origin_regex=r"http://127\\.0\\.0\\.1",') }),
    accepted: () => 'http://127.0.0.1',
    request: GET_ITEMS,
  },
  {
    stack: 'express',
    name: 'cors({ origin }) with a trailing slash',
    server: nodeServer('express'),
    regions: (p) => ({ main: `import cors from 'cors';\n\napp.use(cors({ origin: '${p}/' }));\n` }),
    accepted: (p) => `${p}/`,
    request: GET_ITEMS,
  },
  {
    stack: 'express',
    name: 'cors({ origin: [regex] }) for localhost only',
    server: nodeServer('express'),
    regions: () => ({
      main: "import cors from 'cors';\n\napp.use(cors({ origin: [/^http:\\/\\/localhost:\\d+$/] }));\n",
    }),
    accepted: (p) => `http://localhost:${port(p)}`,
    request: PUT_JSON,
  },
  {
    stack: 'hono',
    name: 'cors({ origin }) with another dev port',
    server: nodeServer('hono'),
    regions: () => ({
      main: "import { cors } from 'hono/cors';\n\napp.use('*', cors({ origin: 'http://127.0.0.1:3000' }));\n",
    }),
    accepted: () => 'http://127.0.0.1:3000',
    request: PUT_JSON,
  },
];

/**
 * Whether Chromium, from a page at `origin` (fulfilled by the test, no server), gets `url` through
 * CORS. A fulfilled document has no IP address, so Chromium's Local Network Access would treat it
 * as public and block any request to 127.0.0.1; a real dev server's page at that origin is itself
 * on loopback. The LNA permission is granted for the origin so that only CORS decides.
 */
async function acceptedByChromium(origin: string, url: string, req: PageRequest): Promise<boolean> {
  const p = await session.context.newPage();
  const b = await session.browser.newBrowserCDPSession();
  try {
    for (const name of ['local-network-access', 'loopback-network'])
      await b.send('Browser.setPermission', { permission: { name }, setting: 'granted', origin } as never);
    await p.route(`${origin}/`, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: '<!doctype html><title>page at the accepted origin</title>',
      }),
    );
    await p.goto(`${origin}/`);
    expect(await p.evaluate(() => location.origin)).toBe(origin);
    const r = await pageFetch(p, url, req);
    return r.ok;
  } finally {
    await b.detach().catch(() => {});
    await p.close();
  }
}

describe('origin near-misses: the CLI finds the origin the server accepts, and Chromium confirms it', () => {
  for (const n of NEAR_MISSES) {
    it(`${n.stack}: ${n.name}`, { timeout: 180_000 }, async () => {
      const r = await both(n.server, n.regions(pages.origin), n.request);
      try {
        const v = r.res.entry.verdict;
        const expected = n.accepted(pages.origin);
        const why = `${n.stack}/${n.name}: CLI ${r.cli} (cause ${JSON.stringify(v.cause)}) vs Chromium ${r.chromium}\n${r.started.output().slice(-2000)}`;
        expect(r.chromium, why).not.toBe('pass');
        expect(r.cli, why).toBe(r.chromium);
        expect(r.res.search?.accepted, why).toContain(expected);
        expect(r.res.search!.requests).toBeLessThanOrEqual(16);
        expect(v.cause, why).toMatchObject({ code: 'origin-typo', confidence: 'certain' });
        expect(String((v.cause!.facts as Record<string, string>).accepted).split(' ')).toContain(expected);
        // Really accepted: the server answers exactly that origin to the probe's first request…
        const first = r.res.sim.wire[0]!;
        const direct = await send({
          url: first.url,
          method: first.method,
          headers: first.requestHeaders.map((h) =>
            h.name.toLowerCase() === 'origin' ? { name: h.name, value: expected } : h,
          ),
          timeoutMs: 20_000,
        });
        expect(
          direct.kind === 'response' &&
            direct.headers.filter((h) => h.name.toLowerCase() === 'access-control-allow-origin').map((h) => h.value),
        ).toEqual([expected]);
        // …and Chromium passes the same request from a page at that origin, where a browser can be one
        // (no browser sends an Origin with a trailing slash; an https page is not served here).
        let inChromium: Row['acceptedInChromium'] = expected.endsWith('/')
          ? 'no browser sends an Origin with a trailing slash'
          : 'not asked: no https page is served here';
        if (!expected.endsWith('/') && expected.startsWith('http:')) {
          inChromium = await acceptedByChromium(expected, r.url, n.request);
          expect(inChromium, `${why}\nChromium from ${expected}`).toBe(true);
        }
        rows.push({
          stack: n.stack,
          name: `near miss: ${n.name}`,
          chromium: r.chromium,
          cli: r.cli,
          cause: v.cause!.code,
          confidence: v.cause!.confidence,
          accepted: r.res.search!.accepted,
          acceptedInChromium: inChromium,
          requests: r.res.requests,
          ms: r.t,
        });
      } finally {
        await shutdown(r.started);
      }
    });
  }
});
