import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LogEntry } from '../../src/core/log';
import { TabLog } from '../support/reference-log';
import { LogStore, MemoryBackend } from '../../src/background/store';
import type { Exchange } from '../../src/core/types';
import type { Verdict } from '../../src/core/verdict';

const verdict = (outcome: Verdict['outcome']): Verdict => ({
  outcome,
  credentials: 'unknown',
  preflight: { needed: false, reasons: [], seen: false, fromCache: false },
  evidence: [],
  warnings: [],
});
const exchange = (id: string, tabId = 1, target = 'http://api.test'): Exchange => ({
  id,
  requestId: id,
  browser: 'chrome',
  tabId,
  frameId: 0,
  type: 'xmlhttprequest',
  method: 'GET',
  url: `${target}/x/${id}`,
  pageOrigin: 'http://page.test',
  startTime: Number(id),
  hops: [],
  preflights: [],
  state: 'completed',
});

async function all(store: LogStore, tabId: number): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for await (const chunk of store.entries(tabId, 7)) out.push(...chunk);
  return out;
}

type Op =
  { op: 'upsert'; id: number; outcome: Verdict['outcome']; target: number } | { op: 'navigate' } | { op: 'clear' };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      op: fc.constant('upsert' as const),
      id: fc.integer({ min: 0, max: 40 }),
      outcome: fc.constantFrom<Verdict['outcome']>('pass', 'blocked', 'pending', 'not-cors'),
      target: fc.integer({ min: 0, max: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'navigate' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
);
// An id always keeps its target (a request's URL does not change), as in real logs.
const targetOf = (id: number, t: number) => `http://api${(id + t) % 3}.test`;

describe('LogStore', () => {
  it('behaves like TabLog: same entries, order, counts, evictions and navigations, before and after a restore', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { maxLength: 120 }),
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 0, max: 120 }),
        async (ops, cap, restartAt) => {
          const backend = new MemoryBackend();
          let store = new LogStore(backend, { cap, writeDelayMs: 1, chunkSize: 4 });
          await store.restore();
          const ref = new TabLog(1, cap);
          for (let i = 0; i < ops.length; i++) {
            if (i === restartAt) {
              // The worker stops after its last write; a new one restores from the backend.
              await store.flush();
              store = new LogStore(backend, { cap, writeDelayMs: 1, chunkSize: 4 });
              await store.restore();
            }
            const o = ops[i]!;
            if (o.op === 'upsert') {
              const ex = exchange(String(o.id), 1, targetOf(o.id, 0));
              const v = verdict(o.outcome);
              const mine = store.upsert(ex, v);
              const theirs = ref.upsert(ex, v);
              expect(mine).toEqual(theirs);
            } else if (o.op === 'navigate') {
              const nav = { url: `http://page.test/${i}`, timeStamp: i };
              store.navigate(1, nav);
              ref.navigate(nav);
            } else {
              store.clear(1);
              ref.clear();
            }
          }
          const want = ref.state();
          const { entries, ...meta } = want;
          if (ops.length === 0) return;
          expect(store.meta(1)).toEqual(meta);
          expect(await all(store, 1)).toEqual(entries);
          // Records of chunks wholly evicted or cleared are deleted.
          await store.flush();
          const minOrder = backend.metas.get(1)?.minOrder ?? Infinity;
          for (const r of backend.entries.values()) expect(r.chunk).toBeGreaterThanOrEqual(Math.floor(minOrder / 4));
          if (minOrder === Infinity) expect(backend.entries.size).toBe(0);
          expect(backend.slots.size).toBe(backend.entries.size);
        },
      ),
      { numRuns: 300 },
    );
  });

  describe('writes', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it('batches: thousands of changes become one write after the delay, none before', async () => {
      const backend = new MemoryBackend();
      const write = vi.spyOn(backend, 'write');
      const store = new LogStore(backend, { writeDelayMs: 250 });
      await store.restore();
      for (let i = 0; i < 5000; i++)
        store.upsert(exchange(String(i), 1 + (i % 3)), verdict(i % 10 ? 'pass' : 'blocked'));
      for (let i = 0; i < 5000; i += 2) store.upsert(exchange(String(i), 1 + (i % 3)), verdict('blocked'));
      expect(write).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(249);
      expect(write).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      expect(write).toHaveBeenCalledTimes(1);
      const batch = write.mock.calls[0]![0];
      // One record per tab and chunk of 256 orders (1,667 entries per tab → 7 chunks), not one per entry.
      expect(batch.entries).toHaveLength(21);
      expect(batch.entries.reduce((n, r) => n + r.entries.length, 0)).toBe(5000); // each entry once, its latest version
      expect(batch.metas.map((m) => m.tabId).sort()).toEqual([1, 2, 3]);
      const stored = [...backend.entries.values()].flatMap((r) => r.entries);
      expect(stored.filter((e) => e.verdict.outcome === 'blocked')).toHaveLength(2500); // the evens, re-upserted as blocked
      expect(store.pendingWrites).toBe(0);
    });

    it('a failed write is counted and reported, and later writes go on', async () => {
      const backend = new MemoryBackend();
      const onError = vi.fn();
      const store = new LogStore(backend, { writeDelayMs: 10, onError });
      await store.restore();
      vi.spyOn(backend, 'write').mockRejectedValueOnce(new Error('QuotaExceededError'));
      store.upsert(exchange('1'), verdict('blocked'));
      await vi.advanceTimersByTimeAsync(10);
      expect(onError).toHaveBeenCalledTimes(1);
      expect(store.writeErrors).toBe(1);
      store.upsert(exchange('2'), verdict('blocked'));
      await store.flush();
      expect(backend.storedVersions()).toBe(1);
    });
  });

  it('forgets a closed tab entirely and keeps the others', async () => {
    const backend = new MemoryBackend();
    const store = new LogStore(backend);
    await store.restore();
    for (let i = 0; i < 10; i++) store.upsert(exchange(String(i), i % 2), verdict('blocked'));
    await store.flush();
    store.forget(1);
    await store.flush();
    expect([...backend.metas.keys()]).toEqual([0]);
    expect([...backend.entries.values()].every((e) => e.tabId === 0)).toBe(true);
    expect([...backend.slots.values()].every((e) => e.tabId === 0)).toBe(true);
    const again = new LogStore(backend);
    await again.restore();
    expect(again.tabIds()).toEqual([0]);
    expect(await all(again, 1)).toEqual([]);
    expect((await all(again, 0)).map((e) => e.id)).toEqual(['0', '2', '4', '6', '8']);
  });

  it('shrinking the cap evicts the oldest now and keeps their counts', async () => {
    const backend = new MemoryBackend();
    const store = new LogStore(backend, { cap: 100, chunkSize: 8 });
    await store.restore();
    for (let i = 0; i < 50; i++) store.upsert(exchange(String(i)), verdict('blocked'));
    await store.flush();
    store.setCap(10);
    await store.flush();
    expect((await all(store, 1)).map((e) => e.id)).toEqual(Array.from({ length: 10 }, (_, i) => String(40 + i)));
    expect(store.meta(1)).toMatchObject({ evicted: 40, origins: [expect.objectContaining({ blocked: 50 })] });
    expect(backend.storedVersions()).toBe(50 - 40); // chunks 0–4 (orders 0–39) deleted, 40–49 kept
    const again = new LogStore(backend, { cap: 100, chunkSize: 8 });
    await again.restore();
    expect((await all(again, 1)).map((e) => e.id)).toEqual(Array.from({ length: 10 }, (_, i) => String(40 + i)));
  });

  it('keeps navigation indices right when old navigations are dropped', async () => {
    const store = new LogStore(new MemoryBackend());
    await store.restore();
    for (let i = 0; i < 1005; i++) store.navigate(1, { url: `http://page.test/${i}`, timeStamp: i });
    const e = store.upsert(exchange('1'), verdict('blocked'));
    const meta = store.meta(1);
    expect(meta.navigations).toHaveLength(1000);
    expect(meta.navigations[e.nav]!.url).toBe('http://page.test/1004');
    expect((await all(store, 1))[0]!.nav).toBe(e.nav);
  });

  it('streams a large tab in chunks, in insertion order, with updates in place', async () => {
    const store = new LogStore(new MemoryBackend(), { cap: 50_000 });
    await store.restore();
    for (let i = 0; i < 3000; i++) store.upsert(exchange(String(i)), verdict('pending'));
    store.upsert(exchange('5'), verdict('blocked'));
    const chunks: number[] = [];
    const ids: string[] = [];
    for await (const c of store.entries(1, 1000)) {
      chunks.push(c.length);
      ids.push(...c.map((e) => e.id));
    }
    expect(chunks).toEqual([1000, 1000, 1000]);
    expect(ids).toEqual(Array.from({ length: 3000 }, (_, i) => String(i)));
    // A small first piece, so a panel can paint before the rest arrives.
    const sizes: number[] = [];
    for await (const c of store.entries(1, 1000, 250)) sizes.push(c.length);
    expect(sizes).toEqual([250, 1000, 1000, 750]);
  });
});
