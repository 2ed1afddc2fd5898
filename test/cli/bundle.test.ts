// The shipped command line: dist/cli/cors-lens.mjs is one ESM file that plain `node` runs and that
// imports nothing but Node's built-ins (no runtime dependencies). Built here with the project's own
// config, exactly as `npm run build` does.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { parse } from 'acorn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = resolve(ROOT, 'dist/cli/cors-lens.mjs');
let server: http.Server;
let base = '';

beforeAll(async () => {
  execFileSync(
    process.execPath,
    [resolve(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '-c', 'vite.cli.config.ts', '--logLevel', 'error'],
    { cwd: ROOT, stdio: 'pipe', timeout: 120_000 },
  );
  server = http.createServer((req, res) => {
    res.writeHead(200, {
      'access-control-allow-origin':
        req.headers.origin === 'http://localhost:5173' ? 'http://localhost:5173' : 'http://localhost:3000/',
    });
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 180_000);
afterAll(() => new Promise((r) => server?.close(r)));

describe('dist/cli/cors-lens.mjs', () => {
  it('is one executable ESM file with a shebang whose every import is a node: built-in', { timeout: 60_000 }, () => {
    const src = readFileSync(BIN, 'utf8');
    expect(src.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(BIN).mode & 0o111).not.toBe(0);
    const ast = parse(src, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true });
    const sources: string[] = [];
    const walk = (n: unknown): void => {
      if (!n || typeof n !== 'object') return;
      const node = n as { type?: string; source?: { value?: unknown }; callee?: { name?: string } };
      if (
        (node.type === 'ImportDeclaration' ||
          node.type === 'ExportAllDeclaration' ||
          node.type === 'ExportNamedDeclaration' ||
          node.type === 'ImportExpression') &&
        node.source
      )
        sources.push(String(node.source.value ?? '<dynamic>'));
      if (node.type === 'CallExpression' && node.callee?.name === 'require') sources.push('<require>');
      for (const v of Object.values(node)) if (v && typeof v === 'object') Array.isArray(v) ? v.forEach(walk) : walk(v);
    };
    walk(ast);
    expect(sources.length).toBeGreaterThan(0);
    for (const s of sources) expect(s, s).toMatch(/^node:/);
  });

  it(
    'runs with plain node: --version, a usage error (exit 2), and a real probe that finds the accepted origin',
    { timeout: 120_000 },
    async () => {
      const v = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
      expect(v.status).toBe(0);
      expect(v.stdout).toMatch(/^cors-lens \d+\.\d+\.\d+/);
      const bad = spawnSync(process.execPath, [BIN, 'probe', base, '--origin', 'http://localhost:3000/'], {
        encoding: 'utf8',
      });
      expect(bad.status).toBe(2);
      expect(bad.stderr.trim()).toBe(
        'cors-lens: bad --origin "http://localhost:3000/": an Origin has no path or trailing slash — use http://localhost:3000',
      );
      // Asynchronously: the server runs in this process.
      const p = await new Promise<{ status: number | null; stdout: string }>((done) => {
        const child = execFile(
          process.execPath,
          [BIN, 'probe', `${base}/api`, '--origin', 'http://localhost:3000', '--json'],
          { encoding: 'utf8', timeout: 60_000 },
          (_e, stdout) => done({ status: child.exitCode, stdout }),
        );
      });
      expect(p.status).toBe(1);
      const r = JSON.parse(p.stdout);
      expect(r.entries[0].verdict.symptom.corsError).toBe('AllowOriginMismatch');
      expect(r.entries[0].verdict.cause).toMatchObject({ code: 'origin-typo', confidence: 'certain' });
      // Every variant answered with exactly itself counts: the slash one (the server's fallback value) and 5173.
      expect(r.entries[0].verdict.cause.facts.accepted).toBe('http://localhost:3000/ http://localhost:5173');
    },
  );
});
