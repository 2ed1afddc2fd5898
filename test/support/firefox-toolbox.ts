// Firefox ESR's own DevTools toolbox, driven through WebDriver BiDi. Firefox must run with
// --devtools and the remote agent's system access (--remote-allow-system-access, see
// TOOLBOX_ARGS): BiDi then evaluates in the browser window's chrome scope, where the toolbox API
// selects the CORS tool and a frame script reads the panel's document. Shared by `npm start --
// --firefox` and test/e2e/firefox-toolbox.e2e.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS, waitFor } from './chromium';
import type { FirefoxSession } from './firefox';

/** Arguments for launchFirefox({ devtools: true, args }) that make the toolbox reachable. */
export const TOOLBOX_ARGS = ['--remote-allow-system-access'];

interface Bidi {
  send(method: string, params: object): Promise<{ result: any }>;
}

/** The selected tab's toolbox (`tb`, possibly null) in a chrome-scope script. */
const TOOLBOX = `
  const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
  const { gDevTools } = require('devtools/client/framework/devtools');
  const tb = gDevTools.getToolboxForTab(gBrowser.selectedTab);`;

export interface FirefoxToolbox {
  /** Evaluates an async function body in the browser window's chrome scope; returns its string result. */
  inChrome(body: string): Promise<string>;
  /** The id of the CORS tool in the selected tab's toolbox, once the extension registered it. */
  corsToolId(): Promise<string | null>;
  /** The toolbox's selected tool id ('' without a toolbox). */
  currentToolId(): Promise<string>;
  /** Waits for the CORS tool, selects it and returns its id once the toolbox reports it selected. */
  selectCorsTool(timeoutMs?: number): Promise<string>;
  /** Runs `fn` (source of a function of no arguments, `content` is the panel's window) in the CORS panel. */
  inPanel<T>(fn: string): Promise<T>;
  /** A PNG of the whole browser window (page and docked toolbox) in test-results/; returns its path. */
  screenshot(name: string): Promise<string>;
}

/** Connects to the chrome scope of the session's browser window (launched with TOOLBOX_ARGS). */
export async function firefoxToolbox(ff: FirefoxSession): Promise<FirefoxToolbox> {
  const bidi = (ff.browser as unknown as { connection: Bidi }).connection;
  const tree = await bidi.send('browsingContext.getTree', { 'moz:scope': 'chrome' });
  const chromeContext = tree.result.contexts.find(
    (c: { url: string }) => c.url === 'chrome://browser/content/browser.xhtml',
  )?.context;
  if (!chromeContext) throw new Error('no browser window in chrome scope (was Firefox started with TOOLBOX_ARGS?)');

  async function inChrome(body: string): Promise<string> {
    const r = await bidi.send('script.evaluate', {
      expression: `(async () => { ${body} })()`,
      target: { context: chromeContext },
      awaitPromise: true,
      resultOwnership: 'none',
    });
    if (r.result.type !== 'success')
      throw new Error(`chrome-scope script failed: ${JSON.stringify(r.result.exceptionDetails?.text ?? r.result)}`);
    return String(r.result.result.value ?? '');
  }

  async function corsToolId(): Promise<string | null> {
    const id = await inChrome(
      `${TOOLBOX} if (!tb) return ''; const t = tb.getAdditionalTools().find((x) => x.label === 'CORS'); return t ? t.id : '';`,
    );
    return id || null;
  }

  const currentToolId = () => inChrome(`${TOOLBOX} return tb ? tb.currentToolId : '';`);

  async function selectCorsTool(timeoutMs = 60_000): Promise<string> {
    const id = await waitFor('the CORS tool in the toolbox', corsToolId, timeoutMs);
    await inChrome(`${TOOLBOX} await tb.selectTool(${JSON.stringify(id)}); return tb.currentToolId;`);
    await waitFor('the CORS tool selected', async () => (await currentToolId()) === id, timeoutMs);
    return id;
  }

  async function inPanel<T>(fn: string): Promise<T> {
    const script = `sendAsyncMessage('cors-lens-test', JSON.stringify((${fn})()))`;
    const out = await inChrome(`${TOOLBOX}
      const id = tb.getAdditionalTools().find((x) => x.label === 'CORS').id;
      const frame = tb.doc.getElementById('toolbox-panel-iframe-' + id);
      const browser = frame && frame.contentDocument && frame.contentDocument.querySelector('browser');
      if (!browser) return 'null';
      const mm = browser.messageManager;
      return await new Promise((resolve) => {
        const done = (v) => { mm.removeMessageListener('cors-lens-test', on); resolve(v); };
        const on = (m) => done(m.data);
        mm.addMessageListener('cors-lens-test', on);
        mm.loadFrameScript('data:,' + encodeURIComponent(${JSON.stringify(script)}), false);
        setTimeout(() => done('null'), 10000);
      });`);
    return JSON.parse(out) as T;
  }

  async function screenshot(name: string): Promise<string> {
    const url = await inChrome(`
      const bmp = await window.browsingContext.currentWindowGlobal.drawSnapshot(null, 1, 'white');
      const c = document.createElementNS('http://www.w3.org/1999/xhtml', 'canvas');
      c.width = bmp.width; c.height = bmp.height;
      c.getContext('2d').drawImage(bmp, 0, 0);
      return c.toDataURL('image/png');`);
    mkdirSync(RESULTS, { recursive: true });
    const file = join(RESULTS, `${name}.png`);
    writeFileSync(file, Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'));
    return file;
  }

  return { inChrome, corsToolId, currentToolId, selectCorsTool, inPanel, screenshot };
}
