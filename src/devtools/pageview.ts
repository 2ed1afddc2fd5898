// The page view, DevTools page side. Only a DevTools context can reload the inspected page with an
// injected script, and the DevTools page is loaded whichever panel is shown (and while the CORS
// panel is popped out), so it does the work the panel asks for through the background:
//  - on: devtools.inspectedWindow.reload({ injectedScript }) (measured to run before the page's
//    scripts in Chromium and Firefox ESR), then every POLL_MS takes the wrapper's buffered reports
//    with devtools.inspectedWindow.eval and hands them to the background as untrusted data;
//  - off: stops polling and reloads the page without the wrapper.
// The evaluated expression only calls the wrapper's own function and returns a string; nothing
// the page returns is ever evaluated in the extension (the background parses and validates it).
import type { DevtoolsMessage, ToDevtoolsMessage } from '../shared/protocol';
import { ext } from '../shared/ext';
import { PAGE_VIEW_TAKE, pageViewScript } from './pageview-wrapper';

const POLL_MS = 250;
/** How long the reloaded page may take to show the wrapper before the page view reports an error. */
const START_TIMEOUT_MS = 30_000;

type Send = (m: DevtoolsMessage) => void;

function evalInPage(code: string): Promise<unknown> {
  const iw = ext.devtools.inspectedWindow;
  return new Promise((resolve) => {
    try {
      if (__BROWSER__ === 'firefox') {
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- Firefox's eval returns a promise; the typings are Chrome's
        const p = (iw.eval as unknown as (c: string) => Promise<[unknown, unknown]>)(code);
        p.then(
          ([r, info]) => resolve(info ? null : r),
          () => resolve(null),
        );
      } else {
        iw.eval(code, {}, (r: unknown, info: unknown) => {
          const e = info as { isException?: boolean; isError?: boolean } | undefined;
          resolve(e && (e.isError || e.isException) ? null : r);
        });
      }
    } catch {
      resolve(null);
    }
  });
}

export class PageViewAgent {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private generation = 0;
  private send: Send = () => {};

  /** The current port's sender (the port is re-opened when the background restarts). */
  attach(send: Send): void {
    this.send = send;
  }

  handle(m: ToDevtoolsMessage): void {
    if (m?.type !== 'pageView') return;
    if (m.on) this.start();
    else this.stop(true);
  }

  private start(): void {
    this.stop(false);
    const gen = ++this.generation;
    this.send({ type: 'pageViewState', state: 'starting' });
    try {
      ext.devtools.inspectedWindow.reload({ injectedScript: pageViewScript() });
    } catch (e) {
      this.send({ type: 'pageViewState', state: 'error', detail: String((e as Error)?.message ?? e).slice(0, 200) });
      return;
    }
    const since = Date.now();
    let seen = false;
    const tick = async () => {
      if (gen !== this.generation) return;
      const raw = await evalInPage(PAGE_VIEW_TAKE);
      if (gen !== this.generation) return;
      if (typeof raw === 'string') {
        if (!seen) this.send({ type: 'pageViewState', state: 'on' });
        seen = true;
        if (raw !== '[]' && raw.length < 8_000_000) {
          let records: unknown = null;
          try {
            records = JSON.parse(raw);
          } catch {}
          if (Array.isArray(records)) this.send({ type: 'pageRecords', records });
        }
      } else if (seen) {
        // The wrapper is gone: the page navigated (it lasts for the page load it was injected into).
        this.generation++;
        this.timer = null;
        this.send({ type: 'pageViewState', state: 'ended' });
        return;
      } else if (Date.now() - since > START_TIMEOUT_MS) {
        this.generation++;
        this.timer = null;
        this.send({
          type: 'pageViewState',
          state: 'error',
          detail: 'the reloaded page never showed the wrapper (a page that is not http(s), or the reload was refused)',
        });
        return;
      }
      this.timer = setTimeout(() => void tick(), POLL_MS);
    };
    this.timer = setTimeout(() => void tick(), POLL_MS);
  }

  private stop(reload: boolean): void {
    const wasOn = this.timer !== null;
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (reload) {
      this.send({ type: 'pageViewState', state: 'off' });
      if (wasOn) {
        try {
          ext.devtools.inspectedWindow.reload({});
        } catch {}
      }
    }
  }
}
