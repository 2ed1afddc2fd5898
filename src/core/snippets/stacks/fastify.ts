// Fastify: @fastify/cors. It answers preflights with its own OPTIONS route and sets headers in an
// onRequest hook; register it before routes and before auth hooks so those see it first.
import { comment, snippet, whyLines } from '../common';
import type { StackGenerator } from '../types';
import { corsPackageOptions as options } from './js';

export const fastify: StackGenerator = {
  id: 'fastify',
  label: 'Fastify',
  language: 'javascript',
  file: 'server.js',
  docs: ['https://github.com/fastify/fastify-cors#options', 'https://fastify.dev/docs/latest/Reference/Hooks/'],
  config(c) {
    return ['app.register(cors, {', ...options(c).map((l) => '  ' + l), '});'].join('\n');
  },
  generate(input) {
    const c = input.config;
    const why = whyLines(input);
    if (c.otherOrigins) why.push('Keep the origins you already allow in `origin`.');
    if (c.credentials) why.push('Never `origin: true` or "*" with credentials: any site could read your users\' data.');
    why.push('Register it before your routes and auth hooks (`app` is your Fastify instance).');
    const code = [comment(why, '//'), "import cors from '@fastify/cors';", '', fastify.config(c, input)].join('\n');
    return snippet(fastify, input, [
      {
        id: 'main',
        placement:
          'Right after creating the Fastify instance, before routes and auth hooks; replace any other @fastify/cors registration.',
        code: code + '\n',
      },
    ]);
  },
};
