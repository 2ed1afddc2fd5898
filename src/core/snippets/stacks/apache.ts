// Apache httpd: mod_headers with `Header always set` (the plain `Header set` table is skipped on
// error responses and on responses produced by other modules), mod_setenvif to allow only listed
// origins, and mod_rewrite answering preflights with 204 in the virtual-host context, where
// rewriting runs before authentication.
import { comment, configSafe, snippet, whyLines } from '../common';
import type { CorsConfig, SnippetInput, StackGenerator } from '../types';

function q(s: string): string {
  return `"${configSafe(s)}"`;
}

function regexEscape(s: string): string {
  return configSafe(s).replace(/[.*+?^$()|[\]\\]/g, '\\$&');
}

function block(c: CorsConfig, input: SnippetInput): string[] {
  const re = `^(${c.origins.map(regexEscape).join('|')})$`;
  const lines = [`SetEnvIf Origin "${re}" CORS_ALLOW_ORIGIN=$1`];
  if (input.steps.includes('single-allow-origin'))
    lines.push(
      '# Apache owns CORS here: drop the copy the application adds.',
      'Header unset Access-Control-Allow-Origin',
      'Header unset Access-Control-Allow-Credentials',
    );
  lines.push('Header always set Access-Control-Allow-Origin "%{CORS_ALLOW_ORIGIN}e" env=CORS_ALLOW_ORIGIN');
  if (c.credentials) lines.push('Header always set Access-Control-Allow-Credentials "true" env=CORS_ALLOW_ORIGIN');
  if (c.methods.length)
    lines.push(`Header always set Access-Control-Allow-Methods ${q(c.methods.join(', '))} env=CORS_ALLOW_ORIGIN`);
  if (c.headers.length)
    lines.push(`Header always set Access-Control-Allow-Headers ${q(c.headers.join(', '))} env=CORS_ALLOW_ORIGIN`);
  if (c.exposeHeaders.length)
    lines.push(
      `Header always set Access-Control-Expose-Headers ${q(c.exposeHeaders.join(', '))} env=CORS_ALLOW_ORIGIN`,
    );
  lines.push(`Header always set Access-Control-Max-Age "${c.maxAge}" env=CORS_ALLOW_ORIGIN`);
  lines.push('Header always merge Vary "Origin"');
  lines.push('RewriteEngine On');
  lines.push('RewriteCond %{REQUEST_METHOD} =OPTIONS');
  lines.push('RewriteCond %{HTTP:Access-Control-Request-Method} !^$');
  lines.push('RewriteRule ^ - [R=204,L]');
  return lines;
}

export const apache: StackGenerator = {
  id: 'apache',
  label: 'Apache',
  language: 'apache',
  file: 'site.conf',
  docs: [
    'https://httpd.apache.org/docs/2.4/mod/mod_headers.html#header',
    'https://httpd.apache.org/docs/2.4/mod/mod_setenvif.html#setenvif',
    'https://httpd.apache.org/docs/2.4/rewrite/flags.html#flag_r',
  ],
  config(c, input) {
    return block(c, input).join('\n');
  },
  generate(input) {
    const c = input.config;
    const why = whyLines(input);
    if (c.otherOrigins) why.push('Keep the origins you already allow in the SetEnvIf pattern.');
    why.push('"always" keeps the headers on error responses; preflights are answered with 204 before auth.');
    why.push('Needs mod_headers, mod_setenvif and mod_rewrite (a2enmod headers setenvif rewrite).');
    const code = [comment(why, '#'), ...block(c, input)].join('\n');
    return snippet(apache, input, [
      {
        id: 'main',
        placement:
          'Inside the <VirtualHost> that serves the API (not in .htaccess or <Directory>: there rewriting runs after auth); remove other Access-Control-* Header lines.',
        code: code + '\n',
      },
    ]);
  },
};
