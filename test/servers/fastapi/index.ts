// Starts the FastAPI app of this folder with Debian's python3-fastapi/python3-uvicorn (only
// /usr/bin/python3 sees them) on 127.0.0.1, one process per CORS configuration.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';

export const PYTHON = process.env.CORS_LENS_PYTHON ?? '/usr/bin/python3';

export interface FastApiConfig {
  middleware: boolean;
  after_routes?: boolean;
  options_route?: boolean;
  allow_origins?: string[];
  allow_credentials?: boolean;
  allow_methods?: string[];
  allow_headers?: string[];
}

export interface FastApiServer {
  port: number;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** http://localhost:PORT (another origin; no cookie there). */
  localhostOrigin: string;
  process: ChildProcess;
  close(): Promise<void>;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export async function startFastApi(config: FastApiConfig, timeoutMs = 20_000): Promise<FastApiServer> {
  const proc = spawn(PYTHON, [join(import.meta.dirname, 'serve.py')], {
    env: { ...process.env, CORS_LENS_APP: JSON.stringify(config), PYTHONDONTWRITEBYTECODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`FastAPI did not start within ${timeoutMs} ms: ${stderr}`)),
      timeoutMs,
    );
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`FastAPI exited (${code}): ${stderr}`));
    });
  });
  const until = Date.now() + timeoutMs;
  while (!(await canConnect(port))) {
    if (Date.now() > until) throw new Error(`FastAPI on ${port} never accepted connections: ${stderr}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    localhostOrigin: `http://localhost:${port}`,
    process: proc,
    close: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}
