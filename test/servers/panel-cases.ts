// One broken config per stack for the round trips through the real DevTools panel
// (test/e2e/snippets-panel-stacks.e2e.ts): the page PUTs JSON, the server's CORS setup lists GET
// and POST only. Each config is written as users of that stack write it (multi-line, formatted, with
// options the generated snippet does not have), so "Copy as diff" must patch it, not replace it.
// `{{PAGE}}` is the page origin, `{{PAGE_RE}}` the same as an anchored-regex literal.
import { apacheServer } from './apache/server';
import { caddyServer } from './caddy/server';
import { djangoServer } from './django/server';
import { fastapiServer } from './fastapi-snippets/server';
import { flaskServer } from './flask/server';
import { nginxServer } from './nginx/server';
import { nodeServer } from './node';
import { GET_WITH_COOKIES, PUT_JSON, type Case } from './roundtrip';

export interface PanelCase extends Case {
  /**
   * Only a bare preflight answer is seen, and nothing in it tells Express, Koa and Hono apart: the
   * panel must offer a Node.js family guess labelled "guess" (not "detected"); the user picks the tab.
   */
  familyGuess?: boolean;
}

const lines = (...l: string[]) => l.join('\n') + '\n';
type Base = Omit<PanelCase, 'name' | 'request' | 'causes' | 'diff'>;
const missingMethod = (c: Base): PanelCase => ({
  ...c,
  name: 'missing method (Copy as diff from the panel)',
  request: PUT_JSON,
  causes: ['method-not-allowed'],
  diff: true,
});
/** A credentialed GET: the failing response itself is seen (with the framework's default headers). */
const noCredentials = (c: Base): PanelCase => ({
  ...c,
  name: 'credentials not enabled (Copy as diff from the panel)',
  request: GET_WITH_COOKIES,
  causes: ['credentials-not-enabled'],
  diff: true,
});

const honoCors = (...opts: string[]) =>
  lines(
    "import { cors } from 'hono/cors';",
    '',
    'app.use(',
    "  '*',",
    '  cors({',
    ...opts.map((o) => `    ${o}`),
    '  }),',
    ');',
  );
const koaCors = (...opts: string[]) =>
  lines("import cors from '@koa/cors';", '', 'app.use(', '  cors({', ...opts.map((o) => `    ${o}`), '  }),', ');');

export const PANEL_CASES: PanelCase[] = [
  missingMethod({
    stack: 'fastapi',
    server: fastapiServer,
    broken: {
      main: lines(
        'from fastapi.middleware.cors import CORSMiddleware',
        '',
        'app.add_middleware(',
        '    CORSMiddleware,',
        '    allow_origins=["{{PAGE}}"],',
        '    allow_methods=["GET", "POST"],',
        '    allow_credentials=False,',
        ')',
      ),
    },
  }),
  // flask-cors leaves Allow-Methods out of a preflight whose method it refuses: the panel rightly
  // offers no diff for "missing method" there (the list is hidden), so Flask's diff case is this one.
  noCredentials({
    stack: 'flask',
    server: flaskServer,
    broken: {
      main: lines(
        'from flask_cors import CORS',
        '',
        'CORS(',
        '    app,',
        '    origins=["{{PAGE}}"],',
        '    methods=["GET", "POST"],',
        '    send_wildcard=False,',
        ')',
      ),
    },
  }),
  missingMethod({
    stack: 'django',
    server: djangoServer,
    broken: {
      main: lines(
        'INSTALLED_APPS = [*INSTALLED_APPS, "corsheaders"]',
        'MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", *MIDDLEWARE]',
        'CORS_ALLOWED_ORIGINS = ["{{PAGE}}"]',
        'CORS_ALLOW_METHODS = ["GET", "POST"]',
        'CORS_URLS_REGEX = r"^/api/.*$"',
      ),
    },
  }),
  missingMethod({
    stack: 'express',
    server: nodeServer('express'),
    broken: {
      main: lines(
        "import cors from 'cors';",
        '',
        'app.use(',
        '  cors({',
        "    origin: ['{{PAGE}}'],",
        "    methods: ['GET', 'POST'],",
        '    optionsSuccessStatus: 204,',
        '  }),',
        ');',
      ),
    },
  }),
  missingMethod({
    stack: 'fastify',
    server: nodeServer('fastify'),
    broken: {
      main: lines(
        "import cors from '@fastify/cors';",
        '',
        'app.register(cors, {',
        "  origin: ['{{PAGE}}'],",
        "  methods: ['GET', 'POST'],",
        '  strictPreflight: true,',
        '});',
      ),
    },
  }),
  noCredentials({
    stack: 'hono',
    server: nodeServer('hono'),
    broken: { main: honoCors("origin: ['{{PAGE}}'],", "allowMethods: ['GET', 'POST'],") },
  }),
  {
    ...missingMethod({
      stack: 'hono',
      server: nodeServer('hono'),
      broken: { main: honoCors("origin: ['{{PAGE}}'],", "allowMethods: ['GET', 'POST'],") },
    }),
    familyGuess: true,
  },
  noCredentials({
    stack: 'koa',
    server: nodeServer('koa'),
    broken: { main: koaCors("origin: '{{PAGE}}',", "allowMethods: ['GET', 'POST'],", 'keepHeadersOnError: true,') },
  }),
  {
    ...missingMethod({
      stack: 'koa',
      server: nodeServer('koa'),
      broken: { main: koaCors("origin: '{{PAGE}}',", "allowMethods: ['GET', 'POST'],", 'keepHeadersOnError: true,') },
    }),
    familyGuess: true,
  },
  missingMethod({
    stack: 'nginx',
    server: nginxServer('items'),
    broken: {
      main: lines(
        'if ($request_method = OPTIONS) {',
        '    add_header Access-Control-Allow-Origin "{{PAGE}}" always;',
        '    add_header Vary "Origin" always;',
        '    add_header Access-Control-Allow-Methods "GET, POST" always;',
        '    add_header Access-Control-Allow-Headers "content-type" always;',
        '    return 204;',
        '}',
        'add_header Access-Control-Allow-Origin "{{PAGE}}" always;',
        'add_header Vary "Origin" always;',
      ),
    },
  }),
  // The conditional-origin idiom of Apache CORS guides (SetEnvIf + env=), without a Max-Age.
  missingMethod({
    stack: 'apache',
    server: apacheServer,
    broken: {
      main: lines(
        'SetEnvIf Origin "^({{PAGE_RE}})$" CORS_ALLOW_ORIGIN=$1',
        'Header always set Access-Control-Allow-Origin "%{CORS_ALLOW_ORIGIN}e" env=CORS_ALLOW_ORIGIN',
        'Header always set Access-Control-Allow-Methods "GET, POST" env=CORS_ALLOW_ORIGIN',
        'Header always set Access-Control-Allow-Headers "content-type" env=CORS_ALLOW_ORIGIN',
        'Header always merge Vary "Origin"',
      ),
    },
  }),
  missingMethod({
    stack: 'caddy',
    server: caddyServer,
    broken: {
      main: lines(
        'header Access-Control-Allow-Origin "{{PAGE}}"',
        '@cors_preflight method OPTIONS',
        'handle @cors_preflight {',
        '    header {',
        '        Access-Control-Allow-Methods "GET, POST"',
        '        Access-Control-Allow-Headers "content-type"',
        '    }',
        '    respond 204',
        '}',
      ),
    },
  }),
];
