// FastAPI / Starlette: CORSMiddleware.
// Facts (Starlette source, checked on the Debian build used by the tests):
//  - default allow_methods is ("GET",): a JSON POST preflight fails unless POST is listed;
//  - the preflight response lists SAFELISTED_HEADERS (Accept, Accept-Language, Content-Language,
//    Content-Type) on top of allow_headers, so those are left out of the rendered list;
//  - unhandled exceptions are answered by ServerErrorMiddleware, which sits *outside* every user
//    middleware: those 500s carry no CORS headers unless CORSMiddleware wraps the whole app;
//  - add_middleware order relative to routes does not matter (the stack is built at startup).
import { comment, isLocalDev, snippet, whyLines } from '../common';
import type { CorsConfig, SnippetInput, StackGenerator } from '../types';
import { pyBool, pyList } from './python';

const STARLETTE_ALWAYS = new Set(['accept', 'accept-language', 'content-language', 'content-type']);

function kwargs(c: CorsConfig, _input: SnippetInput): string[] {
  const out = [`allow_origins=${pyList(c.origins)},`];
  out.push(`allow_methods=${pyList(c.methods)},`);
  const headers = c.headers.filter((h) => !STARLETTE_ALWAYS.has(h));
  if (headers.length) out.push(`allow_headers=${pyList(headers)},`);
  if (c.credentials) out.push(`allow_credentials=${pyBool(true)},`);
  if (c.exposeHeaders.length) out.push(`expose_headers=${pyList(c.exposeHeaders)},`);
  out.push(`max_age=${c.maxAge},`);
  return out;
}

export const fastapi: StackGenerator = {
  id: 'fastapi',
  label: 'FastAPI',
  language: 'python',
  file: 'main.py',
  wildcardList: true,
  docs: ['https://fastapi.tiangolo.com/tutorial/cors/', 'https://www.starlette.io/middleware/#corsmiddleware'],
  config(c, input) {
    return ['app.add_middleware(', '    CORSMiddleware,', ...kwargs(c, input).map((l) => '    ' + l), ')'].join('\n');
  },
  generate(input) {
    const c = input.config;
    // Wrapping the whole app puts CORS outside ServerErrorMiddleware (500s keep their headers) and
    // outside every user middleware (an auth middleware never sees the preflight).
    const wrap = input.steps.includes('errors-carry-cors') || input.steps.includes('preflight-before-auth');
    const why = whyLines(input);
    if (c.otherOrigins) why.push('Keep the origins you already allow in allow_origins.');
    if (c.credentials)
      why.push('Never allow_origins=["*"] with allow_credentials=True: Starlette then echoes any origin.');
    if (isLocalDev(input.origin) && !c.credentials)
      why.push(
        'Any local dev port instead: allow_origin_regex=r"http://(localhost|127\\.0\\.0\\.1)(:\\d+)?" in place of allow_origins.',
      );
    const head = [comment(why, '#'), 'from fastapi.middleware.cors import CORSMiddleware', ''];
    const notes: string[] = [];
    if (!wrap) {
      const placement =
        'In the module that creates `app` (e.g. main.py), after `app = FastAPI()`; replace any existing CORSMiddleware setup.';
      return snippet(
        fastapi,
        input,
        [{ id: 'main', placement, code: [...head, fastapi.config(c, input)].join('\n') + '\n' }],
        notes,
      );
    }
    const reason = input.steps.includes('errors-carry-cors')
      ? [
          '# Starlette answers unhandled exceptions outside every app.add_middleware(...) layer, so its 500s',
          '# carry no CORS headers: wrap the whole ASGI app instead.',
        ]
      : ['# Wrap the whole ASGI app so CORS answers preflights before any other middleware (auth included).'];
    const end = [
      ...head,
      ...reason,
      '# Keep this the last statement of the module, after every route and router.',
      ['app = CORSMiddleware(', '    app,', ...kwargs(c, input).map((l) => '    ' + l), ')'].join('\n'),
    ].join('\n');
    notes.push(
      '`app` becomes the wrapped ASGI app: `uvicorn main:app` keeps working; code that needs the FastAPI object (tests, app.openapi()) should keep a reference to it before wrapping.',
    );
    return snippet(
      fastapi,
      input,
      [
        {
          id: 'main',
          placement:
            'Where `app.add_middleware(CORSMiddleware, ...)` is now: remove it (the wrapper below replaces it).',
          code: '# CORS Lens: CORSMiddleware now wraps the whole app at the end of this module.\n',
        },
        {
          id: 'end',
          placement: 'At the very end of the module that creates `app` (e.g. main.py), after all routes and routers.',
          code: end + '\n',
        },
      ],
      notes,
    );
  },
};
