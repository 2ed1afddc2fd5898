// The demo playground: buttons that trigger real CORS failures (and a few passing requests)
// against the programmable API server. Used by `npm start`, the README screenshot and e2e tests.
import type { RouteSpec } from '../test/support/servers';

export interface PlaygroundScenario {
  id: string;
  label: string;
  /** What the page does: fetch(api + path, init). `credentials: 'include'` etc. go in init. */
  path: string;
  init?: RequestInit;
  route: RouteSpec;
  /** The symptom Chromium reports, or null when the request passes. */
  expect: string | null;
}

const ALLOW = (extra: Array<[string, string]> = []): Array<[string, string]> => [['Access-Control-Allow-Origin', '{origin}'], ...extra];

export const PLAYGROUND: PlaygroundScenario[] = [
  {
    id: 'no-cors-headers',
    label: 'GET, server has no CORS at all',
    path: '/no-cors',
    route: { actual: { status: 200, headers: [['Content-Type', 'application/json']], body: '{"ok":true}' } },
    expect: 'MissingAllowOriginHeader',
  },
  {
    id: 'trailing-slash',
    label: 'GET, allowed origin written with a trailing slash',
    path: '/trailing-slash',
    route: { actual: { status: 200, headers: [['Access-Control-Allow-Origin', '{origin}/']] } },
    expect: 'AllowOriginMismatch',
  },
  {
    id: 'put-not-allowed',
    label: 'PUT, method not in Access-Control-Allow-Methods',
    path: '/items/1',
    init: { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' },
    route: {
      preflight: { status: 200, headers: ALLOW([['Access-Control-Allow-Methods', 'GET, POST'], ['Access-Control-Allow-Headers', 'content-type']]) },
      actual: { status: 200, headers: ALLOW() },
    },
    expect: 'MethodDisallowedByPreflightResponse',
  },
  {
    id: 'header-not-allowed',
    label: 'POST JSON with X-Api-Key, header not allowed',
    path: '/search',
    init: { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Api-Key': 'demo-key' }, body: '{"q":"cors"}' },
    route: {
      preflight: { status: 204, headers: ALLOW([['Access-Control-Allow-Methods', 'GET, POST'], ['Access-Control-Allow-Headers', 'content-type']]) },
      actual: { status: 200, headers: ALLOW() },
    },
    expect: 'HeaderDisallowedByPreflightResponse',
  },
  {
    id: 'wildcard-credentials',
    label: "GET with credentials: 'include', server sends *",
    path: '/me',
    init: { credentials: 'include' },
    route: { actual: { status: 200, headers: [['Access-Control-Allow-Origin', '*']] } },
    expect: 'WildcardOriginNotAllowed',
  },
  {
    id: 'server-error',
    label: 'GET that crashes the server (500 without CORS headers)',
    path: '/crash',
    route: { actual: { status: 500, headers: [['Content-Type', 'text/plain']], body: 'Internal Server Error' } },
    expect: 'MissingAllowOriginHeader',
  },
  {
    id: 'preflight-auth',
    label: 'DELETE, server demands auth on the OPTIONS preflight (401)',
    path: '/items/2',
    init: { method: 'DELETE', headers: { Authorization: 'Bearer demo' } },
    route: { preflight: { status: 401, headers: [['WWW-Authenticate', 'Bearer']] }, actual: { status: 204, headers: ALLOW() } },
    expect: 'PreflightMissingAllowOriginHeader',
  },
  {
    id: 'preflight-redirect',
    label: 'PATCH, preflight answered with a redirect (trailing slash)',
    path: '/orders',
    init: { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: '{}' },
    route: { preflight: { status: 307, headers: [['Location', '/orders/'], ...ALLOW()] }, actual: { status: 200, headers: ALLOW() } },
    expect: 'PreflightDisallowedRedirect',
  },
  {
    id: 'passing-simple',
    label: 'GET, allowed (passes)',
    path: '/ok',
    route: { actual: { status: 200, headers: ALLOW([['Vary', 'Origin']]) } },
    expect: null,
  },
  {
    id: 'passing-preflighted',
    label: 'PUT JSON, allowed (passes)',
    path: '/ok-put',
    init: { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' },
    route: {
      preflight: { status: 204, headers: ALLOW([['Access-Control-Allow-Methods', 'GET, PUT'], ['Access-Control-Allow-Headers', 'content-type'], ['Vary', 'Origin']]) },
      actual: { status: 200, headers: ALLOW([['Vary', 'Origin']]) },
    },
    expect: null,
  },
];

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The playground page HTML. `window.runScenario(id)` and `window.runAll()` are for automation. */
export function playgroundHtml(apiOrigin: string): string {
  const data = PLAYGROUND.map(({ id, label, path, init }) => ({ id, label, url: apiOrigin + path, init: init ?? {} }));
  const buttons = PLAYGROUND.map(
    (s) => `<li><button data-id="${escapeHtml(s.id)}">${escapeHtml(s.label)}</button> <output id="out-${escapeHtml(s.id)}"></output></li>`,
  ).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CORS Lens playground</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:50em}button{margin:.2em 0}output{color:#555;margin-left:.5em}</style>
</head><body>
<h1>CORS Lens playground</h1>
<p>Each button makes a real cross-origin request from this page (${escapeHtml(new URL(apiOrigin).host)} is another origin).
Open DevTools → <b>CORS</b> to see why the blocked ones fail and how to fix them.</p>
<p><button id="run-all">Run all</button></p>
<ul>${buttons}</ul>
<script type="application/json" id="scenarios">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>
<script>
const scenarios = JSON.parse(document.getElementById('scenarios').textContent);
async function runScenario(id) {
  const s = scenarios.find((x) => x.id === id);
  const out = document.getElementById('out-' + id);
  try {
    const r = await fetch(s.url, s.init);
    out.textContent = 'passed: HTTP ' + r.status;
    return 'ok';
  } catch (e) {
    out.textContent = 'blocked: ' + e;
    return 'blocked';
  }
}
async function runAll() { const r = {}; for (const s of scenarios) r[s.id] = await runScenario(s.id); return r; }
window.runScenario = runScenario; window.runAll = runAll;
document.querySelectorAll('button[data-id]').forEach((b) => b.addEventListener('click', () => runScenario(b.dataset.id)));
document.getElementById('run-all').addEventListener('click', runAll);
</script></body></html>`;
}
