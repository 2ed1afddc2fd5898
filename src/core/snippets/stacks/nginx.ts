// nginx: add_header ... always (without `always`, nginx skips the header on 4xx/5xx, including a
// 502 when the upstream is down), and OPTIONS answered with 204 inside the location so preflights
// never reach auth, redirects or the upstream. add_header in an `if` replaces the location's
// add_headers, so the preflight branch repeats what it needs. Several origins need a `map` in the
// http block (an add_header with an empty value is not sent).
import { comment, configSafe, snippet, whyLines } from '../common';
import type { CorsConfig, SnippetInput, StackGenerator } from '../types';

function q(s: string): string {
  return `"${configSafe(s)}"`;
}

function originValue(c: CorsConfig): string {
  return c.origins.length === 1 ? q(c.origins[0]!) : '$cors_allow_origin';
}

function location(c: CorsConfig, input: SnippetInput): string[] {
  const o = originValue(c);
  const always: string[] = [`add_header Access-Control-Allow-Origin ${o} always;`];
  if (c.credentials) always.push('add_header Access-Control-Allow-Credentials "true" always;');
  always.push('add_header Vary "Origin" always;');
  const lines = [
    'if ($request_method = OPTIONS) {',
    ...always.map((l) => '    ' + l),
    ...(c.methods.length ? [`    add_header Access-Control-Allow-Methods ${q(c.methods.join(', '))} always;`] : []),
    ...(c.headers.length ? [`    add_header Access-Control-Allow-Headers ${q(c.headers.join(', '))} always;`] : []),
    `    add_header Access-Control-Max-Age ${c.maxAge} always;`,
    '    return 204;',
    '}',
    ...always,
  ];
  if (c.exposeHeaders.length)
    lines.push(`add_header Access-Control-Expose-Headers ${q(c.exposeHeaders.join(', '))} always;`);
  if (input.steps.includes('single-allow-origin'))
    lines.push(
      '# nginx owns CORS here: drop the copies the upstream adds.',
      'proxy_hide_header Access-Control-Allow-Origin;',
      'proxy_hide_header Access-Control-Allow-Credentials;',
      'proxy_hide_header Access-Control-Allow-Methods;',
      'proxy_hide_header Access-Control-Allow-Headers;',
    );
  return lines;
}

function map(c: CorsConfig): string {
  return [
    'map $http_origin $cors_allow_origin {',
    '    default "";',
    ...c.origins.map((o) => `    ${q(o)} $http_origin;`),
    '}',
  ].join('\n');
}

export const nginx: StackGenerator = {
  id: 'nginx',
  label: 'nginx',
  language: 'nginx',
  file: 'nginx.conf',
  wildcardList: true,
  docs: [
    'https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header',
    'https://nginx.org/en/docs/http/ngx_http_map_module.html#map',
    'https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#if',
  ],
  config(c, input) {
    return location(c, input).join('\n');
  },
  generate(input) {
    const c = input.config;
    const why = whyLines(input);
    if (c.otherOrigins) why.push('Keep the origins you already allow (add them to the map).');
    why.push('"always" keeps the headers on 4xx/5xx; nginx ignores outer add_header once a block has its own.');
    const parts = [
      {
        id: 'main',
        placement:
          'Inside the `location` that serves the API (e.g. location /api/ { ... }), above proxy_pass; remove other Access-Control-* add_header lines there.',
        code: [comment(why, '#'), ...location(c, input)].join('\n') + '\n',
      },
    ];
    if (c.origins.length > 1)
      parts.push({
        id: 'http',
        placement: 'In the http { } block (outside any server), once.',
        code: ['# CORS Lens: the allowed origins; any other Origin gets no CORS headers.', map(c)].join('\n') + '\n',
      });
    const extra: string[] = [];
    if (input.steps.includes('preflight-before-auth'))
      extra.push(
        'If auth_basic or auth_request protects this location, the OPTIONS branch above answers preflights first (return runs in the rewrite phase, before access checks).',
      );
    if (input.steps.includes('stop-redirect'))
      extra.push(
        'If nginx issues the redirect (return 301, rewrite, or a missing trailing slash), put this in the location the page should call, or call the redirect target directly.',
      );
    return snippet(nginx, input, parts, extra, c.origins.length > 1 ? null : undefined);
  },
};
