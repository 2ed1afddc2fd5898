import { describe, expect, it } from 'vitest';
import {
  neededItems,
  originForRow,
  requestSide,
  sideRows,
  sortedEvidence,
  type SideRow,
} from '../../src/panel/evidence';
import { PAGE, headerNotAllowed, methodNotAllowed, redirected, trailingSlash } from './fixtures';

const r = (o: Partial<SideRow>): SideRow => ({
  stage: 'response',
  rule: 'allow-origin',
  field: 'f',
  needed: '',
  sent: null,
  result: 'pass',
  hopIndex: 0,
  ...o,
});

describe('side-by-side rows', () => {
  it('orders the decisive failure first, then failures, warnings, passes, information', () => {
    const rows = [
      r({ field: 'a', result: 'info' }),
      r({ field: 'b', result: 'pass' }),
      r({ field: 'c', result: 'fail' }),
      r({ field: 'd', result: 'warn' }),
      r({ field: 'e', result: 'fail', decisive: true }),
    ];
    expect(sortedEvidence(rows).map((x) => x.field)).toEqual(['e', 'c', 'd', 'b', 'a']);
  });

  it('adds every Access-Control-* response header no rule covers, once per response', () => {
    const e = methodNotAllowed();
    const extra = sideRows(e).filter((x) => x.unchecked);
    expect(extra.map((x) => [x.stage, x.field, x.sent])).toEqual([['preflight', 'access-control-max-age', '600']]);
  });

  it('compares Allow-Origin with the Origin the browser sent on that hop', () => {
    const t = trailingSlash();
    expect(originForRow(t, sideRows(t)[0]!)).toBe(PAGE);
    // after a cross-origin redirect the browser sends Origin: null
    const red = redirected();
    expect(originForRow(red, r({ field: 'Access-Control-Allow-Origin', hopIndex: 1 }))).toBe('null');
    // no request headers reported: the origin the rule expected (never parsed from its words), else the page origin
    const bare = trailingSlash();
    bare.exchange.hops[0]!.requestHeaders = undefined;
    expect(
      originForRow(
        bare,
        r({
          expected: { kind: 'origin', origin: 'http://a.test:1', wildcard: false },
          needed: 'exactly "http://b.test:2"',
        }),
      ),
    ).toBe('http://a.test:1');
    expect(originForRow(bare, r({ needed: 'exactly "http://b.test:2" (credentialed request)' }))).toBe(PAGE);
  });

  it('finds what a list rule needed: subject, the expected items, or what the preflight asked', () => {
    const m = methodNotAllowed();
    expect(
      neededItems(
        m,
        r({ stage: 'preflight', field: 'Access-Control-Allow-Methods', needed: '"PUT" or "*" listed', subject: 'PUT' }),
      ),
    ).toBe('PUT');
    expect(
      neededItems(m, r({ stage: 'preflight', field: 'Access-Control-Allow-Methods', needed: '"PUT" or "*" listed' })),
    ).toBe('PUT');
    expect(
      neededItems(
        m,
        r({
          stage: 'preflight',
          field: 'Access-Control-Allow-Headers',
          expected: { kind: 'listed', items: ['x-a', 'x-b'], wildcard: true, caseSensitive: false },
          needed: 'y-a',
        }),
      ),
    ).toBe('x-a, x-b');
    const h = headerNotAllowed();
    expect(
      neededItems(
        h,
        r({ stage: 'preflight', field: 'Access-Control-Allow-Headers', needed: 'every requested header listed' }),
      ),
    ).toBe('content-type,x-api-key');
  });

  it('shows the request side: Origin and the preflight request headers', () => {
    expect(requestSide(headerNotAllowed())).toEqual([
      { name: 'Origin', value: PAGE },
      { name: 'Access-Control-Request-Method', value: 'POST' },
      { name: 'Access-Control-Request-Headers', value: 'content-type,x-api-key' },
    ]);
    const e = trailingSlash();
    e.exchange.hops[0]!.requestHeaders = [];
    expect(requestSide(e)).toEqual([
      { name: 'Origin', value: PAGE, note: 'not reported by the browser; from the initiator' },
    ]);
  });
});
