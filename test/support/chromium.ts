// Debian Chromium with the built extension loaded and DevTools auto-opened, driven by
// playwright-core over CDP. Chromium is spawned here (not by Playwright's launcher) so the
// DevTools window shows up as a page: connectOverCDP lists it, launchPersistentContext hides it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page, type Worker } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CHROME_EXT = join(ROOT, 'dist/chrome');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const RESULTS = join(ROOT, 'test-results');

/** Flags every automated Chromium here needs (see README "Browsers"). */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
  '--password-store=basic',
];

export interface LaunchOptions {
  /** Load dist/chrome (default true). */
  extension?: boolean | string;
  /** Open DevTools for every tab (default true when the extension is loaded). */
  devtools?: boolean;
  headless?: boolean;
  /** DevTools dark theme (written to the profile before launch). */
  dark?: boolean;
  /** DevTools dock side (default: undocked, so a screenshot of the DevTools window is all DevTools). */
  dock?: 'undocked' | 'bottom' | 'right';
  windowSize?: [number, number];
  extraArgs?: string[];
  /** More unpacked extensions to load next to `extension` (e.g. a test blocker). */
  extraExtensions?: string[];
}

export interface ChromiumSession {
  browser: Browser;
  context: BrowserContext;
  process: ChildProcess;
  userDataDir: string;
  extensionId: string | null;
  close(): Promise<void>;
}

async function waitFor<T>(
  what: string,
  fn: () => T | undefined | null | Promise<T | undefined | null>,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== null && v !== false) return v as T;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
export { waitFor };

export async function launchChromium(opts: LaunchOptions = {}): Promise<ChromiumSession> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  const ext = opts.extension === false ? null : typeof opts.extension === 'string' ? opts.extension : CHROME_EXT;
  if (ext && !existsSync(join(ext, 'manifest.json')))
    throw new Error(`${ext}/manifest.json missing: run npm run build`);
  const devtools = opts.devtools ?? ext !== null;
  const userDataDir = mkdtempSync(join(tmpdir(), 'cors-lens-chromium-'));
  // DevTools stores its settings as JSON strings inside the profile's Preferences.
  const prefs: Record<string, string> = { currentDockState: JSON.stringify(opts.dock ?? 'undocked') };
  if (opts.dark) prefs['ui-theme'] = '"dark"';
  mkdirSync(join(userDataDir, 'Default'), { recursive: true });
  writeFileSync(join(userDataDir, 'Default/Preferences'), JSON.stringify({ devtools: { preferences: prefs } }));
  const [w, h] = opts.windowSize ?? [1400, 900];
  const args = [
    ...CHROMIUM_FLAGS,
    `--user-data-dir=${userDataDir}`,
    '--remote-debugging-port=0',
    `--window-size=${w},${h}`,
    ...((opts.headless ?? true) ? ['--headless=new'] : []),
    ...(devtools ? ['--auto-open-devtools-for-tabs'] : []),
    ...(ext
      ? [
          `--load-extension=${[ext, ...(opts.extraExtensions ?? [])].join(',')}`,
          `--disable-extensions-except=${[ext, ...(opts.extraExtensions ?? [])].join(',')}`,
        ]
      : []),
    ...(opts.extraArgs ?? []),
    'about:blank',
  ];
  const proc = spawn(CHROMIUM, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const portFile = join(userDataDir, 'DevToolsActivePort');
  let browser: Browser;
  try {
    const port = await waitFor('DevToolsActivePort', () => {
      if (proc.exitCode !== null) throw new Error(`chromium exited (${proc.exitCode}): ${stderr}`);
      if (!existsSync(portFile)) return null;
      const line = readFileSync(portFile, 'utf8').split('\n')[0];
      return line ? Number(line) : null;
    });
    browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  } catch (e) {
    try {
      process.kill(-proc.pid!, 'SIGKILL');
    } catch {}
    throw e;
  }
  const context = browser.contexts()[0]!;
  let extensionId: string | null = null;
  if (ext) {
    const sw = await waitFor('extension service worker', () =>
      context.serviceWorkers().find((s) => s.url().startsWith('chrome-extension://')),
    );
    extensionId = new URL(sw.url()).host;
  }
  return {
    browser,
    context,
    process: proc,
    userDataDir,
    extensionId,
    async close() {
      await browser.close().catch(() => {});
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {}
      await new Promise((r) => setTimeout(r, 100));
      rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/**
 * The extension's running service worker. A stopped worker's handle can linger in the context's
 * list for a moment, and evaluating in it never answers: skip handles that do not answer in 2 s.
 */
export function extensionWorker(s: ChromiumSession): Promise<Worker> {
  return waitFor(
    'extension service worker',
    async () => {
      const ws = s.context.serviceWorkers().filter((w) => w.url().startsWith(`chrome-extension://${s.extensionId}/`));
      for (const w of ws.reverse()) {
        const alive = await Promise.race([
          w.evaluate(() => true).catch(() => false),
          new Promise<boolean>((r) => setTimeout(() => r(false), 2000)),
        ]);
        if (alive) return w;
      }
      return null;
    },
    30_000,
  );
}

/** The background's own stats (its `__corsLens` hook), read in its worker. */
export async function backgroundStats(
  s: ChromiumSession,
): Promise<{ scope: string | null; listening: 'all' | number[]; inspected: number[] }> {
  return (await extensionWorker(s)).evaluate(() => (globalThis as any).__corsLens.stats());
}

/** The first ordinary page (not DevTools), navigated to `url`. */
export async function mainPage(s: ChromiumSession, url: string): Promise<Page> {
  const page = await waitFor('main page', () => s.context.pages().find((p) => !p.url().startsWith('devtools://')));
  await page.goto(url);
  return page;
}

/**
 * Chromium's own CORS verdicts for a page: every Network.loadingFailed with corsErrorStatus,
 * joined with the request URL and method from requestWillBeSent.
 */
export interface BrowserVerdict {
  url: string;
  method: string;
  errorText: string;
  corsError?: string;
  failedParameter?: string;
  blockedReason?: string;
}

export async function captureVerdicts(
  page: Page,
): Promise<{ cdp: CDPSession; verdicts: BrowserVerdict[]; finished: Map<string, number> }> {
  const cdp = await page.context().newCDPSession(page);
  const reqs = new Map<string, { url: string; method: string; preflight: boolean }>();
  const verdicts: BrowserVerdict[] = [];
  const finished = new Map<string, number>();
  cdp.on('Network.requestWillBeSent', (e: any) => {
    reqs.set(e.requestId, {
      url: e.request.url,
      method: e.request.method,
      preflight: e.initiator?.type === 'preflight',
    });
  });
  cdp.on('Network.loadingFinished', (e: any) => {
    const r = reqs.get(e.requestId);
    if (r && !r.preflight) finished.set(`${r.method} ${r.url}`, (finished.get(`${r.method} ${r.url}`) ?? 0) + 1);
  });
  cdp.on('Network.loadingFailed', (e: any) => {
    const r = reqs.get(e.requestId);
    if (!r || r.preflight) return;
    const v: BrowserVerdict = { url: r.url, method: r.method, errorText: e.errorText };
    if (e.corsErrorStatus) {
      v.corsError = e.corsErrorStatus.corsError;
      v.failedParameter = e.corsErrorStatus.failedParameter;
    }
    if (e.blockedReason) v.blockedReason = e.blockedReason;
    verdicts.push(v);
  });
  await cdp.send('Network.enable');
  return { cdp, verdicts, finished };
}

/** Saves a screenshot under test-results/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS, { recursive: true });
  const path = join(RESULTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
