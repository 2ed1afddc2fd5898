// The FastAPI configurations from the FastAPI CORS guides (/work/shared/seeds) and the requests that
// show each one's cause, shared by test/e2e/fastapi*.e2e.ts.
import type { CauseCode } from '../../../src/core/causes';
import type { CorsErrorName, FirefoxReason } from '../../../src/core/verdict';
import type { PageRequest } from '../../fixtures/scenarios';
import type { FastApiConfig } from './index';

export type AppName =
  | 'none'
  | 'optionsRoute'
  | 'emptyOrigins'
  | 'httpsOrigin'
  | 'trailingSlash'
  | 'localhostOrigin'
  | 'wildcardCredentials'
  | 'defaultMethods'
  | 'restrictedHeaders'
  | 'afterRoutes';

/** The configurations, as the guides write them (the page here is http://127.0.0.1:PAGE). */
export function apps(page: string, pagePort: number): Record<AppName, FastApiConfig> {
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
    restrictedHeaders: {
      middleware: true,
      allow_origins: [page],
      allow_credentials: true,
      allow_methods: ['*'],
      allow_headers: ['Content-Type'],
    },
    afterRoutes: { middleware: true, after_routes: true, allow_origins: [page], ...all },
  };
}

export interface FastApiScenario {
  id: string;
  title: string;
  app: AppName;
  /** Path and init; `host: 'localhost'` calls the API as http://localhost:PORT (no cookie there). */
  request: Omit<PageRequest, 'url'> & { path: string; host?: 'localhost' };
  chrome: 'pass' | CorsErrorName;
  /** Firefox's console reason, or 'pass'. */
  firefox: 'pass' | FirefoxReason;
  cause?: CauseCode;
  warning?: CauseCode;
}

const json = { 'Content-Type': 'application/json' };
export const FASTAPI_SCENARIOS: FastApiScenario[] = [
  {
    id: 'no-middleware-get',
    title: 'no CORSMiddleware: GET',
    app: 'none',
    request: { path: '/api/users' },
    chrome: 'MissingAllowOriginHeader',
    firefox: 'CORSMissingAllowOrigin',
    cause: 'no-cors-config',
  },
  {
    id: 'no-middleware-post',
    title: 'no CORSMiddleware: POST JSON (preflight → 405)',
    app: 'none',
    request: { path: '/api/users', method: 'POST', headers: json, body: '{"name":"Carol"}' },
    chrome: 'PreflightMissingAllowOriginHeader',
    firefox: 'CORSMissingAllowOrigin',
    cause: 'preflight-not-routed',
  },
  {
    id: 'options-route',
    title: 'custom @app.options route without CORS headers',
    app: 'optionsRoute',
    request: { path: '/api/users', method: 'POST', headers: json, body: '{}' },
    chrome: 'PreflightMissingAllowOriginHeader',
    firefox: 'CORSMissingAllowOrigin',
    cause: 'preflight-without-cors',
  },
  {
    id: 'empty-origins',
    title: 'allow_origins=[] with credentials',
    app: 'emptyOrigins',
    request: { path: '/api/users' },
    chrome: 'MissingAllowOriginHeader',
    firefox: 'CORSMissingAllowOrigin',
    cause: 'origin-not-allowed',
  },
  {
    id: 'empty-origins-post',
    title: 'allow_origins=[]: POST JSON, preflight rejected with 400',
    app: 'emptyOrigins',
    request: { path: '/api/users', method: 'POST', headers: json, body: '{}' },
    chrome: 'PreflightMissingAllowOriginHeader',
    firefox: 'CORSMissingAllowOrigin',
    cause: 'origin-not-allowed',
  },
  {
    id: 'https-origin',
    title: 'allow_origins lists https:// but the page is http://',
    app: 'httpsOrigin',
    request: { path: '/api/users' },
    chrome: 'MissingAllowOriginHeader',
    firefox: 'CORSMissingAllowOrigin',
    cause: 'origin-not-allowed',
  },
  {
    id: 'trailing-slash-origin',
    title: 'allow_origins entry with a trailing slash',
    app: 'trailingSlash',
    request: { path: '/api/users' },
    chrome: 'MissingAllowOriginHeader',
    firefox: 'CORSMissingAllowOrigin',
    cause: 'origin-not-allowed',
  },
  {
    id: 'trailing-slash-origin-put',
    title: 'trailing-slash origin: PUT, preflight rejected with 400',
    app: 'trailingSlash',
    request: { path: '/api/items/1', method: 'PUT', headers: json, body: '{}' },
    chrome: 'PreflightMissingAllowOriginHeader',
    firefox: 'CORSMissingAllowOrigin',
    cause: 'origin-not-allowed',
  },
  {
    id: 'localhost-origin',
    title: 'allow_origins has localhost, the page is 127.0.0.1',
    app: 'localhostOrigin',
    request: { path: '/api/users' },
    chrome: 'MissingAllowOriginHeader',
    firefox: 'CORSMissingAllowOrigin',
    cause: 'origin-not-allowed',
  },
  {
    id: 'wildcard-credentials-get',
    title: 'allow_origins=["*"] + allow_credentials, credentialed GET without a cookie',
    app: 'wildcardCredentials',
    request: { path: '/api/users', credentials: 'include', host: 'localhost' },
    chrome: 'WildcardOriginNotAllowed',
    firefox: 'CORSNotSupportingCredentials',
    cause: 'wildcard-with-credentials',
  },
  {
    id: 'wildcard-credentials-put',
    title: 'allow_origins=["*"] + allow_credentials: preflight reflects, response says *',
    app: 'wildcardCredentials',
    request: {
      path: '/api/items/2',
      method: 'PUT',
      headers: json,
      body: '{}',
      credentials: 'include',
      host: 'localhost',
    },
    chrome: 'WildcardOriginNotAllowed',
    firefox: 'CORSNotSupportingCredentials',
    cause: 'wildcard-with-credentials',
    warning: 'warn-reflect-any-origin-credentials',
  },
  {
    id: 'wildcard-credentials-cookie',
    title: 'allow_origins=["*"] + allow_credentials with a cookie: Starlette reflects the origin',
    app: 'wildcardCredentials',
    request: { path: '/api/users', credentials: 'include' },
    chrome: 'pass',
    firefox: 'pass',
  },
  {
    id: 'wildcard-no-credentials',
    title: 'allow_origins=["*"] + allow_credentials, plain GET (no credentials)',
    app: 'wildcardCredentials',
    request: { path: '/api/users', host: 'localhost' },
    chrome: 'pass',
    firefox: 'pass',
  },
  {
    id: 'default-methods-post',
    title: 'allow_methods left at its default (GET only): POST JSON',
    app: 'defaultMethods',
    request: { path: '/api/users', method: 'POST', headers: json, body: '{}' },
    chrome: 'PreflightInvalidStatus',
    firefox: 'CORSPreflightDidNotSucceed',
    cause: 'method-not-allowed',
  },
  {
    id: 'default-methods-get',
    title: 'allow_methods default: GET still works',
    app: 'defaultMethods',
    request: { path: '/api/users' },
    chrome: 'pass',
    firefox: 'pass',
  },
  {
    id: 'restricted-headers',
    title: 'allow_headers=["Content-Type"]: POST with Authorization',
    app: 'restrictedHeaders',
    request: { path: '/api/users', method: 'POST', headers: { ...json, Authorization: 'Bearer t0ken' }, body: '{}' },
    chrome: 'PreflightInvalidStatus',
    firefox: 'CORSPreflightDidNotSucceed',
    cause: 'header-not-allowed',
  },
  {
    id: 'crash',
    title: 'unhandled exception → 500 without CORS headers',
    app: 'afterRoutes',
    request: { path: '/api/crash' },
    chrome: 'MissingAllowOriginHeader',
    firefox: 'CORSMissingAllowOrigin',
    cause: 'server-error-without-cors',
  },
  {
    id: 'http-exception',
    title: 'HTTPException(404) keeps the CORS headers (control)',
    app: 'afterRoutes',
    request: { path: '/api/missing' },
    chrome: 'pass',
    firefox: 'pass',
  },
  {
    id: 'after-routes-get',
    title: 'middleware added after the routes: GET (control)',
    app: 'afterRoutes',
    request: { path: '/api/users' },
    chrome: 'pass',
    firefox: 'pass',
  },
  {
    id: 'after-routes-post',
    title: 'middleware added after the routes: POST JSON (control)',
    app: 'afterRoutes',
    request: { path: '/api/users', method: 'POST', headers: json, body: '{"name":"Dan"}', credentials: 'include' },
    chrome: 'pass',
    firefox: 'pass',
  },
  {
    id: 'after-routes-put-auth',
    title: 'middleware added after the routes: PUT with Authorization (control)',
    app: 'afterRoutes',
    request: { path: '/api/items/3', method: 'PUT', headers: { ...json, Authorization: 'Bearer t0ken' }, body: '{}' },
    chrome: 'pass',
    firefox: 'pass',
  },
  {
    id: 'redirect-slashes',
    title: 'GET /api/items redirected to /api/items/ by FastAPI (control)',
    app: 'afterRoutes',
    request: { path: '/api/items' },
    chrome: 'pass',
    firefox: 'pass',
  },
];

/** Every request of a scenario carries this in its query, so its verdict is found by URL. */
export const key = (id: string) => `s=${id}&`;
