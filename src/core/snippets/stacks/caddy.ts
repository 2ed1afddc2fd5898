// Caddy: a `header` matcher on the allowed Origin values (several values = any of them) and a
// `handle` for preflights answering 204. Headers set by `header` stay on error responses
// produced by later handlers in the route.
import { comment, configSafe, snippet, whyLines } from '../common';
import type { CorsConfig, SnippetInput, StackGenerator } from '../types';

function q(s: string): string {
  return `"${configSafe(s)}"`;
}

function block(c: CorsConfig, _input: SnippetInput): string[] {
  // Several `header Origin` lines in one matcher: any of the values matches.
  const originLines = c.origins.map((o) => `    header Origin ${configSafe(o)}`);
  const lines = [
    '@cors_origin {',
    ...originLines,
    '}',
    'header @cors_origin {',
    '    Access-Control-Allow-Origin {http.request.header.Origin}',
  ];
  if (c.credentials) lines.push('    Access-Control-Allow-Credentials true');
  if (c.exposeHeaders.length) lines.push(`    Access-Control-Expose-Headers ${q(c.exposeHeaders.join(', '))}`);
  lines.push('    +Vary Origin', '}');
  lines.push(
    '@cors_preflight {',
    '    method OPTIONS',
    ...originLines,
    '    header Access-Control-Request-Method *',
    '}',
  );
  lines.push('handle @cors_preflight {', '    header {');
  if (c.methods.length) lines.push(`        Access-Control-Allow-Methods ${q(c.methods.join(', '))}`);
  if (c.headers.length) lines.push(`        Access-Control-Allow-Headers ${q(c.headers.join(', '))}`);
  lines.push(`        Access-Control-Max-Age ${c.maxAge}`, '    }', '    respond 204', '}');
  return lines;
}

export const caddy: StackGenerator = {
  id: 'caddy',
  label: 'Caddy',
  language: 'caddyfile',
  file: 'Caddyfile',
  docs: [
    'https://caddyserver.com/docs/caddyfile/directives/header',
    'https://caddyserver.com/docs/caddyfile/matchers#header',
    'https://caddyserver.com/docs/caddyfile/directives#directive-order',
  ],
  config(c, input) {
    return block(c, input).join('\n');
  },
  generate(input) {
    const c = input.config;
    const why = whyLines(input);
    if (c.otherOrigins) why.push('Keep the origins you already allow on the Origin matcher lines.');
    const code = [comment(why, '#'), ...block(c, input)].join('\n');
    const extra: string[] = [];
    if (input.steps.includes('preflight-before-auth'))
      extra.push(
        'Caddy runs basicauth/forward_auth before handle blocks: scope them to non-preflight requests, e.g. `@protected not method OPTIONS` and `basicauth @protected { ... }`.',
      );
    return snippet(
      caddy,
      input,
      [
        {
          id: 'main',
          placement:
            'Inside the site block that serves the API (e.g. api.example.com { ... }); remove other Access-Control-* header lines there.',
          code: code + '\n',
        },
      ],
      extra,
    );
  },
};
