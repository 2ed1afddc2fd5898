// Server configs for the Probe (issue 11): per stack, "no CORS", "CORS that does not allow the page
// origin" (several misspellings of it) and "CORS after the route" where the stack allows it. Each is
// written the way users write it; `page` is the page origin the browser sends.
import { apacheServer } from './apache/server';
import { caddyServer } from './caddy/server';
import { djangoServer } from './django/server';
import { fastapiServer } from './fastapi-snippets/server';
import { flaskServer } from './flask/server';
import type { Regions, StackServer } from './harness';
import { nginxServer } from './nginx/server';
import { nodeServer } from './node';

export type ProbeScenario = 'no-cors' | 'origin-not-allowed' | 'after-route';

export interface ProbeCase {
  stack: string;
  scenario: ProbeScenario;
  /** What the configured origin looks like (for origin-not-allowed). */
  variant?: string;
  server: StackServer;
  regions(page: string): Regions;
}

/** Near misses of the page origin, as users type them. */
export function misspellings(page: string): Array<{ variant: string; origin: string }> {
  const u = new URL(page);
  const otherHost = u.hostname === '127.0.0.1' ? 'localhost' : '127.0.0.1';
  return [
    { variant: 'trailing slash', origin: `${page}/` },
    { variant: 'https', origin: `https://${u.host}` },
    { variant: 'other port', origin: `${u.protocol}//${u.hostname}:${Number(u.port || 80) + 1}` },
    { variant: `${otherHost} vs ${u.hostname}`, origin: `${u.protocol}//${otherHost}${u.port ? `:${u.port}` : ''}` },
  ];
}

const OTHER = 'http://localhost:3000';

const fastapiMw = (origins: string) =>
  `from fastapi.middleware.cors import CORSMiddleware\n\napp.add_middleware(\n    CORSMiddleware,\n    allow_origins=["${origins}"],\n)\n`;

/** The fix for a FastAPI app without CORS (what the panel's snippet adds). */
export const fastapiFix = (page: string) => fastapiMw(page);

type NodeStack = 'express' | 'fastify' | 'hono' | 'koa';
const NODE: Record<NodeStack, { imp: string; use: (o: string) => string }> = {
  express: { imp: "import cors from 'cors';", use: (o) => `app.use(cors({ origin: '${o}' }));` },
  fastify: { imp: "import cors from '@fastify/cors';", use: (o) => `app.register(cors, { origin: '${o}' });` },
  hono: { imp: "import { cors } from 'hono/cors';", use: (o) => `app.use('*', cors({ origin: '${o}' }));` },
  koa: { imp: "import cors from '@koa/cors';", use: (o) => `app.use(cors({ origin: '${o}' }));` },
};

function nodeCases(stack: NodeStack): ProbeCase[] {
  const k = NODE[stack];
  const server = nodeServer(stack);
  // ESM imports are hoisted, so the import may sit in the `end` region too.
  return [
    { stack, scenario: 'no-cors', server, regions: () => ({}) },
    {
      stack,
      scenario: 'origin-not-allowed',
      variant: OTHER,
      server,
      regions: () => ({ main: `${k.imp}\n${k.use(OTHER)}\n` }),
    },
    { stack, scenario: 'after-route', server, regions: (page) => ({ end: `${k.imp}\n${k.use(page)}\n` }) },
  ];
}

export const PROBE_CASES: ProbeCase[] = [
  { stack: 'fastapi', scenario: 'no-cors', server: fastapiServer, regions: () => ({}) },
  {
    stack: 'fastapi',
    scenario: 'origin-not-allowed',
    variant: OTHER,
    server: fastapiServer,
    regions: () => ({ main: fastapiMw(OTHER) }),
  },
  ...['trailing slash', 'https', 'other port', 'localhost vs 127.0.0.1'].map((variant, i): ProbeCase => ({
    stack: 'fastapi',
    scenario: 'origin-not-allowed',
    variant,
    server: fastapiServer,
    regions: (page) => ({ main: fastapiMw(misspellings(page)[i]!.origin) }),
  })),
  ...nodeCases('express'),
  ...nodeCases('hono'),
  ...nodeCases('koa'),
  ...nodeCases('fastify'),
  { stack: 'flask', scenario: 'no-cors', server: flaskServer, regions: () => ({}) },
  {
    stack: 'flask',
    scenario: 'origin-not-allowed',
    variant: OTHER,
    server: flaskServer,
    regions: () => ({ main: `from flask_cors import CORS\n\nCORS(app, origins=["${OTHER}"])\n` }),
  },
  // flask-cors `resources` that do not match the path: CORS exists, not for this URL.
  {
    stack: 'flask',
    scenario: 'no-cors',
    variant: 'resources not matching the path',
    server: flaskServer,
    regions: (page) => ({
      main: `from flask_cors import CORS\n\nCORS(app, resources={r"/v1/*": {"origins": ["${page}"]}})\n`,
    }),
  },
  { stack: 'django', scenario: 'no-cors', server: djangoServer, regions: () => ({}) },
  {
    stack: 'django',
    scenario: 'origin-not-allowed',
    variant: OTHER,
    server: djangoServer,
    regions: () => ({
      main: `INSTALLED_APPS = [*INSTALLED_APPS, "corsheaders"]\nMIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", *MIDDLEWARE]\nCORS_ALLOWED_ORIGINS = ["${OTHER}"]\n`,
    }),
  },
  { stack: 'nginx', scenario: 'no-cors', server: nginxServer('items'), regions: () => ({}) },
  {
    stack: 'nginx',
    scenario: 'origin-not-allowed',
    variant: OTHER,
    server: nginxServer('items'),
    regions: () => ({ main: `add_header Access-Control-Allow-Origin "${OTHER}" always;\n` }),
  },
  // Only the preflight branch adds CORS headers (a common copy-paste): the GET's response has none.
  {
    stack: 'nginx',
    scenario: 'after-route',
    variant: 'headers only in the OPTIONS branch',
    server: nginxServer('items'),
    regions: (page) => ({
      main: `if ($request_method = OPTIONS) {\n    add_header Access-Control-Allow-Origin "${page}" always;\n    add_header Access-Control-Allow-Methods "GET, POST, OPTIONS" always;\n    add_header Access-Control-Allow-Headers "*" always;\n    return 204;\n}\n`,
    }),
  },
  { stack: 'apache', scenario: 'no-cors', server: apacheServer, regions: () => ({}) },
  {
    stack: 'apache',
    scenario: 'origin-not-allowed',
    variant: OTHER,
    server: apacheServer,
    regions: () => ({ main: `Header always set Access-Control-Allow-Origin "${OTHER}"\n` }),
  },
  { stack: 'caddy', scenario: 'no-cors', server: caddyServer, regions: () => ({}) },
  {
    stack: 'caddy',
    scenario: 'origin-not-allowed',
    variant: OTHER,
    server: caddyServer,
    regions: () => ({ main: `header Access-Control-Allow-Origin "${OTHER}"\n` }),
  },
  {
    stack: 'caddy',
    scenario: 'after-route',
    variant: 'headers only in the OPTIONS handler',
    server: caddyServer,
    regions: (page) => ({
      main: `@options method OPTIONS\nhandle @options {\n    header Access-Control-Allow-Origin "${page}"\n    header Access-Control-Allow-Methods "GET, POST, OPTIONS"\n    header Access-Control-Allow-Headers "*"\n    respond 204\n}\n`,
    }),
  },
];
