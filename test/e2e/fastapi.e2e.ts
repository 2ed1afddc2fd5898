// The FastAPI set: every cause named in the FastAPI CORS guides (/work/shared/seeds), reproduced on
// real FastAPI/Starlette from Debian (test/servers/fastapi) and checked in real Chromium with CORS
// Lens loaded: the symptom against Chromium's own (CDP corsErrorStatus) and the root cause against
// the configuration the server actually runs.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CauseCode } from '../../src/core/causes';
import type { CorsErrorName } from '../../src/core/verdict';
import type { PageRequest } from '../fixtures/scenarios';
import { launchChromium, screenshot, waitFor, type ChromiumSession } from '../support/chromium';
import { ChromeOracle, compareVerdicts, COOKIE_PATH, LensProbe, startMatrixServers, type MatrixServers } from '../support/matrix';
import { startFastApi, type FastApiConfig, type FastApiServer } from '../servers/fastapi';

type AppName = 'none' | 'optionsRoute' | 'emptyOrigins' | 'httpsOrigin' | 'trailingSlash' | 'localhostOrigin' | 'wildcardCredentials' | 'defaultMethods' | 'restrictedHeaders' | 'afterRoutes';

/** The configurations, as the guides write them (the page here is http://127.0.0.1:PAGE). */
function apps(page: string, pagePort: number): Record<AppName, FastApiConfig> {
  const all = { allow_credentials: true, allow_methods: ['*'], allow_headers: ['*'] };
  return {
    none: { middleware: false },
    optionsRoute: { middleware: false, options_route: true },
    emptyOrigins: { middleware: true, allow_origins: [], ...all },
    httpsOrigin: { middleware: true, allow_origins: [`https://127.0.0.1:${pagePort}`], ...all },
    trailingSlash: { middleware: true, allow_origins: [`${page}/`], ...all },
    localhostOrigin: { middleware: true, allow_origins: [`http://localhost:${pagePort}`], ...all },
    wildcardCredentials: { middleware: true, allow_origins: ['*'], ...all },
    defaultMethods: { middleware: true, allow_origins: [page], allow_credentials: true },
    restrictedHeaders: { middleware: true, allow_origins: [page], allow_credentials: true, allow_methods: ['*'], allow_headers: ['Content-Type'] },
    afterRoutes: { middleware: true, after_routes: true, allow_origins: [page], ...all },
  };
}

interface FastApiScenario {
  id: string;
  title: string;
  app: AppName;
  /** Path and init; `host: 'localhost'` calls the API as http://localhost:PORT (no cookie there). */
  request: Omit<PageRequest, 'url'> & { path: string; host?: 'localhost' };
  chrome: 'pass' | CorsErrorName;
  cause?: CauseCode;
  warning?: CauseCode;
}

const json = { 'Content-Type': 'application/json' };
const SCENARIOS: FastApiScenario[] = [
  { id: 'no-middleware-get', title: 'no CORSMiddleware: GET', app: 'none', request: { path: '/api/users' }, chrome: 'MissingAllowOriginHeader', cause: 'no-cors-config' },
  { id: 'no-middleware-post', title: 'no CORSMiddleware: POST JSON (preflight → 405)', app: 'none', request: { path: '/api/users', method: 'POST', headers: json, body: '{"name":"Carol"}' }, chrome: 'PreflightMissingAllowOriginHeader', cause: 'preflight-not-routed' },
  { id: 'options-route', title: 'custom @app.options route without CORS headers', app: 'optionsRoute', request: { path: '/api/users', method: 'POST', headers: json, body: '{}' }, chrome: 'PreflightMissingAllowOriginHeader', cause: 'preflight-without-cors' },
  { id: 'empty-origins', title: 'allow_origins=[] with credentials', app: 'emptyOrigins', request: { path: '/api/users' }, chrome: 'MissingAllowOriginHeader', cause: 'origin-not-allowed' },
  { id: 'empty-origins-post', title: 'allow_origins=[]: POST JSON, preflight rejected with 400', app: 'emptyOrigins', request: { path: '/api/users', method: 'POST', headers: json, body: '{}' }, chrome: 'PreflightMissingAllowOriginHeader', cause: 'origin-not-allowed' },
  { id: 'https-origin', title: 'allow_origins lists https:// but the page is http://', app: 'httpsOrigin', request: { path: '/api/users' }, chrome: 'MissingAllowOriginHeader', cause: 'origin-not-allowed' },
  { id: 'trailing-slash-origin', title: 'allow_origins entry with a trailing slash', app: 'trailingSlash', request: { path: '/api/users' }, chrome: 'MissingAllowOriginHeader', cause: 'origin-not-allowed' },
  { id: 'trailing-slash-origin-put', title: 'trailing-slash origin: PUT, preflight rejected with 400', app: 'trailingSlash', request: { path: '/api/items/1', method: 'PUT', headers: json, body: '{}' }, chrome: 'PreflightMissingAllowOriginHeader', cause: 'origin-not-allowed' },
  { id: 'localhost-origin', title: 'allow_origins has localhost, the page is 127.0.0.1', app: 'localhostOrigin', request: { path: '/api/users' }, chrome: 'MissingAllowOriginHeader', cause: 'origin-not-allowed' },
  { id: 'wildcard-credentials-get', title: 'allow_origins=["*"] + allow_credentials, credentialed GET without a cookie', app: 'wildcardCredentials', request: { path: '/api/users', credentials: 'include', host: 'localhost' }, chrome: 'WildcardOriginNotAllowed', cause: 'wildcard-with-credentials' },
  { id: 'wildcard-credentials-put', title: 'allow_origins=["*"] + allow_credentials: preflight reflects, response says *', app: 'wildcardCredentials', request: { path: '/api/items/2', method: 'PUT', headers: json, body: '{}', credentials: 'include', host: 'localhost' }, chrome: 'WildcardOriginNotAllowed', cause: 'wildcard-with-credentials', warning: 'warn-reflect-any-origin-credentials' },
  { id: 'wildcard-credentials-cookie', title: 'allow_origins=["*"] + allow_credentials with a cookie: Starlette reflects the origin', app: 'wildcardCredentials', request: { path: '/api/users', credentials: 'include' }, chrome: 'pass' },
  { id: 'wildcard-no-credentials', title: 'allow_origins=["*"] + allow_credentials, plain GET (no credentials)', app: 'wildcardCredentials', request: { path: '/api/users', host: 'localhost' }, chrome: 'pass' },
  { id: 'default-methods-post', title: 'allow_methods left at its default (GET only): POST JSON', app: 'defaultMethods', request: { path: '/api/users', method: 'POST', headers: json, body: '{}' }, chrome: 'PreflightInvalidStatus', cause: 'method-not-allowed' },
  { id: 'default-methods-get', title: 'allow_methods default: GET still works', app: 'defaultMethods', request: { path: '/api/users' }, chrome: 'pass' },
  { id: 'restricted-headers', title: 'allow_headers=["Content-Type"]: POST with Authorization', app: 'restrictedHeaders', request: { path: '/api/users', method: 'POST', headers: { ...json, Authorization: 'Bearer t0ken' }, body: '{}' }, chrome: 'PreflightInvalidStatus', cause: 'header-not-allowed' },
  { id: 'crash', title: 'unhandled exception → 500 without CORS headers', app: 'afterRoutes', request: { path: '/api/crash' }, chrome: 'MissingAllowOriginHeader', cause: 'server-error-without-cors' },
  { id: 'http-exception', title: 'HTTPException(404) keeps the CORS headers (control)', app: 'afterRoutes', request: { path: '/api/missing' }, chrome: 'pass' },
  { id: 'after-routes-get', title: 'middleware added after the routes: GET (control)', app: 'afterRoutes', request: { path: '/api/users' }, chrome: 'pass' },
  { id: 'after-routes-post', title: 'middleware added after the routes: POST JSON (control)', app: 'afterRoutes', request: { path: '/api/users', method: 'POST', headers: json, body: '{"name":"Dan"}', credentials: 'include' }, chrome: 'pass' },
  { id: 'after-routes-put-auth', title: 'middleware added after the routes: PUT with Authorization (control)', app: 'afterRoutes', request: { path: '/api/items/3', method: 'PUT', headers: { ...json, Authorization: 'Bearer t0ken' }, body: '{}' }, chrome: 'pass' },
  { id: 'redirect-slashes', title: 'GET /api/items redirected to /api/items/ by FastAPI (control)', app: 'afterRoutes', request: { path: '/api/items' }, chrome: 'pass' },
];

const key = (id: string) => `s=${id}&`;

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
  if (ctx.task.result?.state === 'fail') await screenshot(page, `fastapi-${ctx.task.name.split(':')[0]}-FAILED`).catch(() => {});
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
      await waitFor(`CDP failures for ${sc.id}`, () => oracle.failures.filter((f) => f.url.includes(key(sc.id))).length >= failed || null, 10_000);
      const chromium = oracle.labels(key(sc.id), results);
      expect(chromium[0]!.split('|')[0]).toBe(sc.chrome);

      const entries = await probe.settled(key(sc.id), 1);
      const a = compareVerdicts('chrome', entries.map((e) => e.verdict), chromium);
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
