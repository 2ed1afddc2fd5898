// Serves panels over runtime ports. A panel subscribes with the inspected tab id, gets a
// snapshot, then every change for that tab. DevTools pages connect too: while a DevTools page or
// a panel is connected for a tab, the recorder records that tab (scope.ts).
//
// The snapshot is streamed: a `snapshot` message with the tab's header and the first chunk of
// entries, then `entries` messages with the rest (the panel's store upserts by id). Live changes
// that happen while a snapshot is streaming are held back and sent after it, so the panel ends
// with the newest version of every entry. Nothing is answered before the log is restored.
import { ext } from '../shared/ext';
import {
  DEVTOOLS_PORT,
  PANEL_PORT,
  type BackgroundMessage,
  type DevtoolsMessage,
  type PageViewState,
  type PanelMessage,
} from '../core/protocol';
import { Outbox } from './outbox';
import { PageViewDesk } from './pageview';
import type { Pipeline } from './pipeline';
import type { Recorder } from './scope';

/** Minimum time between two live `entries` messages to a panel. */
const OUTBOX_MS = 25;
/** Entries per snapshot message: keeps each message a few MB at most; the first one is small so the panel paints early. */
const SNAPSHOT_CHUNK = 1000;
const SNAPSHOT_FIRST = 250;

interface PanelPort {
  tabId: number;
  /** Messages held back while the snapshot streams (null once it is done). */
  backlog: BackgroundMessage[] | null;
  /** Stops recording the tab for this panel (scope.ts). */
  release: () => void;
}

export function servePanels(pipeline: Pipeline, recorder: Recorder, ready: Promise<unknown>): void {
  const store = pipeline.store;
  const ports = new Map<chrome.runtime.Port, PanelPort>();
  const send = (port: chrome.runtime.Port, msg: BackgroundMessage) => {
    const p = ports.get(port);
    if (p?.backlog) {
      p.backlog.push(msg);
      return;
    }
    try {
      port.postMessage(msg);
    } catch {
      p?.release(); // disconnected
      ports.delete(port);
    }
  };
  const toTab = (tabId: number, msg: BackgroundMessage) => {
    for (const [port, p] of ports) if (p.tabId === tabId) send(port, msg);
  };
  // Changes for watched tabs are coalesced: at most one `entries` message per OUTBOX_MS, with the
  // latest version of each entry (a panel cannot show more than one update per frame, and a
  // message per webRequest event cost the worker and the panel more than everything else they
  // did; profiled). A verdict that just became final goes out at once when nothing was sent
  // within the window, so an isolated failure shows up as fast as before.
  const outbox = new Outbox();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastSent = -Infinity;
  const flushOutbox = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    lastSent = Date.now();
    for (const [tabId, entries] of outbox.take())
      toTab(tabId, { type: 'entries', entries, origins: store.originStats(tabId) });
  };
  let timerUrgent = false;
  const schedule = (urgent: boolean) => {
    // One timer at a time: re-arming it per entry showed in the worker's profile.
    if (timer && (timerUrgent || !urgent)) return;
    const wait = Math.max(0, lastSent + OUTBOX_MS - Date.now());
    if (urgent && wait === 0) {
      if (timer) clearTimeout(timer);
      timerUrgent = true;
      timer = setTimeout(flushOutbox, 0); // still one message for everything in this task
    } else if (!timer) {
      timerUrgent = false;
      timer = setTimeout(flushOutbox, Math.max(wait, urgent ? 0 : OUTBOX_MS));
    }
  };
  const watched = (tabId: number) => {
    for (const p of ports.values()) if (p.tabId === tabId) return true;
    return false;
  };
  pipeline.watched = watched;
  const pageView = new PageViewDesk((ex) => pipeline.rejudge(ex), toTab);
  pipeline.subscribe({
    entries(tabId, entries) {
      pageView.seen(tabId, entries);
      if (ports.size === 0 || !watched(tabId)) return;
      // (seen() may have re-judged one of these already: the outbox keeps the newest version.)
      schedule(outbox.add(tabId, entries));
    },
    navigated(tabId, navigation, nav) {
      if (outbox.has(tabId)) flushOutbox(); // keep entries before the navigation that follows them
      toTab(tabId, { type: 'navigated', navigation, nav });
    },
  });

  const subscribe = async (port: chrome.runtime.Port, tabId: number) => {
    const p: PanelPort = { tabId, backlog: [], release: recorder.inspect(tabId) };
    ports.get(port)?.release(); // resubscribed to another tab
    ports.set(port, p);
    await ready;
    pipeline.settle(); // requests of this tab that waited for a quiet moment are judged now
    let first = true;
    try {
      for await (const chunk of store.entries(tabId, SNAPSHOT_CHUNK, SNAPSHOT_FIRST)) {
        if (ports.get(port) !== p) return; // disconnected or resubscribed meanwhile
        port.postMessage(
          first
            ? { type: 'snapshot', ...store.meta(tabId), entries: chunk, scope: recorder.currentScope ?? undefined }
            : { type: 'entries', entries: chunk, origins: store.originStats(tabId) },
        );
        first = false;
      }
      if (ports.get(port) !== p) return;
      if (first)
        port.postMessage({
          type: 'snapshot',
          ...store.meta(tabId),
          entries: [],
          scope: recorder.currentScope ?? undefined,
        } satisfies BackgroundMessage);
      const backlog = p.backlog ?? [];
      p.backlog = null;
      for (const m of backlog) port.postMessage(m);
      port.postMessage(pageView.stateMessage(tabId));
    } catch (e) {
      console.error('CORS Lens: snapshot failed', e);
      p.release();
      ports.delete(port);
      try {
        port.disconnect();
      } catch {}
    }
  };

  ext.runtime.onConnect.addListener((port) => {
    if (port.name === DEVTOOLS_PORT) return serveDevtoolsPage(port, recorder, pageView);
    if (port.name !== PANEL_PORT) return;
    port.onMessage.addListener((raw: unknown) => {
      const msg = raw as PanelMessage;
      if (msg?.type === 'subscribe' && typeof msg.tabId === 'number') {
        void subscribe(port, msg.tabId);
      } else if (msg?.type === 'clear') {
        const p = ports.get(port);
        if (!p) return;
        void ready.then(() => {
          pipeline.settle();
          store.clear(p.tabId);
          toTab(p.tabId, { type: 'cleared' });
        });
      } else if (msg?.type === 'probe' || msg?.type === 'retry') {
        const p = ports.get(port);
        if (!p) return;
        void ready.then(() =>
          msg.type === 'probe'
            ? pipeline.probes.expectProbe(p.tabId, msg.probeId, msg.original, msg.credentials)
            : pipeline.probes.expectRetry(p.tabId, msg.original, msg.method, msg.since),
        );
      } else if (msg?.type === 'pageView' && typeof msg.on === 'boolean') {
        const p = ports.get(port);
        if (p) pageView.request(p.tabId, msg.on);
      } else if (msg?.type === 'popOut' && typeof msg.tabId === 'number') {
        void ext.windows?.create({
          url: ext.runtime.getURL(`src/panel/panel.html?tabId=${msg.tabId}`),
          type: 'popup',
          width: 1100,
          height: 760,
        });
      }
    });
    port.onDisconnect.addListener(() => {
      ports.get(port)?.release();
      ports.delete(port);
    });
  });
}

/**
 * A DevTools page says which tab it inspects, then pings every KEEPALIVE_MS: a message resets the
 * worker's idle timer, so the per-tab listeners registered for it are not lost to an idle stop
 * (they are not top-level listeners; see scope.ts). When DevTools closes, the port closes.
 */
function serveDevtoolsPage(port: chrome.runtime.Port, recorder: Recorder, pageView: PageViewDesk): void {
  let release: (() => void) | null = null;
  let detach: (() => void) | null = null;
  let tabId: number | null = null;
  port.onMessage.addListener((raw: unknown) => {
    const msg = raw as DevtoolsMessage;
    if (msg?.type === 'inspect' && typeof msg.tabId === 'number' && !release) {
      tabId = msg.tabId;
      release = recorder.inspect(msg.tabId);
      detach = pageView.attachDevtools(msg.tabId, (m) => port.postMessage(m));
    } else if (tabId !== null && msg?.type === 'pageRecords') {
      pageView.records(tabId, msg.records);
    } else if (tabId !== null && msg?.type === 'pageViewState' && PAGE_VIEW_STATES.includes(msg.state)) {
      pageView.setState(tabId, msg.state, typeof msg.detail === 'string' ? msg.detail : undefined);
    }
  });
  port.onDisconnect.addListener(() => {
    release?.();
    detach?.();
  });
}

const PAGE_VIEW_STATES: readonly PageViewState[] = ['off', 'starting', 'on', 'ended', 'unavailable', 'error'];
