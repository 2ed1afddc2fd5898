// A minimal CDP client over --remote-debugging-pipe, for benchmarks: Chromium is spawned plainly
// and nothing attaches to anything unless asked (Playwright would auto-attach to the extension's
// service worker, keep it alive and instrument it, which perturbs what we measure).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { CHROMIUM, CHROMIUM_FLAGS } from '../test/support/chromium';

type Handler = (params: any, sessionId?: string) => void;

export class Cdp {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: any) => void; reject: (e: Error) => void; method: string }
  >();
  private readonly handlers = new Map<string, Set<Handler>>();
  private buf = '';

  constructor(
    private readonly out: Writable,
    inp: Readable,
  ) {
    inp.setEncoding('utf8');
    inp.on('data', (chunk: string) => {
      this.buf += chunk;
      let i: number;
      while ((i = this.buf.indexOf('\0')) >= 0) {
        const raw = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 1);
        this.dispatch(JSON.parse(raw));
      }
    });
  }

  private dispatch(msg: any): void {
    if (msg.id !== undefined) {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
      else p.resolve(msg.result);
      return;
    }
    for (const h of this.handlers.get(msg.method) ?? []) h(msg.params, msg.sessionId);
  }

  send<T = any>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.out.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });
  }

  on(method: string, h: Handler): () => void {
    let set = this.handlers.get(method);
    if (!set) this.handlers.set(method, (set = new Set()));
    set.add(h);
    return () => set!.delete(h);
  }

  /** Attaches (flattened) to a target; returns a session bound to it. */
  async attach(targetId: string): Promise<Session> {
    const { sessionId } = await this.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
    return new Session(this, sessionId);
  }

  async targets(): Promise<Array<{ targetId: string; type: string; url: string }>> {
    return (await this.send('Target.getTargets')).targetInfos;
  }

  async waitTarget(
    pred: (t: { targetId: string; type: string; url: string }) => boolean,
    what: string,
    timeoutMs = 20_000,
  ) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const t = (await this.targets()).find(pred);
      if (t) return t;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await sleep(50);
    }
  }
}

export class Session {
  constructor(
    readonly cdp: Cdp,
    readonly id: string,
  ) {}
  send<T = any>(method: string, params: object = {}): Promise<T> {
    return this.cdp.send<T>(method, params, this.id);
  }
  on(method: string, h: (params: any) => void): () => void {
    return this.cdp.on(method, (p, sid) => {
      if (sid === this.id) h(p);
    });
  }
  /** Evaluates an expression (awaiting promises) and returns its JSON value. */
  async eval<T = any>(expression: string): Promise<T> {
    const r = await this.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (r.exceptionDetails)
      throw new Error(`evaluate failed: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value as T;
  }
  /** Calls `fn(arg)` in the target (fn must be self-contained). */
  call<A, R>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R> {
    // tsx keeps function names with a __name helper; give it one in the target.
    return this.eval<R>(
      `(() => { const __name = (f) => f; return (${fn.toString()})(${JSON.stringify(arg ?? null)}); })()`,
    );
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface BenchBrowser {
  cdp: Cdp;
  proc: ChildProcess;
  /** The first tab. */
  pageTarget: string;
  extensionId: string | null;
  close(): Promise<void>;
}

export async function launch(
  opts: { extension?: string | null; devtools?: boolean; extraArgs?: string[]; prefs?: object } = {},
): Promise<BenchBrowser> {
  const dir = mkdtempSync(join(tmpdir(), 'cors-lens-bench-'));
  mkdirSync(join(dir, 'Default'), { recursive: true });
  writeFileSync(
    join(dir, 'Default/Preferences'),
    JSON.stringify({ devtools: { preferences: { currentDockState: '"undocked"' } }, ...opts.prefs }),
  );
  const ext = opts.extension ?? null;
  const args = [
    ...CHROMIUM_FLAGS,
    `--user-data-dir=${dir}`,
    '--remote-debugging-pipe',
    '--headless=new',
    '--window-size=1400,900',
    ...(opts.devtools ? ['--auto-open-devtools-for-tabs'] : []),
    ...(ext ? [`--load-extension=${ext}`, `--disable-extensions-except=${ext}`] : ['--disable-extensions']),
    ...(opts.extraArgs ?? []),
    'about:blank',
  ];
  const proc = spawn(CHROMIUM, args, { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'], detached: true });
  const cdp = new Cdp(proc.stdio[3] as Writable, proc.stdio[4] as Readable);
  const page = await cdp.waitTarget((t) => t.type === 'page' && t.url === 'about:blank', 'first tab');
  let extensionId: string | null = null;
  if (ext) {
    const sw = await cdp.waitTarget(
      (t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'),
      'extension service worker',
    );
    extensionId = new URL(sw.url).host;
  }
  return {
    cdp,
    proc,
    pageTarget: page.targetId,
    extensionId,
    async close() {
      await cdp.send('Browser.close').catch(() => {});
      await sleep(300);
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {}
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/** The extension's service worker session (attaching keeps it alive and adds a debugger: only for memory). */
export async function attachWorker(b: BenchBrowser): Promise<Session> {
  const sw = await b.cdp.waitTarget(
    (t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${b.extensionId}/`),
    'service worker',
  );
  return b.cdp.attach(sw.targetId);
}

/**
 * Sets CORS Lens to record every tab (as its options page does) in the worker `sw`, and waits
 * until the background listens to every tab.
 */
export async function recordEveryTab(sw: Session): Promise<void> {
  for (
    let i = 0;
    !(await sw.eval<boolean>(`typeof chrome !== 'undefined' && !!globalThis.__corsLens`).catch(() => false));
    i++
  ) {
    if (i > 400) throw new Error('the background never started');
    await sleep(25);
  }
  await sw.eval(`chrome.storage.local.set({ 'settings.recordScope': 'all' })`);
  for (let i = 0; (await sw.eval(`globalThis.__corsLens.stats().listening`)) !== 'all'; i++) {
    if (i > 400) throw new Error('CORS Lens did not switch to recording every tab');
    await sleep(25);
  }
}

/** Selects the CORS panel in the DevTools window and returns the DevTools session. */
export async function devtoolsSession(b: BenchBrowser): Promise<Session> {
  const dt = await b.cdp.waitTarget(
    (t) => t.url.startsWith('devtools://devtools/') && t.url.includes('devtools_app.html'),
    'DevTools window',
  );
  return b.cdp.attach(dt.targetId);
}

export async function showCorsPanel(b: BenchBrowser, dt: Session): Promise<void> {
  const panelId = `chrome-extension://${b.extensionId}CORS`;
  const until = Date.now() + 60_000; // DevTools starts slowly on a loaded 2-core machine
  while (!(await dt.eval<boolean>(`!!globalThis.UI?.panels?.[${JSON.stringify(panelId)}]`).catch(() => false))) {
    if (Date.now() > until) throw new Error('CORS panel not registered');
    await sleep(50);
  }
  // showPanel can be lost while DevTools is still starting up on a loaded machine (seen once in
  // CI): ask again until the panel's frame exists.
  const isFrame = (t: { type: string; url: string }) => t.type === 'iframe' && t.url.includes('/src/panel/panel.html');
  for (let asked = 0; ; asked++) {
    if (Date.now() > until) throw new Error('CORS panel frame did not appear after showPanel');
    if (asked % 40 === 0) await dt.eval(`InspectorFrontendAPI.showPanel(${JSON.stringify(panelId)})`);
    if ((await b.cdp.targets()).some(isFrame)) return;
    await sleep(50);
  }
}

export async function panelSession(b: BenchBrowser): Promise<Session> {
  const t = await b.cdp.waitTarget(
    (x) => x.type === 'iframe' && x.url.includes('/src/panel/panel.html'),
    'CORS panel frame',
  );
  return b.cdp.attach(t.targetId);
}

/**
 * CPU time (ms, user+system) used so far by every process of a browser (its process group),
 * by process kind: browser, renderer, extension (the extension renderer), network, storage, gpu, other.
 */
export function cpuByKind(pgid: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    let cmd: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(f[2]) !== pgid) continue; // field 5: pgrp
    const ticks = Number(f[11]) + Number(f[12]); // utime + stime
    const type = /--type=([\w-]+)/.exec(cmd)?.[1];
    const kind = !type
      ? 'browser'
      : type === 'renderer'
        ? cmd.includes('--extension-process')
          ? 'extension'
          : 'renderer'
        : type === 'utility'
          ? cmd.includes('NetworkService')
            ? 'network'
            : cmd.includes('StorageService')
              ? 'storage'
              : 'other'
          : type === 'gpu-process'
            ? 'gpu'
            : 'other';
    out[kind] = (out[kind] ?? 0) + ticks * (1000 / CLK_TCK);
  }
  return out;
}
const CLK_TCK = 100;

export function cpuDelta(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const d: Record<string, number> = {};
  for (const k of Object.keys(after)) d[k] = Math.round(after[k]! - (before[k] ?? 0));
  d.total = Object.values(d).reduce((a, b) => a + b, 0);
  return d;
}
