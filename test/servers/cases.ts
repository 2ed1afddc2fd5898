// The broken configs of the snippet round trips, per stack. Each is what users really write (see
// shared/notes/cors-rules.md "What servers really do"); `{{PAGE}}` is the page origin, and
// http://localhost:3000 stands for "some other front end".
import { apacheServer } from './apache/server';
import { caddyServer } from './caddy/server';
import { djangoServer } from './django/server';
import { fastapiServer } from './fastapi-snippets/server';
import { flaskServer } from './flask/server';
import { nginxServer } from './nginx/server';
import { nodeServer } from './node';
import {
  DELETE_PRIVATE_BASIC,
  DELETE_PRIVATE_BEARER,
  GET_CRASH,
  GET_ITEMS,
  GET_WITH_COOKIES,
  POST_API_KEY,
  PUT_JSON,
  type Case,
} from './roundtrip';

const fastapiMw = (args: string) =>
  `from fastapi.middleware.cors import CORSMiddleware\n\napp.add_middleware(\n    CORSMiddleware,\n${args}\n)\n`;

export const FASTAPI: Case[] = [
  {
    stack: 'fastapi',
    name: 'no CORS middleware',
    causes: ['no-cors-config'],
    server: fastapiServer,
    broken: {},
    request: GET_ITEMS,
  },
  {
    stack: 'fastapi',
    name: 'wrong origin',
    causes: ['origin-not-allowed', 'no-cors-config'],
    server: fastapiServer,
    broken: { main: fastapiMw('    allow_origins=["http://localhost:3000"],') },
    request: GET_ITEMS,
  },
  // Starlette's default allow_methods is GET only; this one lists GET and POST, the page PUTs.
  {
    stack: 'fastapi',
    name: 'missing method',
    causes: ['method-not-allowed'],
    server: fastapiServer,
    broken: {
      main: fastapiMw('    allow_origins=["{{PAGE}}"],\n    allow_methods=["GET", "POST"],\n    max_age=600,'),
    },
    request: PUT_JSON,
    diff: true,
  },
  {
    stack: 'fastapi',
    name: 'missing header',
    causes: ['header-not-allowed'],
    server: fastapiServer,
    broken: {
      main: fastapiMw('    allow_origins=["{{PAGE}}"],\n    allow_methods=["GET", "POST"],\n    max_age=600,'),
    },
    request: POST_API_KEY,
    diff: true,
  },
  {
    stack: 'fastapi',
    name: 'wildcard with credentials',
    causes: ['wildcard-with-credentials', 'credentials-not-enabled'],
    server: fastapiServer,
    broken: { main: fastapiMw('    allow_origins=["*"],') },
    request: GET_WITH_COOKIES,
  },
  // Unhandled exception: ServerErrorMiddleware answers outside CORSMiddleware.
  {
    stack: 'fastapi',
    name: '500 without CORS headers',
    causes: ['server-error-without-cors'],
    server: fastapiServer,
    broken: { main: fastapiMw('    allow_origins=["{{PAGE}}"],') },
    request: GET_CRASH(),
  },
  // The auth middleware is registered after CORSMiddleware, so it is the outer one.
  {
    stack: 'fastapi',
    name: 'auth-protected OPTIONS',
    causes: ['preflight-auth'],
    server: fastapiServer,
    broken: {
      main: fastapiMw(
        '    allow_origins=["{{PAGE}}"],\n    allow_methods=["GET", "DELETE"],\n    allow_headers=["authorization"],',
      ),
    },
    request: DELETE_PRIVATE_BEARER,
  },
];

const flaskCors = (args: string) => `from flask_cors import CORS\n\nCORS(app${args})\n`;

export const FLASK: Case[] = [
  { stack: 'flask', name: 'no CORS', causes: ['no-cors-config'], server: flaskServer, broken: {}, request: GET_ITEMS },
  {
    stack: 'flask',
    name: 'wrong origin',
    causes: ['origin-not-allowed', 'no-cors-config'],
    server: flaskServer,
    broken: { main: flaskCors(', origins=["http://localhost:3000"]') },
    request: GET_ITEMS,
  },
  {
    stack: 'flask',
    name: 'missing method',
    causes: ['method-not-allowed'],
    server: flaskServer,
    broken: { main: flaskCors(', origins=["{{PAGE}}"], methods=["GET", "POST"]') },
    request: PUT_JSON,
  },
  {
    stack: 'flask',
    name: 'missing header',
    causes: ['header-not-allowed'],
    server: flaskServer,
    broken: { main: flaskCors(', origins=["{{PAGE}}"], allow_headers=["content-type"]') },
    request: POST_API_KEY,
  },
  // flask-cors's default origins="*" without supports_credentials sends "*".
  {
    stack: 'flask',
    name: 'wildcard with credentials',
    causes: ['wildcard-with-credentials', 'credentials-not-enabled'],
    server: flaskServer,
    broken: { main: flaskCors('') },
    request: GET_WITH_COOKIES,
  },
  // The before_request auth hook rejects the preflight; flask-cors still adds its headers (401 + ACAO).
  {
    stack: 'flask',
    name: 'auth-protected OPTIONS',
    causes: ['preflight-auth'],
    server: flaskServer,
    broken: { main: flaskCors(', origins=["{{PAGE}}"]') },
    request: DELETE_PRIVATE_BEARER,
  },
];

const djangoCors = (middleware: 'first' | 'last', settings: string) =>
  [
    'INSTALLED_APPS = [*INSTALLED_APPS, "corsheaders"]',
    middleware === 'first'
      ? 'MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", *MIDDLEWARE]'
      : 'MIDDLEWARE = [*MIDDLEWARE, "corsheaders.middleware.CorsMiddleware"]',
    settings,
  ].join('\n') + '\n';

export const DJANGO: Case[] = [
  {
    stack: 'django',
    name: 'django-cors-headers not installed',
    causes: ['no-cors-config'],
    server: djangoServer,
    broken: {},
    request: GET_ITEMS,
  },
  {
    stack: 'django',
    name: 'wrong origin',
    causes: ['origin-not-allowed', 'no-cors-config'],
    server: djangoServer,
    broken: { main: djangoCors('first', 'CORS_ALLOWED_ORIGINS = ["http://localhost:3000"]') },
    request: GET_ITEMS,
  },
  {
    stack: 'django',
    name: 'missing method',
    causes: ['method-not-allowed'],
    server: djangoServer,
    broken: { main: djangoCors('first', 'CORS_ALLOWED_ORIGINS = ["{{PAGE}}"]\nCORS_ALLOW_METHODS = ["GET", "POST"]') },
    request: PUT_JSON,
  },
  {
    stack: 'django',
    name: 'missing header',
    causes: ['header-not-allowed'],
    server: djangoServer,
    broken: { main: djangoCors('first', 'CORS_ALLOWED_ORIGINS = ["{{PAGE}}"]\nCORS_ALLOW_HEADERS = ["content-type"]') },
    request: POST_API_KEY,
  },
  {
    stack: 'django',
    name: 'credentials not allowed',
    causes: ['credentials-not-enabled'],
    server: djangoServer,
    broken: { main: djangoCors('first', 'CORS_ALLOWED_ORIGINS = ["{{PAGE}}"]') },
    request: GET_WITH_COOKIES,
  },
  // CorsMiddleware last: the auth middleware answers the preflight first.
  {
    stack: 'django',
    name: 'middleware order: auth before CORS',
    causes: ['preflight-auth'],
    server: djangoServer,
    broken: { main: djangoCors('last', 'CORS_ALLOWED_ORIGINS = ["{{PAGE}}"]') },
    request: DELETE_PRIVATE_BEARER,
  },
  // CorsMiddleware after CommonMiddleware: APPEND_SLASH redirects the preflight.
  {
    stack: 'django',
    name: 'middleware order: APPEND_SLASH redirects the preflight',
    causes: ['preflight-redirected'],
    server: djangoServer,
    broken: { main: djangoCors('last', 'CORS_ALLOWED_ORIGINS = ["{{PAGE}}"]') },
    request: { ...PUT_JSON, path: '/api/slash' },
  },
];

type NodeStack = 'express' | 'fastify' | 'hono' | 'koa';
const NODE_CORS: Record<NodeStack, { imp: string; use: (opts: string) => string; methods: string; headers: string }> = {
  express: {
    imp: "import cors from 'cors';",
    use: (o) => `app.use(cors(${o}));`,
    methods: 'methods',
    headers: 'allowedHeaders',
  },
  fastify: {
    imp: "import cors from '@fastify/cors';",
    use: (o) => `app.register(cors${o ? `, ${o}` : ''});`,
    methods: 'methods',
    headers: 'allowedHeaders',
  },
  hono: {
    imp: "import { cors } from 'hono/cors';",
    use: (o) => `app.use('*', cors(${o}));`,
    methods: 'allowMethods',
    headers: 'allowHeaders',
  },
  koa: {
    imp: "import cors from '@koa/cors';",
    use: (o) => `app.use(cors(${o}));`,
    methods: 'allowMethods',
    headers: 'allowHeaders',
  },
};

function nodeCases(stack: NodeStack): Case[] {
  const k = NODE_CORS[stack];
  const server = nodeServer(stack);
  const with_ = (opts: string) => ({ main: `${k.imp}\n\n${k.use(opts)}\n` });
  return [
    { stack, name: 'no CORS middleware', causes: ['no-cors-config'], server, broken: {}, request: GET_ITEMS },
    {
      stack,
      name: 'wrong origin',
      causes: ['origin-not-allowed', 'no-cors-config'],
      server,
      broken: with_("{ origin: 'http://localhost:3000' }"),
      request: GET_ITEMS,
    },
    {
      stack,
      name: 'missing method',
      causes: ['method-not-allowed'],
      server,
      broken: with_(`{ origin: '{{PAGE}}', ${k.methods}: ['GET', 'POST'] }`),
      request: PUT_JSON,
    },
    {
      stack,
      name: 'missing header',
      causes: ['header-not-allowed'],
      server,
      broken: with_(`{ origin: '{{PAGE}}', ${k.headers}: ['content-type'] }`),
      request: POST_API_KEY,
    },
    // The defaults send "*": fine until the page sends cookies.
    {
      stack,
      name: 'wildcard with credentials',
      causes: ['wildcard-with-credentials', 'credentials-not-enabled'],
      server,
      broken: with_(''),
      request: GET_WITH_COOKIES,
    },
    // No CORS before the auth middleware: the preflight gets its 401.
    {
      stack,
      name: 'auth-protected OPTIONS',
      causes: ['preflight-auth'],
      server,
      broken: {},
      request: DELETE_PRIVATE_BEARER,
    },
  ];
}

export const EXPRESS = nodeCases('express');
export const FASTIFY = nodeCases('fastify');
export const HONO = nodeCases('hono');
export const KOA = nodeCases('koa');

const nginxFull = (origin: string, methods: string, headers: string) =>
  [
    'if ($request_method = OPTIONS) {',
    `    add_header Access-Control-Allow-Origin "${origin}" always;`,
    '    add_header Vary "Origin" always;',
    `    add_header Access-Control-Allow-Methods "${methods}" always;`,
    `    add_header Access-Control-Allow-Headers "${headers}" always;`,
    '    add_header Access-Control-Max-Age 600 always;',
    '    return 204;',
    '}',
    `add_header Access-Control-Allow-Origin "${origin}" always;`,
    'add_header Vary "Origin" always;',
  ].join('\n') + '\n';

export const NGINX: Case[] = [
  {
    stack: 'nginx',
    name: 'no CORS headers',
    causes: ['no-cors-config'],
    server: nginxServer('items'),
    broken: {},
    request: GET_ITEMS,
  },
  {
    stack: 'nginx',
    name: 'wrong origin',
    causes: ['origin-not-allowed', 'no-cors-config'],
    server: nginxServer('items'),
    broken: { main: 'add_header Access-Control-Allow-Origin "http://localhost:3000";\n' },
    request: GET_ITEMS,
  },
  {
    stack: 'nginx',
    name: 'missing method',
    causes: ['method-not-allowed'],
    server: nginxServer('items'),
    broken: { main: nginxFull('{{PAGE}}', 'GET, POST', 'content-type') },
    request: PUT_JSON,
    diff: true,
  },
  {
    stack: 'nginx',
    name: 'missing header',
    causes: ['header-not-allowed'],
    server: nginxServer('items'),
    broken: { main: nginxFull('{{PAGE}}', 'GET, POST', 'content-type') },
    request: POST_API_KEY,
    diff: true,
  },
  {
    stack: 'nginx',
    name: 'wildcard with credentials',
    causes: ['wildcard-with-credentials', 'credentials-not-enabled'],
    server: nginxServer('items'),
    broken: { main: 'add_header Access-Control-Allow-Origin "*";\n' },
    request: GET_WITH_COOKIES,
  },
  // add_header without `always`: skipped on the 502 nginx sends when the upstream is down.
  {
    stack: 'nginx',
    name: '502 without CORS headers (no "always")',
    causes: ['server-error-without-cors'],
    server: nginxServer('crash'),
    broken: { main: 'add_header Access-Control-Allow-Origin "{{PAGE}}";\n' },
    request: GET_CRASH(502),
  },
  // Both nginx and the app behind it add Access-Control-Allow-Origin.
  {
    stack: 'nginx',
    name: 'duplicate Allow-Origin (proxy and app)',
    causes: ['duplicate-allow-origin'],
    server: nginxServer('items'),
    broken: { main: 'add_header Access-Control-Allow-Origin "{{PAGE}}" always;\n' },
    request: { ...GET_ITEMS, path: '/api/dup' },
  },
  // auth_basic answers the preflight with 401 (with the header, thanks to `always`).
  {
    stack: 'nginx',
    name: 'auth-protected OPTIONS',
    causes: ['preflight-auth'],
    server: nginxServer('private'),
    broken: {
      main: 'add_header Access-Control-Allow-Origin "{{PAGE}}" always;\nadd_header Access-Control-Allow-Methods "GET, DELETE" always;\nadd_header Access-Control-Allow-Headers "authorization" always;\n',
    },
    request: DELETE_PRIVATE_BASIC,
  },
];

export const APACHE: Case[] = [
  {
    stack: 'apache',
    name: 'no CORS headers',
    causes: ['no-cors-config'],
    server: apacheServer,
    broken: {},
    request: GET_ITEMS,
  },
  {
    stack: 'apache',
    name: 'wrong origin',
    causes: ['origin-not-allowed', 'no-cors-config'],
    server: apacheServer,
    broken: { main: 'Header set Access-Control-Allow-Origin "http://localhost:3000"\n' },
    request: GET_ITEMS,
  },
  {
    stack: 'apache',
    name: 'missing method',
    causes: ['method-not-allowed'],
    server: apacheServer,
    broken: {
      main: 'Header always set Access-Control-Allow-Origin "{{PAGE}}"\nHeader always set Access-Control-Allow-Methods "GET, POST"\nHeader always set Access-Control-Allow-Headers "content-type"\n',
    },
    request: PUT_JSON,
  },
  {
    stack: 'apache',
    name: 'missing header',
    causes: ['header-not-allowed'],
    server: apacheServer,
    broken: {
      main: 'Header always set Access-Control-Allow-Origin "{{PAGE}}"\nHeader always set Access-Control-Allow-Methods "GET, POST"\nHeader always set Access-Control-Allow-Headers "content-type"\n',
    },
    request: POST_API_KEY,
  },
  {
    stack: 'apache',
    name: 'wildcard with credentials',
    causes: ['wildcard-with-credentials', 'credentials-not-enabled'],
    server: apacheServer,
    broken: { main: 'Header set Access-Control-Allow-Origin "*"\n' },
    request: GET_WITH_COOKIES,
  },
  // `Header set` (not `always`) is skipped on the 500 Apache sends for a crashed CGI.
  {
    stack: 'apache',
    name: '500 without CORS headers (no "always")',
    causes: ['server-error-without-cors'],
    server: apacheServer,
    broken: { main: 'Header set Access-Control-Allow-Origin "{{PAGE}}"\n' },
    request: GET_CRASH(),
  },
  {
    stack: 'apache',
    name: 'auth-protected OPTIONS',
    causes: ['preflight-auth'],
    server: apacheServer,
    broken: {
      main: 'Header always set Access-Control-Allow-Origin "{{PAGE}}"\nHeader always set Access-Control-Allow-Methods "GET, DELETE"\nHeader always set Access-Control-Allow-Headers "authorization"\n',
    },
    request: DELETE_PRIVATE_BASIC,
  },
];

const caddyPreflight = (methods: string, headers: string) =>
  `header Access-Control-Allow-Origin "{{PAGE}}"\n@options method OPTIONS\nhandle @options {\n    header Access-Control-Allow-Methods "${methods}"\n    header Access-Control-Allow-Headers "${headers}"\n    respond 204\n}\n`;

export const CADDY: Case[] = [
  {
    stack: 'caddy',
    name: 'no CORS headers',
    causes: ['no-cors-config'],
    server: caddyServer,
    broken: {},
    request: GET_ITEMS,
  },
  {
    stack: 'caddy',
    name: 'wrong origin',
    causes: ['origin-not-allowed', 'no-cors-config'],
    server: caddyServer,
    broken: { main: 'header Access-Control-Allow-Origin "http://localhost:3000"\n' },
    request: GET_ITEMS,
  },
  {
    stack: 'caddy',
    name: 'missing method',
    causes: ['method-not-allowed'],
    server: caddyServer,
    broken: { main: caddyPreflight('GET, POST', 'content-type') },
    request: PUT_JSON,
  },
  {
    stack: 'caddy',
    name: 'missing header',
    causes: ['header-not-allowed'],
    server: caddyServer,
    broken: { main: caddyPreflight('GET, POST', 'content-type') },
    request: POST_API_KEY,
  },
  {
    stack: 'caddy',
    name: 'wildcard with credentials',
    causes: ['wildcard-with-credentials', 'credentials-not-enabled'],
    server: caddyServer,
    broken: { main: 'header Access-Control-Allow-Origin "*"\n' },
    request: GET_WITH_COOKIES,
  },
];
