// @vitest-environment jsdom
// Header values, URLs and report fields are written by whoever runs the server (or edits a report):
// they must render as inert text everywhere, and a malformed report must not crash the panel.
import { cleanup, fireEvent, render } from '@testing-library/preact';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Detail } from '../../src/panel/Detail';
import { sanitizeEntries } from '../../src/panel/sanitize';
import { HOSTILE_IMG, HOSTILE_SCRIPT, hostile, methodNotAllowed, trailingSlash } from './fixtures';
import { fakeEnv, frame, renderPanel, rows } from './harness';

afterEach(() => {
  cleanup();
  delete (globalThis as { __pwned?: unknown }).__pwned;
});

function noMarkupFromData(root: ParentNode) {
  expect(root.querySelectorAll('img, script, iframe, object, embed').length).toBe(0);
  // the URL's "<b>bold</b>" stays text
  expect([...root.querySelectorAll('b')].some((b) => b.textContent === 'bold')).toBe(false);
  for (const el of root.querySelectorAll('*')) {
    for (const a of el.getAttributeNames()) expect(a.startsWith('on')).toBe(false);
  }
  expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined();
}

describe('hostile values', () => {
  it('renders markup in headers, status line, URL and facts as text in the list and the detail', async () => {
    const h = fakeEnv();
    renderPanel(h);
    const e = hostile();
    h.snapshot([e]);
    await frame();
    const row = rows()[0]!;
    expect(row.querySelector('.u-path')!.textContent).toBe('/api/x?q=%3Cscript%3E&raw=<b>bold</b>');
    fireEvent.mouseDown(row);
    await frame();
    const detail = document.querySelector('[data-testid="detail"]')!;
    expect(detail.textContent).toContain(HOSTILE_IMG);
    expect(detail.textContent).toContain(HOSTILE_SCRIPT);
    // the cause text filled with a hostile fact, the warning, the symptom sentences
    expect(document.querySelector('[data-testid="cause-explanation"]')!.textContent).toContain(HOSTILE_IMG);
    expect(document.querySelector('[data-testid="chrome-console"]')!.textContent).toContain(HOSTILE_IMG);
    noMarkupFromData(document);
  });

  it('keeps hostile values inert in the per-origin view', async () => {
    const h = fakeEnv();
    renderPanel(h);
    const e = hostile({ pageOrigin: HOSTILE_SCRIPT });
    h.snapshot([e]);
    await frame();
    fireEvent.click(document.querySelector('[data-testid="view-origins"]')!);
    await frame();
    expect(document.querySelector('[data-testid="origin-page"]')!.textContent).toContain(HOSTILE_SCRIPT);
    noMarkupFromData(document);
  });

  it('never uses innerHTML or dangerouslySetInnerHTML in the panel sources', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(tsx?|html)$/.test(f)) files.push(p);
      }
    };
    walk(join(import.meta.dirname, '../../src/panel'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      // Code only: comments may name the APIs (to say they are not used).
      const src = readFileSync(f, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/(^|[^:])\/\/.*$/gm, '$1');
      expect(src, f).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|dangerouslySetInnerHTML|document\.write/);
    }
  });
});

// An opened report goes through the same detail view, read-only.
vi.mock('../../src/panel/export/ExportMenu', () => ({
  ExportMenu: () => null,
  OpenReportButton: ({ onOpen }: { onOpen(r: unknown): void }) => (
    <button
      data-testid="open-report"
      onClick={() =>
        onOpen({
          source: 'bug-1234.json',
          entries: [
            trailingSlash({ id: 'r1' }),
            { nonsense: true },
            { exchange: { url: 42 }, verdict: {} },
            {
              ...methodNotAllowed({ id: 'r2' }),
              verdict: {
                ...methodNotAllowed().verdict,
                evidence: [{ field: HOSTILE_IMG, needed: 1, sent: { x: 1 }, result: 'boom' }],
                symptom: { corsError: 'FutureError', firefoxReason: 'FutureReason' },
              },
            },
          ],
        })
      }
    >
      open
    </button>
  ),
}));

describe('opened reports', () => {
  it('shows an imported report read-only and marked, then returns to the untouched live log', async () => {
    const h = fakeEnv();
    renderPanel(h);
    const live = trailingSlash({ id: 'live-1' });
    h.snapshot([live]);
    await frame();
    fireEvent.click(document.querySelector('[data-testid="open-report"]')!);
    await frame();
    expect(document.querySelector('[data-testid="imported-banner"]')!.textContent).toContain('bug-1234.json');
    expect(document.querySelector('[data-testid="imported-banner"]')!.textContent).toContain(
      '2 unreadable entries skipped',
    );
    expect(rows().map((r) => r.dataset.id)).toEqual(['r1', 'r2']);
    expect(document.querySelector('[data-testid="imported-badge"]')).not.toBeNull();
    expect((document.querySelector('[data-testid="clear"]') as HTMLButtonElement).disabled).toBe(true);
    // live traffic keeps arriving into the live log, not into the report
    h.live([methodNotAllowed({ id: 'live-2' })]);
    await frame();
    expect(rows().map((r) => r.dataset.id)).toEqual(['r1', 'r2']);
    // the odd entry renders inertly
    fireEvent.mouseDown(rows()[1]!);
    await frame();
    expect(document.querySelector('[data-testid="detail"]')!.textContent).toContain(HOSTILE_IMG);
    noMarkupFromData(document);
    fireEvent.click(document.querySelector('[data-testid="close-imported"]')!);
    await frame();
    expect(rows().map((r) => r.dataset.id)).toEqual(['live-1', 'live-2']);
    expect(h.sent).not.toContainEqual({ type: 'clear' });
  });

  it('coerces report entries into shape or drops them', () => {
    const { entries, dropped } = sanitizeEntries([
      trailingSlash({ id: 'a' }),
      trailingSlash({ id: 'a' }),
      null,
      'x',
      { exchange: {}, verdict: { outcome: 'pass' } },
    ]);
    expect(dropped).toBe(3);
    expect(entries.map((e) => e.id)).toEqual(['a', 'a~']);
    expect(sanitizeEntries('not a list')).toEqual({ entries: [], dropped: 0 });
    const [e] = sanitizeEntries([
      { exchange: { url: 'http://x/' }, verdict: { outcome: 'blocked', evidence: [{ sent: 5 }], warnings: 'no' } },
    ]).entries;
    expect(e!.exchange.hops).toEqual([{ url: 'http://x/', method: 'GET' }]);
    expect(e!.verdict.evidence[0]).toMatchObject({ sent: '5', result: 'info', field: '' });
    expect(e!.verdict.warnings).toEqual([]);
    render(<Detail entry={e!} copy={async () => true} />);
    expect(document.querySelector('[data-testid="detail"]')).not.toBeNull();
  });
});
