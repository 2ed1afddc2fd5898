// Snippet round trips in Firefox ESR with the extension: the LogEntry comes from Firefox's own
// background (which sees a blocked simple request as "completed"), the snippet generated from it is
// applied to the real server, and the same request passes in Firefox (fetch resolves, no new
// "Cross-Origin Request Blocked" console line). A cross-section of the Chromium round trips.
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/core/log';
import { buildSnippetInput, generateSnippet } from '../../src/core/snippets';
import { waitFor } from '../support/chromium';
import { firefoxScreenshot, launchFirefox, openPopoutPanel, type FirefoxSession } from '../support/firefox';
import { startPages, type RunningServer } from '../support/servers';
import { DJANGO, EXPRESS, FASTAPI, KOA, NGINX } from '../servers/cases';
import { freePort, freshDir, removeDir, snippetRegions, type Started } from '../servers/harness';
import type { Case, PageRequest } from '../servers/roundtrip';

const CASES: Case[] = [
  FASTAPI.find((c) => c.name === 'missing method')!,
  FASTAPI.find((c) => c.name === '500 without CORS headers')!,
  EXPRESS.find((c) => c.name === 'wrong origin')!,
  KOA.find((c) => c.name === 'missing header')!,
  DJANGO.find((c) => c.name === 'middleware order: auth before CORS')!,
  NGINX.find((c) => c.name === 'wildcard with credentials')!,
];

let ff: FirefoxSession;
let pages: RunningServer;
let page: Page;
let log: Page;
const dirs: string[] = [];
const running = new Set<Started>();

beforeAll(async () => {
  pages = await startPages();
  ff = await launchFirefox();
  page = (await ff.browser.pages())[0]!;
  await page.goto(`${pages.origin}/`);
  await page.evaluate(() => {
    document.cookie = 'session=s1; path=/';
  });
  // The pop-out panel page, subscribed over the panel port protocol: the entries as the panel gets them.
  log = await openPopoutPanel(ff, pages.origin, `${pages.origin}/`);
  await log.evaluate(() => {
    const b = (globalThis as any).browser;
    const entries = new Map<string, unknown>();
    (globalThis as any).__entries = entries;
    const port = b.runtime.connect({ name: 'cors-lens-panel' });
    port.onMessage.addListener((m: any) => {
      if (m.type === 'snapshot' || m.type === 'entries') for (const e of m.entries) entries.set(e.id, e);
    });
    port.postMessage({ type: 'subscribe', tabId: Number(new URLSearchParams(location.search).get('tabId')) });
  });
});
afterAll(async () => {
  for (const r of running) await r.stop().catch(() => {});
  await ff?.close();
  await pages?.close();
  dirs.forEach(removeDir);
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await firefoxScreenshot(page, 'snippets-firefox-FAILED').catch(() => {});
});

function pageFetch(url: string, req: PageRequest): Promise<{ ok: boolean; status?: number; error?: string }> {
  return page.evaluate(
    async (u: string, r: PageRequest) => {
      try {
        const res = await fetch(u, {
          method: r.method ?? 'GET',
          headers: r.headers,
          body: r.body,
          credentials: r.credentials,
          cache: 'no-store',
        });
        await res.text();
        return { ok: true, status: res.status };
      } catch (e) {
        return { ok: false, error: String(e) };
      }
    },
    url,
    req,
  );
}

const blockedLines = (url: string) =>
  ff.logs.filter((l) => l.text.includes('Cross-Origin Request Blocked') && l.text.includes(url)).length;

/**
 * Waits until Firefox's console has delivered every line for requests made so far: a request to a
 * closed port is always reported ("CORS request did not succeed"), and console lines arrive in
 * order, so once its line is here a "blocked" line for an earlier request would be too.
 */
async function consoleCaughtUp(): Promise<void> {
  const sentinel = `http://127.0.0.1:${await freePort()}/console-sentinel-${Math.random().toString(36).slice(2)}`;
  expect(await pageFetch(sentinel, { path: '' })).toMatchObject({ ok: false });
  await waitFor('console line for the sentinel request', () => ff.logs.find((l) => l.text.includes(sentinel)) ?? null);
}

async function start(c: Case, regions: Record<string, string>, port: number): Promise<Started> {
  const dir = freshDir(c.stack);
  dirs.push(dir);
  const s = await c.server.start(dir, regions, port);
  running.add(s);
  return s;
}

describe("Firefox ESR: broken config → snippet from Firefox's own log entry → passes in Firefox", () => {
  for (const c of CASES) {
    it(`${c.stack}: ${c.name}`, async () => {
      const broken = Object.fromEntries(
        Object.entries(c.broken).map(([k, v]) => [k, v.replaceAll('{{PAGE}}', pages.origin)]),
      );
      const port = await freePort();
      const url = `http://127.0.0.1:${port}${c.request.path}`;
      const method = c.request.method ?? 'GET';
      let server = await start(c, broken, port);

      expect(await pageFetch(url, c.request)).toMatchObject({ ok: false });
      const reason = await waitFor('Firefox console reason', () =>
        ff.logs.find((l) => l.text.includes('Cross-Origin Request Blocked') && l.text.includes(url)),
      );
      const entry = await waitFor(
        'Firefox background LogEntry',
        () =>
          log.evaluate(
            (u: string, m: string) =>
              [...((globalThis as any).__entries as Map<string, any>).values()].find(
                (e) => e.exchange.url === u && e.exchange.method === m && e.verdict.outcome === 'blocked',
              ) ?? null,
            url,
            method,
          ) as Promise<LogEntry | null>,
      );
      expect(entry.exchange.browser).toBe('firefox');
      await server.stop();
      running.delete(server);

      const input = buildSnippetInput(entry);
      expect(input, JSON.stringify(entry.verdict)).not.toBeNull();
      expect(c.causes, `cause ${input!.cause?.code} (${input!.cause?.source}); Firefox said ${reason.text}`).toContain(
        input!.cause?.code,
      );
      const snippet = generateSnippet(c.stack, input!);
      server = await start(c, { ...broken, ...snippetRegions(snippet) }, port);
      const before = blockedLines(url);
      const after = await pageFetch(url, c.request);
      await consoleCaughtUp();
      const why = `${JSON.stringify(after)}\n${snippet.parts.map((p) => p.code).join('\n')}\n${server.output()}`;
      await server.stop();
      running.delete(server);
      expect(after, why).toEqual({ ok: true, status: c.request.status ?? 200 });
      expect(blockedLines(url), why).toBe(before);
    });
  }
});
