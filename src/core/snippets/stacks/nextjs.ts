// Next.js (App Router): proxy.ts (Next.js 16; middleware.ts before, same API) answers preflights
// for the API routes and adds the headers to every response it passes on. Route handlers that
// throw get Next.js's own error page, which carries no headers from here.
import { comment, sq, snippet, whyLines } from '../common';
import type { CorsConfig, SnippetInput, StackGenerator } from '../types';
import { jsList } from './js';

function matcher(input: SnippetInput): string {
  const first = input.path.split('/').filter(Boolean)[0];
  return first ? `/${first}/:path*` : '/:path*';
}

function consts(c: CorsConfig): string[] {
  const pre: string[] = [];
  pre.push(`const allowedOrigins = ${jsList(c.origins)};`);
  pre.push('const preflightHeaders = {');
  pre.push(`  'Access-Control-Allow-Methods': ${sq(c.methods.join(', '))},`);
  if (c.headers.length) pre.push(`  'Access-Control-Allow-Headers': ${sq(c.headers.join(', '))},`);
  pre.push(`  'Access-Control-Max-Age': ${sq(String(c.maxAge))},`);
  pre.push('};');
  pre.push('const responseHeaders: Record<string, string> = {');
  if (c.credentials) pre.push("  'Access-Control-Allow-Credentials': 'true',");
  if (c.exposeHeaders.length) pre.push(`  'Access-Control-Expose-Headers': ${sq(c.exposeHeaders.join(', '))},`);
  pre.push('};');
  return pre;
}

export const nextjs: StackGenerator = {
  id: 'nextjs',
  label: 'Next.js',
  language: 'typescript',
  file: 'proxy.ts',
  docs: [
    'https://nextjs.org/docs/app/api-reference/file-conventions/proxy',
    'https://nextjs.org/docs/app/building-your-application/routing/route-handlers#cors',
  ],
  config(c) {
    return consts(c).join('\n');
  },
  generate(input) {
    const c = input.config;
    const why = whyLines(input);
    if (c.otherOrigins) why.push('Keep the origins you already allow in allowedOrigins.');
    const code = [
      comment(why, '//'),
      "import { NextResponse, type NextRequest } from 'next/server';",
      '',
      ...consts(c),
      '',
      'export function proxy(request: NextRequest) {',
      "  const origin = request.headers.get('origin') ?? '';",
      '  const allowed = allowedOrigins.includes(origin);',
      "  const cors: Record<string, string> = allowed ? { 'Access-Control-Allow-Origin': origin, ...responseHeaders } : {};",
      '  // Answer preflights here: browsers send them without cookies or Authorization.',
      "  if (request.method === 'OPTIONS' && request.headers.has('access-control-request-method')) {",
      "    return new NextResponse(null, { status: 204, headers: { ...cors, ...(allowed ? preflightHeaders : {}), Vary: 'Origin' } });",
      '  }',
      '  const response = NextResponse.next();',
      '  for (const [name, value] of Object.entries(cors)) response.headers.set(name, value);',
      "  response.headers.append('Vary', 'Origin');",
      '  return response;',
      '}',
      '',
      `export const config = { matcher: ${sq(matcher(input))} };`,
    ].join('\n');
    const extra = [
      'Next.js 15 or older: name the file middleware.ts and the function `middleware` (same API).',
      'Only one route handler needs CORS? Export an OPTIONS function from its route.ts that returns a 204 with the preflight headers above, and set the response headers on the Response each method returns.',
    ];
    if (input.steps.includes('errors-carry-cors'))
      extra.push(
        'Unhandled errors in a route handler are answered by Next.js itself: catch them in the handler and return a Response (the proxy headers then apply), and fix the crash.',
      );
    return snippet(
      nextjs,
      input,
      [
        {
          id: 'main',
          placement:
            'proxy.ts at the project root or in src/ (next to app/); merge with an existing proxy/middleware function if you have one.',
          code: code + '\n',
        },
      ],
      extra,
    );
  },
};
