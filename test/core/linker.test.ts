import { describe, expect, it } from 'vitest';
import { Linker } from '../../src/core/linker';
import type { EventRecord, Header } from '../../src/core/types';

const PAGE = 'http://127.0.0.1:3000';
const API = 'http://127.0.0.1:8000/items/1';
let t = 1000;
function ev(
  kind: EventRecord['kind'],
  requestId: string,
  method: string,
  extra: Partial<EventRecord> = {},
): EventRecord {
  return {
    kind,
    requestId,
    tabId: 7,
    frameId: 0,
    url: API,
    method,
    type: 'xmlhttprequest',
    timeStamp: t++,
    initiator: PAGE,
    ...extra,
  };
}
const h = (...pairs: Array<[string, string]>): Header[] => pairs.map(([name, value]) => ({ name, value }));
const preflightHeaders = h(
  ['Origin', PAGE],
  ['Access-Control-Request-Method', 'PUT'],
  ['Access-Control-Request-Headers', 'content-type'],
);

describe('Linker', () => {
  it('links a Chrome preflight that arrives before its actual request (P = A+1)', () => {
    const l = new Linker({ browser: 'chrome' });
    expect(l.ingest(ev('sendHeaders', '101', 'OPTIONS', { requestHeaders: preflightHeaders }))).toBeNull();
    l.ingest(
      ev('headersReceived', '101', 'OPTIONS', { statusCode: 404, responseHeaders: h(['Content-Type', 'text/plain']) }),
    );
    l.ingest(ev('completed', '101', 'OPTIONS', { statusCode: 404 }));
    const res = l.ingest(ev('errorOccurred', '100', 'PUT', { error: 'net::ERR_FAILED' }));
    expect(res?.kind).toBe('exchange');
    const ex = res!.kind === 'exchange' ? res!.exchange : null;
    expect(ex?.preflights).toHaveLength(1);
    expect(ex?.preflights[0]).toMatchObject({ requestId: '101', state: 'completed', hop: { statusCode: 404 } });
    expect(ex?.state).toBe('error');
  });

  it('links a Firefox preflight that follows its actual request', () => {
    const l = new Linker({ browser: 'firefox' });
    l.ingest(
      ev('sendHeaders', '20', 'PUT', { requestHeaders: h(['Origin', PAGE], ['Content-Type', 'application/json']) }),
    );
    const r = l.ingest(ev('sendHeaders', '21', 'OPTIONS', { requestHeaders: preflightHeaders }));
    expect(r?.kind).toBe('exchange');
    l.ingest(
      ev('headersReceived', '21', 'OPTIONS', {
        statusCode: 200,
        responseHeaders: h(['Access-Control-Allow-Origin', PAGE]),
      }),
    );
    l.ingest(ev('errorOccurred', '21', 'OPTIONS', { error: 'NS_ERROR_DOM_BAD_URI' }));
    const end = l.ingest(ev('errorOccurred', '20', 'PUT', { error: 'NS_ERROR_DOM_BAD_URI' }));
    const ex = end?.kind === 'exchange' ? end.exchange : null;
    expect(ex?.preflights.map((p) => [p.requestId, p.state])).toEqual([['21', 'error']]);
    expect(ex?.hops[0]?.requestHeaders?.find((x) => x.name === 'Content-Type')?.value).toBe('application/json');
  });

  it('ignores same-origin requests and keeps redirect hops', () => {
    const l = new Linker({ browser: 'chrome' });
    expect(l.ingest(ev('sendHeaders', '5', 'GET', { url: `${PAGE}/x` }))).toBeNull();
    l.ingest(ev('sendHeaders', '6', 'GET', { requestHeaders: h(['Origin', PAGE]) }));
    l.ingest(
      ev('headersReceived', '6', 'GET', {
        statusCode: 302,
        responseHeaders: h(['Location', 'http://127.0.0.1:9000/next']),
      }),
    );
    l.ingest(ev('sendHeaders', '6', 'GET', { url: 'http://127.0.0.1:9000/next' }));
    const r = l.ingest(ev('completed', '6', 'GET', { url: 'http://127.0.0.1:9000/next', statusCode: 200 }));
    const ex = r?.kind === 'exchange' ? r.exchange : null;
    expect(ex?.hops.map((x) => [x.url, x.statusCode])).toEqual([
      [API, 302],
      ['http://127.0.0.1:9000/next', 200],
    ]);
    expect(ex?.state).toBe('completed');
  });

  it('reports main-frame navigations', () => {
    const l = new Linker({ browser: 'chrome' });
    expect(l.ingest(ev('sendHeaders', '9', 'GET', { type: 'main_frame', url: `${PAGE}/` }))).toMatchObject({
      kind: 'navigation',
      tabId: 7,
    });
  });
});

describe('Linker: harder cases', () => {
  const pfH = (method: string, acrh?: string) =>
    h(
      ['Origin', PAGE],
      ['Access-Control-Request-Method', method],
      ...(acrh ? ([['Access-Control-Request-Headers', acrh]] as Array<[string, string]>) : []),
    );
  const okPf = (acah: string) =>
    h(
      ['Access-Control-Allow-Origin', PAGE],
      ['Access-Control-Allow-Methods', 'PUT'],
      ['Access-Control-Allow-Headers', acah],
    );
  const last = (r: ReturnType<Linker['ingest']>) => (r?.kind === 'exchange' ? r.exchange : null);

  function concurrentChrome(failingFirst: boolean) {
    // Chrome: A1=10, A2=11, their preflights 12 (x-a) and 13 (x-b); ACAH allows only x-a.
    const l = new Linker({ browser: 'chrome' });
    for (const [id, acrh] of [
      ['12', 'x-a'],
      ['13', 'x-b'],
    ] as const) {
      l.ingest(ev('sendHeaders', id, 'OPTIONS', { requestHeaders: pfH('PUT', acrh) }));
      l.ingest(ev('headersReceived', id, 'OPTIONS', { statusCode: 204, responseHeaders: okPf('x-a') }));
      l.ingest(ev('completed', id, 'OPTIONS', { statusCode: 204 }));
    }
    const events = [
      () => l.ingest(ev('errorOccurred', '11', 'PUT', { error: 'net::ERR_FAILED' })),
      () => l.ingest(ev('sendHeaders', '10', 'PUT', { requestHeaders: h(['Origin', PAGE], ['X-A', '1']) })),
    ];
    const out = (failingFirst ? events : events.reverse()).map((f) => last(f()));
    const a1 = out.find((x) => x?.id === '10')!;
    const a2 = out.find((x) => x?.id === '11')!;
    return { a1, a2 };
  }

  it('links concurrent look-alike preflights by headers and outcome, in either order (Chrome)', () => {
    for (const failingFirst of [true, false]) {
      const { a1, a2 } = concurrentChrome(failingFirst);
      expect(a1.preflights.map((p) => p.requestId)).toEqual(['12']);
      expect(a2.preflights.map((p) => p.requestId)).toEqual(['13']);
    }
  });

  it('gives a redirected request a new hop and its own preflight (Origin null)', () => {
    const l = new Linker({ browser: 'chrome' });
    l.ingest(ev('sendHeaders', '21', 'OPTIONS', { requestHeaders: pfH('PUT') }));
    l.ingest(ev('completed', '21', 'OPTIONS', { statusCode: 204, responseHeaders: okPf('') }));
    l.ingest(ev('sendHeaders', '20', 'PUT', { requestHeaders: h(['Origin', PAGE]) }));
    l.ingest(
      ev('headersReceived', '20', 'PUT', {
        statusCode: 307,
        responseHeaders: h(['Location', 'http://127.0.0.1:9000/next']),
      }),
    );
    l.ingest(
      ev('sendHeaders', '22', 'OPTIONS', {
        url: 'http://127.0.0.1:9000/next',
        requestHeaders: h(['Origin', 'null'], ['Access-Control-Request-Method', 'PUT']),
      }),
    );
    l.ingest(ev('completed', '22', 'OPTIONS', { url: 'http://127.0.0.1:9000/next', statusCode: 404 }));
    const ex = last(
      l.ingest(ev('errorOccurred', '20', 'PUT', { url: 'http://127.0.0.1:9000/next', error: 'net::ERR_FAILED' })),
    )!;
    expect(ex.hops.map((x) => x.url)).toEqual([API, 'http://127.0.0.1:9000/next']);
    expect(ex.preflights.map((p) => [p.requestId, p.hopIndex])).toEqual([
      ['21', 0],
      ['22', 1],
    ]);
  });

  it('accepts a request whose preflight never appears (preflight cache)', () => {
    const l = new Linker({ browser: 'chrome' });
    l.ingest(ev('sendHeaders', '30', 'PUT', { requestHeaders: h(['Origin', PAGE]) }));
    const ex = last(l.ingest(ev('completed', '30', 'PUT', { statusCode: 200 })))!;
    expect(ex.preflights).toEqual([]);
    expect(ex.state).toBe('completed');
  });

  it('keeps a request that never completes pending, and forgets it after the TTL', () => {
    const l = new Linker({ browser: 'chrome', openTtlMs: 1000 });
    const ex = last(l.ingest(ev('sendHeaders', '40', 'GET', { requestHeaders: h(['Origin', PAGE]), timeStamp: 0 })))!;
    expect(ex.state).toBe('pending');
    expect(l.openCount).toBe(1);
    l.sweep(5000);
    expect(l.openCount).toBe(0);
  });

  it('routes events that arrive after the end to the finished exchange', () => {
    const l = new Linker({ browser: 'chrome' });
    l.ingest(
      ev('completed', '50', 'GET', { statusCode: 200, responseHeaders: h(['Access-Control-Allow-Origin', PAGE]) }),
    );
    const ex = last(
      l.ingest(ev('sendHeaders', '50', 'GET', { requestHeaders: h(['Origin', PAGE], ['Cookie', 'a=1']) })),
    )!;
    expect(ex.state).toBe('completed');
    expect(ex.hops).toHaveLength(1);
    expect(ex.hops[0]!.requestHeaders?.some((x) => x.name === 'Cookie')).toBe(true);
  });

  it('ignores requests that are not in CORS mode (no Origin on a GET)', () => {
    const l = new Linker({ browser: 'chrome' });
    expect(
      l.ingest(ev('sendHeaders', '60', 'GET', { type: 'image', requestHeaders: h(['Accept', 'image/*']) })),
    ).toBeNull();
    expect(l.ingest(ev('completed', '60', 'GET', { type: 'image', statusCode: 200 }))).toBeNull();
  });

  it('starts tracking a same-origin request when it redirects to another origin', () => {
    const l = new Linker({ browser: 'chrome' });
    expect(l.ingest(ev('sendHeaders', '70', 'GET', { url: `${PAGE}/api` }))).toBeNull();
    const r = l.ingest(
      ev('headersReceived', '70', 'GET', {
        url: `${PAGE}/api`,
        statusCode: 302,
        responseHeaders: h(['Location', `${API}/x`]),
      }),
    );
    expect(r?.kind).toBe('exchange');
    l.ingest(ev('sendHeaders', '70', 'GET', { url: `${API}/x`, requestHeaders: h(['Origin', PAGE]) }));
    const ex = last(l.ingest(ev('errorOccurred', '70', 'GET', { url: `${API}/x`, error: 'net::ERR_FAILED' })))!;
    expect(ex.hops.map((x) => x.url)).toEqual([`${PAGE}/api`, `${API}/x`]);
  });

  it('bounds the preflights it keeps waiting for a request', () => {
    const l = new Linker({ browser: 'chrome' });
    for (let i = 0; i < 2000; i++)
      l.ingest(ev('sendHeaders', String(1000 + i), 'OPTIONS', { url: `${API}/${i}`, requestHeaders: pfH('PUT') }));
    expect(l.openCount).toBeLessThanOrEqual(512);
  });
});

describe('Linker: tab navigation', () => {
  it('reports the navigation and ends a request cut off by it as aborted (not CORS)', async () => {
    const { diagnose } = await import('../../src/core/check');
    const l = new Linker({ browser: 'chrome' });
    l.ingest(ev('sendHeaders', '80', 'GET', { requestHeaders: h(['Origin', PAGE]) }));
    const nav = l.ingest(ev('sendHeaders', '81', 'GET', { type: 'main_frame', url: `${PAGE}/next` }));
    expect(nav).toMatchObject({ kind: 'navigation', tabId: 7, url: `${PAGE}/next` });
    const r = l.ingest(ev('errorOccurred', '80', 'GET', { error: 'net::ERR_ABORTED' }));
    const ex = r?.kind === 'exchange' ? r.exchange : null;
    expect(ex?.state).toBe('error');
    expect(diagnose(ex!)).toMatchObject({ outcome: 'not-cors', cause: { code: 'request-aborted' } });
    // Sub-frame navigations are not tab navigations.
    expect(l.ingest(ev('sendHeaders', '82', 'GET', { type: 'sub_frame', url: `${PAGE}/frame` }))).toBeNull();
  });
});

describe('Linker: memory stays bounded under a flood', () => {
  it('forgets the oldest of 30 000 requests that never end', () => {
    const l = new Linker({ browser: 'chrome' });
    for (let i = 0; i < 30_000; i++) {
      l.ingest(
        ev('sendHeaders', String(10_000 + i), 'GET', { url: `${API}/${i}`, requestHeaders: h(['Origin', PAGE]) }),
      );
      l.ingest(ev('sendHeaders', String(100_000 + i), 'GET', { url: `${PAGE}/same/${i}` }));
    }
    expect(l.openCount).toBeLessThanOrEqual(30_000 + 512);
  });
});

describe('normalizing webRequest headers', () => {
  it('uses clean header arrays as they are and cleans binaryValue/malformed ones', async () => {
    const { toHeaders } = await import('../../src/core/headers');
    const clean = [{ name: 'Origin', value: 'http://a' }];
    expect(toHeaders(clean)).toBe(clean);
    expect(toHeaders([{ name: 'X', binaryValue: [104, 105] }, null, { name: 1 }])).toEqual([
      { name: 'X', value: 'hi' },
    ]);
    expect(toHeaders('nope')).toBeUndefined();
  });
});
