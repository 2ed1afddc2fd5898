// The pipeline across worker restarts: whatever event a restart falls on, the log ends up as if
// the worker had never stopped (one entry per request, preflights linked, same verdicts).
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { syntheticEvents } from '../../bench/synthetic';
import type { QueuedEvent } from '../../src/background/listen';
import { Pipeline } from '../../src/background/pipeline';
import { LogStore, MemoryBackend } from '../../src/background/store';
import type { LogEntry } from '../../src/core/log';

const PAGE = 'http://127.0.0.1:3000';
const API = 'http://127.0.0.1:8000';

async function boot(backend: MemoryBackend, browser: 'chrome' | 'firefox', queued: QueuedEvent[] = []) {
  const store = new LogStore(backend, { writeDelayMs: 5 });
  const pipeline = new Pipeline(browser, store);
  const state = await store.restore();
  pipeline.resume(state, queued, () => true);
  return { store, pipeline };
}

/** The tab's log as a panel would get it (requests waiting for a quiet moment are judged first). */
async function entries(run: { store: LogStore; pipeline: Pipeline }, tabId: number): Promise<LogEntry[]> {
  run.pipeline.settle();
  const store = run.store;
  const out: LogEntry[] = [];
  for await (const c of store.entries(tabId)) out.push(...c);
  return out;
}

/** Interleaves several requests' event streams by time, keeping each stream's own order. */
function interleaved(browser: 'chrome' | 'firefox', streams: number, perStream: number, seed: number): QueuedEvent[] {
  const all: QueuedEvent[] = [];
  let rnd = seed;
  for (let s = 0; s < streams; s++) {
    const evs = syntheticEvents({
      browser,
      firstId: 1000 + s * 1000,
      count: perStream,
      tabId: 1 + (s % 2),
      pageOrigin: PAGE,
      apiOrigin: API,
      t0: 0,
    });
    let t = Date.now() + s;
    for (const [kind, d] of evs) {
      rnd = (rnd * 1103515245 + 12345) & 0x7fffffff;
      t += 1 + (rnd % 7);
      all.push([kind, { ...d, timeStamp: t }]);
    }
  }
  return all.sort((a, b) => (a[1].timeStamp as number) - (b[1].timeStamp as number));
}

const comparable = (es: LogEntry[]) => es.map(({ seq: _seq, ...rest }) => rest);

describe('Pipeline across worker restarts', () => {
  it('a Chrome preflighted request whose events straddle a restart is one entry with its preflight', async () => {
    const evs = syntheticEvents({
      browser: 'chrome',
      firstId: 500,
      count: 2,
      tabId: 4,
      pageOrigin: PAGE,
      apiOrigin: API,
      t0: Date.now(),
    });
    // Request #1 is preflighted: P sendHeaders, P headersReceived, P completed, A sendHeaders | A headersReceived, A completed.
    const second = evs.filter(([, d]) => d.requestId === '502' || d.requestId === '503');
    expect(second.map(([k, d]) => `${d.method} ${k}`)).toEqual([
      'OPTIONS sendHeaders',
      'OPTIONS headersReceived',
      'OPTIONS completed',
      'PUT sendHeaders',
      'PUT headersReceived',
      'PUT completed',
    ]);
    const backend = new MemoryBackend();
    const a = await boot(backend, 'chrome');
    a.pipeline.ingest(second.slice(0, 4));
    await a.pipeline.flush();
    expect((await entries(a, 4)).map((e) => [e.id, e.exchange.state, e.exchange.preflights.length])).toEqual([
      ['502', 'pending', 1],
    ]);

    const b = await boot(backend, 'chrome', second.slice(4));
    const after = await entries(b, 4);
    expect(after).toHaveLength(1);
    expect(after[0]!.exchange).toMatchObject({
      id: '502',
      state: 'completed',
      method: 'PUT',
      preflights: [{ requestId: '503', state: 'completed' }],
    });
    expect(after[0]!.exchange.hops[0]!.requestHeaders?.some((h) => h.name === 'Origin')).toBe(true);
    expect(after[0]!.verdict.outcome).toBe('pass');
  });

  it('a preflight whose request had not shown up yet is still linked after the restart', async () => {
    const evs = syntheticEvents({
      browser: 'chrome',
      firstId: 600,
      count: 10,
      tabId: 4,
      pageOrigin: PAGE,
      apiOrigin: API,
      t0: Date.now(),
    });
    // Request #9 (ids 618/619): preflight answered 404, then only the actual request's error.
    const r = evs.filter(([, d]) => d.requestId === '618' || d.requestId === '619');
    expect(r.map(([k, d]) => `${d.method} ${k}`)).toEqual([
      'OPTIONS sendHeaders',
      'OPTIONS headersReceived',
      'OPTIONS completed',
      'PUT errorOccurred',
    ]);
    const backend = new MemoryBackend();
    const a = await boot(backend, 'chrome');
    a.pipeline.ingest(r.slice(0, 3)); // an orphan preflight: no entry yet
    await a.pipeline.flush();
    expect(await entries(a, 4)).toEqual([]);
    const b = await boot(backend, 'chrome', r.slice(3));
    const after = await entries(b, 4);
    expect(after.map((e) => [e.id, e.exchange.state, e.exchange.preflights.map((p) => p.hop.statusCode)])).toEqual([
      ['618', 'error', [404]],
    ]);
    expect(after[0]!.verdict.symptom?.corsError).toBe('PreflightMissingAllowOriginHeader');
  });

  for (const browser of ['chrome', 'firefox'] as const) {
    it(`${browser}: a restart at any point (after the last write) changes nothing in the final log`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 6 }),
          fc.integer({ min: 1, max: 12 }),
          fc.nat(),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.integer({ min: 1, max: 3 }),
          async (streams, per, seed, at, restarts) => {
            const events = interleaved(browser, streams, per, seed);
            const straight = await boot(new MemoryBackend(), browser);
            straight.pipeline.ingest(events);
            const backend = new MemoryBackend();
            let run = await boot(backend, browser);
            // Split into `restarts` restarts at positions derived from `at`.
            const cuts = Array.from({ length: restarts }, (_, i) =>
              Math.floor(events.length * ((at + i / restarts) % 1)),
            ).sort((x, y) => x - y);
            let from = 0;
            for (const cut of cuts) {
              run.pipeline.ingest(events.slice(from, cut));
              await run.pipeline.flush();
              run = await boot(backend, browser);
              from = cut;
            }
            run.pipeline.ingest(events.slice(from));
            for (const tab of [1, 2]) {
              const want = await entries(straight, tab);
              const got = await entries(run, tab);
              expect(comparable(got)).toEqual(comparable(want));
              expect(run.store.meta(tab).origins).toEqual(straight.store.meta(tab).origins);
            }
            expect(run.pipeline.inFlight).toEqual(straight.pipeline.inFlight);
          },
        ),
        { numRuns: 150 },
      );
    });
  }

  it('keeps only in-flight events in the journal', async () => {
    const { store, pipeline } = await boot(new MemoryBackend(), 'chrome');
    pipeline.ingest(
      syntheticEvents({
        browser: 'chrome',
        firstId: 10,
        count: 500,
        tabId: 1,
        pageOrigin: PAGE,
        apiOrigin: API,
        t0: Date.now(),
      }),
    );
    pipeline.settle();
    expect(pipeline.inFlight.journal).toBe(0);
    expect(store.size(1)).toBe(500);
  });

  it('records navigations and keeps earlier entries, each marked with its page load', async () => {
    const { store, pipeline } = await boot(new MemoryBackend(), 'chrome');
    const nav = (id: string, url: string, t: number): QueuedEvent => [
      'sendHeaders',
      { requestId: id, tabId: 1, frameId: 0, type: 'main_frame', url, method: 'GET', timeStamp: t },
    ];
    pipeline.ingest([nav('1', `${PAGE}/a`, 1)]);
    pipeline.ingest(
      syntheticEvents({ browser: 'chrome', firstId: 10, count: 3, tabId: 1, pageOrigin: PAGE, apiOrigin: API, t0: 10 }),
    );
    pipeline.ingest([nav('2', `${PAGE}/b`, 100)]);
    pipeline.ingest(
      syntheticEvents({
        browser: 'chrome',
        firstId: 20,
        count: 2,
        tabId: 1,
        pageOrigin: PAGE,
        apiOrigin: API,
        t0: 200,
      }),
    );
    const es = await entries({ store, pipeline }, 1);
    expect(es.map((e) => [e.id, e.nav])).toEqual([
      ['10', 0],
      ['12', 0],
      ['14', 0],
      ['20', 1],
      ['22', 1],
    ]);
    expect(store.meta(1).navigations.map((n) => n.url)).toEqual([`${PAGE}/a`, `${PAGE}/b`]);
  });
});

describe('Pipeline: malformed events', () => {
  it('drops events with a non-integer tab id and values no browser sends, keeps the rest', async () => {
    const { store, pipeline } = await boot(new MemoryBackend(), 'chrome');
    const [sh, hr, done] = syntheticEvents({
      browser: 'chrome',
      firstId: 70,
      count: 1,
      tabId: 3,
      pageOrigin: PAGE,
      apiOrigin: API,
      t0: Date.now(),
    });
    pipeline.ingestOne('sendHeaders', { ...sh![1], requestId: '1', tabId: NaN });
    pipeline.ingestOne('sendHeaders', { ...sh![1], requestId: '2', tabId: 1.5 });
    pipeline.ingestOne(sh![0], sh![1]);
    pipeline.ingestOne(hr![0], { ...hr![1], statusCode: -1, ip: '<script>' });
    pipeline.ingestOne(done![0], { ...done![1], statusCode: 200, ip: '::ffff:127.0.0.1', timeStamp: NaN });
    await pipeline.flush();
    expect(store.tabIds()).toEqual([3]);
    const [e] = await entries({ store, pipeline }, 3);
    expect(e!.exchange.hops[0]).toMatchObject({ statusCode: 200, ip: '::ffff:127.0.0.1' });
    expect(Number.isFinite(e!.exchange.endTime)).toBe(true);
  });
});

describe('Pipeline: judging off the page’s busy moments', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const evs = (firstId: number, tabId: number) =>
    syntheticEvents({ browser: 'chrome', firstId, count: 10, tabId, pageOrigin: PAGE, apiOrigin: API, t0: Date.now() });

  it('an unwatched tab’s requests are judged and stored once the page is quiet; a watched tab’s at once', async () => {
    const { store, pipeline } = await boot(new MemoryBackend(), 'chrome');
    pipeline.watched = (tabId) => tabId === 2;
    const live: string[] = [];
    pipeline.subscribe({ entries: (t, es) => live.push(...es.map((e) => `${t}:${e.id}`)), navigated: () => {} });
    for (const [k, d] of evs(100, 1)) pipeline.ingestOne(k, d);
    for (const [k, d] of evs(300, 2)) pipeline.ingestOne(k, d);
    expect(store.size(1)).toBe(0);
    expect(store.size(2)).toBe(10);
    await vi.advanceTimersByTimeAsync(299);
    expect(store.size(1)).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.size(1)).toBe(10);
    expect(live.filter((x) => x.startsWith('1:'))).toHaveLength(10);
  });

  it('a page that never goes quiet still gets its requests judged every few seconds', async () => {
    const { store, pipeline } = await boot(new MemoryBackend(), 'chrome');
    let id = 1000;
    for (let ms = 0; ms < 4000; ms += 100) {
      for (const [k, d] of evs(id, 1)) pipeline.ingestOne(k, d);
      id += 20;
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(store.size(1)).toBeGreaterThan(0);
    expect(pipeline.inFlight.unjudged).toBeLessThan(300);
  });

  it('a navigation first stores the previous page load’s requests under it', async () => {
    const { store, pipeline } = await boot(new MemoryBackend(), 'chrome');
    pipeline.ingestOne('sendHeaders', {
      requestId: '8',
      tabId: 1,
      frameId: 0,
      type: 'main_frame',
      url: `${PAGE}/`,
      method: 'GET',
      timeStamp: Date.now(),
    });
    for (const [k, d] of evs(100, 1)) pipeline.ingestOne(k, d);
    pipeline.ingestOne('sendHeaders', {
      requestId: '9',
      tabId: 1,
      frameId: 0,
      type: 'main_frame',
      url: `${PAGE}/next`,
      method: 'GET',
      timeStamp: Date.now(),
    });
    for (const [k, d] of evs(200, 1)) pipeline.ingestOne(k, d);
    await pipeline.flush();
    const es = await entries({ store, pipeline }, 1);
    expect(es.filter((e) => e.nav === 0)).toHaveLength(10);
    expect(es.filter((e) => e.nav === 1)).toHaveLength(10);
  });
});
