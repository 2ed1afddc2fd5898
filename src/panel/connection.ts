// The panel's side of the protocol: a port to the background that reconnects by itself
// (the service worker / event page may be stopped at any time) and resubscribes.
import { ext } from '../shared/ext';
import { PANEL_PORT, type BackgroundMessage, type PanelMessage } from '../shared/protocol';

export interface Connection {
  send(msg: PanelMessage): void;
  close(): void;
}

export function connect(
  tabId: number,
  onMessage: (m: BackgroundMessage) => void,
  onStatus?: (connected: boolean) => void,
): Connection {
  let port: chrome.runtime.Port | null = null;
  let closed = false;
  let retry = 0;
  const open = () => {
    if (closed) return;
    try {
      port = ext.runtime.connect({ name: PANEL_PORT });
    } catch {
      setTimeout(open, Math.min(1000, 50 * 2 ** retry++));
      return;
    }
    port.onMessage.addListener((m: unknown) => {
      retry = 0;
      onMessage(m as BackgroundMessage);
    });
    port.onDisconnect.addListener(() => {
      port = null;
      onStatus?.(false);
      setTimeout(open, Math.min(1000, 50 * 2 ** retry++));
    });
    port.postMessage({ type: 'subscribe', tabId } satisfies PanelMessage);
    onStatus?.(true);
  };
  open();
  return {
    send(msg) {
      port?.postMessage(msg);
    },
    close() {
      closed = true;
      port?.disconnect();
    },
  };
}

/** The tab this panel shows: the inspected tab in DevTools, or `?tabId=` when popped out. */
export function inspectedTabId(): number | null {
  const q = new URLSearchParams(location.search).get('tabId');
  if (q !== null && /^\d+$/.test(q)) return Number(q);
  const id = ext.devtools?.inspectedWindow?.tabId;
  return typeof id === 'number' ? id : null;
}
