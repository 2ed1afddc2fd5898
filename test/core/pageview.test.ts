// Page view (src/core/pageview.ts): validating the page's reports, pairing them with webRequest
// exchanges, and the engine settling an uncertain verdict with the paired report (check.ts).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { diagnose } from '../../src/core/check';
import { countsAsBlocked } from '../../src/core/outcome';
import {
  observation,
  pairRecords,
  parsePageRecord,
  parsePageRecords,
  requestUrl,
  MAX_BATCH,
  type PageRecord,
} from '../../src/core/pageview';
import { API, ex, h, PAGE } from './build';

const ACAO = (v: string = PAGE): [string, string] => ['Access-Control-Allow-Origin', v];
const T0 = 1_700_000_000_000;

function rec(p: Partial<PageRecord> = {}): PageRecord {
  return {
    api: 'fetch',
    url: `${API}/data`,
    method: 'GET',
    credentials: 'same-origin',
    outcome: 'response',
    status: 200,
    start: T0,
    end: T0 + 20,
    sync: false,
    ...p,
  };
}

describe('parsePageRecord: reports from the page are untrusted data', () => {
  it('keeps a well-formed report and drops the fragment from its URL', () => {
    expect(parsePageRecord({ ...rec(), url: `${API}/data#x`, site: 'http://localhost:3000/app.js:3:9' })).toEqual({
      ...rec(),
      site: 'http://localhost:3000/app.js:3:9',
    });
  });

  it('drops reports with a missing or wrong-typed field, a non-http URL, a bad method or times', () => {
    const bad: unknown[] = [
      null,
      42,
      'x',
      [],
      {},
      { ...rec(), api: 'beacon' },
      { ...rec(), url: 'javascript:alert(1)' },
      { ...rec(), url: 'not a url' },
      { ...rec(), url: `${API}/${'a'.repeat(9000)}` },
      { ...rec(), method: 'GET X' },
      { ...rec(), method: '' },
      { ...rec(), credentials: 'yes' },
      { ...rec(), outcome: 'ok' },
      { ...rec(), status: -1 },
      { ...rec(), status: 1.5 },
      { ...rec(), start: Number.NaN },
      { ...rec(), end: T0 - 1 },
      { ...rec(), start: '1' },
    ];
    for (const b of bad) expect(parsePageRecord(b)).toBeNull();
  });

  it('strips control characters from the call site and bounds it', () => {
    expect(parsePageRecord({ ...rec(), site: 'a\nb\u0000c' })?.site).toBe('abc');
    expect(parsePageRecord({ ...rec(), site: 'x'.repeat(600) })?.site).toBeUndefined();
  });

  it('never throws on arbitrary input, and batches are bounded', () => {
    fc.assert(
      fc.property(fc.anything(), (a) => {
        parsePageRecord(a);
        parsePageRecords(a);
      }),
    );
    expect(parsePageRecords(Array.from({ length: MAX_BATCH + 50 }, () => rec()))).toHaveLength(MAX_BATCH);
    expect(parsePageRecords({ length: 3 })).toEqual([]);
  });

  it('requestUrl accepts http(s) only', () => {
    expect(requestUrl('https://a.test/p?q#f')).toBe('https://a.test/p?q');
    expect(requestUrl('data:text/plain,x')).toBeNull();
  });
});

describe('pairRecords', () => {
  const exA = { id: 'a', url: `${API}/data`, method: 'GET', startTime: T0 + 3 };
  it('pairs a report with the exchange of the same URL and method that started with it', () => {
    expect(pairRecords([rec()], [exA])).toEqual([{ record: rec(), exchangeId: 'a' }]);
  });

  it("does not pair a different URL, method, or an exchange far outside the report's time", () => {
    expect(pairRecords([rec({ url: `${API}/other` })], [exA])).toEqual([]);
    expect(pairRecords([rec({ method: 'POST' })], [exA])).toEqual([]);
    expect(pairRecords([rec()], [{ ...exA, startTime: T0 + 60_000 }])).toEqual([]);
    expect(pairRecords([rec()], [{ ...exA, startTime: T0 - 60_000 }])).toEqual([]);
  });

  it('compares methods case-insensitively and each exchange pairs once', () => {
    const two = pairRecords([rec({ method: 'get' }), rec({ start: T0 + 1 })], [exA]);
    expect(two).toHaveLength(1);
  });

  it('repeated identical requests pair by start time when the reports agree', () => {
    const r1 = rec({ start: T0, end: T0 + 5 });
    const r2 = rec({ start: T0 + 400, end: T0 + 420 });
    const p = pairRecords(
      [r2, r1],
      [
        { ...exA, id: 'late', startTime: T0 + 401 },
        { ...exA, id: 'early', startTime: T0 + 1 },
      ],
    );
    expect(p.map((x) => [x.record.start, x.exchangeId]).sort()).toEqual([
      [T0, 'early'],
      [T0 + 400, 'late'],
    ]);
  });

  it('never guesses between overlapping identical requests whose reports differ', () => {
    const withCreds = rec({ credentials: 'include', outcome: 'network-error', status: 0, start: T0, end: T0 + 30 });
    const without = rec({ start: T0 + 10, end: T0 + 30 });
    const exs = [
      { ...exA, id: 'x', startTime: T0 + 5 },
      { ...exA, id: 'y', startTime: T0 + 6 },
    ];
    expect(pairRecords([withCreds, without], exs)).toEqual([]);
    // With one exchange only, each report still has one candidate: the closest is taken once.
    expect(pairRecords([withCreds], [exs[0]!])).toHaveLength(1);
  });

  it('an aborted report does not block pairing its identical neighbours', () => {
    const exs = [
      { ...exA, id: 'x', startTime: T0 + 5 },
      { ...exA, id: 'y', startTime: T0 + 6 },
    ];
    const aborted = rec({ outcome: 'aborted', status: 0, start: T0 + 1, end: T0 + 2 });
    expect(pairRecords([rec({ start: T0, end: T0 + 30 }), aborted], exs)).toHaveLength(2);
    expect(
      pairRecords(
        [
          rec({ start: T0, end: T0 + 30 }),
          rec({ credentials: 'include', outcome: 'aborted', status: 0, start: T0 + 1, end: T0 + 2 }),
        ],
        exs,
      ),
    ).toEqual([]);
  });

  it('waits while an overlapping identical request has not reported yet', () => {
    const exs = [
      { ...exA, id: 'x', startTime: T0 + 5 },
      { ...exA, id: 'y', startTime: T0 + 6 },
    ];
    expect(pairRecords([rec({ start: T0, end: T0 + 30 })], exs)).toEqual([]);
    expect(pairRecords([rec({ start: T0, end: T0 + 30 }), rec({ start: T0 + 1, end: T0 + 30 })], exs)).toHaveLength(2);
  });
});

describe('the engine with a paired page report', () => {
  const wildcard = () => ex({ browser: 'firefox', status: 200, headers: h(ACAO('*')) });

  it("without page view, Firefox's credentialed wildcard is uncertain (the case page view settles)", () => {
    expect(diagnose(wildcard()).outcome).toBe('uncertain');
  });

  it("credentials: 'include' and a network error → blocked, certain, Firefox's reason", () => {
    const e = wildcard();
    e.page = observation(rec({ credentials: 'include', outcome: 'network-error', status: 0 }));
    const v = diagnose(e);
    expect(v).toMatchObject({ outcome: 'blocked', credentials: 'include', credentialsBasis: 'page-view' });
    expect(v.symptom).toMatchObject({
      corsError: 'WildcardOriginNotAllowed',
      firefoxReason: 'CORSNotSupportingCredentials',
    });
    expect(v.cause).toMatchObject({ code: 'wildcard-with-credentials', confidence: 'certain' });
    expect(v.branches).toBeUndefined();
    expect(v.evidence[0]).toMatchObject({ rule: 'credentials-mode', result: 'info' });
    expect(v.evidence[0]!.sent).toMatch(/include.*network error.*page view/);
  });

  it('the same response without credentials and a response seen by the page → allowed, certain', () => {
    const e = wildcard();
    e.page = observation(rec({ credentials: 'omit' }));
    const v = diagnose(e);
    expect(v).toMatchObject({ outcome: 'pass', credentials: 'not-include', credentialsBasis: 'page-view' });
    expect(v.branches).toBeUndefined();
  });

  it("'same-origin' on a cross-origin request sends no credentials", () => {
    const e = wildcard();
    e.page = observation(rec({ credentials: 'same-origin' }));
    expect(diagnose(e)).toMatchObject({ outcome: 'pass', credentials: 'not-include' });
  });

  it('an echoed origin without Allow-Credentials, credentialed: blocked with CORSMissingAllowCredentials', () => {
    const e = ex({ browser: 'firefox', status: 200, headers: h(ACAO()) });
    e.page = observation(rec({ credentials: 'include', outcome: 'network-error', status: 0 }));
    const v = diagnose(e);
    expect(v.outcome).toBe('blocked');
    expect(v.symptom?.firefoxReason).toBe('CORSMissingAllowCredentials');
  });

  it('a page that saw a response is never shown blocked by a rule that its credentials mode did not trigger', () => {
    const e = wildcard();
    e.page = observation(rec({ credentials: 'include', outcome: 'response' }));
    // The rules say blocked but the page read a response: the browser let it through.
    const v = diagnose(e);
    expect(v.outcome).toBe('pass');
    expect(v.evidence.some((r) => r.rule === 'browser-outcome')).toBe(true);
  });

  it('a Cookie header still wins over the page report; an aborted request settles credentials only', () => {
    const e = ex({
      browser: 'firefox',
      request: h(['Origin', PAGE], ['Cookie', 'sid=1']),
      status: 200,
      headers: h(ACAO('*')),
    });
    e.page = observation(rec({ credentials: 'omit' }));
    expect(diagnose(e).credentialsBasis).toBe('cookie-header');
    const a = wildcard();
    a.page = observation(rec({ credentials: 'include', outcome: 'aborted', status: 0 }));
    const v = diagnose(a);
    expect(v.credentialsBasis).toBe('page-view');
    expect(countsAsBlocked(v.outcome)).toBe(true);
  });
});
