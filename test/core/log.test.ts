import { describe, expect, it } from 'vitest';
import { originCountOf, originStatsOf, type LogEntry } from '../../src/core/log';
import type { Exchange } from '../../src/core/types';
import type { Verdict } from '../../src/core/verdict';
import { TabLog } from '../support/reference-log';

const verdict = (outcome: Verdict['outcome']): Verdict => ({
  outcome,
  credentials: 'unknown',
  preflight: { needed: false, reasons: [], seen: false, fromCache: false },
  evidence: [],
  warnings: [],
});
const exchange = (id: string, url = 'http://api.test/x', start = Number(id)): Exchange => ({
  id,
  requestId: id,
  browser: 'chrome',
  tabId: 1,
  frameId: 0,
  type: 'xmlhttprequest',
  method: 'GET',
  url,
  pageOrigin: 'http://page.test',
  startTime: start,
  hops: [],
  preflights: [],
  state: 'completed',
});
const entry = (ex: Exchange, outcome: Verdict['outcome']): LogEntry => ({
  id: ex.id,
  seq: 0,
  nav: 0,
  exchange: ex,
  verdict: verdict(outcome),
});

describe('originCountOf', () => {
  it('counts an uncertain verdict with the blocked, never as a pass', () => {
    expect(originCountOf(verdict('uncertain'))).toBe('blocked');
    expect(originCountOf(verdict('blocked'))).toBe('blocked');
    expect(originCountOf(verdict('pass'))).toBe('pass');
    expect(originCountOf(verdict('pending'))).toBe('other');
  });
});

describe('originStatsOf', () => {
  it('counts per target and page origin, with the latest time seen', () => {
    const stats = originStatsOf([
      entry(exchange('1'), 'blocked'),
      entry(exchange('2', 'http://api.test/y'), 'pass'),
      entry(exchange('3', 'http://other.test/'), 'uncertain'),
    ]);
    expect(stats).toEqual([
      { target: 'http://api.test', page: 'http://page.test', pass: 1, blocked: 1, other: 0, lastSeen: 2 },
      { target: 'http://other.test', page: 'http://page.test', pass: 0, blocked: 1, other: 0, lastSeen: 3 },
    ]);
  });

  it('counts an exchange once, as its last verdict, like the log does', () => {
    const entries = [entry(exchange('1'), 'pending'), entry(exchange('2'), 'pass'), entry(exchange('1'), 'blocked')];
    const ref = new TabLog(1, Number.MAX_SAFE_INTEGER);
    for (const e of entries) ref.upsert(e.exchange, e.verdict);
    expect(originStatsOf(entries)).toEqual(ref.originStats());
    expect(originStatsOf(entries)[0]).toMatchObject({ pass: 1, blocked: 1, other: 0 });
  });
});
