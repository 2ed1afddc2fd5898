// @vitest-environment jsdom
// 10,000+ generated exchanges — realistic Chromium and Firefox event orders, hostile values in
// every header, a worker restart at a random event — through the real background (Pipeline +
// LogStore), the whole panel (App: list and counts; the detail view of a sample) and every export
// format. Nothing is lost or duplicated: every generated request is in the log exactly once, in
// the panel's counts, and in each export as that format promises (JSON report and HAR: one entry
// each; Markdown and curl: each blocked request's URL).
// (render-export.test.tsx takes malformed and junk event streams through the same layers.)
import { cleanup, fireEvent, render } from '@testing-library/preact';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { syntheticEvents } from '../../bench/synthetic';
import type { LogEntry } from '../../src/core/log';
import { exportReport, openReport, type ExportFormat } from '../../src/core/report';
import { reportSnippets } from '../../src/core/snippets/report';
import { Detail } from '../../src/panel/Detail';
import { fakeEnv, frame, renderPanel } from '../panel/harness';
import { nastyString, type RawEvent } from './arbitraries';
import { allEntries, runPipeline } from './logs';

const ENV = { extensionVersion: '0.1.0', browser: 'chrome' as const, browserVersion: '156' };
const PER_RUN = Number(process.env.FUZZ_PER_RUN ?? 400);
const RUNS = Number(process.env.FUZZ_RUNS ?? 26);
let generated = 0;
let inPanel = 0;
let exported = 0;

afterEach(() => cleanup());
afterAll(() => {
  // The suite's claim: ≥ 10,000 generated exchanges, each through the panel and every format.
  expect(generated).toBeGreaterThanOrEqual(10_000);
  expect(inPanel).toBe(generated);
  expect(exported).toBe(generated);
});

const count = <T,>(xs: T[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<T, number>());

/** A realistic stream with hostile values added to every header list (identity fields untouched). */
const stream = fc
  .record({
    browser: fc.constantFrom<'chrome' | 'firefox'>('chrome', 'firefox'),
    firstId: fc.integer({ min: 1, max: 1000 }),
    nasty: fc.array(nastyString, { minLength: 1, maxLength: 8 }),
    restartAt: fc.nat(),
  })
  .map(({ browser, firstId, nasty, restartAt }) => {
    const events = syntheticEvents({
      browser,
      firstId,
      count: PER_RUN,
      tabId: 1,
      pageOrigin: 'http://127.0.0.1:3000',
      apiOrigin: 'http://127.0.0.1:8000',
      t0: 1_700_000_000_000,
    }) as RawEvent[];
    events.forEach(([, d], i) => {
      const v = nasty[i % nasty.length]!;
      if (Array.isArray(d.requestHeaders)) d.requestHeaders.push({ name: 'X-Fuzz', value: v });
      if (Array.isArray(d.responseHeaders))
        d.responseHeaders.push({ name: 'X-Fuzz', value: v }, { name: 'Access-Control-Expose-Headers', value: v });
    });
    // The requests as generated: each actual request's URL and method (preflights are OPTIONS).
    const requests = new Map<string, string>();
    for (const [, d] of events) if (d.method !== 'OPTIONS') requests.set(String(d.url), String(d.method));
    // The worker restarts between two requests (one in flight across a restart is replayed from
    // the journal, which restart.e2e.ts covers in the real browsers).
    const key = (d: Record<string, unknown>) => Math.floor((Number(d.requestId) - firstId) / 2);
    const boundaries = events
      .map(([, d], i) => (i > 0 && key(d) !== key(events[i - 1]![1]) ? i : -1))
      .filter((i) => i > 0);
    return { browser, events, restartAt: boundaries[restartAt % boundaries.length]!, requests };
  });

describe('fuzz: every generated request, exactly once, through the log, the panel and every export', () => {
  it(`${RUNS} × ${PER_RUN} exchanges`, async () => {
    await fc.assert(
      fc.asyncProperty(stream, async ({ browser, events, restartAt, requests }) => {
        expect(requests.size).toBe(PER_RUN);
        const { store } = await runPipeline(browser, events, restartAt, PER_RUN * 2);
        generated += requests.size;
        const logs = await allEntries(store);
        expect([...logs.keys()]).toEqual([1]);
        const entries = logs.get(1)!;

        // The log: each generated request once, nothing else, none pending.
        expect(entries).toHaveLength(requests.size);
        const byUrl = count(entries.map((e) => `${e.exchange.method} ${e.exchange.url}`));
        for (const [url, method] of requests) expect(byUrl.get(`${method} ${url}`), `${method} ${url}`).toBe(1);
        expect(entries.filter((e) => e.verdict.outcome === 'pending')).toEqual([]);
        // Blocked for certain, and "blocked if credentialed" (uncertain: counted with the blocked).
        const certain = entries.filter((e) => e.verdict.outcome === 'blocked');
        const uncertain = entries.filter((e) => e.verdict.outcome === 'uncertain');
        const blocked = [...certain, ...uncertain];
        const passed = entries.filter((e) => e.verdict.outcome === 'pass');
        expect(blocked.length).toBeGreaterThan(0);
        expect(blocked.length + passed.length).toBe(entries.length);

        // The panel: the whole App counts every entry; the detail of each renders, inert.
        const h = fakeEnv();
        renderPanel(h);
        h.snapshot(entries);
        fireEvent.click(document.querySelector('[data-testid="show-all"]')!);
        await frame();
        const status = document.querySelector('[data-testid="statusbar"]')!.textContent!;
        const uncertainPart = uncertain.length > 0 ? ` · ${uncertain.length} blocked if credentialed` : '';
        expect(status).toContain(
          `${entries.length} requests · ${certain.length} blocked${uncertainPart} · ${passed.length} passed`,
        );
        expect(document.querySelector('[data-testid="blocked-count"]')!.textContent).toBe(
          `${blocked.length} blocked${uncertain.length > 0 ? ` (${uncertain.length}?)` : ''}`,
        );
        cleanup();
        // (The detail view costs ~0.1 s per entry in jsdom: a blocked, a passed and a preflighted
        // one per run here; render-export.test.tsx renders every entry of its malformed logs.)
        const sample = [
          blocked[0]!,
          entries.find((e) => e.verdict.outcome === 'pass')!,
          entries.find((e) => e.exchange.preflights.length > 0)!,
        ].filter(Boolean);
        for (const e of sample) {
          const { container, unmount } = render(<Detail entry={e} copy={async () => true} />);
          expect(container.querySelector('[data-testid="detail-url"]')?.textContent).toContain(
            new URL(e.exchange.url).pathname,
          );
          expect(container.querySelectorAll('script, img, iframe, object, embed').length).toBe(0);
          unmount();
        }
        inPanel += entries.length;

        // Every format, the whole log ("origins" scope) and the blocked requests.
        const origins = store.originStats(1);
        const out = (format: ExportFormat, scope: 'origins' | 'blocked', es: LogEntry[]) =>
          exportReport(
            format,
            { scope, entries: es, origins },
            { env: ENV, snippets: reportSnippets, now: new Date(0) },
          ).text;
        const json = JSON.parse(out('json', 'origins', entries));
        expect(json.entries).toHaveLength(entries.length);
        const reopened = openReport(JSON.stringify(json));
        expect(reopened.ok).toBe(true);
        const har = JSON.parse(out('har', 'origins', entries));
        const harActual = count(
          (har.log.entries as Array<{ request: { method: string; url: string } }>)
            .filter((x) => x.request.method !== 'OPTIONS')
            .map((x) => `${x.request.method} ${x.request.url}`),
        );
        for (const [url, method] of requests)
          expect(harActual.get(`${method} ${url}`), `HAR: ${method} ${url}`).toBe(1);
        expect([...harActual.values()].reduce((a, b) => a + b, 0)).toBe(requests.size);
        for (const format of ['markdown', 'curl'] as const) {
          const text = out(format, 'blocked', blocked);
          for (const e of blocked)
            expect(text.includes(new URL(e.exchange.url).pathname), `${format}: ${e.exchange.url}`).toBe(true);
        }
        exported += requests.size;
      }),
      { numRuns: RUNS },
    );
  }, 600_000);
});
