// Koa: @koa/cors. Its `origin` option takes one string or a function, so a list of origins is a
// function returning the request's Origin when allowed ('' = no CORS headers). keepHeadersOnError
// (on by default) copies the headers onto thrown errors, so Koa's 500s keep them.
import { comment, snippet, whyLines } from '../common';
import type { CorsConfig, StackGenerator } from '../types';
import { jsList, jsOptions } from './js';

function options(c: CorsConfig): string[] {
  return jsOptions([
    ['origin', "(ctx) => (allowedOrigins.includes(ctx.get('Origin')) ? ctx.get('Origin') : '')"],
    ['allowMethods', jsList(c.methods)],
    ['allowHeaders', c.headers.length ? jsList(c.headers) : null],
    ['exposeHeaders', c.exposeHeaders.length ? jsList(c.exposeHeaders) : null],
    ['credentials', c.credentials ? 'true' : null],
    ['maxAge', String(c.maxAge)],
    ['keepHeadersOnError', 'true'],
  ]);
}

export const koa: StackGenerator = {
  id: 'koa',
  label: 'Koa',
  language: 'javascript',
  file: 'app.js',
  docs: ['https://github.com/koajs/cors#corsoptions'],
  config(c) {
    return [
      `const allowedOrigins = ${jsList(c.origins)};`,
      'app.use(',
      '  cors({',
      ...options(c).map((l) => '    ' + l),
      '  }),',
      ');',
    ].join('\n');
  },
  generate(input) {
    const c = input.config;
    const why = whyLines(input);
    if (c.otherOrigins) why.push('Keep the origins you already allow in allowedOrigins.');
    if (c.credentials) why.push('Never echo every Origin with credentials: only the listed ones.');
    why.push('Register it before your routes and auth middleware: it answers preflights (204) itself.');
    const code = [comment(why, '//'), "import cors from '@koa/cors';", '', koa.config(c, input)].join('\n');
    return snippet(koa, input, [
      {
        id: 'main',
        placement:
          'Right after `const app = new Koa()`, before the router and any auth middleware; replace other cors() uses.',
        code: code + '\n',
      },
    ]);
  },
};
