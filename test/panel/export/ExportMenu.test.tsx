// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LogEntry } from '../../../src/core/log';
import { jsonReport } from '../../../src/core/report/json';
import { MAX_REPORT_BYTES } from '../../../src/core/report/open';
import { ExportMenu, OpenReportButton, type ImportedReport } from '../../../src/panel/export/ExportMenu';
import { allowed, ENV, hostile, methodNotAllowed, missingAcao, SECRETS, withSecrets } from '../../core/report/fixtures';

const origins = [
  { target: 'http://127.0.0.1:8000', page: 'http://localhost:3000', pass: 1, blocked: 3, other: 0, lastSeen: 1 },
];
let downloads: Array<{ name: string; text: Promise<string>; type: string }>;

beforeEach(() => {
  downloads = [];
  const blobs = new Map<string, Blob>();
  let n = 0;
  URL.createObjectURL = vi.fn((b: Blob) => {
    const url = `blob:test/${n++}`;
    blobs.set(url, b);
    return url;
  }) as any;
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    const b = blobs.get(this.href)!;
    downloads.push({ name: this.download, text: b.text(), type: b.type });
  });
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function open(entries: LogEntry[], selected: LogEntry | null, extra: Partial<Parameters<typeof ExportMenu>[0]> = {}) {
  render(<ExportMenu entries={entries} selected={selected} origins={origins} env={ENV} {...extra} />);
  fireEvent.click(screen.getByTestId('export-toggle'));
}

describe('ExportMenu', () => {
  it('offers the three scopes and four formats; "selected" needs a selection', () => {
    open([methodNotAllowed(), missingAcao(), allowed()], null);
    expect((screen.getByTestId('export-scope-selected') as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByTestId('export-scope-blocked') as HTMLInputElement).checked).toBe(true);
    expect(screen.getByTestId('export-scope-blocked').parentElement!.textContent).toContain('(2)');
    for (const f of ['markdown', 'json', 'har', 'curl']) expect(screen.getByTestId(`export-format-${f}`)).toBeTruthy();
  });

  it('downloads the selected entry as Markdown, redacted, with the redaction summary shown', async () => {
    const e = withSecrets();
    open([e, methodNotAllowed()], e);
    expect((screen.getByTestId('export-scope-selected') as HTMLInputElement).checked).toBe(true);
    const summary = screen.getByTestId('export-redaction').textContent!;
    expect(summary).toMatch(/^Redacted: /);
    for (const name of ['Authorization', 'X-Api-Key', 'cookie session', '?token']) expect(summary).toContain(name);
    fireEvent.click(screen.getByTestId('export-download'));
    expect(downloads).toHaveLength(1);
    expect(downloads[0]!.name).toMatch(/^cors-lens-selected-.*\.md$/);
    const text = await downloads[0]!.text;
    expect(text).toContain('## ❌ `POST http://127.0.0.1:8000/account?token=REDACTED');
    for (const s of Object.values(SECRETS)) expect(text).not.toContain(s);
    expect(screen.getByTestId('export-status').textContent).toMatch(/^Saved cors-lens-selected-.*\.md/);
  });

  it('"include secrets" is explicit, warns, and really includes them', async () => {
    const e = withSecrets();
    open([e], e);
    fireEvent.click(screen.getByTestId('export-format-json'));
    fireEvent.click(screen.getByTestId('export-include-secrets'));
    expect(screen.getByTestId('export-redaction').textContent).toMatch(/Secrets included: .*Authorization.*Share only/);
    fireEvent.click(screen.getByTestId('export-download'));
    const report = JSON.parse(await downloads[0]!.text);
    expect(report.redaction.enabled).toBe(false);
    expect(JSON.stringify(report)).toContain(SECRETS.bearer);
  });

  it('exports every blocked entry as HAR and the per-origin log as JSON, with injected snippets', async () => {
    const snippets = vi.fn((en: LogEntry) => [
      { stack: 'fastapi', label: 'FastAPI', code: `allow_origins=["${en.exchange.pageOrigin}"]` },
    ]);
    open([methodNotAllowed(), missingAcao(), allowed()], null, { snippets });
    fireEvent.click(screen.getByTestId('export-format-har'));
    fireEvent.click(screen.getByTestId('export-download'));
    const har = JSON.parse(await downloads[0]!.text);
    expect(downloads[0]!.name).toMatch(/\.har$/);
    expect(har.log.entries.map((x: any) => x.request.method)).toEqual(['OPTIONS', 'PUT', 'GET']);
    expect(har.log.entries[1]._corsLens.snippets[0].code).toBe('allow_origins=["http://localhost:3000"]');

    fireEvent.click(screen.getByTestId('export-scope-origins'));
    fireEvent.click(screen.getByTestId('export-format-json'));
    fireEvent.click(screen.getByTestId('export-download'));
    const json = JSON.parse(await downloads[1]!.text);
    expect(json.scope).toBe('origins');
    expect(json.origins[0]).toMatchObject({ target: 'http://127.0.0.1:8000', blocked: 3 });
    expect(json.entries).toHaveLength(3);
    expect(json.generator).toMatchObject({ version: '0.1.0', browser: 'chrome', browserVersion: '156.0.8078.79' });
  });

  it('copies with the textarea fallback first, then navigator.clipboard, and says when both fail', async () => {
    const e = methodNotAllowed();
    let copied: string | undefined;
    (document as any).execCommand = vi.fn(() => {
      copied = document.querySelector('textarea')!.value;
      return true;
    });
    open([e], e);
    fireEvent.click(screen.getByTestId('export-format-curl'));
    fireEvent.click(screen.getByTestId('export-copy'));
    await waitFor(() => expect(screen.getByTestId('export-status').textContent).toMatch(/^Copied curl/));
    expect(copied).toContain("curl -sS -i --globoff -X 'OPTIONS'");
    expect(document.querySelector('textarea')).toBeNull(); // cleaned up

    (document as any).execCommand = vi.fn(() => false);
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    fireEvent.click(screen.getByTestId('export-copy'));
    await waitFor(() => expect(writeText).toHaveBeenCalledTimes(1));
    expect(String((writeText.mock.calls[0] as unknown[])[0])).toContain('curl');

    writeText.mockRejectedValueOnce(new Error('Document is not focused'));
    fireEvent.click(screen.getByTestId('export-copy'));
    await waitFor(() => expect(screen.getByTestId('export-status').textContent).toMatch(/refused to copy/));
  });

  it('disables export when the scope is empty', () => {
    open([allowed()], null);
    expect((screen.getByTestId('export-download') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('Nothing to export in this scope.')).toBeTruthy();
  });
});

describe('OpenReportButton', () => {
  const file = (text: string, name = 'report.json') => new File([text], name, { type: 'application/json' });
  function mount() {
    const opened: ImportedReport[] = [];
    render(<OpenReportButton onOpen={(r) => opened.push(r)} />);
    return opened;
  }
  const choose = (f: File) => fireEvent.change(screen.getByTestId('open-report-input'), { target: { files: [f] } });

  it('opens a report from the file picker and hands its entries to the panel', async () => {
    const opened = mount();
    const entries = [methodNotAllowed(), hostile()];
    choose(file(jsonReport({ scope: 'blocked', entries }, { includeSecrets: true })));
    await waitFor(() => expect(opened).toHaveLength(1));
    expect(opened[0]!.source).toBe('report.json');
    expect(opened[0]!.entries.map((e) => ({ ...e, seq: 0, nav: 0 }))).toEqual(
      entries.map((e) => ({ ...e, seq: 0, nav: 0 })),
    );
  });

  it('opens a dropped report and shows the drop target while dragging', async () => {
    const opened = mount();
    const f = file(jsonReport({ scope: 'selected', entries: [missingAcao()] }));
    fireEvent.dragEnter(document, { dataTransfer: { types: ['Files'], files: [f] } });
    expect(screen.getByTestId('drop-overlay')).toBeTruthy();
    fireEvent.drop(document, { dataTransfer: { types: ['Files'], files: [f] } });
    await waitFor(() => expect(opened).toHaveLength(1));
    expect(screen.queryByTestId('drop-overlay')).toBeNull();
    expect(opened[0]!.entries[0]!.verdict.symptom?.corsError).toBe('MissingAllowOriginHeader');
  });

  it('shows a clear, inert error for malformed or hostile files and opens nothing', async () => {
    const opened = mount();
    choose(file('not json at all', '<img src=x onerror="window.pwned=1">.json'));
    const alert = await screen.findByTestId('open-report-error');
    expect(alert.textContent).toContain(
      'Could not open <img src=x onerror="window.pwned=1">.json: The file is not JSON',
    );
    expect(document.querySelector('img')).toBeNull();

    const bad = jsonReport({ scope: 'selected', entries: [methodNotAllowed()] }).replace(
      '"outcome": "blocked"',
      '"outcome": "<script>window.pwned=1</script>"',
    );
    choose(file(bad));
    await waitFor(() =>
      expect(screen.getByTestId('open-report-error').textContent).toContain(
        'does not match the CORS Lens report format',
      ),
    );
    expect(screen.getByTestId('open-report-error').textContent).toContain('/entries/0/verdict/outcome must be one of');
    expect(document.querySelector('script')).toBeNull();

    const huge = file('{}');
    Object.defineProperty(huge, 'size', { value: MAX_REPORT_BYTES + 1 });
    choose(huge);
    await waitFor(() => expect(screen.getByTestId('open-report-error').textContent).toContain('too large'));

    fireEvent.click(screen.getByTestId('open-report-dismiss'));
    expect(screen.queryByTestId('open-report-error')).toBeNull();
    expect(opened).toHaveLength(0);
    expect((window as any).pwned).toBeUndefined();
  });
});
