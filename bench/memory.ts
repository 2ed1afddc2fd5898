// Service-worker memory as the number of logged requests grows.
//
// Method: CORS Lens's real background in Chromium, CDP attached to its service worker
// (Runtime.getHeapUsage after HeapProfiler.collectGarbage). Two ways to log requests:
//  - synthetic: webRequest-shaped events (bench/synthetic.ts: Chromium's header sets and event
//    orders, fresh strings per event) fed to the background's own entry point
//    (globalThis.__corsLens.ingest, the function the webRequest listeners call) from inside the
//    worker — 100,000 requests in seconds instead of many minutes;
//  - real: the bench page firing real cross-origin fetches at a local server (slower; run for a
//    smaller count to check the synthetic numbers).
import { join } from 'node:path';
import { attachWorker, launch, recordEveryTab, sleep, type Session } from './cdp';
import { BENCH_PAGE, startBenchServers } from './server';
import { syntheticEvents } from './synthetic';
import { round } from './stats';
import { ROOT } from '../test/support/chromium';

export interface MemoryPoint {
  requests: number;
  heapMB: number;
  entries: number;
  tabs: number;
  /** IndexedDB + other extension storage on disk (navigator.storage.estimate), MB. */
  diskMB: number;
}

export interface MemoryResult {
  method: string;
  baselineMB: number;
  points: MemoryPoint[];
}

const MB = 1024 * 1024;

async function heap(sw: Session): Promise<{ heapMB: number; entries: number; tabs: number; diskMB: number }> {
  await sw.eval('globalThis.__corsLens.flush()');
  await sw.send('HeapProfiler.collectGarbage');
  await sw.send('HeapProfiler.collectGarbage');
  const { usedSize } = await sw.send('Runtime.getHeapUsage');
  const stats = await sw.eval('globalThis.__corsLens.stats()');
  const disk = await sw.eval<number>('navigator.storage.estimate().then((e) => e.usage ?? 0)');
  return { heapMB: round(usedSize / MB, 2), entries: stats.entries, tabs: stats.tabs, diskMB: round(disk / MB, 1) };
}

async function worker(): Promise<{ b: Awaited<ReturnType<typeof launch>>; sw: Session }> {
  const b = await launch({ extension: join(ROOT, 'dist/chrome') });
  const sw = await attachWorker(b);
  await sw.send('HeapProfiler.enable');
  for (let i = 0; !(await sw.eval<boolean>('!!globalThis.__corsLens')); i++) {
    if (i > 200) throw new Error('the background never started');
    await sleep(50);
  }
  await sw.eval('globalThis.__corsLens.ready()');
  // The generator, defined once in the worker.
  await sw.eval(`globalThis.__synth = (() => { const __name = (f) => f; return ${syntheticEvents.toString()}; })()`);
  return { b, sw };
}

/** `total` synthetic requests spread round-robin over `tabs` tabs, measured at each checkpoint. */
export async function benchMemorySynthetic(opts: {
  tabs: number;
  checkpoints: number[];
  cap?: number;
  log: (s: string) => void;
}): Promise<MemoryResult> {
  const { b, sw } = await worker();
  try {
    if (opts.cap) {
      await sw.eval(`chrome.storage.local.set({ 'settings.logCap': ${opts.cap} })`);
      await sleep(200);
    }
    const base = await heap(sw);
    const points: MemoryPoint[] = [];
    let done = 0;
    const per = 1000;
    let id = 1_000_000;
    for (const target of opts.checkpoints) {
      while (done < target) {
        const tab = 900_000 + ((done / per) % opts.tabs);
        await sw.eval(
          `globalThis.__corsLens.ingest(globalThis.__synth(${JSON.stringify({ browser: 'chrome', firstId: id, count: per, tabId: tab, pageOrigin: 'http://127.0.0.1:3000', apiOrigin: 'http://127.0.0.1:8000', t0: Date.now() })})), 0`,
        );
        id += 2 * per;
        done += per;
      }
      const h = await heap(sw);
      points.push({ requests: done, ...h });
      opts.log(
        `  ${done} requests over ${opts.tabs} tab(s): heap ${h.heapMB} MB, ${h.entries} entries kept, disk ${h.diskMB} MB`,
      );
    }
    return {
      method: `synthetic events through the real background's ingest, ${opts.tabs} tab(s)${opts.cap ? `, cap ${opts.cap}` : ''}`,
      baselineMB: base.heapMB,
      points,
    };
  } finally {
    await b.close();
  }
}

/** Real requests from the bench page (one tab), measured at each checkpoint. */
export async function benchMemoryReal(opts: {
  checkpoints: number[];
  log: (s: string) => void;
}): Promise<MemoryResult> {
  const servers = await startBenchServers(BENCH_PAGE);
  const { b, sw } = await worker();
  try {
    // No DevTools here: record every tab (the options page's setting), or nothing is logged.
    await recordEveryTab(sw);
    const page = await b.cdp.attach(b.pageTarget);
    await page.send('Page.enable');
    const loaded = new Promise((r) => page.on('Page.loadEventFired', r));
    await page.send('Page.navigate', { url: `${servers.page}/` });
    await loaded;
    const base = await heap(sw);
    const points: MemoryPoint[] = [];
    let done = 0;
    for (const target of opts.checkpoints) {
      while (done < target) {
        await page.eval(
          `runBench(${JSON.stringify({ api: servers.api, n: 1000, concurrency: 0, delayMs: 0, tag: `mem${done}` })})`,
        );
        done += 1000;
      }
      await sleep(500);
      const h = await heap(sw);
      points.push({ requests: done, ...h });
      opts.log(`  ${done} real requests: heap ${h.heapMB} MB, ${h.entries} entries kept, disk ${h.diskMB} MB`);
    }
    return { method: 'real fetches from the bench page (1 tab, recording every tab)', baselineMB: base.heapMB, points };
  } finally {
    await b.close();
    await servers.close();
  }
}
