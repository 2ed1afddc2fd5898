// The DevTools page: runs while DevTools is open on a tab, whichever panel is shown. It creates
// the "CORS" panel and tells the background which tab it inspects, so that tab is recorded from
// the moment DevTools opens (background/scope.ts), like the Network panel.
import { DEVTOOLS_PORT, KEEPALIVE_MS, type DevtoolsMessage, type ToDevtoolsMessage } from '../shared/protocol';
import { ext } from '../shared/ext';
import { PageViewAgent } from './pageview';

// Absolute path: Chrome resolves it against the extension root, Firefox against this page.
void ext.devtools.panels.create('CORS', '/icons/icon16.png', '/src/panel/panel.html');

const tabId = ext.devtools.inspectedWindow.tabId;
let retry = 0;
let ping: ReturnType<typeof setInterval> | null = null;
const pageView = new PageViewAgent();

/** Connects (again after the worker restarts: a connection wakes it) and keeps it alive. */
function connect(): void {
  let port: chrome.runtime.Port;
  try {
    port = ext.runtime.connect({ name: DEVTOOLS_PORT });
  } catch {
    setTimeout(connect, Math.min(1000, 50 * 2 ** retry++)); // e.g. the extension is reloading
    return;
  }
  const send = (m: DevtoolsMessage) => port.postMessage(m);
  send({ type: 'inspect', tabId });
  pageView.attach((m) => {
    try {
      send(m);
    } catch {}
  });
  if (ping) clearInterval(ping);
  ping = setInterval(() => {
    try {
      send({ type: 'keepalive' });
    } catch {}
  }, KEEPALIVE_MS);
  port.onDisconnect.addListener(() => {
    if (ping) clearInterval(ping);
    ping = null;
    setTimeout(connect, Math.min(1000, 50 * 2 ** retry++));
  });
  port.onMessage.addListener((m: unknown) => {
    retry = 0;
    pageView.handle(m as ToDevtoolsMessage);
  });
  // The background answers only page-view requests; reset the backoff once the connection has lasted a while.
  setTimeout(() => {
    retry = 0;
  }, 5000);
}

if (typeof tabId === 'number') connect();
