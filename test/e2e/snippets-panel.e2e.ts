// The fix-snippet view inside the real DevTools CORS panel (Chromium): a real Starlette failure, the
// detected stack first, the minimal diff, Copy reaching the system clipboard, the copied text pasted
// into the server fixing it, and the stack choice remembered in extension storage across a reload.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/shared/protocol';
import { captureVerdicts, launchChromium, mainPage, waitFor, type ChromiumSession } from '../support/chromium';
import { DevtoolsWindow, type CdpTarget } from '../support/devtools';
import { startPages, type RunningServer } from '../support/servers';
import { FASTAPI } from '../servers/cases';
import { freePort, freshDir, removeDir, type Started } from '../servers/harness';
import { pageFetch } from '../servers/roundtrip';

describe('Chromium: snippets in the real DevTools CORS panel', () => {
  const c = FASTAPI.find((x) => x.name === 'missing method')!;
  let s: ChromiumSession;
  let pages: RunningServer;
  let devtools: DevtoolsWindow | undefined;
  let panel: CdpTarget;
  let server: Started | undefined;
  const dirs: string[] = [];
  let url = '';

  beforeAll(async () => {
    pages = await startPages();
    s = await launchChromium();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && devtools)
      await devtools.screenshot('snippets-panel-FAILED').catch(() => {});
  });
  afterAll(async () => {
    await server?.stop();
    await s?.close();
    await pages?.close();
    dirs.forEach(removeDir);
  });

  const text = (testid: string) =>
    panel.evaluate(
      (id: string) => [...document.querySelectorAll(`[data-testid="${id}"]`)].map((e) => e.textContent ?? ''),
      testid,
    );
  const selectedStack = () =>
    panel.evaluate(
      () =>
        (document.querySelector('[data-testid="snippet-tab"][aria-selected="true"]') as HTMLElement | null)?.dataset
          .stack ?? null,
    );
  const click = (selector: string) =>
    panel.waitFor(
      `click ${selector}`,
      (sel: string) => {
        const el = document.querySelector(sel) as HTMLElement | null;
        if (!el) return false;
        el.click();
        return true;
      },
      selector,
    );
  const selectRow = (url: string) =>
    panel.waitFor(
      'row selected and snippets shown',
      (u: string) => {
        const row = [...document.querySelectorAll('[data-testid="row"]')].find(
          (r) => (r.querySelector('td[title]') as HTMLElement | null)?.title === u,
        ) as HTMLElement | undefined;
        if (!row) return false;
        if (!row.classList.contains('selected')) row.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
        return !!document.querySelector('[data-testid="snippets"]');
      },
      url,
      20_000,
    );

  it('shows the FastAPI fix first, copies it, and the pasted copy fixes the real server', async () => {
    const port = await freePort();
    const dir = freshDir('fastapi');
    dirs.push(dir);
    const broken = { main: c.broken.main!.replaceAll('{{PAGE}}', pages.origin) };
    server = await c.server.start(dir, broken, port);
    const page = await mainPage(s, `${pages.origin}/`);
    const cdp = await captureVerdicts(page);
    devtools = await DevtoolsWindow.of(s, page);
    panel = await devtools.showCorsPanel();

    url = `http://127.0.0.1:${port}${c.request.path}`;
    expect(await pageFetch(page, url, c.request)).toMatchObject({ ok: false });
    await waitFor('Chromium verdict', () => cdp.verdicts.find((v) => v.url === url));
    await selectRow(url);

    // Detected from `Server: uvicorn` and Starlette's Allow-Headers: FastAPI first and selected.
    const tabs = await panel.evaluate(() =>
      [...document.querySelectorAll('[data-testid="snippet-tab"]')].map((t) => (t as HTMLElement).dataset.stack),
    );
    expect(tabs[0]).toBe('fastapi');
    expect(tabs).toHaveLength(16);
    expect(await selectedStack()).toBe('fastapi');
    const code = (await text('snippet-part')).join('\n');
    expect(code).toContain('allow_methods=["GET", "POST", "PUT"]');
    expect((await text('snippet-title'))[0]).toContain('add PUT');

    // The minimal change, as a diff.
    await click('[data-testid="snippet-body"] input[type="checkbox"]');
    const diff = (await text('snippet-diff'))[0]!;
    expect(diff).toContain('-    allow_methods=["GET", "POST"],\n+    allow_methods=["GET", "POST", "PUT"],');
    await new Promise((r) => setTimeout(r, 300)); // let the DevTools window repaint the panel frame
    await devtools.screenshot('snippets-panel-diff-chromium');
    await click('[data-testid="snippet-body"] input[type="checkbox"]');
    await panel.waitFor('code view back', () => !document.querySelector('[data-testid="snippet-diff"]'));
    await new Promise((r) => setTimeout(r, 300));
    await devtools.screenshot('snippets-panel-chromium');

    // Copy → the system clipboard (read back from the page, with permission).
    await click('[data-testid="copy-part"]');
    expect(
      await panel.waitFor(
        'copy status',
        () => document.querySelector('[data-testid="copy-status"]')?.textContent || null,
      ),
    ).toBe('Copied snippet');
    await s.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: pages.origin });
    await page.bringToFront();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('allow_methods=["GET", "POST", "PUT"]');

    // Paste what was copied into the server's CORS region: the same request now passes.
    await server.stop();
    const fixedDir = freshDir('fastapi');
    dirs.push(fixedDir);
    server = await c.server.start(fixedDir, { main: copied }, port);
    const failures = cdp.verdicts.length;
    expect(await pageFetch(page, url, c.request)).toEqual({ ok: true, status: 200 });
    await new Promise((r) => setTimeout(r, 100));
    expect(cdp.verdicts.length).toBe(failures);
  });

  it('remembers the chosen stack for the target origin across a panel reload', async () => {
    const target = new URL(url).origin;
    await click('[data-testid="snippet-tab"][data-stack="django"]');
    expect(await selectedStack()).toBe('django');
    const stored = await panel.waitFor(
      'stored choice',
      (key: string) => chrome.storage.local.get(key).then((r) => (r[key] as string) ?? null),
      SETTINGS.snippetStackPrefix + target,
    );
    expect(stored).toBe('django');

    await panel.evaluate(() => location.reload());
    panel = await devtools!.panel();
    await selectRow(url);
    expect(
      await panel.waitFor(
        'remembered tab',
        () =>
          (document.querySelector('[data-testid="snippet-tab"][aria-selected="true"]') as HTMLElement | null)?.dataset
            .stack ?? null,
      ),
    ).toBe('django');
    // The detected stack keeps its place at the front; Django's snippet is shown.
    expect(
      await panel.evaluate(() => (document.querySelector('[data-testid="snippet-tab"]') as HTMLElement).dataset.stack),
    ).toBe('fastapi');
    expect((await text('snippet-part')).join('\n')).toContain('CORS_ALLOW_METHODS');
    await new Promise((r) => setTimeout(r, 300));
    await devtools!.screenshot('snippets-panel-remembered-chromium');
  });
});
