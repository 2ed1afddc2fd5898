// Property tests for the pipeline's front half: normalizing arbitrary webRequest details and linking
// arbitrary event streams never throws, is deterministic, keeps memory bounded, and every exchange
// it emits can be judged.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diagnoseStrict } from '../../src/core/check';
import { Linker } from '../../src/core/linker';
import { normalizeEvent } from '../../src/core/normalize';
import type { EventKind, Exchange } from '../../src/core/types';

const KINDS: EventKind[] = ['sendHeaders', 'headersReceived', 'completed', 'errorOccurred'];
const kind = fc.constantFrom(...KINDS);

const headerList = fc.array(
  fc.oneof(
    fc.record({
      name: fc.constantFrom(
        'Origin',
        'origin',
        'Access-Control-Request-Method',
        'access-control-request-headers',
        'Access-Control-Allow-Origin',
        'Location',
        'Cookie',
        'X-A',
      ),
      value: fc.oneof(
        fc.constantFrom('http://localhost:3000', 'PUT', 'x-a', 'null', '/next', 'http://127.0.0.1:9/z', '*'),
        fc.string({ maxLength: 12 }),
      ),
    }),
    fc.record({ name: fc.string({ maxLength: 8 }), value: fc.string({ unit: 'binary', maxLength: 8 }) }),
    fc.record({
      name: fc.string({ maxLength: 4 }),
      binaryValue: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 6 }),
    }),
    fc.anything(),
  ),
  { maxLength: 6 },
);

/** webRequest-like details with a small pool of ids/urls so that events collide and interleave. */
const details = fc.record(
  {
    requestId: fc.oneof(fc.constantFrom('1', '2', '3', '4', '5', '6'), fc.string({ maxLength: 3 }), fc.integer()),
    tabId: fc.oneof(fc.constantFrom(1, 2, -1), fc.anything()),
    frameId: fc.constantFrom(0, 1),
    url: fc.oneof(
      fc.constantFrom(
        'http://localhost:8000/a',
        'http://localhost:8000/a?x',
        'http://127.0.0.1:9/z',
        'http://localhost:3000/page',
        'data:,x',
        'blob:x',
        '',
      ),
      fc.string({ maxLength: 15 }),
    ),
    method: fc.oneof(fc.constantFrom('GET', 'PUT', 'OPTIONS', 'patch'), fc.anything()),
    type: fc.constantFrom('xmlhttprequest', 'main_frame', 'sub_frame', 'image', 'other', 'outermost_frame'),
    timeStamp: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double(), fc.anything()),
    initiator: fc.oneof(fc.constantFrom('http://localhost:3000', 'null', 'chrome-extension://x'), fc.anything()),
    originUrl: fc.oneof(fc.constantFrom('http://localhost:3000/', 'moz-extension://x/'), fc.anything()),
    documentUrl: fc.anything(),
    requestHeaders: headerList,
    responseHeaders: headerList,
    statusCode: fc.oneof(fc.constantFrom(200, 204, 302, 307, 404, 500), fc.anything()),
    statusLine: fc.anything(),
    error: fc.oneof(
      fc.constantFrom('net::ERR_FAILED', 'NS_ERROR_DOM_BAD_URI', 'net::ERR_CONNECTION_REFUSED'),
      fc.anything(),
    ),
    fromCache: fc.anything(),
    ip: fc.anything(),
  },
  { requiredKeys: [] },
);

const stream = fc.array(fc.tuple(kind, details), { maxLength: 60 });

function run(browser: 'chrome' | 'firefox', events: Array<[EventKind, Record<string, unknown>]>, sort: boolean) {
  const l = new Linker({ browser, recentCap: 16 });
  const exchanges = new Map<string, Exchange>();
  const ts = (d: Record<string, unknown>) =>
    typeof d.timeStamp === 'number' && Number.isFinite(d.timeStamp) ? d.timeStamp : 0;
  const batch = sort ? [...events].sort((a, b) => ts(a[1]) - ts(b[1])) : events;
  let latest = 0;
  for (const [k, d] of batch) {
    const rec = normalizeEvent(k, d);
    if (Number.isFinite(rec.timeStamp)) latest = Math.max(latest, rec.timeStamp);
    const r = l.ingest(rec);
    if (r?.kind === 'exchange') exchanges.set(r.exchange.id, r.exchange);
  }
  l.sweep(latest * 2 + 1e9);
  return { l, exchanges };
}

describe('normalize + link on arbitrary event streams', () => {
  it('never throws, and every emitted exchange can be judged', () => {
    fc.assert(
      fc.property(fc.constantFrom('chrome', 'firefox'), stream, fc.boolean(), (browser, events, sort) => {
        const { l, exchanges } = run(browser, events as Array<[EventKind, Record<string, unknown>]>, sort);
        for (const ex of exchanges.values()) {
          expect(ex.hops.length).toBeGreaterThan(0);
          expect(() => diagnoseStrict(ex)).not.toThrow();
        }
        // After a sweep far in the future nothing is retained.
        expect(l.openCount).toBe(0);
      }),
      { numRuns: 800 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(fc.constantFrom('chrome', 'firefox'), stream, (browser, events) => {
        const a = run(browser, events as Array<[EventKind, Record<string, unknown>]>, true);
        const b = run(browser, structuredClone(events) as Array<[EventKind, Record<string, unknown>]>, true);
        expect(JSON.stringify([...a.exchanges.values()])).toBe(JSON.stringify([...b.exchanges.values()]));
      }),
      { numRuns: 300 },
    );
  });

  it('normalizes anything without throwing', () => {
    fc.assert(
      fc.property(kind, fc.anything(), (k, d) => {
        const rec = normalizeEvent(k, (d && typeof d === 'object' ? d : {}) as Record<string, unknown>);
        expect(typeof rec.requestId).toBe('string');
        expect(typeof rec.url).toBe('string');
      }),
      { numRuns: 500 },
    );
  });
});
