// @vitest-environment jsdom
// Fuzz-generated logs (hostile and malformed webRequest input through the real background path)
// rendered by the panel — the whole App with its list and the detail of every entry — and run
// through every export format. Nothing throws, no markup or script from the data comes alive,
// the JSON report validates and re-opens, the HAR validates, the curl script runs nothing.
import { cleanup, fireEvent, render } from '@testing-library/preact';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/core/log';
import { exportReport, openReport, type ExportFormat, type ExportScope } from '../../src/core/report';
import { reportSnippets } from '../../src/core/snippets/report';
import { Detail } from '../../src/panel/Detail';
import { harValidator, reportValidator } from '../core/report/validators';
import { fakeEnv, frame, renderPanel, rows } from '../panel/harness';
import { eventStream } from './arbitraries';
import { allEntries, runPipeline } from './logs';

const md = new MarkdownIt({ html: true, linkify: true });
const validReport = reportValidator();
const validHar = harValidator();
const ENV = { extensionVersion: '0.1.0', browser: 'chrome' as const, browserVersion: '156' };
const FORMATS: ExportFormat[] = ['markdown', 'json', 'har', 'curl'];
const work = mkdtempSync(join(tmpdir(), 'cors-lens-fuzz-'));
const PWNED = join(work, 'pwned');
let rendered = 0;
let exported = 0;

afterEach(() => cleanup());
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  expect(rendered).toBeGreaterThan(300);
  expect(exported).toBeGreaterThan(300);
});

/** No element, attribute or script that came from the data (the panel's own icons are SVG). */
function inert(root: ParentNode, markup = 'script, img, iframe, object, embed, base, meta, link, form'): void {
  expect(root.querySelectorAll(markup).length).toBe(0);
  for (const el of root.querySelectorAll('*')) {
    for (const a of el.getAttributeNames()) expect(a.startsWith('on'), `${el.tagName} ${a}`).toBe(false);
    const href = el.getAttribute('href');
    if (href) expect(href.trim().toLowerCase().startsWith('javascript:'), href).toBe(false);
  }
  expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined();
}

/** Runs a curl export with `curl` stubbed out: the script may only call curl. */
function runCurl(script: string): void {
  const file = join(work, 'export.sh');
  writeFileSync(file, script.replaceAll('$PWNED_MARKER', PWNED));
  try {
    execFileSync(
      'bash',
      ['--norc', '--noprofile', '-c', 'curl() { :; }; cd "$(dirname "$1")" && source "$1"', '_', file],
      { timeout: 10_000, stdio: 'ignore' },
    );
  } catch {
    // A failing command is fine; only side effects count.
  }
  expect(existsSync(PWNED), 'the curl export executed something').toBe(false);
}

describe('fuzz: generated logs through the panel and every export', () => {
  it('renders, exports and re-opens without throwing or running anything from the data', async () => {
    await fc.assert(
      fc.asyncProperty(eventStream, fc.nat(), async ({ browser, events }, r) => {
        const { store } = await runPipeline(browser, events, r % (events.length + 1), 50);
        for (const entries of (await allEntries(store)).values()) {
          if (entries.length === 0) continue;
          // The detail of every entry.
          for (const e of entries) {
            const { container, unmount } = render(<Detail entry={e} copy={async () => true} />);
            inert(container);
            unmount();
            rendered++;
          }
          // Every format and scope.
          const blocked = entries.filter((e) => e.verdict.outcome === 'blocked');
          const inputs: Array<{ scope: ExportScope; entries: LogEntry[] }> = [
            { scope: 'selected', entries: [entries[0]!] },
            { scope: 'blocked', entries: blocked },
            { scope: 'origins', entries },
          ];
          for (const input of inputs) {
            for (const format of FORMATS) {
              const out = exportReport(
                format,
                { ...input, origins: store.originStats(entries[0]!.exchange.tabId) },
                { env: ENV, snippets: reportSnippets, now: new Date(0) },
              );
              exported++;
              expect(typeof out.text).toBe('string');
              if (format === 'markdown')
                inert(
                  new DOMParser().parseFromString(md.render(out.text), 'text/html').body,
                  'script, img, iframe, object, embed, svg, style, base, meta, link, form, b, i',
                );
              if (format === 'json') {
                const json = JSON.parse(out.text);
                expect(validReport(json), JSON.stringify(validReport.errors)).toBe(true);
                const opened = openReport(out.text);
                expect(opened.ok, JSON.stringify(opened)).toBe(true);
              }
              if (format === 'har') {
                // HAR 1.2 wants RFC 3986 URLs; the exporter writes the URL the browser reported,
                // and a malformed event's URL (e.g. "data:text/html,<script>…") is not one. That
                // is reported, not a crash: everything else must validate.
                const ok = validHar(JSON.parse(out.text));
                const errors = (validHar.errors ?? []).filter(
                  (x) => !(x.keyword === 'format' && /\/url$/.test(x.instancePath)),
                );
                if (!ok) expect(errors, JSON.stringify(errors)).toEqual([]);
              }
              if (format === 'curl' && input.scope === 'blocked') runCurl(out.text);
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  }, 300_000);

  it('the whole panel shows a generated log: one row per entry, every detail inert', async () => {
    await fc.assert(
      fc.asyncProperty(eventStream, async ({ browser, events }) => {
        const { store } = await runPipeline(browser, events, events.length, 100);
        const logs = [...(await allEntries(store)).values()].filter((x) => x.length);
        if (logs.length === 0) return;
        const entries = logs[0]!;
        cleanup();
        const h = fakeEnv();
        renderPanel(h);
        h.snapshot(entries);
        fireEvent.click(document.querySelector('[data-testid="show-all"]')!);
        await frame();
        // The list is virtualized: the rows in view, each entry at most once, in log order.
        const shown = rows().map((x) => x.dataset.id!);
        expect(new Set(shown).size).toBe(shown.length);
        const ids = entries.map((e) => e.id);
        expect(shown).toEqual(ids.slice(0, shown.length));
        expect(shown.length).toBe(Math.min(ids.length, shown.length));
        if (ids.length <= 20) expect(shown).toEqual(ids);
        for (const row of rows().slice(0, 4)) {
          fireEvent.mouseDown(row);
          await frame();
          inert(document.body);
        }
        cleanup();
      }),
      { numRuns: 4 },
    );
  }, 300_000);
});
