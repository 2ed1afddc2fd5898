// Every stack's round trip through the real DevTools CORS panel (Chromium): a broken config on a real
// server fails in the page (Chromium's own verdict over CDP) → the panel names the root cause and
// Chromium's corsErrorStatus → the extension's own stack detection puts the real stack first →
// "Copy as diff" reaches the system clipboard → that copied diff is applied as a patch to the broken
// config → the stack's own check → the server restarted on the same port → the same request now
// passes (fetch resolves, Network.loadingFinished, no loadingFailed).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CAUSES, type CauseCode } from '../../src/core/causes';
import { captureVerdicts, launchChromium, mainPage, RESULTS, waitFor, type ChromiumSession } from '../support/chromium';
import { DevtoolsWindow, type CdpTarget } from '../support/devtools';
import { startPages, type RunningServer } from '../support/servers';
import { freePort, freshDir, removeDir, type Started } from '../servers/harness';
import { PANEL_CASES } from '../servers/panel-cases';
import { applyUnifiedDiff } from '../servers/patch';
import { pageFetch } from '../servers/roundtrip';

/** A catalogue title as a pattern: `{fact}` is any text, `[[…]]` may be absent. */
function titlePattern(code: CauseCode): RegExp {
  const t = CAUSES.get(code)!.title;
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{\w+\\\}/g, '.+');
  const parts = t.split(/\[\[(.*?)\]\]/);
  return new RegExp(`^${parts.map((p, i) => (i % 2 ? `(?:${esc(p)})?` : esc(p))).join('')}$`);
}

interface Row {
  stack: string;
  chromium: string | undefined;
  panelSymptom: string;
  panelCause: string;
  firstTab: string | undefined;
  badge: string;
  patched: boolean;
  fixed: boolean;
}

describe('Chromium: every stack, broken config → the panel\'s own "Copy as diff" → patched config passes', () => {
  let s: ChromiumSession;
  let pages: RunningServer;
  let page: Page;
  let cdp: Awaited<ReturnType<typeof captureVerdicts>>;
  let devtools: DevtoolsWindow;
  let panel: CdpTarget;
  const running = new Set<Started>();
  const dirs: string[] = [];
  const rows: Row[] = [];

  beforeAll(async () => {
    pages = await startPages();
    s = await launchChromium();
    page = await mainPage(s, `${pages.origin}/`);
    cdp = await captureVerdicts(page);
    devtools = await DevtoolsWindow.of(s, page);
    panel = await devtools.showCorsPanel();
    await s.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: pages.origin });
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail')
      await devtools?.screenshot(`snippets-panel-stacks-${ctx.task.name.split(':')[0]}-FAILED`).catch(() => {});
  });
  afterAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, 'snippets-panel-stacks.json'), JSON.stringify(rows, null, 1));
    for (const r of running) await r.stop().catch(() => {});
    await s?.close();
    await pages?.close();
    dirs.forEach(removeDir);
  });

  const start = async (c: (typeof PANEL_CASES)[number], regions: Record<string, string>, port: number) => {
    const dir = freshDir(c.stack);
    dirs.push(dir);
    const started = await c.server.start(dir, regions, port);
    running.add(started);
    return started;
  };
  const stop = async (x: Started) => {
    await x.stop();
    running.delete(x);
  };
  const texts = (testid: string) =>
    panel.evaluate(
      (id: string) => [...document.querySelectorAll(`[data-testid="${id}"]`)].map((e) => e.textContent ?? ''),
      testid,
    );

  it('covers the ten stacks with a real server, each detected as itself at least once', () => {
    expect(new Set(PANEL_CASES.filter((c) => !c.familyGuess).map((c) => c.stack))).toEqual(
      new Set(['fastapi', 'flask', 'django', 'express', 'fastify', 'hono', 'koa', 'nginx', 'apache', 'caddy']),
    );
  });

  for (const c of PANEL_CASES) {
    it(`${c.stack}: ${c.name}`, async () => {
      const fill = (t: string) =>
        t.replaceAll('{{PAGE_RE}}', pages.origin.replace(/[.]/g, '\\.')).replaceAll('{{PAGE}}', pages.origin);
      const broken = Object.fromEntries(Object.entries(c.broken).map(([k, v]) => [k, fill(v)]));
      const port = await freePort();
      const url = `http://127.0.0.1:${port}${c.request.path}`;
      const method = c.request.method ?? 'GET';
      const row: Row = {
        stack: c.stack,
        chromium: undefined,
        panelSymptom: '',
        panelCause: '',
        firstTab: undefined,
        badge: '',
        patched: false,
        fixed: false,
      };
      rows.push(row);

      // 1. Broken: Chromium blocks it, and says why (CDP corsErrorStatus).
      let server = await start(c, broken, port);
      const before = await pageFetch(page, url, c.request);
      expect(before.ok, `the broken config must fail in Chromium: ${JSON.stringify(before)}\n${server.output()}`).toBe(
        false,
      );
      const verdict = await waitFor(
        'Chromium CORS verdict',
        () => cdp.verdicts.find((v) => v.url === url && v.method === method),
        20_000,
      );
      row.chromium = verdict.corsError;
      expect(verdict.corsError, 'Chromium must call it a CORS error').toBeTruthy();

      // 2. The panel: its row, its cause card (the real root cause) and Chromium's own name for it.
      await panel.waitFor(
        'row selected and snippets shown',
        (u: string) => {
          const r = [...document.querySelectorAll('[data-testid="row"]')].find(
            (x) => (x.querySelector('td[title]') as HTMLElement | null)?.title === u,
          ) as HTMLElement | undefined;
          if (!r) return false;
          if (!r.classList.contains('selected')) r.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
          return (
            !!document.querySelector('[data-testid="snippets"] [data-testid="copy-diff"]') &&
            (document.querySelector('[data-testid="detail-url"]')?.textContent ?? '').includes(u)
          );
        },
        url,
        30_000,
      );
      row.panelSymptom = (await texts('cors-error'))[0] ?? '';
      row.panelCause = (await texts('cause-title'))[0] ?? '';
      expect(row.panelSymptom, "the panel's symptom is Chromium's corsErrorStatus").toBe(verdict.corsError);
      expect(
        c.causes!.some((code) => titlePattern(code as CauseCode).test(row.panelCause)),
        `the panel's cause "${row.panelCause}" must be one of ${c.causes}`,
      ).toBe(true);

      // 3. Stack detection: the real stack is the first tab, selected, marked as detected (not a
      //    guess) — or, where nothing tells Node frameworks apart, a family guess the panel labels
      //    "guess", and the user picks the real stack's tab.
      const tabs = await panel.evaluate(() =>
        [...document.querySelectorAll('[data-testid="snippet-tab"]')].map((t) => ({
          stack: (t as HTMLElement).dataset.stack,
          selected: t.getAttribute('aria-selected') === 'true',
          text: t.textContent ?? '',
        })),
      );
      row.firstTab = tabs[0]?.stack;
      row.badge = tabs[0]?.text ?? '';
      if (c.familyGuess) {
        expect(['express', 'koa', 'hono', 'nestjs'], JSON.stringify(tabs)).toContain(tabs[0]?.stack);
        expect(row.badge).toMatch(/· guess$/);
        await panel.waitFor(
          'the real stack chosen',
          (st: string) => {
            const tab = document.querySelector(`[data-testid="snippet-tab"][data-stack="${st}"]`) as HTMLElement | null;
            if (tab?.getAttribute('aria-selected') !== 'true') tab?.click();
            return (
              tab?.getAttribute('aria-selected') === 'true' &&
              !!document.querySelector(`[data-testid="snippet-body"][data-stack="${st}"] [data-testid="copy-diff"]`)
            );
          },
          c.stack,
        );
      } else {
        expect(tabs[0], JSON.stringify(tabs)).toMatchObject({ stack: c.stack, selected: true });
        expect(row.badge).toMatch(/· detected$/);
      }

      // 4. "Copy as diff" → the system clipboard (read back in the page, which needs focus; then
      //    the DevTools window gets it back for the next copy).
      // The clipboard is emptied first (a previous case, or a retried attempt, left a diff there);
      // the button is clicked again until the clipboard holds a diff (a copy without the DevTools
      // window's focus can fail).
      await page.bringToFront();
      await page.evaluate(() => navigator.clipboard.writeText('(emptied by the test)'));
      const copied = await waitFor(
        'the copied diff on the clipboard',
        async () => {
          await devtools.window.send('Page.bringToFront').catch(() => {});
          await panel.evaluate(() => (document.querySelector('[data-testid="copy-diff"]') as HTMLElement).click());
          await page.bringToFront();
          const t = await page.evaluate(() => navigator.clipboard.readText()).catch(() => '');
          return t.startsWith('--- a/') ? t : null;
        },
        30_000,
        250,
      );
      expect(await texts('copy-status')).toEqual(['Copied diff']);

      // 5. The copied diff applied as a patch to the broken config; the stack's own check; restart.
      const patched = { ...broken, main: applyUnifiedDiff(broken.main!, copied) };
      row.patched = true;
      expect(patched.main, 'the patch changes the config').not.toBe(broken.main);
      const checkDir = freshDir(c.stack);
      dirs.push(checkDir);
      c.server.check(checkDir, patched, port);
      await stop(server);
      server = await start(c, patched, port);

      // 6. Fixed: the same request passes, Chromium reports it finished and no failure.
      const failures = cdp.verdicts.filter((v) => v.url === url).length;
      const finishedKey = `${method} ${url}`;
      const finished = cdp.finished.get(finishedKey) ?? 0;
      const after = await pageFetch(page, url, c.request);
      const why = `after the patch ${JSON.stringify(after)}\n--- copied diff ---\n${copied}\n--- patched ---\n${patched.main}\n--- server ---\n${server.output()}`;
      expect(after, why).toEqual({ ok: true, status: c.request.status ?? 200 });
      await waitFor(
        'Network.loadingFinished for the fixed request',
        () => (cdp.finished.get(finishedKey) ?? 0) > finished || null,
        20_000,
      );
      expect(cdp.verdicts.filter((v) => v.url === url).length, why).toBe(failures);
      row.fixed = true;
      await stop(server);
    });
  }
});
