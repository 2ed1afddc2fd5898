// NestJS: app.enableCors(options) in main.ts (Express adapter: the `cors` package; Fastify adapter:
// @fastify/cors — the same option names). It runs before guards, so preflights never reach auth.
import { comment, snippet, whyLines } from '../common';
import type { StackGenerator } from '../types';
import { corsPackageOptions as options } from './js';

export const nestjs: StackGenerator = {
  id: 'nestjs',
  label: 'NestJS',
  language: 'typescript',
  file: 'src/main.ts',
  docs: ['https://docs.nestjs.com/security/cors', 'https://github.com/expressjs/cors#configuration-options'],
  config(c) {
    return ['app.enableCors({', ...options(c).map((l) => '  ' + l), '});'].join('\n');
  },
  generate(input) {
    const c = input.config;
    const why = whyLines(input);
    if (c.otherOrigins) why.push('Keep the origins you already allow in `origin`.');
    if (c.credentials) why.push('Never `origin: true` or "*" with credentials: any site could read your users\' data.');
    why.push('Call it before app.listen(); it answers preflights before guards and interceptors run.');
    const code = [comment(why, '//'), nestjs.config(c, input)].join('\n');
    return snippet(nestjs, input, [
      {
        id: 'main',
        placement:
          'In src/main.ts, after `const app = await NestFactory.create(AppModule)` and before `await app.listen(...)`; replace `cors: true` or other enableCors calls.',
        code: code + '\n',
      },
    ]);
  },
};
