// Serves panels over runtime ports. A panel subscribes with the inspected tab id, gets a
// snapshot, then every change for that tab.
import { ext } from '../shared/ext';
import { PANEL_PORT, type BackgroundMessage, type PanelMessage } from '../core/protocol';
import type { Pipeline } from './pipeline';

export function servePanels(pipeline: Pipeline): void {
  const ports = new Map<chrome.runtime.Port, number>();
  const send = (port: chrome.runtime.Port, msg: BackgroundMessage) => {
    try {
      port.postMessage(msg);
    } catch {
      ports.delete(port); // disconnected
    }
  };
  pipeline.subscribe({
    entries(tabId, entries, log) {
      for (const [port, t] of ports) if (t === tabId) send(port, { type: 'entries', entries, origins: log.originStats() });
    },
    navigated(tabId, log) {
      const navs = log.state().navigations;
      const navigation = navs[navs.length - 1]!;
      for (const [port, t] of ports) if (t === tabId) send(port, { type: 'navigated', navigation, nav: log.currentNav });
    },
  });
  ext.runtime.onConnect.addListener((port) => {
    if (port.name !== PANEL_PORT) return;
    port.onMessage.addListener((raw: unknown) => {
      const msg = raw as PanelMessage;
      if (msg?.type === 'subscribe' && typeof msg.tabId === 'number') {
        ports.set(port, msg.tabId);
        const s = pipeline.log(msg.tabId).state();
        send(port, { type: 'snapshot', ...s });
      } else if (msg?.type === 'clear') {
        const tabId = ports.get(port);
        if (tabId === undefined) return;
        pipeline.log(tabId).clear();
        for (const [p, t] of ports) if (t === tabId) send(p, { type: 'cleared' });
      } else if (msg?.type === 'popOut' && typeof msg.tabId === 'number') {
        void ext.windows?.create({ url: ext.runtime.getURL(`src/panel/panel.html?tabId=${msg.tabId}`), type: 'popup', width: 1100, height: 760 });
      }
    });
    port.onDisconnect.addListener(() => ports.delete(port));
  });
}
