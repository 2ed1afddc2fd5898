// A probed entry and a retried one in every export: the JSON report validates against the strict
// schema and re-opens to the same finding; Markdown names the refined cause, that it came from a
// probe, and the probe's own request/response.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/core/check';
import type { LogEntry } from '../../../src/core/log';
import { refineWithProbe } from '../../../src/core/probe/refine';
import { buildReport, entriesFromReport } from '../../../src/core/report/json';
import { harReport } from '../../../src/core/report/har';
import { markdownReport } from '../../../src/core/report/markdown';
import { checkSchema } from '../../../src/core/report/schema-check';
import { harValidator, REPORT_SCHEMA, reportValidator } from '../report/validators';
import { ex, h, PAGE } from '../build';

function probed(): LogEntry {
  const x = ex({ status: 200, headers: h(['server', 'uvicorn']), error: 'net::ERR_FAILED' });
  const original: LogEntry = { id: x.id, seq: 1, nav: 0, exchange: x, verdict: diagnose(x) };
  const p = ex({
    method: 'OPTIONS',
    request: null,
    error: 'net::ERR_FAILED',
    preflight: {
      status: 400,
      headers: h(['access-control-allow-methods', 'GET'], ['vary', 'Origin']),
      acrh: 'x-cors-lens-probe',
    },
  });
  p.id = p.requestId = '200';
  p.preflights[0]!.hop.requestHeaders!.push({ name: 'Cookie', value: 'session=secret' });
  const { verdict } = refineWithProbe({
    original,
    probe: p,
    probeVerdict: diagnose(p),
    probeId: 'pX',
    now: 5,
    command: 'cors-lens probe http://localhost:8000/items --origin http://localhost:3000',
  });
  verdict.retry = { id: '300', outcome: 'pass', at: 6 };
  return { ...original, verdict };
}

describe('exports of a probed entry', () => {
  it('JSON: valid, carries the finding without credentials headers, and re-opens to it', () => {
    const e = probed();
    const report = buildReport({ scope: 'selected', entries: [e] }, { includeSecrets: true });
    const validate = reportValidator();
    expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(checkSchema(REPORT_SCHEMA, report)).toEqual([]);
    const v = report.entries[0]!.verdict;
    expect(v.cause).toMatchObject({ code: 'origin-not-allowed', confidence: 'certain' });
    expect(v.probe).toMatchObject({
      kind: 'origin-rejected',
      before: { code: 'no-cors-config' },
      after: { code: 'origin-not-allowed' },
      preflight: { method: 'OPTIONS', status: 400 },
    });
    expect(JSON.stringify(v.probe)).not.toContain('session=secret');
    expect(v.retry).toMatchObject({ id: '300', outcome: 'pass' });
    const back = entriesFromReport(report)[0]!;
    expect(back.verdict.probe).toMatchObject({
      kind: 'origin-rejected',
      after: { code: 'origin-not-allowed', confidence: 'certain' },
    });
    expect(back.verdict.probe?.preflight?.statusCode).toBe(400);
    expect(back.verdict.retry?.outcome).toBe('pass');
  });

  it('Markdown: the refined cause, "from a probe", the probe request/response, the command and the retry', () => {
    const md = markdownReport({ scope: 'selected', entries: [probed()] });
    expect(md).toContain('**From a probe**');
    expect(md).toContain('CORS is configured, but not for');
    expect(md).toContain('Probe preflight');
    expect(md).toContain('OPTIONS http://localhost:8000/items');
    expect(md).toContain('cors-lens probe');
    expect(md).toContain('now passes');
    expect(md).toContain(PAGE);
  });

  it('HAR: valid, the request entry carries the finding and the retry link in _corsLens, without credentials headers', () => {
    const e = probed();
    for (const scope of ['selected', 'blocked'] as const) {
      const har = JSON.parse(harReport({ scope, entries: [e], origins: [] }, { includeSecrets: true }));
      const validate = harValidator();
      expect(validate(har), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      const request = har.log.entries.find((x: { _corsLens: { role: string } }) => x._corsLens.role === 'request');
      expect(request._corsLens.cause).toMatchObject({ code: 'origin-not-allowed', confidence: 'certain' });
      expect(request._corsLens.probe).toMatchObject({
        probeId: 'pX',
        kind: 'origin-rejected',
        before: { code: 'no-cors-config' },
        after: { code: 'origin-not-allowed' },
        preflight: { method: 'OPTIONS', status: 400 },
      });
      expect(request._corsLens.retry).toMatchObject({ id: '300', outcome: 'pass' });
      expect(JSON.stringify(request._corsLens.probe)).not.toContain('session=secret');
    }
    // A retry's own entry names the original.
    const r = probed();
    r.verdict = { ...r.verdict, retryOf: '100' };
    delete r.verdict.probe;
    const har = JSON.parse(harReport({ scope: 'selected', entries: [r] }));
    expect(har.log.entries.at(-1)._corsLens.retryOf).toBe('100');
    expect(har.log.entries.at(-1)._corsLens.probe).toBeUndefined();
  });
});
