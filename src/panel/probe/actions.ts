// What the Probe and Retry buttons need from the browser: evaluating code in the inspected page
// (devtools.inspectedWindow.eval, Chrome's callback form and Firefox's promise form) and telling
// the background what is about to be sent.
import type { PanelMessage } from '../../core/protocol';
import { ext } from '../../shared/ext';

export interface PageActions {
  /** Evaluates `code` in the inspected page (or the frame at `frameURL`). */
  evalInPage(code: string, frameURL?: string): Promise<{ value?: unknown; error?: string }>;
  send(msg: PanelMessage): void;
}

/** Null outside DevTools (the popped-out panel has no inspected window to send from). */
export function browserPageActions(send: (msg: PanelMessage) => void): PageActions | null {
  const iw = ext.devtools?.inspectedWindow;
  if (!iw || typeof iw.eval !== 'function' || new URLSearchParams(location.search).get('tabId') !== null) return null;
  return {
    send,
    evalInPage(code, frameURL) {
      const options = frameURL ? { frameURL } : {};
      const done = (result: unknown, info: unknown) => {
        const ex = info as { isError?: boolean; isException?: boolean; code?: string; description?: string; value?: string } | undefined;
        if (ex && (ex.isError || ex.isException)) return { error: String(ex.value ?? ex.description ?? ex.code ?? 'the page refused the script') };
        return { value: result };
      };
      return new Promise((resolve) => {
        try {
          if (__BROWSER__ === 'firefox') {
            const p = (iw.eval as unknown as (c: string, o: object) => Promise<[unknown, unknown]>)(code, options);
            p.then(([r, info]) => resolve(done(r, info)), (e: unknown) => resolve({ error: String((e as Error)?.message ?? e) }));
          } else {
            iw.eval(code, options, (r: unknown, info: unknown) => resolve(done(r, info)));
          }
        } catch (e) {
          resolve({ error: String((e as Error)?.message ?? e) });
        }
      });
    },
  };
}
