// Hono: hono/cors. app.use('*', cors(...)) before the routes; it answers OPTIONS with 204 itself.
// Hono copies headers already set on c.res into the error handler's response, so 500s keep them.
import { comment, snippet, whyLines } from '../common';
import type { CorsConfig, StackGenerator } from '../types';
import { jsList, jsOptions } from './js';

function options(c: CorsConfig): string[] {
  return jsOptions([
    ['origin', jsList(c.origins)],
    ['allowMethods', jsList(c.methods)],
    ['allowHeaders', c.headers.length ? jsList(c.headers) : null],
    ['exposeHeaders', c.exposeHeaders.length ? jsList(c.exposeHeaders) : null],
    ['credentials', c.credentials ? 'true' : null],
    ['maxAge', String(c.maxAge)],
  ]);
}

export const hono: StackGenerator = {
  id: 'hono',
  label: 'Hono',
  language: 'javascript',
  file: 'index.ts',
  docs: ['https://hono.dev/docs/middleware/builtin/cors'],
  config(c) {
    return ['app.use(', "  '*',", '  cors({', ...options(c).map((l) => '    ' + l), '  }),', ');'].join('\n');
  },
  generate(input) {
    const c = input.config;
    const why = whyLines(input);
    if (c.otherOrigins) why.push('Keep the origins you already allow in `origin`.');
    if (c.credentials) why.push('Never origin: "*" with credentials: list exact origins.');
    why.push('Register it before your routes and auth middleware: it answers preflights (204) itself.');
    const code = [comment(why, '//'), "import { cors } from 'hono/cors';", '', hono.config(c, input)].join('\n');
    return snippet(hono, input, [
      {
        id: 'main',
        placement:
          'Right after `const app = new Hono()`, before routes and auth middleware; replace other cors() uses.',
        code: code + '\n',
      },
    ]);
  },
};
