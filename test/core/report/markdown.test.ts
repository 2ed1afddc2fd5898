// @vitest-environment jsdom
// The Markdown export rendered by a real CommonMark/GFM renderer (markdown-it, HTML enabled like a
// permissive renderer) and inspected as a DOM: hostile values must stay inert text in their cell.
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { describeCause } from '../../../src/core/causes';
import { markdownReport } from '../../../src/core/report/markdown';
import { describeSymptom } from '../../../src/core/symptoms';
import type { LogEntry } from '../../../src/core/log';
import {
  allFixtures,
  ENV,
  HOSTILE,
  hostile,
  methodNotAllowed,
  NOW,
  redirectWithBranches,
  unreachable,
} from './fixtures';

const md = new MarkdownIt({ html: true, linkify: true });
const render = (markdown: string) => new DOMParser().parseFromString(md.render(markdown), 'text/html');
const snippetCode =
  'app.add_middleware(\n    CORSMiddleware,\n    allow_methods=["GET", "PUT"],\n)\n```\n</code></pre><script>alert(3)</script>';
const snippets = (_e: LogEntry) => [{ stack: 'fastapi', label: 'FastAPI <b>x</b>', code: snippetCode }];

function rowsOf(doc: Document, headerCell: string): string[][] {
  const table = [...doc.querySelectorAll('table')].find((t) => t.querySelector('th')?.textContent === headerCell)!;
  expect(table, `table starting with ${headerCell}`).toBeTruthy();
  return [...table.querySelectorAll('tbody tr')].map((tr) =>
    [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
  );
}

describe('Markdown report', () => {
  it('a hostile value stays one inert table cell: no element injected, no column added, text intact', () => {
    const doc = render(markdownReport({ scope: 'selected', entries: [hostile()] }, { env: ENV, now: NOW, snippets }));
    expect(doc.querySelectorAll('script, img, iframe, b, svg, style, object').length).toBe(0);
    const rows = rowsOf(doc, 'Header');
    for (const r of rows) expect(r).toHaveLength(4);
    const acao = rows.find((r) => r[0] === 'Access-Control-Allow-Origin')!;
    expect(acao[3]).toBe(HOSTILE.acao);
    const expose = rows.find((r) => r[0] === 'Access-Control-Expose-Headers')!;
    expect(expose[3]).toBe('``` # heading <b>bold</b>');
    const checks = rowsOf(doc, 'Result');
    expect(checks[0]).toHaveLength(6);
    expect(checks[0]![5]).toBe(HOSTILE.acao);
    // Code blocks are not broken out of: one for the snippet, one for curl, one for cors-lens, each whole.
    const blocks = [...doc.querySelectorAll('pre > code')].map((c) => c.textContent ?? '');
    expect(blocks).toHaveLength(3);
    expect(blocks[2]).toMatch(/^cors-lens probe /);
    expect(blocks[2]).toContain(`--header 'X-Weird: '\\''; touch /tmp/cors-lens-pwned; echo '\\''$(id)\`id\`"'`);
    expect(blocks[0]).toBe(`${snippetCode}\n`);
    expect(blocks[1]).toContain(`-H 'X-Weird: '\\''; touch /tmp/cors-lens-pwned; echo '\\''$(id)\`id\`"'`);
    // The heading is one line of text.
    expect(doc.querySelector('h2')!.textContent).toBe(`❌ POST http://127.0.0.1:8000${HOSTILE.path}`);
  });

  it('has the summary, request and preflight, side-by-side headers, cause from the catalogue, browser texts, fix and curl', () => {
    const e = methodNotAllowed();
    const text = markdownReport({ scope: 'selected', entries: [e] }, { env: ENV, now: NOW, snippets });
    const doc = render(text);
    const body = doc.body.textContent ?? '';
    const cause = describeCause(e.verdict.cause!);
    const symptom = describeSymptom(e.verdict.symptom!, {
      url: e.exchange.url,
      origin: e.exchange.pageOrigin!,
      method: 'PUT',
    });
    expect(body).toContain(`Blocked by CORS (${symptom.short}): ${cause.title}`);
    expect(body).toContain(cause.explanation);
    expect(body).toContain(symptom.chromeConsole);
    expect(body).toContain(`(Reason: ${symptom.firefoxText})`);
    expect(body).toContain('PUT http://127.0.0.1:8000/items/42');
    expect(body).toContain('OPTIONS http://127.0.0.1:8000/items/42 → 200');
    const rows = rowsOf(doc, 'Header');
    expect(rows).toContainEqual(['Origin', 'http://localhost:3000', '', '']);
    expect(rows).toContainEqual(['Access-Control-Request-Method', 'PUT', '', '']);
    expect(rows).toContainEqual(['access-control-allow-methods', '', 'GET', '']);
    const checks = rowsOf(doc, 'Result');
    expect(checks).toHaveLength(4);
    expect(checks.find((r) => r[2] === 'allow-methods')).toEqual([
      '❌ fail',
      'preflight',
      'allow-methods',
      'Access-Control-Allow-Methods',
      'PUT',
      'GET',
    ]);
    expect(doc.querySelector('a[href="https://fetch.spec.whatwg.org/#cors-preflight-fetch"]')).toBeTruthy();
    expect(doc.querySelector('pre > code.language-python')?.textContent).toContain('CORSMiddleware');
    expect(doc.querySelector('pre > code.language-sh')?.textContent).toContain("-X 'OPTIONS'");
    expect(body).toContain('Exported by CORS Lens 0.1.0 · Chrome 156.0.8078.79 · 2026-01-15T10:31:00.000Z');
  });

  it('explains both credential branches, redirects, warnings and non-CORS failures', () => {
    const branches = render(
      markdownReport({ scope: 'selected', entries: [redirectWithBranches()] }, { includeSecrets: true }),
    ).body.textContent!;
    expect(branches).toContain(
      'With credentials: blocked — ' +
        describeCause({
          code: 'wildcard-with-credentials',
          confidence: 'likely',
          facts: { origin: 'http://localhost:3000' },
        }).title,
    );
    expect(branches).toContain('Without credentials: blocked');
    expect(branches).toContain('Redirect 1: 302 → http://127.0.0.1:8001/files/report.pdf');
    expect(branches).toContain(
      describeCause({ code: 'warn-missing-vary-origin', confidence: 'possible', facts: {} }).title,
    );
    const down = render(markdownReport({ scope: 'selected', entries: [unreachable()] })).body.textContent!;
    expect(down).toContain(describeCause(unreachable().verdict.cause!).title);
    expect(down).toContain('net::ERR_CONNECTION_REFUSED');
  });

  it('lists every blocked entry with a section each, and the per-origin log as a table', () => {
    const all = allFixtures();
    const blockedCount = all.filter((e) => e.verdict.outcome === 'blocked').length;
    const doc = render(markdownReport({ scope: 'blocked', entries: all }, { now: NOW }));
    expect(doc.querySelector('h2')!.textContent).toBe(`CORS Lens: ${blockedCount} blocked requests`);
    expect(rowsOf(doc, '#')).toHaveLength(blockedCount);
    expect(doc.querySelectorAll('h3')).toHaveLength(blockedCount);
    const origins = render(
      markdownReport(
        {
          scope: 'origins',
          entries: all,
          origins: [
            {
              target: 'http://127.0.0.1:8000',
              page: 'http://localhost:3000',
              pass: 4,
              blocked: 3,
              other: 1,
              lastSeen: NOW.getTime(),
            },
          ],
        },
        { now: NOW },
      ),
    );
    expect(rowsOf(origins, 'Server origin')).toEqual([
      ['http://127.0.0.1:8000', 'http://localhost:3000', '4', '3', '1', NOW.toISOString()],
    ]);
    expect(rowsOf(origins, 'Method')).toHaveLength(blockedCount);
  });
});
