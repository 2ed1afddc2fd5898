// Reaching the real DevTools window and our panel inside it from playwright-core.
// Playwright does not list DevTools windows as pages, so we talk to them through a browser CDP
// session: Target.attachToTarget (non-flattened) + Target.sendMessageToTarget. Each CdpTarget is
// one such channel; the DevTools window and the panel's out-of-process iframe are separate targets.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { RESULTS, waitFor, type ChromiumSession } from './chromium';

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
  attached: boolean;
}

let browserSessions = new WeakMap<ChromiumSession, CDPSession>();
const claimed = new Set<string>();

async function browserSession(s: ChromiumSession): Promise<CDPSession> {
  let bs = browserSessions.get(s);
  if (!bs) {
    bs = await s.browser.newBrowserCDPSession();
    browserSessions.set(s, bs);
  }
  return bs;
}

export async function targets(s: ChromiumSession): Promise<TargetInfo[]> {
  const bs = await browserSession(s);
  const { targetInfos } = (await bs.send('Target.getTargets')) as { targetInfos: TargetInfo[] };
  return targetInfos;
}

/** The extension's running service-worker target, if any. */
export async function workerTarget(s: ChromiumSession): Promise<TargetInfo | undefined> {
  return (await targets(s)).find(
    (t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${s.extensionId}/`),
  );
}

/**
 * Stops the extension's service worker (closing its target, as chrome://serviceworker-internals
 * "Stop" does) and waits until it is gone. An open port wakes a new one at once: `restarted` (if
 * given) tells when that counts as done.
 */
export async function stopWorker(s: ChromiumSession, restarted?: () => Promise<boolean>): Promise<void> {
  const sw = await workerTarget(s);
  if (!sw) throw new Error('the extension service worker is not running');
  const bs = await browserSession(s);
  await bs.send('Target.closeTarget', { targetId: sw.targetId });
  await waitFor(
    'service worker stopped',
    async () => !(await workerTarget(s)) || (restarted ? await restarted() : false),
  );
}

export class CdpTarget {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, Array<(params: any) => void>>();

  private constructor(
    private readonly bs: CDPSession,
    readonly sessionId: string,
    readonly info: TargetInfo,
  ) {
    bs.on('Target.receivedMessageFromTarget', (e: any) => {
      if (e.sessionId !== this.sessionId) return;
      const msg = JSON.parse(e.message);
      if (msg.id !== undefined) {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.error) p.reject(new Error(`${msg.error.message} (${msg.error.code})`));
        else p.resolve(msg.result);
      } else if (msg.method) {
        for (const l of this.listeners.get(msg.method) ?? []) l(msg.params);
      }
    });
  }

  static async attach(s: ChromiumSession, info: TargetInfo): Promise<CdpTarget> {
    const bs = await browserSession(s);
    const { sessionId } = (await bs.send('Target.attachToTarget', { targetId: info.targetId, flatten: false })) as {
      sessionId: string;
    };
    return new CdpTarget(bs, sessionId, info);
  }

  send<T = any>(method: string, params: object = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.bs
        .send('Target.sendMessageToTarget', {
          sessionId: this.sessionId,
          message: JSON.stringify({ id, method, params }),
        })
        .catch(reject);
    });
  }

  on(method: string, fn: (params: any) => void): void {
    const arr = this.listeners.get(method) ?? [];
    arr.push(fn);
    this.listeners.set(method, arr);
  }

  /** Evaluates `fn(arg)` in the target's main world and returns the JSON result. */
  async evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R> {
    const expression = `(${fn.toString()})(${JSON.stringify(arg ?? null)})`;
    const res = await this.send('Runtime.evaluate', {
      expression,
      awaitPromise: true,
      returnByValue: true,
      userGesture: true,
    });
    if (res.exceptionDetails) {
      throw new Error(
        `evaluate failed in ${this.info.url}: ${res.exceptionDetails.exception?.description ?? res.exceptionDetails.text}`,
      );
    }
    return res.result.value as R;
  }

  /** Polls `fn(arg)` until it returns a truthy value. */
  async waitFor<A, R>(what: string, fn: (arg: A) => R | Promise<R>, arg?: A, timeoutMs = 10_000): Promise<R> {
    return waitFor(what, () => this.evaluate(fn, arg).catch(() => null) as Promise<R | null>, timeoutMs, 50);
  }

  async detach(): Promise<void> {
    await this.bs.send('Target.detachFromTarget', { sessionId: this.sessionId }).catch(() => {});
  }
}

/** The DevTools window inspecting `page`, with helpers to select and reach our panel. */
export class DevtoolsWindow {
  private constructor(
    private readonly s: ChromiumSession,
    readonly window: CdpTarget,
  ) {}

  /**
   * Waits for the DevTools window that --auto-open-devtools-for-tabs opened for `page`.
   * DevTools does not say which tab it inspects, so tests keep one inspected tab per browser;
   * with several, the newest window not yet claimed is taken.
   */
  static async of(s: ChromiumSession, _page: Page): Promise<DevtoolsWindow> {
    const info = await waitFor('DevTools window', async () => {
      const all = (await targets(s)).filter(
        (t) => t.type === 'page' && /^devtools:\/\/devtools\/.*devtools_app\.html/.test(t.url),
      );
      const free = all.filter((t) => !claimed.has(t.targetId));
      return free[free.length - 1];
    });
    claimed.add(info.targetId);
    return new DevtoolsWindow(s, await CdpTarget.attach(s, info));
  }

  /** Selects the CORS tab (it may sit in the » overflow; showPanel works regardless). */
  async showCorsPanel(): Promise<CdpTarget> {
    const panelId = `chrome-extension://${this.s.extensionId}CORS`;
    await this.window.waitFor(
      'CORS panel registered',
      (id: string) => !!(globalThis as any).UI?.panels?.[id],
      panelId,
      20_000,
    );
    // showPanel can be lost while DevTools is still starting up on a loaded machine: ask again
    // (every 2 s) until the panel's frame exists.
    const show = () =>
      this.window.evaluate((id: string) => (globalThis as any).InspectorFrontendAPI.showPanel(id), panelId);
    let asked = 0;
    await waitFor(
      'CORS panel frame after showPanel',
      async () => {
        if (asked++ % 40 === 0) await show();
        return (
          (await targets(this.s)).some((t) => t.type === 'iframe' && t.url.includes('/src/panel/panel.html')) || null
        );
      },
      60_000,
    );
    return this.panel();
  }

  /** The panel iframe target (an out-of-process frame of the DevTools window). */
  async panel(): Promise<CdpTarget> {
    const info = await waitFor('CORS panel frame', async () =>
      (await targets(this.s)).find((t) => t.type === 'iframe' && t.url.includes('/src/panel/panel.html')),
    );
    const panel = await CdpTarget.attach(this.s, info);
    await panel.waitFor('panel rendered', () => !!document.querySelector('main'), undefined, 20_000);
    return panel;
  }

  /** Screenshot of the whole DevTools window (the panel included) into test-results/NAME.png. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(RESULTS, { recursive: true });
    const { data } = await this.window.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
    const path = join(RESULTS, `${name}.png`);
    writeFileSync(path, Buffer.from(data, 'base64'));
    return path;
  }

  /** Sends a key press to the DevTools window (delivered to the focused frame, e.g. our panel). */
  async press(
    key: string,
    opts: { code?: string; keyCode?: number; modifiers?: number; text?: string } = {},
  ): Promise<void> {
    const base = {
      key,
      code: opts.code ?? key,
      windowsVirtualKeyCode: opts.keyCode ?? 0,
      modifiers: opts.modifiers ?? 0,
    };
    await this.window.send('Input.dispatchKeyEvent', {
      type: opts.text ? 'keyDown' : 'rawKeyDown',
      ...base,
      ...(opts.text ? { text: opts.text } : {}),
    });
    await this.window.send('Input.dispatchKeyEvent', { type: 'keyUp', ...base });
  }
}

export function resetBrowserSessions(): void {
  browserSessions = new WeakMap();
}
