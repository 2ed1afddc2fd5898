// What the Probe and Retry buttons need from the browser: evaluating code in the inspected page
// (devtools.inspectedWindow.eval, Chrome's callback form and Firefox's promise form) and telling
// the background what is about to be sent.
import type { PanelMessage } from '../../shared/protocol';
import { ext } from '../../shared/ext';

export interface PageActions {
  /** Evaluates `code` in the inspected page (or the frame at `frameURL`). */
  evalInPage(code: string, frameURL?: string): Promise<{ value?: unknown; error?: string }>;
  send(msg: PanelMessage): void;
  /**
   * The URL of a frame of the inspected page whose origin is `origin`, when one exists. Chrome's
   * webRequest does not report a request's document URL (only its origin), so a request from an
   * iframe is probed from a frame of that origin: the browser then sends the same Origin.
   */
  frameWithOrigin(origin: string): Promise<string | undefined>;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Null outside DevTools (the popped-out panel has no inspected window to send from). */
export function browserPageActions(send: (msg: PanelMessage) => void): PageActions | null {
  const iw = ext.devtools?.inspectedWindow;
  if (!iw || typeof iw.eval !== 'function' || new URLSearchParams(location.search).get('tabId') !== null) return null;
  return {
    send,
    frameWithOrigin(origin) {
      const get = (
        iw as unknown as { getResources?: (cb?: (r: Array<{ url: string; type?: string }>) => void) => unknown }
      ).getResources;
      if (typeof get !== 'function') return Promise.resolve(undefined);
      return new Promise((resolve) => {
        const pick = (rs: Array<{ url: string; type?: string }> | undefined) =>
          resolve((rs ?? []).find((r) => r.type === 'document' && originOf(r.url) === origin)?.url);
        try {
          const p = get.call(iw, pick);
          if (p && typeof (p as Promise<unknown>).then === 'function')
            (p as Promise<Array<{ url: string; type?: string }>>).then(pick, () => resolve(undefined));
        } catch {
          resolve(undefined);
        }
      });
    },
    evalInPage(code, frameURL) {
      const options = frameURL ? { frameURL } : {};
      const done = (result: unknown, info: unknown) => {
        const ex = info as
          { isError?: boolean; isException?: boolean; code?: string; description?: string; value?: string } | undefined;
        if (ex && (ex.isError || ex.isException))
          return { error: String(ex.value ?? ex.description ?? ex.code ?? 'the page refused the script') };
        return { value: result };
      };
      return new Promise((resolve) => {
        try {
          if (__BROWSER__ === 'firefox') {
            const p = (iw.eval as unknown as (c: string, o: object) => Promise<[unknown, unknown]>)(code, options);
            p.then(
              ([r, info]) => resolve(done(r, info)),
              (e: unknown) => resolve({ error: String((e as Error)?.message ?? e) }),
            );
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
