import { describe, expect, it } from 'vitest';
import { Linker } from '../../src/core/linker';
import type { EventRecord, Header } from '../../src/core/types';

const PAGE = 'http://127.0.0.1:3000';
const API = 'http://127.0.0.1:8000/items/1';
let t = 1000;
function ev(kind: EventRecord['kind'], requestId: string, method: string, extra: Partial<EventRecord> = {}): EventRecord {
  return { kind, requestId, tabId: 7, frameId: 0, url: API, method, type: 'xmlhttprequest', timeStamp: t++, initiator: PAGE, ...extra };
}
const h = (...pairs: Array<[string, string]>): Header[] => pairs.map(([name, value]) => ({ name, value }));
const preflightHeaders = h(['Origin', PAGE], ['Access-Control-Request-Method', 'PUT'], ['Access-Control-Request-Headers', 'content-type']);

describe('Linker', () => {
  it('links a Chrome preflight that arrives before its actual request (P = A+1)', () => {
    const l = new Linker({ browser: 'chrome' });
    expect(l.ingest(ev('sendHeaders', '101', 'OPTIONS', { requestHeaders: preflightHeaders }))).toBeNull();
    l.ingest(ev('headersReceived', '101', 'OPTIONS', { statusCode: 404, responseHeaders: h(['Content-Type', 'text/plain']) }));
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
    l.ingest(ev('sendHeaders', '20', 'PUT', { requestHeaders: h(['Origin', PAGE], ['Content-Type', 'application/json']) }));
    const r = l.ingest(ev('sendHeaders', '21', 'OPTIONS', { requestHeaders: preflightHeaders }));
    expect(r?.kind).toBe('exchange');
    l.ingest(ev('headersReceived', '21', 'OPTIONS', { statusCode: 200, responseHeaders: h(['Access-Control-Allow-Origin', PAGE]) }));
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
    l.ingest(ev('headersReceived', '6', 'GET', { statusCode: 302, responseHeaders: h(['Location', 'http://127.0.0.1:9000/next']) }));
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
    expect(l.ingest(ev('sendHeaders', '9', 'GET', { type: 'main_frame', url: `${PAGE}/` }))).toMatchObject({ kind: 'navigation', tabId: 7 });
  });
});
