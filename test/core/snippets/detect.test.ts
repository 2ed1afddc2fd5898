// Stack detection from response headers: measured on the real servers of the round trips (their
// default headers, with and without their CORS middleware's defaults), and on header sets the
// other stacks document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFromHeaders, detectStacks, orderStacks } from '../../../src/core/snippets/detect';
import { STACK_IDS, type StackId } from '../../../src/core/snippets/types';
import type { Header } from '../../../src/core/types';
import { apacheServer } from '../../servers/apache/server';
import { caddyServer } from '../../servers/caddy/server';
import { djangoServer } from '../../servers/django/server';
import { fastapiServer } from '../../servers/fastapi-snippets/server';
import { flaskServer } from '../../servers/flask/server';
import { freePort, freshDir, removeDir, type Regions, type StackServer, type Started } from '../../servers/harness';
import { nginxServer } from '../../servers/nginx/server';
import { nodeServer } from '../../servers/node';
import { entry } from './fixtures';

const ORIGIN = 'http://127.0.0.1:5173';
interface Live {
  stack: StackId;
  label: string;
  server: StackServer;
  regions: Regions;
  /** Acceptable top guesses (Node frameworks without a fingerprint look alike). */
  top: StackId[];
  /** Nothing tells the Node frameworks apart: the top guess must be labelled a guess ("Express-like"). */
  familyGuess?: boolean;
  /** Only the preflight is seen (it fails, so the browser never sends the request). */
  preflightOnly?: boolean;
  got?: { get: Header[]; preflight: Header[] };
}

const NODE_FAMILY: StackId[] = ['express', 'koa', 'hono', 'nestjs'];
/** The panel's threshold between "detected" and "guess" (src/panel/snippets/SnippetPanel.tsx). */
const STRONG_SIGNAL = 5;

const live: Live[] = [
  { stack: 'fastapi', label: 'uvicorn, no CORS', server: fastapiServer, regions: {}, top: ['fastapi'] },
  { stack: 'flask', label: 'Werkzeug, no CORS', server: flaskServer, regions: {}, top: ['flask'] },
  { stack: 'django', label: 'runserver, no CORS', server: djangoServer, regions: {}, top: ['django'] },
  { stack: 'express', label: 'no CORS', server: nodeServer('express'), regions: {}, top: ['express'] },
  { stack: 'fastify', label: 'no CORS', server: nodeServer('fastify'), regions: {}, top: ['fastify'] },
  {
    stack: 'hono',
    label: 'hono/cors defaults',
    server: nodeServer('hono'),
    regions: { main: "import { cors } from 'hono/cors';\napp.use('*', cors());" },
    top: ['hono'],
  },
  {
    stack: 'koa',
    label: '@koa/cors defaults',
    server: nodeServer('koa'),
    regions: { main: "import cors from '@koa/cors';\napp.use(cors());" },
    top: ['koa'],
  },
  { stack: 'koa', label: 'no CORS', server: nodeServer('koa'), regions: {}, top: ['koa'] },
  { stack: 'hono', label: 'no CORS', server: nodeServer('hono'), regions: {}, top: ['hono'] },
  {
    stack: 'koa',
    label: '@koa/cors with a method list (preflight only)',
    server: nodeServer('koa'),
    regions: {
      main: "import cors from '@koa/cors';\napp.use(cors({ origin: 'http://127.0.0.1:5173', allowMethods: ['GET', 'POST'] }));",
    },
    top: NODE_FAMILY,
    familyGuess: true,
    preflightOnly: true,
  },
  {
    stack: 'hono',
    label: 'hono/cors with a method list (preflight only)',
    server: nodeServer('hono'),
    regions: {
      main: "import { cors } from 'hono/cors';\napp.use('*', cors({ origin: 'http://127.0.0.1:5173', allowMethods: ['GET', 'POST'] }));",
    },
    top: NODE_FAMILY,
    familyGuess: true,
    preflightOnly: true,
  },
  {
    stack: 'express',
    label: 'cors with a method list (preflight only)',
    server: nodeServer('express'),
    regions: {
      main: "import cors from 'cors';\napp.use(cors({ origin: 'http://127.0.0.1:5173', methods: ['GET', 'POST'] }));",
    },
    top: ['express'],
    preflightOnly: true,
  },
  { stack: 'nginx', label: 'no CORS', server: nginxServer('items'), regions: {}, top: ['nginx'] },
  { stack: 'apache', label: 'no CORS', server: apacheServer, regions: {}, top: ['apache'] },
  { stack: 'caddy', label: 'no CORS', server: caddyServer, regions: {}, top: ['caddy'] },
];

const toHeaders = (h: Headers): Header[] => [...h.entries()].map(([name, value]) => ({ name, value }));
const running: Started[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  await Promise.all(
    live.map(async (l) => {
      const port = await freePort();
      const dir = freshDir(l.stack);
      dirs.push(dir);
      running.push(await l.server.start(dir, l.regions, port));
      const base = `http://127.0.0.1:${port}/api/items`;
      const get = await fetch(base, { headers: { Origin: ORIGIN } });
      const pre = await fetch(base, {
        method: 'OPTIONS',
        headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'PUT' },
      });
      l.got = { get: toHeaders(get.headers), preflight: toHeaders(pre.headers) };
    }),
  );
}, 120_000);
afterAll(async () => {
  await Promise.all(running.map((r) => r.stop()));
  dirs.forEach(removeDir);
});

describe('detectStacks on real servers', () => {
  it.each(live.map((l) => [`${l.stack} (${l.label})`, l] as const))('%s', (_n, l) => {
    const ex = entry({
      method: 'PUT',
      preflight: { status: 200, headers: l.got!.preflight.map((h) => [h.name, h.value]) },
      response: l.preflightOnly ? null : { status: 200, headers: l.got!.get.map((h) => [h.name, h.value]) },
    });
    const guesses = detectStacks(ex);
    expect(guesses.length, JSON.stringify(l.got)).toBeGreaterThan(0);
    expect(l.top, `${JSON.stringify(guesses)}\n${JSON.stringify(l.got)}`).toContain(guesses[0]!.stack);
    expect(guesses[0]!.reasons.length).toBeGreaterThan(0);
    // A named framework is backed by a default only it sends; a family guess never looks certain.
    if (l.familyGuess) expect(guesses[0]!.score).toBeLessThan(STRONG_SIGNAL);
    else expect(guesses[0]!.score, JSON.stringify(guesses)).toBeGreaterThanOrEqual(STRONG_SIGNAL);
  });
});

describe('detectFromHeaders on documented fingerprints', () => {
  const h = (...pairs: Array<[string, string]>): Header[] => pairs.map(([name, value]) => ({ name, value }));
  it.each([
    ['nextjs', h(['X-Powered-By', 'Next.js']), 'X-Powered-By'],
    ['aspnet', h(['Server', 'Kestrel']), 'Server'],
    ['aspnet', h(['X-Powered-By', 'ASP.NET'], ['X-AspNet-Version', '4.0.30319']), 'X-Powered-By'],
    ['rails', h(['X-Runtime', '0.012'], ['X-Request-Id', 'abc']), 'X-Runtime'],
    ['spring', h(['Vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers']), 'Vary'],
    [
      'spring',
      h(['Cache-Control', 'no-cache, no-store, max-age=0, must-revalidate'], ['Expires', '0'], ['Pragma', 'no-cache']),
      'Spring Security',
    ],
    ['express', h(['X-Powered-By', 'Express']), 'X-Powered-By'],
  ] as Array<[StackId, Header[], string]>)('%s from %j', (stack, headers, why) => {
    const g = detectFromHeaders(headers);
    expect(g[0]!.stack).toBe(stack);
    expect(g[0]!.reasons.join(' ')).toContain(why);
  });

  it('says nothing when nothing is known (no guess beats another)', () => {
    expect(detectFromHeaders(h(['Content-Type', 'application/json']))).toEqual([]);
    expect(detectFromHeaders(undefined)).toEqual([]);
  });

  it('is inert on hostile values', () => {
    const g = detectFromHeaders(h(['Server', `nginx${'\u0000<script>'.repeat(1000)}`]));
    expect(g[0]!.stack).toBe('nginx');
    expect(g[0]!.reasons[0]!.length).toBeLessThan(80);
  });
});

describe('orderStacks', () => {
  it('puts the detected stacks first, then every other stack once', () => {
    const order = orderStacks([
      { stack: 'nginx', score: 10, reasons: [] },
      { stack: 'django', score: 2, reasons: [] },
    ]);
    expect(order.slice(0, 2)).toEqual(['nginx', 'django']);
    expect([...order].sort()).toEqual([...STACK_IDS].sort());
  });
  it('a remembered choice goes first', () => {
    expect(orderStacks([{ stack: 'nginx', score: 10, reasons: [] }], 'caddy').slice(0, 2)).toEqual(['caddy', 'nginx']);
  });
});
