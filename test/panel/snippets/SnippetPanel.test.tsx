// @vitest-environment jsdom
// The snippet view as the panel renders it: tabs (detected first), remembered choice per target
// origin in extension storage, copy and copy-as-diff, inert rendering of hostile values.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SETTINGS } from '../../../src/shared/protocol';
import { API, entry, PAGE, SCENARIOS } from '../../core/snippets/fixtures';

// The extension storage the panel uses (chrome.storage.local's promise API), in memory.
const store = new Map<string, unknown>();
const storage = {
  get: vi.fn(async (key: string) => (store.has(key) ? { [key]: store.get(key) } : {})),
  set: vi.fn(async (items: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(items)) store.set(k, v);
  }),
};
(globalThis as any).chrome = { storage: { local: storage } };

let SnippetPanel: typeof import('../../../src/panel/snippets/SnippetPanel').SnippetPanel;
beforeAll(async () => {
  ({ SnippetPanel } = await import('../../../src/panel/snippets/SnippetPanel'));
});
beforeEach(() => {
  store.clear();
  storage.get.mockClear();
  storage.set.mockClear();
});
afterEach(cleanup);

const tabs = () => screen.getAllByTestId('snippet-tab');
const selected = () => tabs().find((t) => t.getAttribute('aria-selected') === 'true')!.dataset.stack;
const code = () =>
  screen
    .getAllByTestId('snippet-part')
    .map((p) => p.querySelector('code')!.textContent)
    .join('\n');

const nginxEntry = () => {
  const s = SCENARIOS['method-not-allowed']!;
  return entry({
    ...s,
    preflight: { ...s.preflight!, headers: [...s.preflight!.headers!, ['Server', 'nginx/1.22.1']] },
  });
};

describe('<SnippetPanel entry/>', () => {
  it('puts the detected stack first and selects it', async () => {
    render(<SnippetPanel entry={nginxEntry()} />);
    expect(tabs()[0]!.dataset.stack).toBe('nginx');
    expect(tabs()[0]!.title).toContain('Server: nginx/1.22.1');
    expect(selected()).toBe('nginx');
    expect(tabs()).toHaveLength(16);
    expect(code()).toContain('add_header Access-Control-Allow-Methods "GET, POST, PUT" always;');
    expect(screen.getByTestId('snippet-title').textContent).toContain('add PUT');
    await waitFor(() => expect(storage.get).toHaveBeenCalledWith(SETTINGS.snippetStackPrefix + API));
  });

  it('calls a one-framework signal "detected" and a family signal (Node.js keep-alive) a "guess"', () => {
    const { unmount } = render(<SnippetPanel entry={nginxEntry()} />);
    expect(tabs()[0]!.textContent).toContain('detected');
    unmount();
    const s = SCENARIOS['method-not-allowed']!;
    render(
      <SnippetPanel
        entry={entry({
          ...s,
          preflight: { ...s.preflight!, headers: [...s.preflight!.headers!, ['Keep-Alive', 'timeout=5']] },
        })}
      />,
    );
    expect(tabs()[0]!.textContent).toContain('guess');
    expect(tabs()[0]!.textContent).not.toContain('detected');
    expect(tabs()[0]!.title).toMatch(/^A guess: Keep-Alive: timeout=5/);
  });

  it('switches stacks on click and remembers the choice per target origin', async () => {
    render(<SnippetPanel entry={nginxEntry()} />);
    fireEvent.click(tabs().find((t) => t.dataset.stack === 'fastapi')!);
    expect(selected()).toBe('fastapi');
    expect(code()).toContain('allow_methods=["GET", "POST", "PUT"]');
    await waitFor(() => expect(store.get(SETTINGS.snippetStackPrefix + API)).toBe('fastapi'));
  });

  it('opens on the remembered stack for that origin', async () => {
    store.set(SETTINGS.snippetStackPrefix + API, 'django');
    render(<SnippetPanel entry={nginxEntry()} />);
    await waitFor(() => expect(selected()).toBe('django'));
    expect(code()).toContain('CORS_ALLOW_METHODS = ["GET", "POST", "PUT"]');
    // The detected stack keeps its place at the front.
    expect(tabs()[0]!.dataset.stack).toBe('nginx');
  });

  it('ignores a stored value that is not a stack', async () => {
    store.set(SETTINGS.snippetStackPrefix + API, '<img src=x onerror=alert(1)>');
    render(<SnippetPanel entry={nginxEntry()} />);
    await waitFor(() => expect(storage.get).toHaveBeenCalled());
    expect(selected()).toBe('nginx');
  });

  it('moves between tabs with the arrow keys', () => {
    render(<SnippetPanel entry={nginxEntry()} />);
    fireEvent.keyDown(tabs()[0]!, { key: 'ArrowRight' });
    expect(selected()).toBe(tabs()[1]!.dataset.stack);
    fireEvent.keyDown(tabs()[1]!, { key: 'ArrowLeft' });
    expect(selected()).toBe('nginx');
  });

  it('copies inside the click with execCommand (what works in a DevTools panel)', async () => {
    let copied = '';
    (document as any).execCommand = (cmd: string) => {
      copied = cmd === 'copy' ? document.querySelector('textarea')!.value : '';
      return cmd === 'copy';
    };
    render(<SnippetPanel entry={nginxEntry()} />);
    fireEvent.click(screen.getByTestId('copy-part'));
    await waitFor(() => expect(screen.getByTestId('copy-status').textContent).toBe('Copied snippet'));
    expect(copied).toBe(screen.getByTestId('snippet-part').querySelector('code')!.textContent);
    expect(document.querySelector('textarea')).toBeNull();
  });

  it('falls back to the Clipboard API, and copies the minimal change as a diff', async () => {
    (document as any).execCommand = () => false;
    const writeText = vi.fn(async (_text: string) => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    render(<SnippetPanel entry={nginxEntry()} />);
    fireEvent.click(screen.getByTestId('copy-part'));
    await waitFor(() => expect(screen.getByTestId('copy-status').textContent).toBe('Copied snippet'));
    expect(writeText).toHaveBeenLastCalledWith(screen.getByTestId('snippet-part').querySelector('code')!.textContent);
    fireEvent.click(screen.getByTestId('copy-diff'));
    await waitFor(() => expect(screen.getByTestId('copy-status').textContent).toBe('Copied diff'));
    const diff = writeText.mock.calls.at(-1)![0] as string;
    expect(diff).toMatch(/^--- a\/nginx.conf\n\+\+\+ b\/nginx.conf\n@@/);
    expect(diff).toContain(
      '-    add_header Access-Control-Allow-Methods "GET, POST" always;\n+    add_header Access-Control-Allow-Methods "GET, POST, PUT" always;',
    );
  });

  it('shows the diff with added and removed lines marked', () => {
    render(<SnippetPanel entry={nginxEntry()} />);
    fireEvent.click(screen.getByLabelText(/show diff/));
    const d = screen.getByTestId('snippet-diff');
    expect(d.querySelector('.add')!.textContent).toContain('GET, POST, PUT');
    expect(d.querySelector('.del')!.textContent).toContain('"GET, POST"');
  });

  it('says so when copying fails', async () => {
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText: async () => Promise.reject(new Error('denied')) },
      configurable: true,
    });
    (document as any).execCommand = () => false;
    render(<SnippetPanel entry={nginxEntry()} />);
    fireEvent.click(screen.getByTestId('copy-part'));
    await waitFor(() => expect(screen.getByTestId('copy-status').textContent).toMatch(/Copy failed/));
  });

  it('has no "copy as diff" when there is no minimal change (no CORS config yet)', () => {
    render(<SnippetPanel entry={entry(SCENARIOS['no-cors-config']!)} />);
    expect(screen.queryByTestId('copy-diff')).toBeNull();
  });

  it('shows the notes that are not config: fix the crash', () => {
    render(<SnippetPanel entry={entry(SCENARIOS['server-error-without-cors']!)} />);
    expect(tabs()[0]!.dataset.stack).toBe('fastapi'); // Server: uvicorn
    expect(screen.getByTestId('snippet-notes').textContent).toMatch(/crash/);
    expect(screen.getAllByTestId('snippet-part').map((p) => p.dataset.part)).toEqual(['main', 'end']);
  });

  it('renders hostile values as inert text', () => {
    const evil = '<img src=x onerror="globalThis.pwned=1">';
    const e = entry({
      path: `/api/${encodeURIComponent(evil)}`,
      method: 'POST',
      requestHeaders: [['X-Evil', evil]],
      preflight: {
        requestHeaders: [['Access-Control-Request-Headers', `x-evil,${evil}`]],
        status: 200,
        headers: [
          ['Access-Control-Allow-Origin', PAGE],
          ['Server', evil],
          ['X-Powered-By', evil],
          ['Access-Control-Allow-Headers', evil],
        ],
      },
      response: null,
    });
    const { container } = render(<SnippetPanel entry={e} />);
    expect(container.querySelector('img')).toBeNull();
    expect((globalThis as any).pwned).toBeUndefined();
    expect(code()).toContain('x-evil');
  });

  it('explains that no server setting helps when it is not CORS, and shows nothing for a pass', () => {
    const { container, unmount } = render(
      <SnippetPanel entry={entry({ verdict: { outcome: 'not-cors', networkError: 'net::ERR_CONNECTION_REFUSED' } })} />,
    );
    expect(container.textContent).toMatch(/No server CORS setting fixes this/);
    unmount();
    const pass = render(<SnippetPanel entry={entry({ state: 'completed', verdict: { outcome: 'pass' } })} />);
    expect(pass.container.innerHTML).toBe('');
  });
});
