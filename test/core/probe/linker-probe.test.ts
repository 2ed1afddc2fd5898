// The Probe's exchange in Chromium's event order when its preflight fails: the page's own OPTIONS
// request ends without headers and must be linked as a request (with its preflight), not taken for
// a second, headerless preflight. A genuine headerless preflight stays one.
import { describe, expect, it } from 'vitest';
import { Linker } from '../../../src/core/linker';
import { probeMark } from '../../../src/core/probe/recognize';
import type { EventRecord, Header } from '../../../src/core/types';

const PAGE = 'http://127.0.0.1:3000';
const API = 'http://127.0.0.1:8000/api/items';
let t = 1000;
const ev = (
  kind: EventRecord['kind'],
  requestId: string,
  method: string,
  extra: Partial<EventRecord> = {},
): EventRecord => ({
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
});
const h = (...pairs: Array<[string, string]>): Header[] => pairs.map(([name, value]) => ({ name, value }));

describe('Linker and the probe', () => {
  it('links a probe whose preflight failed (Chromium: P events, then A ends headerless)', () => {
    const l = new Linker({ browser: 'chrome' });
    l.ingest(
      ev('sendHeaders', '51', 'OPTIONS', {
        requestHeaders: h(
          ['Origin', PAGE],
          ['Access-Control-Request-Method', 'OPTIONS'],
          ['Access-Control-Request-Headers', 'x-cors-lens-probe'],
        ),
      }),
    );
    l.ingest(
      ev('headersReceived', '51', 'OPTIONS', {
        statusCode: 400,
        responseHeaders: h(['access-control-allow-methods', 'GET']),
      }),
    );
    l.ingest(ev('completed', '51', 'OPTIONS', { statusCode: 400 }));
    const res = l.ingest(ev('errorOccurred', '50', 'OPTIONS', { error: 'net::ERR_FAILED' }));
    expect(res?.kind).toBe('exchange');
    const ex = res?.kind === 'exchange' ? res.exchange : null;
    expect(ex).toMatchObject({ id: '50', method: 'OPTIONS', state: 'error' });
    expect(ex!.preflights.map((p) => [p.requestId, p.hop.statusCode])).toEqual([['51', 400]]);
    expect(probeMark(ex!)).toEqual({ id: null });
  });

  it('still takes a headerless OPTIONS end for a preflight when no OPTIONS preflight waits', () => {
    const l = new Linker({ browser: 'chrome' });
    expect(l.ingest(ev('errorOccurred', '61', 'OPTIONS', { error: 'net::ERR_FAILED' }))).toBeNull();
    const res = l.ingest(ev('errorOccurred', '60', 'PUT', { error: 'net::ERR_CONNECTION_REFUSED' }));
    const ex = res?.kind === 'exchange' ? res.exchange : null;
    expect(ex?.method).toBe('PUT');
    expect(ex?.preflights.map((p) => p.requestId)).toEqual(['61']);
  });
});
