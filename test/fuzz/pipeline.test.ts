// Hostile and malformed input through the whole background path: normalize → link → verdict →
// per-tab log (LogStore with its persistence, and TabLog) → the panel protocol's messages
// (structured clone and JSON, as ports carry them) → the texts the panel and exports show.
// No throw, no hang (each property is bounded by the test timeout), nothing lost or duplicated.
// (render-export.test.tsx takes the same generated logs through the panel and every export.)
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { describeCause } from '../../src/core/causes';
import { originStatsOf, type LogEntry } from '../../src/core/log';
import { TabLog } from '../support/reference-log';
import type { BackgroundMessage } from '../../src/shared/protocol';
import { verdictSummary } from '../../src/core/summary';
import { describeSymptom } from '../../src/core/symptoms';
import { eventStream, type RawEvent } from './arbitraries';
import { runPipeline as run } from './logs';

const OUTCOMES = new Set(['pass', 'blocked', 'uncertain', 'not-cors', 'pending']);
let exchanges = 0;

function checkEntry(e: LogEntry): void {
  expect(OUTCOMES.has(e.verdict.outcome), e.verdict.outcome).toBe(true);
  expect(typeof e.id).toBe('string');
  expect(typeof verdictSummary(e.verdict)).toBe('string');
  if (e.verdict.cause) expect(typeof describeCause(e.verdict.cause).title).toBe('string');
  for (const w of e.verdict.warnings) expect(typeof describeCause(w).title).toBe('string');
  if (e.verdict.symptom) {
    const t = describeSymptom(e.verdict.symptom, {
      url: e.exchange.url,
      origin: e.exchange.pageOrigin ?? 'null',
      method: e.exchange.method,
    });
    expect(typeof t.chromeConsole).toBe('string');
  }
}

describe('fuzz: hostile webRequest input through the background', () => {
  afterAll(() => {
    // The suite's own claim: at least 10,000 generated exchanges went through.
    expect(exchanges).toBeGreaterThanOrEqual(10_000);
  });

  it('never throws, keeps each request once, and every message survives structured clone and JSON', async () => {
    await fc.assert(
      fc.asyncProperty(
        eventStream,
        fc.nat(),
        fc.integer({ min: 1, max: 60 }),
        async ({ browser, events: evs, requests }, r, cap) => {
          const restartAt = r % (evs.length + 1);
          const { store, live } = await run(browser, evs, restartAt, cap);
          exchanges += requests;
          for (const e of live) checkEntry(e);
          for (const tabId of store.tabIds()) {
            const entries: LogEntry[] = [];
            for await (const c of store.entries(tabId, 16)) entries.push(...c);
            // One entry per request id, at most `cap`, in insertion order.
            const ids = entries.map((e) => e.id);
            expect(new Set(ids).size).toBe(ids.length);
            expect(entries.length).toBeLessThanOrEqual(cap);
            expect(entries.length).toBe(store.size(tabId));
            const msg: BackgroundMessage = { type: 'snapshot', ...store.meta(tabId), entries };
            expect(structuredClone(msg)).toEqual(msg);
            const json = JSON.parse(JSON.stringify(msg)) as { entries: LogEntry[] };
            expect(json.entries.map((e) => e.id)).toEqual(ids);
            // The reference log takes the same entries, and a re-opened report counts them as it does.
            const tl = new TabLog(tabId, cap);
            for (const e of entries) {
              checkEntry(e);
              tl.upsert(e.exchange, e.verdict);
            }
            expect(tl.size).toBe(entries.length);
            expect(TabLog.restore(structuredClone(tl.state()), cap).size).toBe(entries.length);
            expect(originStatsOf(entries)).toEqual(tl.originStats());
          }
        },
      ),
      { numRuns: 700 },
    );
  }, 300_000);
});

describe('fuzz: huge input', () => {
  const MB = 1024 * 1024;
  it('1 MB header values, thousands of headers and huge binary values stay inert and bounded', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<'chrome' | 'firefox'>('chrome', 'firefox'),
        fc.integer({ min: 0, max: 5000 }),
        fc.constantFrom('x', '<script>alert(1)</script>', '\u0000', '😀', 'http://127.0.0.1:3000, '),
        fc.integer({ min: 0, max: 100_000 }),
        async (browser, many, unit, binLen) => {
          const big = unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
          const evs: RawEvent[] = [];
          const common = {
            tabId: 1,
            frameId: 0,
            type: 'xmlhttprequest',
            initiator: 'http://127.0.0.1:3000',
            url: `http://127.0.0.1:8000/big?${big.slice(0, 4096)}`,
            method: 'GET',
          };
          const reqHeaders = [
            { name: 'Origin', value: 'http://127.0.0.1:3000' },
            ...Array.from({ length: many }, (_, i) => ({ name: `X-H-${i % 50}`, value: `${i}` })),
          ];
          const resHeaders = [
            { name: 'Access-Control-Allow-Origin', value: big },
            { name: 'X-Bin', binaryValue: Array.from({ length: binLen }, (_, i) => i % 256) },
            ...Array.from({ length: many }, (_, i) => ({
              name: i % 2 ? 'access-control-allow-origin' : `X-R-${i}`,
              value: i % 3 ? big.slice(0, 64) : '',
            })),
          ];
          let t = Date.now();
          evs.push(['sendHeaders', { ...common, requestId: '1', requestHeaders: reqHeaders, timeStamp: t++ }]);
          evs.push([
            'headersReceived',
            { ...common, requestId: '1', statusCode: 200, responseHeaders: resHeaders, timeStamp: t++ },
          ]);
          evs.push([
            browser === 'chrome' ? 'errorOccurred' : 'completed',
            {
              ...common,
              requestId: '1',
              statusCode: 200,
              error: 'net::ERR_FAILED',
              responseHeaders: resHeaders,
              timeStamp: t++,
            },
          ]);
          const { store } = await run(browser, evs, 2, 10);
          exchanges += 1;
          const entries: LogEntry[] = [];
          for await (const c of store.entries(1)) entries.push(...c);
          expect(entries).toHaveLength(1);
          const e = entries[0]!;
          checkEntry(e);
          expect(e.exchange.state).not.toBe('pending');
          // A blocked request with a 1 MB Access-Control-Allow-Origin is judged, not dropped.
          expect(e.verdict.outcome).toBe('blocked');
          const msg: BackgroundMessage = { type: 'entries', entries, origins: store.originStats(1) };
          expect(JSON.parse(JSON.stringify(msg)).entries[0].id).toBe('1');
        },
      ),
      { numRuns: 12 },
    );
  }, 300_000);
});
