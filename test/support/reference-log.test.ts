import { describe, expect, it } from 'vitest';
import { TabLog } from './reference-log';
import type { Exchange } from '../../src/core/types';
import type { Verdict } from '../../src/core/verdict';

const verdict = (outcome: Verdict['outcome']): Verdict => ({
  outcome,
  credentials: 'unknown',
  preflight: { needed: false, reasons: [], seen: false, fromCache: false },
  evidence: [],
  warnings: [],
});
const exchange = (id: string): Exchange => ({
  id,
  requestId: id,
  browser: 'chrome',
  tabId: 1,
  frameId: 0,
  type: 'xmlhttprequest',
  method: 'GET',
  url: 'http://api.test/x',
  pageOrigin: 'http://page.test',
  startTime: Number(id),
  hops: [],
  preflights: [],
  state: 'completed',
});

describe('TabLog', () => {
  it('evicts the oldest entries past the cap but keeps their counts', () => {
    const log = new TabLog(1, 3);
    for (let i = 1; i <= 5; i++) log.upsert(exchange(String(i)), verdict(i % 2 ? 'blocked' : 'pass'));
    expect(log.entries().map((e) => e.id)).toEqual(['3', '4', '5']);
    expect(log.state().evicted).toBe(2);
    expect(log.originStats()).toEqual([
      expect.objectContaining({ target: 'http://api.test', page: 'http://page.test', blocked: 3, pass: 2 }),
    ]);
  });

  it('moves an updated entry between counts instead of counting it twice', () => {
    const log = new TabLog(1);
    log.upsert(exchange('1'), verdict('pending'));
    log.upsert(exchange('1'), verdict('blocked'));
    expect(log.size).toBe(1);
    expect(log.originStats()[0]).toMatchObject({ blocked: 1, pass: 0, other: 0 });
  });

  it('round-trips through its serialisable state', () => {
    const log = new TabLog(1);
    log.upsert(exchange('1'), verdict('blocked'));
    const copy = TabLog.restore(JSON.parse(JSON.stringify(log.state())));
    copy.upsert(exchange('1'), verdict('blocked'));
    expect(copy.originStats()[0]).toMatchObject({ blocked: 1 });
  });
});
