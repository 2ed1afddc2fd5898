// Background entry (Chrome service worker / Firefox event page). The browser stops it whenever it
// likes (Chrome after ~30 s idle), so every wake:
//  1. registers all listeners at top level, synchronously, so the event that woke it is delivered
//     (webRequest for every tab until the recording scope is read: scope.ts);
//  2. restores the logs (and the in-flight journal) from IndexedDB, queueing webRequest events and
//     holding panel subscriptions until that is done; restores the recording scope and the tabs
//     inspected before the restart;
//  3. forgets tabs that no longer exist; a new browser session wipes the stored logs.
import { SETTINGS } from '../shared/protocol';
import { ext } from '../shared/ext';
import { IdbBackend } from './idb';
import {
  capFrom,
  DeferredBackend,
  liveTabIds,
  readCap,
  readInspected,
  readScope,
  saveInspected,
  startSession,
  type SessionInfo,
} from './lifecycle';
import type { QueuedEvent } from './listen';
import { Pipeline } from './pipeline';
import { servePanels } from './ports';
import { Recorder, scopeFrom } from './scope';
import { LogStore, MemoryBackend, type Backend } from './store';
import { TabWatch } from './watch';

const backend: Promise<Backend> = IdbBackend.open().catch((e) => {
  console.error('CORS Lens: IndexedDB unavailable, logs will not survive a restart', e);
  return new MemoryBackend();
});
const store = new LogStore(new DeferredBackend(backend));
const watch = new TabWatch();
const pipeline = new Pipeline(__BROWSER__, store, (tabId) => watch.has(tabId));

/** Events that arrive before the logs are restored wait here (null once restored). */
let queued: QueuedEvent[] | null = [];
const recorder = new Recorder(ext.webRequest, __BROWSER__, (kind, details) => {
  if (queued) queued.push([kind, details]);
  else pipeline.ingestOne(kind, details);
});
const onBatch = (batch: QueuedEvent[]) => {
  if (queued) queued.push(...batch);
  else pipeline.ingest(batch);
};

let session: SessionInfo | null = null;
const ready = boot();
// listen → pipeline → store → ports: what a panel asks for comes back only through these requests.
servePanels({
  changes: pipeline,
  logs: store,
  watch,
  recorder,
  ready,
  requests: {
    settle: () => pipeline.settle(),
    clear: (tabId) => store.clear(tabId),
    rejudge: (ex) => pipeline.rejudge(ex),
    probes: pipeline.probes,
  },
});

ext.tabs.onRemoved.addListener((tabId) => {
  void ready.then(() => store.forget(tabId));
});
ext.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && SETTINGS.logCap in changes)
    void ready.then(() => store.setCap(capFrom(changes[SETTINGS.logCap]!.newValue)));
  if (area === 'local' && SETTINGS.recordScope in changes)
    void scopeRead.then(() => recorder.setScope(scopeFrom(changes[SETTINGS.recordScope]!.newValue)));
});

// The recording scope is applied as soon as it is read (not after the logs are restored), so
// listening to every tab at wake lasts as little as possible.
const scopeRead = (async () => {
  const [scope, inspected] = await Promise.all([readScope(), readInspected()]);
  recorder.restore(inspected);
  recorder.onInspectedChange = saveInspected;
  recorder.setScope(scope);
  saveInspected(recorder.inspected());
})();

async function boot(): Promise<void> {
  let live: Set<number> | null = null;
  let state = new Map<string, unknown>();
  try {
    const [cap, s] = await Promise.all([readCap(), startSession()]);
    session = s.info;
    if (s.fresh) await (await backend).wipe();
    state = await store.restore();
    store.setCap(cap);
    live = await liveTabIds();
    if (live) for (const id of store.tabIds()) if (!live.has(id)) store.forget(id);
  } catch (e) {
    console.error('CORS Lens: could not restore the logs', e);
  }
  const q = queued ?? [];
  queued = null;
  pipeline.resume(state, q, (tabId) => !live || live.has(tabId));
}

// Benchmark/test hook, inert unless called: only code evaluated inside this worker by a debugger
// (the memory benchmark) can reach it. It feeds the same entry point as the webRequest listeners.
(globalThis as Record<string, unknown>).__corsLens = {
  ingest: onBatch,
  flush: () => pipeline.flush(),
  internals: () => ({ store, pipeline, recorder }),
  ready: () => ready,
  stats: () => ({
    session,
    scope: recorder.currentScope,
    listening: recorder.listening,
    inspected: recorder.inspected(),
    tabs: store.tabIds().length,
    entries: store.tabIds().reduce((n, t) => n + store.size(t), 0),
    cap: store.logCap,
    writes: store.writes,
    writeErrors: store.writeErrors,
    ...pipeline.inFlight,
  }),
};
