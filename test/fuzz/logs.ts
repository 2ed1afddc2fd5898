// The background path for fuzz tests: events in, the logs the background keeps out.
import { Pipeline } from '../../src/background/pipeline';
import { LogStore, MemoryBackend } from '../../src/background/store';
import type { LogEntry } from '../../src/core/log';
import type { RawEvent } from './arbitraries';

/**
 * Feeds `evs` one by one, as the webRequest listeners do, into a real Pipeline + LogStore (memory
 * backend), restarting the "worker" (flush, then a new store and pipeline restored from the same
 * backend) before event `restartAt`. Returns the final store and every entry sent to panels live.
 */
export async function runPipeline(browser: 'chrome' | 'firefox', evs: RawEvent[], restartAt: number, cap: number) {
  const backend = new MemoryBackend();
  const boot = async () => {
    const store = new LogStore(backend, { cap, writeDelayMs: 1, chunkSize: 8 });
    const pipeline = new Pipeline(browser, store);
    pipeline.resume(await store.restore(), [], () => true);
    return { store, pipeline };
  };
  let { store, pipeline } = await boot();
  const live: LogEntry[] = [];
  pipeline.subscribe({ entries: (_t, es) => live.push(...es), navigated: () => {} });
  for (let i = 0; i < evs.length; i++) {
    if (i === restartAt) {
      await pipeline.flush();
      ({ store, pipeline } = await boot());
      pipeline.subscribe({ entries: (_t, es) => live.push(...es), navigated: () => {} });
    }
    pipeline.ingestOne(evs[i]![0], evs[i]![1]);
  }
  await pipeline.flush();
  return { store, live, pipeline };
}

/** Every tab's entries as a panel snapshot would deliver them. */
export async function allEntries(store: LogStore): Promise<Map<number, LogEntry[]>> {
  const out = new Map<number, LogEntry[]>();
  for (const tabId of store.tabIds()) {
    const es: LogEntry[] = [];
    for await (const c of store.entries(tabId)) es.push(...c);
    out.set(tabId, es);
  }
  return out;
}
