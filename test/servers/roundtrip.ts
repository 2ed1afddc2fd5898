// The snippet round trip in real Chromium with the extension loaded:
//   broken config on 127.0.0.1 → the page's request fails (Chromium's own verdict via CDP) →
//   the LogEntry recorded by the real background (read over the panel port protocol) →
//   buildSnippetInput + the stack's generator → the stack's own check → the snippet is written
//   into the config's CORS region → server restarted on the same port → the same request passes
//   (fetch resolves, no loadingFailed).
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { LogEntry } from '../../src/core/log';
import { PANEL_PORT } from '../../src/shared/protocol';
import { buildSnippetInput, generateSnippet } from '../../src/core/snippets';
import { detectStacks } from '../../src/core/snippets/detect';
import type { Snippet, SnippetInput, StackId } from '../../src/core/snippets/types';
import {
  captureVerdicts,
  launchChromium,
  mainPage,
  RESULTS,
  waitFor,
  type BrowserVerdict,
  type ChromiumSession,
} from '../support/chromium';
import { startPages, type RunningServer } from '../support/servers';
import { freePort, freshDir, removeDir, snippetRegions, type Regions, type Started, type StackServer } from './harness';
import { applyUnifiedDiff } from './patch';

/** The panel's threshold between "detected" and "guess" (src/panel/snippets/SnippetPanel.tsx). */
const STRONG_SIGNAL = 5;

/** What the page does (a fetch from the page origin). */
export interface PageRequest {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  credentials?: RequestCredentials;
  /** Status the request has once CORS passes (a crash stays a 500, now readable). */
  status?: number;
}

export interface Case {
  stack: StackId;
  name: string;
  server: StackServer;
  /** The broken CORS region contents; `{{PAGE}}` is the page origin. */
  broken: Regions;
  request: PageRequest;
  /** Also apply "copy as diff" to the broken config (instead of the whole snippet) and check it passes. */
  diff?: boolean;
  /** Root causes (engine or derived) that are right for this failure; every case checks its own. */
  causes: string[];
}

export const GET_ITEMS: PageRequest = { path: '/api/items', status: 200 };
export const PUT_JSON: PageRequest = {
  path: '/api/items',
  method: 'PUT',
  headers: { 'Content-Type': 'application/json' },
  body: '{"a":1}',
  status: 200,
};
export const POST_API_KEY: PageRequest = {
  path: '/api/items',
  method: 'POST',
  headers: { 'Content-Type': 'application/json', 'X-Api-Key': 'k1' },
  body: '{"a":1}',
  status: 200,
};
export const GET_WITH_COOKIES: PageRequest = { path: '/api/items', credentials: 'include', status: 200 };
export const GET_CRASH = (status = 500): PageRequest => ({ path: '/api/crash', status });
export const DELETE_PRIVATE_BEARER: PageRequest = {
  path: '/api/private',
  method: 'DELETE',
  headers: { Authorization: 'Bearer secret' },
  status: 200,
};
/** Basic user:secret (nginx and Apache check it with their own auth modules). */
export const DELETE_PRIVATE_BASIC: PageRequest = {
  path: '/api/private',
  method: 'DELETE',
  headers: { Authorization: 'Basic dXNlcjpzZWNyZXQ=' },
  status: 200,
};

/** Runs `fetch` in the page (no HTTP cache); resolves with the status or the error. */
export function pageFetch(
  page: Page,
  url: string,
  req: PageRequest,
): Promise<{ ok: boolean; status?: number; error?: string }> {
  return page.evaluate(
    async ({ url, req }) => {
      try {
        const r = await fetch(url, {
          method: req.method ?? 'GET',
          headers: req.headers,
          body: req.body,
          credentials: req.credentials,
          cache: 'no-store',
        });
        await r.text();
        return { ok: true, status: r.status };
      } catch (e) {
        return { ok: false, error: String(e) };
      }
    },
    { url, req },
  );
}

export interface Outcome {
  stack: StackId;
  name: string;
  corsErrorBefore: string | undefined;
  /** The top stack CORS Lens detects from the broken server's responses (null: none). */
  detected: string | null;
  /** How the panel labels that tab: 'detected' (a default only that stack sends) or 'guess'. */
  detectedAs: 'detected' | 'guess' | null;
  cause: string | null;
  causeSource: string | null;
  fixed: boolean;
  diffFixed?: boolean;
  snippet: Snippet;
}

export class RoundTripBrowser {
  session!: ChromiumSession;
  pages!: RunningServer;
  page!: Page;
  log!: Page;
  cdp!: Awaited<ReturnType<typeof captureVerdicts>>;
  tabId = -1;
  readonly outcomes: Outcome[] = [];
  /** Round trips whose fixed request hit a network-level (non-CORS) failure once and was retried. */
  readonly networkRetries: string[] = [];
  private dirs: string[] = [];
  private running = new Set<Started>();

  async start(): Promise<void> {
    this.pages = await startPages();
    this.session = await launchChromium({ devtools: false });
    this.page = await mainPage(this.session, `${this.pages.origin}/`);
    // A cookie for 127.0.0.1: credentialed requests to the API (another port, same site) carry it.
    await this.page.evaluate(() => {
      document.cookie = 'session=s1; path=/';
    });
    this.cdp = await captureVerdicts(this.page);
    // An extension page subscribed to the tab over the panel port protocol: the LogEntries the
    // real background records, exactly as the panel receives them.
    this.log = await this.session.context.newPage();
    await this.log.goto(`chrome-extension://${this.session.extensionId}/src/panel/panel.html?tabId=-1`);
    this.tabId = await this.log.evaluate(
      async ([portName, prefix]) => {
        const tabs = await chrome.tabs.query({});
        const tab = tabs.find((t) => t.url?.startsWith(prefix!));
        if (!tab?.id) throw new Error('page tab not found');
        const entries = new Map<string, unknown>();
        (globalThis as any).__entries = entries;
        const port = chrome.runtime.connect({ name: portName });
        port.onMessage.addListener((m: any) => {
          if (m.type === 'snapshot' || m.type === 'entries') for (const e of m.entries) entries.set(e.id, e);
        });
        port.postMessage({ type: 'subscribe', tabId: tab.id });
        return tab.id;
      },
      [PANEL_PORT, this.pages.origin],
    );
  }

  async stop(): Promise<void> {
    for (const r of this.running) await r.stop().catch(() => {});
    await this.session?.close();
    await this.pages?.close();
    for (const d of this.dirs) removeDir(d);
  }

  /** Runs `fetch` in the page; resolves with the status or the error. */
  fetch(url: string, req: PageRequest): Promise<{ ok: boolean; status?: number; error?: string }> {
    return pageFetch(this.page, url, req);
  }

  failuresFor(url: string, method: string): BrowserVerdict[] {
    return this.cdp.verdicts.filter((v) => v.url === url && v.method === method);
  }

  /** The newest LogEntry for url+method the background recorded after `afterSeq`, once judged. */
  async entryFor(url: string, method: string, afterSeq: number): Promise<LogEntry> {
    return waitFor(
      `background LogEntry for ${method} ${url}`,
      () =>
        this.log.evaluate(
          ({ url, method, afterSeq }) => {
            const all = [...((globalThis as any).__entries as Map<string, any>).values()];
            const hits = all.filter(
              (e) =>
                e.exchange.url === url &&
                e.exchange.method === method &&
                e.seq > afterSeq &&
                e.verdict.outcome === 'blocked' &&
                e.exchange.state !== 'pending',
            );
            return hits.sort((a, b) => b.seq - a.seq)[0] ?? null;
          },
          { url, method, afterSeq },
        ) as Promise<LogEntry | null>,
      20_000,
    );
  }

  maxSeq(): Promise<number> {
    return this.log.evaluate(() =>
      Math.max(0, ...[...((globalThis as any).__entries as Map<string, any>).values()].map((e) => e.seq)),
    );
  }

  private async launch(server: StackServer, regions: Regions, port: number): Promise<Started> {
    const dir = freshDir(server.stack);
    this.dirs.push(dir);
    const started = await server.start(dir, regions, port);
    this.running.add(started);
    return started;
  }

  private async shutdown(s: Started): Promise<void> {
    await s.stop();
    this.running.delete(s);
  }

  /** One broken config → snippet → fixed round trip. Assertions fail the calling test. */
  async roundTrip(c: Case): Promise<Outcome> {
    const fill = (r: Regions) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.replaceAll('{{PAGE}}', this.pages.origin)]));
    const broken = fill(c.broken);
    const method = c.request.method ?? 'GET';
    const port = await freePort();
    const url = `http://127.0.0.1:${port}${c.request.path}`;

    // 1. Broken: the browser blocks it.
    let server = await this.launch(c.server, broken, port);
    const seq = await this.maxSeq();
    const before = await this.fetch(url, c.request);
    expect(
      before.ok,
      `${c.stack}/${c.name}: the broken config must fail in Chromium (got ${JSON.stringify(before)})\n${server.output()}`,
    ).toBe(false);
    const verdict = await waitFor('Chromium CORS verdict', () => this.failuresFor(url, method)[0]);
    expect(verdict.corsError, `${c.stack}/${c.name}: Chromium must call it a CORS error`).toBeTruthy();
    const entry = await this.entryFor(url, method, seq);
    await this.shutdown(server);
    // CORS Lens's verdict agrees with Chromium's (CDP corsErrorStatus) on the broken config.
    expect(entry.verdict.outcome, `${c.stack}/${c.name}: CORS Lens's outcome`).toBe('blocked');
    expect(
      entry.verdict.symptom?.corsError,
      `${c.stack}/${c.name}: CORS Lens's symptom vs Chromium's corsErrorStatus`,
    ).toBe(verdict.corsError);
    // What the panel's stack detection (the same core function) makes of the real responses.
    const top = detectStacks(entry)[0];
    const detected = top?.stack ?? null;
    // Never a confident wrong stack: a detection the panel marks "detected" (not "guess") is right.
    if (top && top.score >= STRONG_SIGNAL)
      expect(top.stack, `${c.stack}/${c.name}: detected ${JSON.stringify(top)}`).toBe(c.stack);

    // 2. The snippet, from what the background recorded.
    const input = buildSnippetInput(entry) as SnippetInput;
    expect(input, `${c.stack}/${c.name}: no snippet input for ${JSON.stringify(entry.verdict)}`).not.toBeNull();
    expect(
      c.causes,
      `${c.stack}/${c.name}: cause ${input.cause?.code} (${input.cause?.source}), Chromium said ${verdict.corsError}`,
    ).toContain(input.cause?.code);
    // The cause is the engine's own, the one the panel's cause card shows (the snippet input
    // derives one only for a stored verdict without a cause).
    expect(input.cause?.source, `${c.stack}/${c.name}: the recorded verdict names no cause`).toBe('engine');
    expect(input.cause?.code).toBe(entry.verdict.cause?.code);
    const snippet = generateSnippet(c.stack, input);
    const regions = { ...broken, ...snippetRegions(snippet) };
    const checkDir = freshDir(c.stack);
    this.dirs.push(checkDir);
    c.server.check(checkDir, regions, port);

    // 3. Fixed: the same request passes.
    server = await this.launch(c.server, regions, port);
    let failuresBefore = this.failuresFor(url, method).length;
    let after = await this.fetch(url, c.request);
    await new Promise((r) => setTimeout(r, 100)); // let CDP deliver a late loadingFailed, if any
    // A network-level failure (no CORS error: e.g. a pooled connection to the stopped server reset
    // under load) says nothing about the snippet: try once more. A CORS failure is never retried.
    const fresh = this.failuresFor(url, method).slice(failuresBefore);
    if (!after.ok && fresh.length > 0 && fresh.every((f) => !f.corsError)) {
      this.networkRetries.push(`${c.stack}/${c.name}: ${fresh.map((f) => f.errorText).join(', ')}`);
      failuresBefore = this.failuresFor(url, method).length;
      after = await this.fetch(url, c.request);
      await new Promise((r) => setTimeout(r, 100));
    }
    const outcome: Outcome = {
      stack: c.stack,
      name: c.name,
      corsErrorBefore: verdict.corsError,
      detected,
      detectedAs: top ? (top.score >= STRONG_SIGNAL ? 'detected' : 'guess') : null,
      cause: input.cause?.code ?? null,
      causeSource: input.cause?.source ?? null,
      fixed:
        after.ok &&
        this.failuresFor(url, method).length === failuresBefore &&
        after.status === (c.request.status ?? 200),
      snippet,
    };
    this.outcomes.push(outcome);
    const afterFailures = this.failuresFor(url, method).slice(failuresBefore);
    const why = `${c.stack}/${c.name}: after the snippet ${JSON.stringify(after)} (CDP: ${JSON.stringify(afterFailures)}); cause ${outcome.cause} (${outcome.causeSource}); Chromium said ${verdict.corsError}\n--- snippet ---\n${snippet.parts.map((p) => `[${p.id}]\n${p.code}`).join('\n')}\n--- server ---\n${server.output()}`;
    await this.shutdown(server);
    expect(after.ok, why).toBe(true);
    expect(after.status, why).toBe(c.request.status ?? 200);
    expect(this.failuresFor(url, method).length, why).toBe(failuresBefore);

    // 4. "Copy as diff" applied to the broken config instead (a fresh port: the passing
    //    preflight above is cached for this URL).
    if (c.diff) {
      expect(snippet.diff, `${c.stack}/${c.name}: a minimal change applies here, so a diff is expected`).toBeTruthy();
      const patched = { ...broken, main: applyUnifiedDiff(broken.main!, snippet.diff!) };
      const port2 = await freePort();
      const url2 = `http://127.0.0.1:${port2}${c.request.path}`;
      const s2 = await this.launch(c.server, patched, port2);
      const n = this.failuresFor(url2, method).length;
      const r2 = await this.fetch(url2, c.request);
      await this.shutdown(s2);
      outcome.diffFixed = r2.ok && this.failuresFor(url2, method).length === n;
      expect(r2, `${c.stack}/${c.name}: the diff-patched config\n${patched.main}`).toMatchObject({
        ok: true,
        status: c.request.status ?? 200,
      });
    }
    return outcome;
  }

  /** Every stack of `stacks` had at least one case whose broken server CORS Lens detected as that stack. */
  expectEachStackDetected(stacks: string[]): void {
    const missed = stacks.filter((st) => !this.outcomes.some((o) => o.stack === st && o.detected === st));
    expect(
      missed,
      `stacks CORS Lens never detected from their own servers' responses: ${JSON.stringify(this.outcomes.map((o) => [o.stack, o.detected]))}`,
    ).toEqual([]);
  }

  /** Appends this file's outcomes to test-results/snippets-roundtrip.json (per-stack counts). */
  record(file: string): void {
    mkdirSync(RESULTS, { recursive: true });
    const path = join(RESULTS, 'snippets-roundtrip.json');
    const prev = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {};
    prev[file] = this.outcomes.map(({ snippet, ...o }) => ({ ...o, title: snippet.title }));
    if (this.networkRetries.length) prev[`${file} network retries`] = this.networkRetries;
    writeFileSync(path, JSON.stringify(prev, null, 2));
  }
}
