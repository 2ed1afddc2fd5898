// Share a failure, end to end in real Chromium: a page's request is blocked by a real server; in
// the real DevTools window the CORS panel exports it (downloads captured through CDP
// Browser.setDownloadBehavior), the JSON validates and re-opens in the panel, the HAR validates and
// imports into DevTools' own Network panel, and the curl export replays the preflight against the
// server with the same answer. A second test plants secrets in a real credentialed request and
// searches every export — of the LogEntry the real background recorded — for them.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CDPSession } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LogEntry, OriginStats } from '../../src/core/log';
import { exportReport, FORMATS, type ExportFormat, type ExportScope } from '../../src/core/report';
import { captureVerdicts, launchChromium, mainPage, RESULTS, waitFor, type ChromiumSession } from '../support/chromium';
import { DevtoolsWindow, type CdpTarget } from '../support/devtools';
import { startApi, startPages, type ApiServer, type RunningServer } from '../support/servers';
import { harValidator, reportValidator } from '../core/report/validators';

const run = promisify(execFile);
let api: ApiServer;
let pages: RunningServer;
let s: ChromiumSession;
let devtools: DevtoolsWindow;
let panel: CdpTarget;
let downloads: Downloads;
let page: Awaited<ReturnType<typeof mainPage>>;
let cdp: Awaited<ReturnType<typeof captureVerdicts>>;

/** Files the browser downloads, captured in a fresh directory through the browser CDP session. */
class Downloads {
  readonly dir = mkdtempSync(join(tmpdir(), 'cors-lens-downloads-'));
  private readonly names = new Map<string, string>();
  private readonly done = new Map<string, string>();
  private constructor(private readonly bs: CDPSession) {
    bs.on('Browser.downloadWillBegin', (e: any) => this.names.set(e.guid, e.suggestedFilename));
    bs.on('Browser.downloadProgress', (e: any) => {
      if (e.state === 'completed') this.done.set(e.guid, join(this.dir, this.names.get(e.guid)!));
    });
  }
  static async start(session: ChromiumSession): Promise<Downloads> {
    const bs = await session.browser.newBrowserCDPSession();
    const d = new Downloads(bs);
    await bs.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: d.dir, eventsEnabled: true });
    return d;
  }
  /** Runs `click` and returns the path of the download it caused. */
  async capture(click: () => Promise<unknown>): Promise<string> {
    const before = new Set(this.done.keys());
    await click();
    return waitFor('download completed', () => [...this.done].find(([g]) => !before.has(g))?.[1], 30_000);
  }
  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function clickIn(target: CdpTarget, testid: string): Promise<void> {
  await target.waitFor(
    `[data-testid=${testid}]`,
    (id: string) => {
      const el = document.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
      if (!el || (el as HTMLButtonElement).disabled) return false;
      el.click();
      return true;
    },
    testid,
  );
}

async function ensureMenuOpen(): Promise<void> {
  const open = await panel.evaluate(() => !!document.querySelector('[data-testid="export-popover"]'));
  if (!open) await clickIn(panel, 'export-toggle');
}

/** Exports from the panel's own UI and returns the downloaded file's path. */
async function exportFromPanel(scope: ExportScope, format: ExportFormat, includeSecrets = false): Promise<string> {
  await ensureMenuOpen();
  await clickIn(panel, `export-scope-${scope}`);
  await clickIn(panel, `export-format-${format}`);
  const checked = await panel.evaluate(
    () => (document.querySelector('[data-testid="export-include-secrets"]') as HTMLInputElement).checked,
  );
  if (checked !== includeSecrets) await clickIn(panel, 'export-include-secrets');
  return downloads.capture(() => clickIn(panel, 'export-download'));
}

/** The tab log exactly as the real background holds it (a panel port, like the panel's own). */
async function backgroundLog(): Promise<{ entries: LogEntry[]; origins: OriginStats[] }> {
  return panel.evaluate(
    () =>
      new Promise<{ entries: LogEntry[]; origins: OriginStats[] }>((resolve) => {
        const port = chrome.runtime.connect({ name: 'cors-lens-panel' });
        port.onMessage.addListener((m: any) => {
          if (m.type !== 'snapshot') return;
          port.disconnect();
          resolve({ entries: m.entries, origins: m.origins });
        });
        port.postMessage({ type: 'subscribe', tabId: chrome.devtools.inspectedWindow.tabId });
      }),
  );
}

async function selectRow(url: string): Promise<void> {
  await panel.waitFor(
    'row to select',
    (u: string) => {
      const row = [...document.querySelectorAll('[data-testid="row"]')].find((r) => r.textContent?.includes(u)) as
        HTMLElement | undefined;
      if (!row) return false;
      row.click();
      return row.classList.contains('selected') || (row.click(), false);
    },
    url,
  );
}

/** Sets a file on an <input type=file> of `target` (found by a deep, shadow-piercing search) the way a file chooser does. */
async function setFile(target: CdpTarget, selector: string, path: string): Promise<void> {
  const res = await target.send('Runtime.evaluate', {
    expression: `(() => { let f = null; const walk = (r) => { for (const el of r.querySelectorAll('*')) { if (!f && el.matches(${JSON.stringify(selector)})) f = el; if (el.shadowRoot) walk(el.shadowRoot); } }; walk(document); return f; })()`,
  });
  expect(res.result.objectId, `${selector} in ${target.info.url}`).toBeTruthy();
  await target.send('DOM.enable');
  await target.send('DOM.getDocument', { depth: -1, pierce: true });
  await target.send('DOM.setFileInputFiles', { files: [path], objectId: res.result.objectId });
}

beforeAll(async () => {
  api = await startApi();
  pages = await startPages();
  s = await launchChromium();
  downloads = await Downloads.start(s);
  page = await mainPage(s, `${pages.origin}/`);
  cdp = await captureVerdicts(page);
  devtools = await DevtoolsWindow.of(s, page);
  panel = await devtools.showCorsPanel();
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail')
    await devtools?.screenshot(`export-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}-FAILED`).catch(() => {});
});
afterAll(async () => {
  await s?.close();
  downloads?.close();
  await api?.close();
  await pages?.close();
});

describe('Chromium: export from the real DevTools panel, re-open, import the HAR into the Network panel', () => {
  it('exports a blocked PUT in every format; each file is valid and says what Chromium says', async () => {
    // FastAPI's default: the preflight allows the origin but only GET.
    api.route('/items/42', {
      preflight: {
        status: 200,
        headers: [
          ['Access-Control-Allow-Origin', '{origin}'],
          ['Access-Control-Allow-Methods', 'GET'],
          ['Access-Control-Allow-Headers', 'content-type'],
          ['Vary', 'Origin'],
        ],
      },
      actual: { status: 200, headers: [['Access-Control-Allow-Origin', '{origin}']] },
    });
    const url = `${api.origin}/items/42`;
    const result = await page.evaluate(
      (u) =>
        fetch(u, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' }).then(
          () => 'ok',
          () => 'failed',
        ),
      url,
    );
    expect(result).toBe('failed');
    const chromium = await waitFor('CDP verdict', () => cdp.verdicts.find((v) => v.url === url));
    await selectRow(url);

    const jsonPath = await exportFromPanel('selected', 'json');
    expect(jsonPath).toMatch(/cors-lens-selected-.*\.json$/);
    const report = JSON.parse(readFileSync(jsonPath, 'utf8'));
    const validate = reportValidator();
    expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(report.generator).toMatchObject({ name: 'CORS Lens', version: '0.1.0', browser: 'chrome' });
    // The full version (the user agent string is reduced to "156.0.0.0").
    expect(report.generator.browserVersion).toBe(s.browser.version());
    const entry = report.entries[0];
    expect(entry.request).toMatchObject({ method: 'PUT', url, pageOrigin: pages.origin });
    expect(entry.preflights[0].request.headers).toContainEqual({ name: 'Access-Control-Request-Method', value: 'PUT' });
    // The export's verdict is the panel's, and the panel's agrees with Chromium's own for what today's engine checks.
    const shownSymptom = await panel.evaluate(
      (u: string) =>
        ([...document.querySelectorAll('[data-testid="row"]')].find((r) => r.textContent?.includes(u)) as HTMLElement)
          .dataset.symptom,
      url,
    );
    expect(entry.verdict.symptom?.corsError ?? '').toBe(shownSymptom);
    expect(entry.verdict.outcome).toBe('blocked');
    expect(chromium.corsError).toBe('MethodDisallowedByPreflightResponse');

    const md = readFileSync(await exportFromPanel('selected', 'markdown'), 'utf8');
    expect(md).toContain(`## ❌ \`PUT ${url}\``);
    expect(md).toContain('| `Access-Control-Request-Method` | `PUT` |  |  |');

    const harPath = await exportFromPanel('selected', 'har');
    const har = JSON.parse(readFileSync(harPath, 'utf8'));
    const validateHar = harValidator();
    expect(validateHar(har), JSON.stringify(validateHar.errors?.slice(0, 3))).toBe(true);
    expect(har.log.entries.map((e: any) => [e.request.method, e._resourceType])).toEqual([
      ['OPTIONS', 'preflight'],
      ['PUT', 'fetch'],
    ]);

    // curl: replay the preflight against the same server: same status, same Access-Control-* headers.
    const curlPath = await exportFromPanel('selected', 'curl');
    const hitsBefore = api.hits.length;
    const { stdout } = await run('bash', [curlPath], { timeout: 20_000 });
    const replayed = api.hits.slice(hitsBefore);
    expect(replayed[0]).toMatchObject({ method: 'OPTIONS', preflight: true });
    expect(replayed[0]!.headers).toMatchObject({
      origin: pages.origin,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'content-type',
    });
    const firstResponse = stdout.split(/\r?\n\r?\n/)[0]!;
    const recorded = entry.preflights[0].response;
    expect(firstResponse).toMatch(new RegExp(`^HTTP/1.1 ${recorded.status} `));
    for (const h of recorded.headers.filter((x: any) => /^access-control-|^vary$/i.test(x.name))) {
      expect(firstResponse.toLowerCase()).toContain(`${h.name.toLowerCase()}: ${h.value.toLowerCase()}`);
    }
    // Copy puts the same text on the system clipboard (read back from the page, with permission).
    await clickIn(panel, 'export-copy');
    const copiedStatus = await panel.waitFor(
      'copy status',
      () =>
        document.querySelector('[data-testid="export-status"]')?.textContent?.match(/^Copied .*|refused.*/)?.[0] ??
        null,
    );
    expect(copiedStatus).toMatch(/^Copied curl/);
    await s.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: pages.origin });
    await page.bringToFront();
    const clipboard = await page.evaluate(() => navigator.clipboard.readText());
    expect(clipboard).toBe(readFileSync(curlPath, 'utf8'));
    await devtools.screenshot('export-menu-chromium');
    writeFileSync(join(downloads.dir, 'paths.json'), JSON.stringify({ jsonPath, harPath }));
  });

  it('re-opens the JSON file in the panel (imported, read-only), and refuses hostile files without changing the view', async () => {
    const { jsonPath } = JSON.parse(readFileSync(join(downloads.dir, 'paths.json'), 'utf8'));
    await panel.evaluate(() => document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' })));
    const liveRows = await panel.evaluate(() =>
      [...document.querySelectorAll('[data-testid="row"]')].map((r) => r.textContent),
    );
    await setFile(panel, '[data-testid="open-report-input"]', jsonPath);
    const banner = await panel.waitFor(
      'imported banner',
      () => document.querySelector('[data-testid="imported-banner"]')?.textContent ?? null,
    );
    expect(banner).toContain('Imported report cors-lens-selected-');
    expect(banner).toContain('read-only, 1 requests');
    const importedRows = await panel.evaluate(() =>
      [...document.querySelectorAll('[data-testid="row"]')].map((r) => r.textContent),
    );
    const putRow = liveRows.find((r) => r?.includes('/items/42'));
    expect(importedRows).toEqual([putRow]);
    await devtools.screenshot('export-reopened-chromium');

    // A hostile file dropped on the panel: a clear error, the imported view unchanged, nothing executed.
    const hostileName = '<img src=x onerror="window.pwned=1">.json';
    await panel.evaluate((name: string) => {
      const dt = new DataTransfer();
      dt.items.add(
        new File(
          ['{"kind":"cors-lens-report","schemaVersion":1,"entries":[{"x":"<script>window.pwned=1</script>"}]}'],
          name,
          { type: 'application/json' },
        ),
      );
      document.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
      document.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, hostileName);
    const error = await panel.waitFor(
      'open error',
      () => document.querySelector('[data-testid="open-report-error"]')?.textContent ?? null,
    );
    expect(error).toContain(`Could not open ${hostileName}: The report does not match the CORS Lens report format`);
    expect(
      await panel.evaluate(() => [...document.querySelectorAll('[data-testid="row"]')].map((r) => r.textContent)),
    ).toEqual([putRow]);
    expect(
      await panel.evaluate(() => ({
        pwned: (window as any).pwned ?? null,
        imgs: document.querySelectorAll('img').length,
      })),
    ).toEqual({ pwned: null, imgs: 0 });
    await devtools.screenshot('export-open-error-chromium');

    // Not JSON through the file picker.
    const junk = join(downloads.dir, 'junk.json');
    writeFileSync(junk, 'this is not json');
    await setFile(panel, '[data-testid="open-report-input"]', junk);
    await panel.waitFor(
      'not-JSON error',
      () =>
        document.querySelector('[data-testid="open-report-error"]')?.textContent?.includes('The file is not JSON') ||
        null,
    );

    await clickIn(panel, 'open-report-dismiss');
    await clickIn(panel, 'close-imported');
    await panel.waitFor('live log back', () => !document.querySelector('[data-testid="imported-banner"]'));
  });

  it("imports the HAR export into DevTools' own Network panel: preflight and actual request, with their headers", async () => {
    const { harPath } = JSON.parse(readFileSync(join(downloads.dir, 'paths.json'), 'utf8'));
    const w = devtools.window;
    await w.evaluate(() => (globalThis as any).InspectorFrontendAPI.showPanel('network'));
    // The Network panel's "Import HAR file" button clicks this hidden input; a file chooser sets it.
    await waitFor(
      'Network panel file input',
      async () =>
        (
          await w.send('Runtime.evaluate', {
            expression: `(() => { let f = false; const walk = (r) => { for (const el of r.querySelectorAll('*')) { if (el.matches('input[type=file]')) f = true; if (el.shadowRoot) walk(el.shadowRoot); } }; walk(document); return f; })()`,
            returnByValue: true,
          })
        ).result.value || null,
    );
    await setFile(w, 'input[type=file]', harPath);
    const url = `${api.origin}/items/42`;
    const imported = await waitFor('HAR requests in the Network log', async () => {
      const res = await w.send('Runtime.evaluate', {
        awaitPromise: true,
        returnByValue: true,
        expression: `(async () => { const Logs = await import('./models/logs/logs.js'); return Logs.NetworkLog.NetworkLog.instance().requests().filter((r) => r.requestId().startsWith('har-')).map((r) => ({ url: r.url(), method: r.requestMethod, status: r.statusCode, type: r.resourceType().name(), requestHeaders: r.requestHeaders(), responseHeaders: r.responseHeaders })); })()`,
      });
      const v = res.result.value as any[] | undefined;
      return v && v.length >= 2 ? v : null;
    });
    expect(imported.map((r) => [r.method, r.url, r.status, r.type])).toEqual([
      ['OPTIONS', url, 200, 'preflight'],
      ['PUT', url, 0, 'fetch'],
    ]);
    expect(imported[0].requestHeaders).toContainEqual(
      expect.objectContaining({ name: 'Access-Control-Request-Method', value: 'PUT' }),
    );
    expect(imported[0].responseHeaders.map((h: any) => `${h.name.toLowerCase()}: ${h.value}`)).toContain(
      'access-control-allow-methods: GET',
    );
    await devtools.screenshot('export-har-in-network-panel');
    await devtools.showCorsPanel();
  });
});

describe('Chromium: secrets planted in a real credentialed request never reach an export', () => {
  const SECRET = {
    cookie: 'ck_SECRET_a1b2c3d4',
    bearer: 'bearer_SECRET_e5f6g7',
    apiKey: 'apikey_SECRET_h8i9',
    authToken: 'authtok_SECRET_j0k1',
    queryToken: 'qtoken_SECRET_l2m3',
    accessToken: 'access_SECRET_n4o5',
    sig: 'sig_SECRET_p6q7',
    referer: 'referer_SECRET_r8s9',
    code: 'code_SECRET_t0u1',
    password: 'password_SECRET_v2w3',
    setCookie: 'setcookie_SECRET_x4y5',
  };

  it('redacts cookies, Authorization, API keys, tokens in the URL, the Referer and the redirect Location, in every format', async () => {
    await s.context.addCookies([{ name: 'session', value: SECRET.cookie, domain: '127.0.0.1', path: '/' }]);
    const allowHeaders = 'authorization, content-type, x-api-key, x-auth-token';
    api.route('/account', {
      preflight: {
        status: 204,
        headers: [
          ['Access-Control-Allow-Origin', '{origin}'],
          ['Access-Control-Allow-Credentials', 'true'],
          ['Access-Control-Allow-Methods', 'POST'],
          ['Access-Control-Allow-Headers', allowHeaders],
        ],
      },
      actual: {
        status: 302,
        headers: [
          ['Location', `/callback?code=${SECRET.code}&password=${SECRET.password}&step=2`],
          ['Set-Cookie', `sid=${SECRET.setCookie}; Path=/; HttpOnly`],
          ['Access-Control-Allow-Origin', '{origin}'],
          ['Access-Control-Allow-Credentials', 'true'],
        ],
      },
    });
    // The redirect target has no CORS configuration: the request fails there.
    api.route('/callback', { actual: { status: 200, body: '{}' } });
    await page.goto(`${pages.origin}/?auth=${SECRET.referer}`);
    const url = `${api.origin}/account?token=${SECRET.queryToken}&access_token=${SECRET.accessToken}&sig=${SECRET.sig}&page=1`;
    const result = await page.evaluate(
      ([u, S]) =>
        fetch(u!, {
          method: 'POST',
          credentials: 'include',
          referrerPolicy: 'unsafe-url',
          headers: {
            Authorization: `Bearer ${(S as any).bearer}`,
            'X-Api-Key': (S as any).apiKey,
            'X-Auth-Token': (S as any).authToken,
            'Content-Type': 'application/json',
          },
          body: '{}',
        }).then(
          () => 'ok',
          (e) => `failed: ${e}`,
        ),
      [url, SECRET] as const,
    );
    expect(result).toMatch(/^failed/);
    // The server really received the secrets (so the browser really had them to report).
    const hit = api.hits.find((h) => h.path === '/account' && !h.preflight)!;
    expect(hit.headers.cookie).toContain(SECRET.cookie);
    expect(hit.headers.authorization).toBe(`Bearer ${SECRET.bearer}`);

    await selectRow(`${api.origin}/account`);
    // The LogEntries from the real background: every planted secret is in them.
    const log = await waitFor('the /account entry, finished', async () => {
      const l = await backgroundLog();
      const e = l.entries.find((x) => x.exchange.url.startsWith(`${api.origin}/account`));
      return e && e.exchange.state !== 'pending' ? l : null;
    });
    const raw = JSON.stringify(log.entries);
    for (const [name, value] of Object.entries(SECRET))
      expect(raw.includes(value), `${name} recorded by the background`).toBe(true);
    const entry = log.entries.find((x) => x.exchange.url.startsWith(`${api.origin}/account`))!;

    // Every format × scope, built from the real entries…
    const texts: Array<[string, string]> = [];
    mkdirSync(RESULTS, { recursive: true });
    for (const format of Object.keys(FORMATS) as ExportFormat[]) {
      for (const scope of ['selected', 'blocked', 'origins'] as ExportScope[]) {
        const entries =
          scope === 'selected'
            ? [entry]
            : scope === 'blocked'
              ? log.entries.filter((e) => e.verdict.outcome === 'blocked')
              : log.entries;
        texts.push([`${format}/${scope}`, exportReport(format, { scope, entries, origins: log.origins }).text]);
      }
      // …and every format through the panel's own Download button.
      texts.push([`panel ${format}`, readFileSync(await exportFromPanel('selected', format), 'utf8')]);
    }
    for (const [where, text] of texts) {
      const leaked = Object.entries(SECRET).filter(([, value]) => text.includes(value));
      // Keep the evidence of a leak for whoever debugs it.
      if (leaked.length)
        writeFileSync(
          join(RESULTS, `export-leak-${where.replace(/\W+/g, '-')}.txt`),
          `${JSON.stringify(leaked)}\n\n${text}\n\nENTRY:\n${JSON.stringify(entry, null, 1)}`,
        );
      expect(
        leaked.map(([name]) => name),
        `leaked in ${where}`,
      ).toEqual([]);
    }
    const summary = await panel.evaluate(
      () => document.querySelector('[data-testid="export-redaction"]')?.textContent ?? '',
    );
    for (const name of [
      'Authorization',
      'X-Api-Key',
      'X-Auth-Token',
      'cookie session',
      'cookie sid',
      '?token',
      '?access_token',
      '?sig',
      '?code',
      '?password',
      '?auth',
    ]) {
      expect(summary, name).toContain(name);
    }
    await devtools.screenshot('export-redaction-chromium');

    // With the explicit toggle, the secrets are there (so the search above can find a leak).
    const withSecrets = readFileSync(await exportFromPanel('selected', 'json', true), 'utf8');
    for (const v of [SECRET.cookie, SECRET.bearer, SECRET.queryToken]) expect(withSecrets).toContain(v);
    await clickIn(panel, 'export-include-secrets');
  });
});
