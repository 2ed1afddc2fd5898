// Express: the `cors` package. app.use(cors(...)) must run before the routes and before any auth
// middleware: it answers preflights itself (204) and sets headers before the handler runs, so
// Express's error handler keeps them on 500s. `credentials: true` without `origin` sends "*"
// together with Allow-Credentials (always broken), and `origin: true` echoes every origin.
import { comment, snippet, whyLines } from '../common';
import type { StackGenerator } from '../types';
import { corsPackageOptions as options } from './js';

export const express: StackGenerator = {
  id: 'express',
  label: 'Express',
  language: 'javascript',
  file: 'app.js',
  docs: [
    'https://expressjs.com/en/resources/middleware/cors.html',
    'https://github.com/expressjs/cors#configuration-options',
  ],
  config(c) {
    return ['app.use(', '  cors({', ...options(c).map((l) => '    ' + l), '  }),', ');'].join('\n');
  },
  generate(input) {
    const c = input.config;
    const why = whyLines(input);
    if (c.otherOrigins) why.push('Keep the origins you already allow in `origin`.');
    if (c.credentials) why.push('Never `origin: true` or "*" with credentials: any site could read your users\' data.');
    why.push('Register it before your routes and before auth middleware: it answers preflights (204) itself.');
    const code = [comment(why, '//'), "import cors from 'cors';", '', express.config(c, input)].join('\n');
    return snippet(express, input, [
      {
        id: 'main',
        placement:
          'Right after `const app = express()`, before any route and any auth middleware; replace other cors() calls.',
        code: code + '\n',
      },
    ]);
  },
};
