// Serves panels over runtime ports. A panel subscribes with the inspected tab id, gets a
// snapshot, then every change for that tab. DevTools pages connect too: while a DevTools page or
// a panel is connected for a tab, the recorder records that tab (scope.ts).
//
// The snapshot is streamed: a `snapshot` message with the tab's header and the first chunk of
// entries, then `entries` messages with the rest (the panel's store upserts by id). A panel that
// subscribes for rows gets list rows instead (`rows` messages; src/core/row.ts), read from the
// store's rows, and asks for an entry's detail or for full entries when it needs them. Live changes
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
import type { LogEntry } from '../core/log';
import { RowDict, rowOf, type Row } from '../core/row';
import { PageViewDesk } from './pageview';
import type { Pipeline } from './pipeline';
import type { Recorder } from './scope';

/** Minimum time between two live `entries` messages to a panel. */
const OUTBOX_MS = 25;
/** Entries per snapshot message: keeps each message a few MB at most; the first one is small so the panel paints early. */
const SNAPSHOT_CHUNK = 1000;
const SNAPSHOT_FIRST = 250;
/** Rows per snapshot message (a row is ~0.5–2 KB, mostly its search text). */
const SNAPSHOT_ROWS_CHUNK = 5000;

interface PanelPort {
  tabId: number;
  /** Subscribed for rows (the panel) rather than full entries (raw clients). */
  rows: boolean;
  /** Messages held back while the snapshot streams (null once it is done); rows are encoded when sent. */
  backlog: Array<BackgroundMessage | (() => BackgroundMessage)> | null;
  /** The shared search texts this port was sent (rows carry their indices). */
  dict: RowDict;
  /** Stops recording the tab for this panel (scope.ts). */
  release: () => void;
}

export function servePanels(pipeline: Pipeline, recorder: Recorder, ready: Promise<unknown>): void {
  const store = pipeline.store;
  const ports = new Map<chrome.runtime.Port, PanelPort>();
  const send = (port: chrome.runtime.Port, msg: BackgroundMessage | (() => BackgroundMessage)) => {
    const p = ports.get(port);
    if (p?.backlog) {
      p.backlog.push(msg);
      return;
    }
    try {
      port.postMessage(typeof msg === 'function' ? msg() : msg);
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
  const outbox = new Map<number, Map<string, LogEntry>>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastSent = -Infinity;
  const flushOutbox = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    lastSent = Date.now();
    for (const [tabId, m] of outbox) {
      const entries = [...m.values()];
      const origins = store.originStats(tabId);
      let rows: Row[] | null = null;
      for (const [port, p] of ports) {
        if (p.tabId !== tabId) continue;
        if (!p.rows) {
          send(port, { type: 'entries', entries, origins });
          continue;
        }
        const these = (rows ??= entries.map(rowOf));
        // Encoded when posted: the port's dictionary grows in the order its messages go out.
        send(port, () => ({ type: 'rows', ...p.dict.encode(these), origins }));
      }
    }
    outbox.clear();
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
      let m = outbox.get(tabId);
      if (!m) outbox.set(tabId, (m = new Map<string, LogEntry>()));
      let final = false;
      for (const e of entries) {
        m.set(e.id, e);
        final ||= e.verdict.outcome !== 'pending';
      }
      schedule(final);
    },
    navigated(tabId, navigation, nav) {
      if (outbox.has(tabId)) flushOutbox(); // keep entries before the navigation that follows them
      toTab(tabId, { type: 'navigated', navigation, nav });
    },
  });

  const subscribe = async (port: chrome.runtime.Port, tabId: number, rows: boolean) => {
    const p: PanelPort = { tabId, rows, backlog: [], dict: new RowDict(), release: recorder.inspect(tabId) };
    ports.get(port)?.release(); // resubscribed to another tab
    ports.set(port, p);
    await ready;
    pipeline.settle(); // requests of this tab that waited for a quiet moment are judged now
    let first = true;
    try {
      const scope = recorder.currentScope ?? undefined;
      if (rows) {
        for await (const chunk of store.rows(tabId, SNAPSHOT_ROWS_CHUNK, SNAPSHOT_FIRST)) {
          if (ports.get(port) !== p) return; // disconnected or resubscribed meanwhile
          port.postMessage(
            first
              ? ({
                  type: 'snapshot',
                  ...store.meta(tabId),
                  entries: [],
                  ...p.dict.encode(chunk),
                  scope,
                } satisfies BackgroundMessage)
              : ({
                  type: 'rows',
                  ...p.dict.encode(chunk),
                  origins: store.originStats(tabId),
                } satisfies BackgroundMessage),
          );
          first = false;
        }
      } else {
        for await (const chunk of store.entries(tabId, SNAPSHOT_CHUNK, SNAPSHOT_FIRST)) {
          if (ports.get(port) !== p) return; // disconnected or resubscribed meanwhile
          port.postMessage(
            first
              ? ({ type: 'snapshot', ...store.meta(tabId), entries: chunk, scope } satisfies BackgroundMessage)
              : ({ type: 'entries', entries: chunk, origins: store.originStats(tabId) } satisfies BackgroundMessage),
          );
          first = false;
        }
      }
      if (ports.get(port) !== p) return;
      if (first)
        port.postMessage({
          type: 'snapshot',
          ...store.meta(tabId),
          entries: [],
          ...(rows ? { rows: [] } : {}),
          scope,
        } satisfies BackgroundMessage);
      const backlog = p.backlog ?? [];
      p.backlog = null;
      for (const m of backlog) port.postMessage(typeof m === 'function' ? m() : m);
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

  // Full entries for an export: the tab's log is streamed from the store and filtered by id.
  const sendFullEntries = async (port: chrome.runtime.Port, p: PanelPort, req: number, ids: unknown[]) => {
    const want = new Set(ids.filter((x): x is string => typeof x === 'string'));
    try {
      await ready;
      for await (const chunk of store.entries(p.tabId, SNAPSHOT_CHUNK)) {
        if (ports.get(port) !== p) return;
        const entries = chunk.filter((e) => want.has(e.id));
        if (entries.length) send(port, { type: 'fullEntries', req, entries, done: false });
      }
      send(port, { type: 'fullEntries', req, entries: [], done: true });
    } catch (e) {
      console.error('CORS Lens: reading entries failed', e);
      send(port, { type: 'fullEntries', req, entries: [], done: true });
    }
  };

  ext.runtime.onConnect.addListener((port) => {
    if (port.name === DEVTOOLS_PORT) return serveDevtoolsPage(port, recorder, pageView);
    if (port.name !== PANEL_PORT) return;
    port.onMessage.addListener((raw: unknown) => {
      const msg = raw as PanelMessage;
      if (msg?.type === 'subscribe' && typeof msg.tabId === 'number') {
        void subscribe(port, msg.tabId, msg.rows === true);
      } else if (msg?.type === 'detail' && typeof msg.id === 'string') {
        const p = ports.get(port);
        if (!p) return;
        const id = msg.id;
        void ready
          .then(() => store.entry(p.tabId, id))
          .then((entry) => send(port, { type: 'detail', id, entry }))
          .catch((e) => console.error('CORS Lens: detail failed', e));
      } else if (msg?.type === 'fullEntries' && typeof msg.req === 'number' && Array.isArray(msg.ids)) {
        const p = ports.get(port);
        if (p) void sendFullEntries(port, p, msg.req, msg.ids);
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
