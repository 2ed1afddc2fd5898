// Real servers for the snippet round trips: each stack has a config/app template with marked
// CORS regions (`# >>> cors-lens:ID` … `# <<< cors-lens:ID`, or `//` in JS) that a broken config
// or a generated snippet fills. A harness composes the file, runs the stack's own check
// (py_compile, a JS parser, nginx -t, apache2 -t, caddy validate) and starts it on 127.0.0.1.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as acorn from 'acorn';
import type { Snippet, StackId } from '../../src/core/snippets/types';

export const SERVERS = resolve(import.meta.dirname);
export const ROOT = resolve(SERVERS, '../..');
export const PYTHON = '/usr/bin/python3';

export type Regions = Record<string, string>;

export interface Started {
  port: number;
  /** Output so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export interface StackServer {
  stack: StackId;
  /** Writes the composed files into `dir` (fresh per start) and returns the main file's text. */
  compose(dir: string, regions: Regions, port: number): string;
  /** The stack's own check of the composed config; throws with the tool's output. */
  check(dir: string, regions: Regions, port: number): void;
  /** Starts the composed server on `port`; resolves once it answers HTTP. */
  start(dir: string, regions: Regions, port: number): Promise<Started>;
}

/** A port that was free a moment ago (servers that cannot take port 0 need one up front). */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

export function freshDir(stack: string): string {
  const dir = mkdtempSync(join(tmpdir(), `cors-lens-${stack}-`));
  // Servers that drop privileges (Apache, nginx workers) must read it.
  chmodSync(dir, 0o755);
  return dir;
}

const REGION = /^([ \t]*)(#|\/\/) >>> cors-lens:([\w-]+)\n([\s\S]*?)^[ \t]*\2 <<< cors-lens:\3[ \t]*$/gm;

/** Fills each marked region with `regions[id]` (indented like its marker); others keep their text. */
export function fillRegions(template: string, regions: Regions, vars: Record<string, string | number> = {}): string {
  let out = template.replace(REGION, (_m, ind: string, c: string, id: string, body: string) => {
    const code = regions[id];
    const inner =
      code === undefined
        ? body
        : code
            .replace(/\n$/, '')
            .split('\n')
            .map((l) => (l ? ind + l : l))
            .join('\n') + '\n';
    return `${ind}${c} >>> cors-lens:${id}\n${inner}${ind}${c} <<< cors-lens:${id}`;
  });
  for (const [k, v] of Object.entries(vars)) out = out.replaceAll(`{{${k}}}`, String(v));
  return out;
}

/** The regions a snippet fills: every part by its id. */
export function snippetRegions(s: Snippet): Regions {
  return Object.fromEntries(s.parts.map((p) => [p.id, p.code]));
}

export function template(stack: string, file: string): string {
  return readFileSync(join(SERVERS, stack, file), 'utf8');
}

export function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): { code: number; output: string } {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

export function mustPass(what: string, r: { code: number; output: string }): void {
  if (r.code !== 0) throw new Error(`${what} failed (${r.code}):\n${r.output}`);
}

export function pyCompile(file: string): void {
  mustPass(`py_compile ${file}`, run(PYTHON, ['-m', 'py_compile', file]));
}

export function jsParse(code: string, what: string): void {
  try {
    acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'module', allowAwaitOutsideFunction: true });
  } catch (e) {
    throw new Error(`${what} does not parse: ${(e as Error).message}\n${code}`);
  }
}

/** Makes `dir` resolve the worktree's node_modules (ESM ignores NODE_PATH). */
export function linkNodeModules(dir: string): void {
  try {
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  } catch {}
}

/** Spawns a server process and waits until 127.0.0.1:port answers any HTTP response. */
export async function spawnServer(
  cmd: string,
  args: string[],
  port: number,
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; readyPath?: string; timeoutMs?: number } = {},
): Promise<Started> {
  const proc: ChildProcess = spawn(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  const take = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  proc.stdout?.on('data', take);
  proc.stderr?.on('data', take);
  let exited = false;
  proc.once('exit', () => (exited = true));
  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-proc.pid!, 'SIGTERM');
    } catch {}
    const until = Date.now() + 5000;
    while (!exited && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    if (!exited) {
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {}
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const until = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (exited) throw new Error(`${cmd} exited before answering on port ${port}:\n${out}`);
    try {
      await fetch(`http://127.0.0.1:${port}${opts.readyPath ?? '/__ready'}`, { signal: AbortSignal.timeout(1000) });
      break;
    } catch {}
    if (Date.now() > until) {
      await stop();
      throw new Error(`${cmd} did not answer on port ${port} in time:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, output: () => out, stop };
}

export function write(dir: string, name: string, text: string, mode?: number): string {
  const p = join(dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  if (mode) chmodSync(p, mode);
  return p;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
