// Every generated snippet passes its stack's own check, composed into a real config/app of that
// stack: py_compile, a JS parser, the TypeScript parser, nginx -t, apache2 -t, caddy validate.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSnippetInput, generateSnippet } from '../../../src/core/snippets';
import type { Snippet, StackId } from '../../../src/core/snippets/types';
import { apacheServer } from '../../servers/apache/server';
import { caddyServer } from '../../servers/caddy/server';
import { djangoServer } from '../../servers/django/server';
import { fastapiServer } from '../../servers/fastapi-snippets/server';
import { flaskServer } from '../../servers/flask/server';
import { freshDir, jsParse, pyCompile, removeDir, snippetRegions, type StackServer } from '../../servers/harness';
import { nginxServer } from '../../servers/nginx/server';
import { nodeServer } from '../../servers/node';
import { entry, SCENARIOS } from './fixtures';

const scenarios = Object.entries(SCENARIOS);
const snippets = (stack: StackId): Array<[string, Snippet]> =>
  scenarios.map(([name, s]) => [name, generateSnippet(stack, buildSnippetInput(entry(s))!)]);

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

const composed: Array<[StackId, StackServer]> = [
  ['fastapi', fastapiServer],
  ['flask', flaskServer],
  ['django', djangoServer],
  ['express', nodeServer('express')],
  ['fastify', nodeServer('fastify')],
  ['hono', nodeServer('hono')],
  ['koa', nodeServer('koa')],
  ['nginx', nginxServer('items')],
  ['apache', apacheServer],
  ['caddy', caddyServer],
];

describe.each(composed)('%s: every snippet passes the stack check inside a real config', (stack, server) => {
  it.each(snippets(stack))('%s', (_name, snippet) => {
    const dir = freshDir(stack);
    dirs.push(dir);
    expect(() => server.check(dir, snippetRegions(snippet), 18080)).not.toThrow();
  });
});

describe('snippets alone parse in their language', () => {
  const pyDir = mkdtempSync(join(tmpdir(), 'cors-lens-py-'));
  dirs.push(pyDir);
  it.each(['fastapi', 'flask', 'django'] as StackId[])('%s: py_compile of each part', (stack) => {
    for (const [name, s] of snippets(stack)) {
      for (const p of s.parts) {
        const f = join(pyDir, `${stack}_${name}_${p.id}.py`.replace(/-/g, '_'));
        writeFileSync(f, p.code);
        pyCompile(f);
      }
    }
  });
  it.each(['express', 'fastify', 'hono', 'koa'] as StackId[])('%s: acorn parses each part as a module', (stack) => {
    for (const [name, s] of snippets(stack)) for (const p of s.parts) jsParse(p.code, `${stack}/${name}`);
  });
  it.each(['nestjs', 'nextjs'] as StackId[])('%s: the TypeScript parser reports no syntax error', (stack) => {
    for (const [name, s] of snippets(stack)) {
      for (const p of s.parts) {
        const out = ts.transpileModule(p.code, {
          reportDiagnostics: true,
          compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
        });
        const errors = (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        expect(errors, `${stack}/${name}:\n${p.code}`).toEqual([]);
      }
    }
  });
});

describe('the FastAPI allow_origin_regex hint', () => {
  it("matches every local dev port and nothing else, with Python's re.fullmatch (as Starlette uses it)", () => {
    const s = generateSnippet('fastapi', buildSnippetInput(entry(SCENARIOS['no-cors-config']!))!);
    const m = s.parts[0]!.code.match(/allow_origin_regex=(r"[^"]+")/);
    expect(m, s.parts[0]!.code).not.toBeNull();
    const probe = `import re, json
rx = re.compile(${m![1]})
print(json.dumps({o: bool(rx.fullmatch(o)) for o in json.loads(input())}))`;
    const origins = [
      'http://localhost:3000',
      'http://127.0.0.1:5173',
      'http://localhost',
      'https://localhost:3000',
      'http://localhost.evil.com:3000',
      'http://127.0.0.1.nip.io:80',
      'http://localhost:3000/',
    ];
    const r = spawnSync('/usr/bin/python3', ['-c', probe], { input: JSON.stringify(origins), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      'http://localhost:3000': true,
      'http://127.0.0.1:5173': true,
      'http://localhost': true,
      'https://localhost:3000': false,
      'http://localhost.evil.com:3000': false,
      'http://127.0.0.1.nip.io:80': false,
      'http://localhost:3000/': false,
    });
  });
});
