// The Probe's refinement table, on exchanges shaped like the real servers' answers (measured with the
// stacks of test/servers; the same answers are asserted in real Chromium by test/e2e/probe.e2e.ts).
import { describe, expect, it } from 'vitest';
import { describeCause } from '../../../src/core/causes';
import { diagnose } from '../../../src/core/check';
import type { LogEntry } from '../../../src/core/log';
import { refineWithProbe, nearMissSuspects } from '../../../src/core/probe/refine';
import { probeMark } from '../../../src/core/probe/recognize';
import { planProbe, planRetry } from '../../../src/core/probe/script';
import type { Exchange } from '../../../src/core/types';
import { API, ex, h, PAGE } from '../build';

const entry = (x: Exchange): LogEntry => ({ id: x.id, seq: 1, nav: 0, exchange: x, verdict: diagnose(x) });
/** The original: a simple GET answered 200 with the given headers. */
const simpleGet = (headers = h(['Content-Type', 'application/json'])) =>
  entry(ex({ status: 200, headers, error: 'net::ERR_FAILED' }));

/** The probe as Chromium reports it: OPTIONS + probe header, its preflight answered with `status`/`headers`. */
function probe(
  status: number | undefined,
  headers: Array<[string, string]>,
  opts: {
    actual?: { status: number; headers: Array<[string, string]> };
    error?: string;
    preflightError?: string;
    origin?: string;
  } = {},
): Exchange {
  const passed = opts.actual !== undefined;
  const x = ex({
    method: 'OPTIONS',
    origin: opts.origin,
    request: passed ? h(['Origin', opts.origin ?? PAGE], ['X-Cors-Lens-Probe', 'p1']) : null,
    status: opts.actual?.status,
    headers: opts.actual ? h(...opts.actual.headers) : undefined,
    error: passed ? undefined : (opts.error ?? 'net::ERR_FAILED'),
    preflight: { status, headers: h(...headers), acrh: 'x-cors-lens-probe', error: opts.preflightError },
  });
  x.id = x.requestId = '200';
  return x;
}

const run = (original: LogEntry, p: Exchange) =>
  refineWithProbe({ original, probe: p, probeVerdict: diagnose(p), probeId: 'p1', now: 1, credentials: 'omit' });

describe('refineWithProbe', () => {
  it('Starlette rejecting the origin (400 + Allow-Methods/-Headers, no Allow-Origin): origin-not-allowed, certain', () => {
    const orig = simpleGet(h(['server', 'uvicorn']));
    expect(orig.verdict.cause).toMatchObject({ code: 'no-cors-config', confidence: 'likely' });
    const r = run(
      orig,
      probe(400, [
        ['access-control-allow-headers', 'Accept, Accept-Language, Content-Language, Content-Type'],
        ['access-control-allow-methods', 'GET'],
        ['access-control-max-age', '600'],
        ['vary', 'Origin'],
        ['server', 'uvicorn'],
      ]),
    );
    expect(r.finding.kind).toBe('origin-rejected');
    expect(r.verdict.cause).toMatchObject({ code: 'origin-not-allowed', confidence: 'certain' });
    expect(r.finding.before).toMatchObject({ code: 'no-cors-config' });
    expect(r.finding.after).toEqual(r.verdict.cause);
    expect(r.finding.suspects).toContain(`${PAGE}/`);
    expect(describeCause(r.verdict.cause!).explanation).toContain('methods GET');
    expect(r.verdict.probe).toBe(r.finding);
    expect(r.finding.preflight?.statusCode).toBe(400);
  });

  it('FastAPI without CORSMiddleware (405, Allow: GET, Server: uvicorn): no CORS layer, certain', () => {
    const r = run(
      simpleGet(h(['server', 'uvicorn'])),
      probe(405, [
        ['allow', 'GET'],
        ['server', 'uvicorn'],
      ]),
    );
    expect(r.finding.kind).toBe('no-cors-layer');
    expect(r.verdict.cause).toMatchObject({ code: 'no-cors-config', confidence: 'certain', facts: { allow: 'GET' } });
  });

  it('flask-cors ignoring the origin looks like no CORS: likely only, and it says why', () => {
    const r = run(
      simpleGet(h(['server', 'Werkzeug/2.2.2 Python/3.11.2'])),
      probe(200, [
        ['allow', 'HEAD, GET, OPTIONS'],
        ['server', 'Werkzeug/2.2.2 Python/3.11.2'],
      ]),
    );
    expect(r.finding.kind).toBe('no-cors-layer');
    expect(r.verdict.cause).toMatchObject({ code: 'no-cors-config', confidence: 'likely' });
    expect(r.finding.summary).toContain('flask-cors');
  });

  it('Express/Hono/Koa with cors after the route (204 allowing the origin): the new cause, certain, with stack advice', () => {
    const orig = simpleGet(h(['x-powered-by', 'Express']));
    const r = run(
      orig,
      probe(
        204,
        [
          ['access-control-allow-origin', PAGE],
          ['access-control-allow-methods', 'GET,HEAD'],
          ['access-control-allow-headers', 'x-cors-lens-probe'],
        ],
        { actual: { status: 204, headers: [['access-control-allow-origin', PAGE]] } },
      ),
    );
    expect(r.finding.kind).toBe('route-without-cors');
    expect(r.verdict.cause).toMatchObject({ code: 'cors-not-on-route', confidence: 'certain' });
    const text = describeCause(r.verdict.cause!);
    expect(text.title).toContain(PAGE);
    expect(text.explanation).toContain('Express runs middleware in registration order');
    expect(r.finding.actual?.statusCode).toBe(204);
  });

  it('Hono rejecting the origin (204 with lists, Vary: Origin, no Allow-Origin): certain; without Vary and 2xx only likely', () => {
    const r = run(
      simpleGet(),
      probe(204, [
        ['access-control-allow-methods', 'GET'],
        ['vary', 'Origin, Access-Control-Request-Headers'],
      ]),
    );
    expect(r.verdict.cause).toMatchObject({ code: 'origin-not-allowed', confidence: 'certain' });
    const r2 = run(simpleGet(), probe(200, [['access-control-allow-methods', 'GET']]));
    expect(r2.verdict.cause).toMatchObject({ code: 'origin-not-allowed', confidence: 'likely' });
  });

  it('Allow-Origin naming another origin: origin-not-allowed with the allowed one; a near miss is a typo', () => {
    const orig = simpleGet(h(['access-control-allow-origin', 'http://example.test']));
    const r = run(orig, probe(200, [['access-control-allow-origin', 'http://example.test']]));
    expect(r.verdict.cause).toMatchObject({
      code: 'origin-not-allowed',
      confidence: 'certain',
      facts: { allowed: 'http://example.test' },
    });
    const typo = simpleGet(h(['access-control-allow-origin', `${PAGE}/`]));
    const r2 = run(typo, probe(200, [['access-control-allow-origin', `${PAGE}/`]]));
    expect(r2.verdict.cause).toMatchObject({ code: 'origin-typo', confidence: 'certain' });
  });

  it('keeps the original cause when the probe cannot see the CORS layer (down, timeout, redirect, 5xx, auth)', () => {
    const orig = simpleGet();
    const before = orig.verdict.cause;
    const down = run(
      orig,
      probe(undefined, [], { preflightError: 'net::ERR_FAILED', error: 'net::ERR_CONNECTION_REFUSED' }),
    );
    expect(down.finding.kind).toBe('inconclusive');
    expect(down.finding.summary).toContain('could not be reached');
    expect(down.verdict.cause).toEqual(before);
    const hang = run(orig, probe(undefined, [], { error: 'net::ERR_ABORTED' }));
    expect(hang.finding.summary).toContain('hangs');
    expect(run(orig, probe(302, [['location', 'http://x.test/login']])).finding.summary).toContain('redirects OPTIONS');
    expect(run(orig, probe(502, [])).finding.kind).toBe('inconclusive');
    expect(run(orig, probe(401, [])).finding.kind).toBe('inconclusive');
    for (const r of [hang]) expect(r.verdict.cause).toEqual(before);
  });

  it('refuses an answer sent from another origin (the page navigated)', () => {
    const r = run(simpleGet(), probe(405, [['allow', 'GET']], { origin: 'http://other.test' }));
    expect(r.finding.kind).toBe('inconclusive');
    expect(r.finding.summary).toContain('the page changed');
  });

  it('never pairs a cause with a symptom it cannot explain (original failed on its own preflight)', () => {
    const orig = entry(
      ex({
        method: 'PUT',
        request: null,
        error: 'net::ERR_FAILED',
        preflight: { status: 405, headers: h(['allow', 'GET']), acrh: 'content-type' },
      }),
    );
    const r = run(
      orig,
      probe(204, [['access-control-allow-origin', PAGE]], {
        actual: { status: 204, headers: [['access-control-allow-origin', PAGE]] },
      }),
    );
    expect(r.finding.kind).toBe('origin-allowed');
    expect(r.verdict.cause).toEqual(orig.verdict.cause);
  });

  it('hostile header values stay inert text in the finding', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const r = run(simpleGet(), probe(400, [['access-control-allow-methods', evil]]));
    expect(r.finding.summary).toContain(evil);
    expect(typeof r.finding.summary).toBe('string');
  });
});

describe('probe recognition and page scripts', () => {
  it('recognizes the probe by its header value, or by name in the preflight when Chromium hid the request headers', () => {
    expect(probeMark(probe(204, [], { actual: { status: 204, headers: [] } }))).toEqual({ id: 'p1' });
    expect(probeMark(probe(400, []))).toEqual({ id: null });
    expect(probeMark(ex({ method: 'OPTIONS', status: 200 }))).toBeNull();
    expect(probeMark(ex({ status: 200 }))).toBeNull();
  });

  it('embeds log values as JSON literals (a hostile URL cannot break out of the string)', () => {
    const x = ex({ url: `${API}/a");alert(1);("`, status: 200, error: 'net::ERR_FAILED' });
    const plan = planProbe(entry(x), 'pabc');
    expect(plan.code).toContain(JSON.stringify(x.url));
    expect(plan.code).not.toContain('alert(1);("\n');
    expect(plan.describe).toContain('OPTIONS');
    // The code parses and runs without a page: it refuses a non-http location.
    const fn = new Function('location', 'fetch', 'AbortSignal', `return ${plan.code};`);
    expect(fn({ protocol: 'about:', origin: 'null' }, () => Promise.resolve(), undefined)).toMatchObject({
      ok: false,
      reason: 'not-http',
    });
    expect(
      fn({ protocol: 'http:', origin: 'http://elsewhere.test' }, () => Promise.resolve(), undefined),
    ).toMatchObject({ ok: false, reason: 'other-origin' });
    let called: unknown[] = [];
    expect(
      fn({ protocol: 'http:', origin: PAGE }, (...a: unknown[]) => ((called = a), Promise.resolve({})), undefined),
    ).toEqual({ ok: true, origin: PAGE });
    expect(called[0]).toBe(x.url);
    expect(called[1]).toMatchObject({ method: 'OPTIONS', headers: { 'X-Cors-Lens-Probe': 'pabc' }, cache: 'no-store' });
  });

  it('a retry re-sends method and page-set headers, asks to confirm unsafe methods, says the body is not sent', () => {
    const x = ex({
      method: 'PUT',
      request: h(['Origin', PAGE], ['Content-Type', 'application/json'], ['X-Api-Key', 'k1'], ['Accept', '*/*']),
      status: 200,
      error: 'net::ERR_FAILED',
    });
    const plan = planRetry(entry(x));
    expect(plan.confirm).toBe(true);
    expect(plan.headers).toEqual(
      expect.arrayContaining([
        ['x-api-key', 'k1'],
        ['content-type', 'application/json'],
      ]),
    );
    expect(plan.headers.find(([n]) => n === 'origin')).toBeUndefined();
    expect(plan.notes.join(' ')).toContain('without a body');
    const get = planRetry(simpleGet());
    expect(get.confirm).toBe(false);
    // Chromium hid the headers (failed preflight): names from the preflight, empty values, said so.
    const hidden = entry(
      ex({
        method: 'PUT',
        request: null,
        error: 'net::ERR_FAILED',
        preflight: { status: 405, acrh: 'content-type,x-api-key' },
      }),
    );
    const hp = planRetry(hidden);
    expect(hp.headers).toEqual([
      ['content-type', ''],
      ['x-api-key', ''],
    ]);
    expect(hp.notes[0]).toContain('never showed the values');
  });

  it('lists the usual misspellings of the page origin', () => {
    expect(nearMissSuspects('http://localhost:3000')).toEqual([
      'http://localhost:3000/',
      'https://localhost:3000',
      'http://localhost',
      'http://127.0.0.1:3000',
    ]);
    expect(nearMissSuspects('null')).toEqual([]);
  });
});
