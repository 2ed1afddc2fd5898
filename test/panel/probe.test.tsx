// @vitest-environment jsdom
// Probe and Retry in the detail pane, with a fake inspected page: what is announced to the
// background and evaluated in the page, the confirmation before re-sending an unsafe method, and a
// clear message (never a stuck button) when the page cannot send.
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/core/log';
import type { PanelMessage } from '../../src/shared/protocol';
import { Detail } from '../../src/panel/Detail';
import type { PageActions } from '../../src/panel/probe/actions';
import { methodNotAllowed, missingAcao } from './fixtures';

afterEach(cleanup);

function show(entry: LogEntry, answer: { value?: unknown; error?: string }, frames: string[] = []) {
  const sent: PanelMessage[] = [];
  const evaluated: string[] = [];
  const inFrames: Array<string | undefined> = [];
  const actions: PageActions = {
    send: (m) => sent.push(m),
    evalInPage: async (code, frameURL) => (evaluated.push(code), inFrames.push(frameURL), answer),
    frameWithOrigin: async (origin) => frames.find((f) => new URL(f).origin === origin),
  };
  const r = render(<Detail entry={entry} copy={async () => true} actions={actions} />);
  const q = (id: string) => r.container.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  return { ...r, q, sent, evaluated, inFrames };
}

describe('Probe', () => {
  it('announces the probe with the original entry, evaluates the OPTIONS fetch in the page, and waits', async () => {
    const e = missingAcao();
    const { q, sent, evaluated } = show(e, { value: { ok: true, origin: e.exchange.pageOrigin } });
    expect(q('probe-plan')!.textContent).toContain(`OPTIONS ${e.exchange.url}`);
    fireEvent.click(q('probe-button')!);
    await waitFor(() => expect(evaluated).toHaveLength(1));
    expect(sent[0]).toMatchObject({ type: 'probe', original: { id: e.id } });
    const id = (sent[0] as { probeId: string }).probeId;
    expect(evaluated[0]).toContain(JSON.stringify(id));
    expect(evaluated[0]).toContain('"method":"OPTIONS"');
    expect(q('probe-status')!.textContent).toContain('Probing');
    expect((q('probe-button') as HTMLButtonElement).disabled).toBe(true);
  });

  it('a request from an iframe is probed in a frame of its origin (Chrome does not report the document URL); a top-frame one in the top frame', async () => {
    const top = missingAcao();
    const framed: LogEntry = {
      ...top,
      id: 'f1',
      exchange: { ...top.exchange, id: 'f1', frameId: 7, pageOrigin: 'http://127.0.0.1:4444' },
    };
    delete framed.exchange.documentUrl;
    for (const [e, expected] of [
      [framed, 'http://127.0.0.1:4444/frame.html'],
      [top, undefined],
    ] as const) {
      const { q, inFrames } = show(e, { value: { ok: true, origin: e.exchange.pageOrigin } }, [
        'http://127.0.0.1:5555/',
        'http://127.0.0.1:4444/frame.html',
      ]);
      fireEvent.click(q('probe-button')!);
      await waitFor(() => expect(inFrames).toHaveLength(1));
      expect(inFrames[0]).toBe(expected);
      cleanup();
    }
  });

  it('a page that is not http(s), or another origin now, gets a clear message and the button back', async () => {
    for (const value of [
      { ok: false, reason: 'not-http', origin: 'null' },
      { ok: false, reason: 'other-origin', origin: 'http://elsewhere.test' },
    ]) {
      const { q, unmount } = show(missingAcao(), { value });
      fireEvent.click(q('probe-button')!);
      await waitFor(() =>
        expect(q('probe-status')!.textContent).toMatch(/not an http\(s\) page|is now http:\/\/elsewhere.test/),
      );
      expect((q('probe-button') as HTMLButtonElement).disabled).toBe(false);
      unmount();
    }
    const { q } = show(missingAcao(), { error: 'Inspected frame has gone' });
    fireEvent.click(q('probe-button')!);
    await waitFor(() => expect(q('probe-status')!.textContent).toContain('Inspected frame has gone'));
  });
});

describe('Retry', () => {
  it('asks before re-sending a method that may change data, then sends it from the page', async () => {
    const e = methodNotAllowed();
    const { q, sent, evaluated } = show(e, { value: { ok: true, origin: e.exchange.pageOrigin } });
    fireEvent.click(q('retry-button')!);
    expect(q('retry-confirm')!.textContent).toContain(`Send ${e.exchange.method}`);
    expect(evaluated).toHaveLength(0);
    fireEvent.click(q('retry-confirm-yes')!);
    await waitFor(() => expect(evaluated).toHaveLength(1));
    expect(sent[0]).toMatchObject({ type: 'retry', method: e.exchange.method, original: { id: e.id } });
    expect(evaluated[0]).toContain(`"method":"${e.exchange.method}"`);
  });

  it('shows the latest retry outcome on the original, and "retry of" on the retry', () => {
    const e = missingAcao();
    const { q } = show({ ...e, verdict: { ...e.verdict, retry: { id: '999', outcome: 'pass', at: 1 } } }, {});
    expect(q('retry-outcome')!.textContent).toContain('now passes');
    cleanup();
    // Firefox cannot show the credentials mode: a retry that passes only without credentials says so.
    const u = show({ ...e, verdict: { ...e.verdict, retry: { id: '998', outcome: 'uncertain', at: 1 } } }, {});
    expect(u.q('retry-outcome')!.textContent).toContain('passes without credentials; blocked if sent with credentials');
    expect(u.q('retry-outcome')!.textContent).not.toContain('pending');
    cleanup();
    const r = show({ ...e, id: '999', verdict: { ...e.verdict, retryOf: e.id } }, {});
    expect(r.q('retry-of')!.textContent).toContain(`Retry of entry ${e.id}`);
  });
});
