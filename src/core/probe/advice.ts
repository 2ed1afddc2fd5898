// Per-stack advice for "CORS allows the origin on the preflight, but the route's response lacks it"
// (cause `cors-not-on-route`): where that happens in each stack, and the fix as code.
import type { LogEntry } from '../log';
import { detectStacks } from '../snippets/detect';

export interface RouteAdvice {
  stack: string;
  label: string;
  /** Why it happens in this stack, in one or two sentences. */
  text: string;
  /** The corrected code or config. */
  snippet: string;
}

export const ROUTE_ADVICE: readonly RouteAdvice[] = [
  {
    stack: 'express',
    label: 'Express',
    text: 'Express runs middleware in registration order: app.use(cors()) placed after app.get(...) never runs for that route, while OPTIONS (no route) still reaches it.',
    snippet:
      "import cors from 'cors';\n\nconst app = express();\napp.use(cors({ origin: '{origin}' })); // before every route\napp.get('/api/items', handler);",
  },
  {
    stack: 'hono',
    label: 'Hono',
    text: "Hono runs handlers in registration order: app.use('*', cors()) after app.get(...) does not reach that route's response.",
    snippet:
      "import { cors } from 'hono/cors';\n\nconst app = new Hono();\napp.use('*', cors({ origin: '{origin}' })); // before every route\napp.get('/api/items', handler);",
  },
  {
    stack: 'koa',
    label: 'Koa',
    text: 'Koa middleware runs in the order of app.use: a router mounted before @koa/cors answers GET without it, while OPTIONS falls through to it.',
    snippet:
      "import cors from '@koa/cors';\n\napp.use(cors({ origin: '{origin}' })); // before the router\napp.use(router.routes()).use(router.allowedMethods());",
  },
  {
    stack: 'fastify',
    label: 'Fastify',
    text: '@fastify/cors applies to routes registered before or after it (measured); if a route lacks the header, check a route-level onSend/onRequest hook or a reply sent before the CORS hook.',
    snippet: "await app.register(cors, { origin: '{origin}' });",
  },
  {
    stack: 'nginx',
    label: 'nginx',
    text: 'add_header inside `if ($request_method = OPTIONS)` applies to the preflight only, and add_header without `always` is dropped on 4xx/5xx responses.',
    snippet:
      'location /api/ {\n    add_header Access-Control-Allow-Origin "{origin}" always;\n    add_header Vary "Origin" always;\n    if ($request_method = OPTIONS) {\n        add_header Access-Control-Allow-Origin "{origin}" always;\n        add_header Access-Control-Allow-Methods "GET, POST, PUT, DELETE" always;\n        add_header Access-Control-Allow-Headers "Content-Type, Authorization" always;\n        return 204;\n    }\n}',
  },
  {
    stack: 'caddy',
    label: 'Caddy',
    text: 'A `header` directive inside `handle @options` covers only the preflight; the route needs the header too.',
    snippet:
      'header Access-Control-Allow-Origin "{origin}"\n@options method OPTIONS\nhandle @options {\n    header Access-Control-Allow-Methods "GET, POST, PUT, DELETE"\n    header Access-Control-Allow-Headers "Content-Type, Authorization"\n    respond 204\n}',
  },
  {
    stack: 'apache',
    label: 'Apache',
    text: 'Headers set only in an OPTIONS rewrite or <If> block cover the preflight only; `Header set` without `always` is skipped on error responses.',
    snippet: 'Header always set Access-Control-Allow-Origin "{origin}"\nHeader always merge Vary Origin',
  },
  {
    stack: 'flask',
    label: 'Flask',
    text: 'flask-cors `resources` patterns or a route-level @cross_origin on a different view leave this route without the headers.',
    snippet: 'from flask_cors import CORS\n\nCORS(app, resources={r"/api/*": {"origins": ["{origin}"]}})',
  },
  {
    stack: 'django',
    label: 'Django',
    text: 'CORS_URLS_REGEX that does not match this path, or CorsMiddleware placed below a middleware that answers the request itself.',
    snippet:
      'MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", *MIDDLEWARE]  # first\nCORS_ALLOWED_ORIGINS = ["{origin}"]\n# CORS_URLS_REGEX = r"^/api/.*$"  # must match this path',
  },
  {
    stack: 'fastapi',
    label: 'FastAPI',
    text: 'CORSMiddleware wraps the whole app; a route without the header usually comes from a mounted sub-application or an exception handler that answers outside the middleware.',
    snippet: 'app.add_middleware(CORSMiddleware, allow_origins=["{origin}"])  # on the app that serves this path',
  },
];

/** The advice for the stack the entry's headers point to first (or the generic text). */
export function routeAdvice(entry: Pick<LogEntry, 'exchange'>): { stack: string | null; text: string } {
  const guess = detectStacks(entry)[0]?.stack;
  const a = ROUTE_ADVICE.find((x) => x.stack === guess);
  return a ? { stack: a.stack, text: `${a.label}: ${a.text}` } : { stack: null, text: '' };
}

/** Every stack's advice, the detected stack first. */
export function orderedAdvice(entry: Pick<LogEntry, 'exchange'>, origin: string): RouteAdvice[] {
  const first = routeAdvice(entry).stack;
  const list = [...ROUTE_ADVICE].sort((a, b) => (a.stack === first ? -1 : b.stack === first ? 1 : 0));
  return list.map((a) => ({ ...a, snippet: a.snippet.replaceAll('{origin}', origin) }));
}
