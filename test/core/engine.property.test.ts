// Property tests: the verdict engine is total and deterministic on arbitrary (hostile) input —
// header lists with any names, casings, duplicates, control bytes, non-ASCII, huge values; odd
// schemes and origins; any status, state and error — and what it returns is always well-formed:
// a cause never contradicts its symptom.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diagnoseStrict } from '../../src/core/check';
import { CAUSES, describeCause, type CauseCode } from '../../src/core/causes';
import { describeSymptom, symptomContext } from '../../src/core/symptoms';
import { verdictSummary } from '../../src/core/summary';
import type { Exchange, Header, Hop, Preflight } from '../../src/core/types';
import { CORS_ERRORS, type Verdict } from '../../src/core/verdict';

const CORS_NAMES = [
  'Access-Control-Allow-Origin',
  'Access-Control-Allow-Credentials',
  'Access-Control-Allow-Methods',
  'Access-Control-Allow-Headers',
  'Access-Control-Max-Age',
  'Access-Control-Request-Method',
  'Access-Control-Request-Headers',
  'Origin',
  'Cookie',
  'Location',
  'Vary',
  'Content-Type',
  'Accept',
  'Range',
  'Authorization',
  'Cache-Control',
  'Allow',
];

const casing = (s: string) => fc.constantFrom(s, s.toLowerCase(), s.toUpperCase(), s.replace(/-/g, '_'));
const weirdString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '*',
    'null',
    '',
    ' ',
    'true',
    'TRUE',
    'http://localhost:3000',
    'http://localhost:3000/',
    'https://*.x',
    'a, b',
    'GET, PUT',
    'x-a; x-b',
    ',,,',
    '\u0000\u001f\u007f',
    'é',
    '💥',
    'data:,x',
    'blob:http://a/1',
    'file:///etc/passwd',
    'javascript:alert(1)',
    '<script>alert(1)</script>',
    'http://u:p@h/',
    '127.0.0.1:3000',
    'bytes=0-1',
  ),
);
const headerName = fc.oneof(
  fc.constantFrom(...CORS_NAMES).chain(casing),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
);
const header: fc.Arbitrary<Header> = fc.record({ name: headerName, value: weirdString });
const headers = fc.array(header, { maxLength: 12 });
const url = fc.oneof(
  fc.constantFrom(
    'http://localhost:8000/x',
    'http://127.0.0.1:8000/y',
    'https://api.example.com/z?q=1',
    'http://localhost:3000/same',
    'data:text/plain,hi',
    'blob:http://localhost:3000/uuid',
    'file:///tmp/x',
    'about:blank',
    'null',
    '',
    'http://[::1]:80/',
    'http://u:p@x/',
  ),
  fc.webUrl(),
  fc.string({ maxLength: 30 }),
);
const origin = fc.option(
  fc.oneof(
    fc.constantFrom('http://localhost:3000', 'null', 'https://a.example', 'chrome-extension://abc', 'file://', ''),
    fc.string({ maxLength: 20 }),
  ),
  { nil: undefined },
);
const method = fc.oneof(
  fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'patch', 'OPTIONS', 'HEAD', ''),
  fc.string({ maxLength: 10 }),
);
const status = fc.option(
  fc.oneof(
    fc.constantFrom(200, 204, 301, 302, 303, 307, 308, 400, 401, 403, 404, 405, 500, 502),
    fc.integer({ min: -1, max: 1000 }),
  ),
  { nil: undefined },
);
const error = fc.oneof(
  fc.constantFrom(
    'net::ERR_FAILED',
    'NS_ERROR_DOM_BAD_URI',
    'net::ERR_CONNECTION_REFUSED',
    'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS',
    'net::ERR_ABORTED',
    'The certificate is not trusted',
    'NS_ERROR_NET_ON_RECEIVING_FROM',
  ),
  fc.string({ maxLength: 20 }),
);

const hop: fc.Arbitrary<Hop> = fc.record(
  {
    url,
    method,
    requestHeaders: headers,
    statusCode: status.map((s) => s ?? 0),
    responseHeaders: headers,
    fromCache: fc.boolean(),
  },
  { requiredKeys: ['url', 'method'] },
);
const preflight = (hops: number): fc.Arbitrary<Preflight> =>
  fc
    .record({
      requestId: fc.string({ maxLength: 5 }),
      hopIndex: fc.integer({ min: -1, max: hops + 1 }),
      hop,
      state: fc.constantFrom('pending', 'completed', 'error'),
      error: fc.option(error, { nil: undefined }),
    })
    .map((p) => {
      if (p.error === undefined) delete (p as Partial<Preflight>).error;
      return p as Preflight;
    });

export const exchange: fc.Arbitrary<Exchange> = fc
  .array(hop, { minLength: 0, maxLength: 4 })
  .chain((hops) =>
    fc.record({
      hops: fc.constant(hops),
      preflights: fc.array(preflight(hops.length), { maxLength: 3 }),
      browser: fc.constantFrom('chrome', 'firefox'),
      state: fc.constantFrom('pending', 'completed', 'error'),
      error: fc.option(error, { nil: undefined }),
      pageOrigin: origin,
      url,
      method,
    }),
  )
  .map((r) => {
    const e: Exchange = {
      id: '1',
      requestId: '1',
      browser: r.browser,
      tabId: 1,
      frameId: 0,
      type: 'xmlhttprequest',
      method: r.method,
      url: r.url,
      startTime: 0,
      hops: r.hops,
      preflights: r.preflights,
      state: r.state,
    };
    if (r.pageOrigin !== undefined) e.pageOrigin = r.pageOrigin;
    if (r.error !== undefined) e.error = r.error;
    return e;
  });

function wellFormed(ex: Exchange, v: Verdict): void {
  expect(['pass', 'blocked', 'uncertain', 'not-cors', 'pending']).toContain(v.outcome);
  // Uncertain only where the browser gave no failure signal, with one blocked and one passing branch.
  if (v.outcome === 'uncertain') {
    expect(ex.state).toBe('completed');
    expect(v.branches?.map((b) => b.outcome).sort()).toEqual(['blocked', 'pass']);
    expect(v.credentials).toBe('unknown');
  }
  // Never a pass while a branch blocks and the browser said nothing (the false pass of issue #14).
  if (v.outcome === 'pass' && ex.state === 'completed' && ex.browser === 'firefox')
    expect(v.branches?.some((b) => b.outcome === 'blocked') ?? false).toBe(false);
  if (v.symptom) {
    expect(v.outcome === 'blocked' || v.branches !== undefined).toBe(true);
    expect(CORS_ERRORS).toContain(v.symptom.corsError);
    expect(typeof v.symptom.failedParameter).toBe('string');
  }
  if (v.outcome === 'not-cors') expect(typeof v.networkError).toBe('string');
  for (const r of v.evidence) {
    expect(['pass', 'fail', 'warn', 'info']).toContain(r.result);
    expect(r.sent === null || typeof r.sent === 'string').toBe(true);
  }
  expect(v.evidence.filter((r) => r.decisive).length).toBeLessThanOrEqual(1);
  for (const ref of [v.cause, ...v.warnings, ...(v.branches ?? []).map((b) => b.cause)]) {
    if (!ref) continue;
    expect(CAUSES.has(ref.code as CauseCode)).toBe(true);
    // Every placeholder is filled (facts may themselves contain braces: strip those first).
    const facts = Object.fromEntries(Object.entries(ref.facts).map(([k, x]) => [k, x.replace(/[{}]/g, '')]));
    const t = describeCause({ ...ref, facts });
    for (const text of [t.title, t.explanation, t.fix]) expect(text).not.toMatch(/\{\w+\}/);
  }
  // A cause never contradicts the symptom.
  if (v.symptom && v.cause) expect(CAUSES.get(v.cause.code as CauseCode)!.symptoms).toContain(v.symptom.corsError);
  for (const b of v.branches ?? [])
    if (b.symptom && b.cause) expect(CAUSES.get(b.cause.code as CauseCode)!.symptoms).toContain(b.symptom.corsError);
  if (v.symptom) {
    const text = describeSymptom(v.symptom, symptomContext(ex, v.symptom));
    expect(typeof text.chromeConsole).toBe('string');
  }
  expect(typeof verdictSummary(v)).toBe('string');
}

describe('diagnose on arbitrary exchanges', () => {
  it('is total, well-formed and deterministic', () => {
    fc.assert(
      fc.property(exchange, (ex) => {
        const copy = structuredClone(ex);
        const v = diagnoseStrict(ex);
        wellFormed(ex, v);
        expect(ex).toEqual(copy); // never mutates its input
        expect(diagnoseStrict(copy)).toEqual(v);
      }),
      { numRuns: 1500 },
    );
  }, 120_000); // 1500 runs: seconds on an idle machine, far more under the shared machine's load

  it('survives 1 MB header values, thousands of headers and control bytes', () => {
    const mb = 'x'.repeat(1 << 20);
    const many: Header[] = Array.from({ length: 5000 }, (_, i) => ({
      name: i % 2 ? 'Access-Control-Allow-Origin' : `X-${i}`,
      value: i % 3 ? mb.slice(0, 100) : '\u0000\r\n',
    }));
    const cases: Array<Partial<Hop>> = [
      { responseHeaders: [{ name: 'Access-Control-Allow-Origin', value: mb }] },
      {
        responseHeaders: [{ name: 'Access-Control-Allow-Methods', value: `${mb},PUT` }],
        requestHeaders: [{ name: 'Origin', value: mb }],
      },
      { responseHeaders: many, requestHeaders: many },
      { responseHeaders: [{ name: 'Location', value: `http://${mb}` }], statusCode: 302 },
    ];
    for (const c of cases) {
      for (const browser of ['chrome', 'firefox'] as const) {
        const ex: Exchange = {
          id: '1',
          requestId: '1',
          browser,
          tabId: 1,
          frameId: 0,
          type: 'xmlhttprequest',
          method: 'PUT',
          url: 'http://a.test/',
          pageOrigin: 'http://b.test',
          startTime: 0,
          state: 'error',
          error: browser === 'chrome' ? 'net::ERR_FAILED' : 'NS_ERROR_DOM_BAD_URI',
          hops: [{ url: 'http://a.test/', method: 'PUT', statusCode: 200, ...c }],
          preflights: [
            {
              requestId: '2',
              hopIndex: 0,
              state: 'completed',
              hop: {
                url: 'http://a.test/',
                method: 'OPTIONS',
                statusCode: 204,
                requestHeaders: c.requestHeaders ?? [],
                responseHeaders: c.responseHeaders ?? [],
              },
            },
          ],
        };
        const t0 = performance.now();
        const v = diagnoseStrict(ex);
        wellFormed(ex, v);
        // Texts stay readable: no fact echoes a megabyte back.
        if (v.cause) expect(describeCause(v.cause).explanation.length).toBeLessThan(5000);
        expect(performance.now() - t0).toBeLessThan(5000);
      }
    }
  });
});
