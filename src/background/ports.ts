// Serves panels over runtime ports. A panel subscribes with the inspected tab id, gets a
// snapshot, then every change for that tab. DevTools pages connect too: while a DevTools page or
// a panel is connected for a tab, the recorder records that tab (scope.ts).
//
// The snapshot is streamed: a `snapshot` message with the tab's header and the first chunk of
// entries, then `entries` messages with the rest (the panel's store upserts by id). Live changes
// that happen while a snapshot is streaming are held back and sent after it, so the panel ends
// with the newest version of every entry. Nothing is answered before the log is restored.
//
// Data flows one way: the pipeline's changes come in through its listener interface; what a panel
// asks for (settle before a snapshot, clear, probe, rejudge) goes out through PanelRequests, which
// index.ts wires. This module holds no pipeline and writes no log.
import { ext } from '../shared/ext';
import {
  DEVTOOLS_PORT,
  PANEL_PORT,
  type BackgroundMessage,
  type DevtoolsMessage,
  type PageViewState,
  type PanelMessage,
} from '../shared/protocol';
import type { Exchange } from '../core/types';
import { Outbox } from './outbox';
import { PageViewDesk } from './pageview';
import type { TabListener } from './pipeline';
import type { ProbeDesk } from './probes';
import type { Recorder } from './scope';
import type { LogStore } from './store';
import type { TabWatch } from './watch';

/** Entries per snapshot message: keeps each message a few MB at most; the first one is small so the panel paints early. */
const SNAPSHOT_CHUNK = 1000;
const SNAPSHOT_FIRST = 250;

/** What panels ask of the rest of the background (wired by index.ts). */
export interface PanelRequests {
  /** Judges and stores what waits for a quiet moment (before a snapshot or a clear). */
  settle(): void;
  /** Empties the tab's log. */
  clear(tabId: number): void;
  /** Judges a stored exchange again (the page view added the page's observation). */
  rejudge(ex: Exchange): void;
  /** Probes and Retries a panel announces. */
  probes: Pick<ProbeDesk, 'expectProbe' | 'expectRetry'>;
}

export interface PanelServerDeps {
  /** The pipeline's changes to the logs. */
  changes: { subscribe(l: TabListener): unknown };
  /** The logs, read only. */
  logs: Pick<LogStore, 'entries' | 'meta' | 'originStats'>;
  watch: TabWatch;
  recorder: Recorder;
  requests: PanelRequests;
  /** Resolves once the logs are restored. */
  ready: Promise<unknown>;
}

interface PanelPort {
  tabId: number;
  /** Messages held back while the snapshot streams (null once it is done). */
  backlog: BackgroundMessage[] | null;
  /** Stops watching and recording the tab for this panel (watch.ts, scope.ts). */
  release: () => void;
}

export function servePanels(deps: PanelServerDeps): void {
  const server = new PanelServer(deps);
  ext.runtime.onConnect.addListener((port) => server.connect(port));
}

class PanelServer {
  private readonly ports = new Map<chrome.runtime.Port, PanelPort>();
  private readonly outbox: Outbox;
  private readonly pageView: PageViewDesk;

  constructor(private readonly deps: PanelServerDeps) {
    this.outbox = new Outbox((tabId, entries) =>
      this.toTab(tabId, { type: 'entries', entries, origins: deps.logs.originStats(tabId) }),
    );
    this.pageView = new PageViewDesk(
      (ex) => deps.requests.rejudge(ex),
      (tabId, m) => this.toTab(tabId, m),
    );
    deps.changes.subscribe({
      entries: (tabId, entries) => {
        this.pageView.seen(tabId, entries);
        // (seen() may have re-judged one of these already: the outbox keeps the newest version.)
        if (deps.watch.has(tabId)) this.outbox.add(tabId, entries);
      },
      navigated: (tabId, navigation, nav) => {
        if (this.outbox.has(tabId)) this.outbox.flush(); // keep entries before the navigation that follows them
        this.toTab(tabId, { type: 'navigated', navigation, nav });
      },
    });
  }

  connect(port: chrome.runtime.Port): void {
    if (port.name === DEVTOOLS_PORT) return serveDevtoolsPage(port, this.deps.recorder, this.pageView);
    if (port.name !== PANEL_PORT) return;
    port.onMessage.addListener((raw: unknown) => this.onMessage(port, raw as PanelMessage));
    port.onDisconnect.addListener(() => this.drop(port));
  }

  private send(port: chrome.runtime.Port, msg: BackgroundMessage): void {
    const p = this.ports.get(port);
    if (p?.backlog) {
      p.backlog.push(msg);
      return;
    }
    try {
      port.postMessage(msg);
    } catch {
      this.drop(port); // disconnected
    }
  }

  private toTab(tabId: number, msg: BackgroundMessage): void {
    for (const [port, p] of this.ports) if (p.tabId === tabId) this.send(port, msg);
  }

  private drop(port: chrome.runtime.Port): void {
    this.ports.get(port)?.release();
    this.ports.delete(port);
  }

  private onMessage(port: chrome.runtime.Port, msg: PanelMessage): void {
    const { requests, ready } = this.deps;
    if (msg?.type === 'subscribe' && typeof msg.tabId === 'number') {
      void this.subscribe(port, msg.tabId);
      return;
    }
    if (msg?.type === 'popOut' && typeof msg.tabId === 'number') return popOutPanel(msg.tabId);
    const p = this.ports.get(port);
    if (!p) return;
    if (msg?.type === 'clear') {
      void ready.then(() => {
        requests.settle();
        requests.clear(p.tabId);
        this.toTab(p.tabId, { type: 'cleared' });
      });
    } else if (msg?.type === 'probe' || msg?.type === 'retry') {
      void ready.then(() =>
        msg.type === 'probe'
          ? requests.probes.expectProbe(p.tabId, msg.probeId, msg.original, msg.credentials)
          : requests.probes.expectRetry(p.tabId, msg.original, msg.method, msg.since),
      );
    } else if (msg?.type === 'pageView' && typeof msg.on === 'boolean') {
      this.pageView.request(p.tabId, msg.on);
    }
  }

  private async subscribe(port: chrome.runtime.Port, tabId: number): Promise<void> {
    const { watch, recorder, requests, ready } = this.deps;
    const unwatch = watch.add(tabId);
    const unrecord = recorder.inspect(tabId);
    const p: PanelPort = {
      tabId,
      backlog: [],
      release: () => {
        unwatch();
        unrecord();
      },
    };
    this.ports.get(port)?.release(); // resubscribed to another tab
    this.ports.set(port, p);
    await ready;
    requests.settle(); // requests of this tab that waited for a quiet moment are judged now
    try {
      if (!(await this.streamSnapshot(port, p))) return;
      const backlog = p.backlog ?? [];
      p.backlog = null;
      for (const m of backlog) port.postMessage(m);
      port.postMessage(this.pageView.stateMessage(tabId));
    } catch (e) {
      console.error('CORS Lens: snapshot failed', e);
      p.release();
      this.ports.delete(port);
      try {
        port.disconnect();
      } catch {}
    }
  }

  /** Posts the tab's log in chunks; false when the panel went or resubscribed meanwhile. */
  private async streamSnapshot(port: chrome.runtime.Port, p: PanelPort): Promise<boolean> {
    const { logs, recorder } = this.deps;
    const tabId = p.tabId;
    let first = true;
    for await (const chunk of logs.entries(tabId, SNAPSHOT_CHUNK, SNAPSHOT_FIRST)) {
      if (this.ports.get(port) !== p) return false; // disconnected or resubscribed meanwhile
      port.postMessage(
        first
          ? { type: 'snapshot', ...logs.meta(tabId), entries: chunk, scope: recorder.currentScope ?? undefined }
          : { type: 'entries', entries: chunk, origins: logs.originStats(tabId) },
      );
      first = false;
    }
    if (this.ports.get(port) !== p) return false;
    if (first)
      port.postMessage({
        type: 'snapshot',
        ...logs.meta(tabId),
        entries: [],
        scope: recorder.currentScope ?? undefined,
      } satisfies BackgroundMessage);
    return true;
  }
}

function popOutPanel(tabId: number): void {
  void ext.windows?.create({
    url: ext.runtime.getURL(`src/panel/panel.html?tabId=${tabId}`),
    type: 'popup',
    width: 1100,
    height: 760,
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
