import { describe, expect, it } from 'vitest';
import { harReport } from '../../../src/core/report/har';
import { jsonReport } from '../../../src/core/report/json';
import { MAX_REPORT_BYTES, openReport } from '../../../src/core/report/open';
import { hostile, methodNotAllowed, NOW } from './fixtures';

const good = () => jsonReport({ scope: 'selected', entries: [methodNotAllowed()] }, { now: NOW });

describe('re-opening a report', () => {
  it('opens an export', () => {
    const r = openReport(good());
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.entries[0]!.verdict.symptom?.corsError).toBe('MethodDisallowedByPreflightResponse');
  });

  it('refuses what is not a report, with a message that says why', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /not JSON/],
      ['<html><script>alert(1)</script>', /not JSON/],
      ['{"kind": "cors-lens-report", ', /not JSON/],
      ['[1,2,3]', /expected a JSON object/],
      ['null', /expected a JSON object/],
      ['{"hello": "world"}', /not a CORS Lens report/],
      [harReport({ scope: 'selected', entries: [methodNotAllowed()] }), /looks like a HAR file/],
      [good().replace('"schemaVersion": 2', '"schemaVersion": 7'), /newer CORS Lens.*v7/],
      [good().replace('"outcome": "blocked"', '"outcome": "<img src=x onerror=alert(1)>"'), /does not match/],
      [
        good().replace('"kind": "cors-lens-report",', '"kind": "cors-lens-report", "__proto__": {"polluted": true},'),
        /does not match/,
      ],
      [good().replace('"startedAt": "2026-01-15T10:30:00.000Z"', '"startedAt": 0'), /does not match/],
    ];
    for (const [text, message] of cases) {
      const r = openReport(text);
      expect(r.ok, text.slice(0, 60)).toBe(false);
      if (!r.ok) expect(r.error, text.slice(0, 60)).toMatch(message);
    }
    expect(({} as any).polluted).toBeUndefined();
  });

  it('points at the offending field', () => {
    const r = openReport(good().replace('"corsError": "MethodDisallowedByPreflightResponse"', '"corsError": "Nope"'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.details.join('\n')).toContain('/entries/0/verdict/symptom/corsError must be one of');
  });

  it('refuses files over the size limit before parsing', () => {
    const r = openReport('{}', MAX_REPORT_BYTES + 1);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/too large/);
  });

  it('accepts script-like text in values as plain data (rendering keeps it inert), and keeps ids distinct', () => {
    const two = jsonReport({ scope: 'blocked', entries: [hostile(), hostile()] }, { now: NOW });
    const r = openReport(two);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.entries.map((e) => e.id)).toEqual(['6001', '6001#2']);
    expect(r.entries[0]!.verdict.symptom!.failedParameter).toContain('<script>');
  });
});
