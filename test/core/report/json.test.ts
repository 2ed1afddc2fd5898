import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAUSE_CODES } from '../../../src/core/causes';
import type { LogEntry } from '../../../src/core/log';
import { buildReport, entriesFromReport, jsonReport, SCHEMA_ID } from '../../../src/core/report/json';
import { openReport } from '../../../src/core/report/open';
import { checkSchema, unsupportedKeywords } from '../../../src/core/report/schema-check';
import { CORS_ERRORS } from '../../../src/core/verdict';
import { allFixtures, ENV, hostile, methodNotAllowed, NOW, redirectWithBranches } from './fixtures';
import { REPORT_SCHEMA, reportValidator } from './validators';

const validate = reportValidator();
const origins = [
  {
    target: 'http://127.0.0.1:8000',
    page: 'http://localhost:3000',
    pass: 3,
    blocked: 2,
    other: 1,
    lastSeen: NOW.getTime(),
  },
];
const snippets = (e: LogEntry) => [
  {
    stack: 'fastapi',
    label: 'FastAPI',
    code: `app.add_middleware(CORSMiddleware, allow_origins=["${e.exchange.pageOrigin}"])`,
  },
];

function expectValid(report: unknown) {
  const ok = validate(report);
  expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 3))).toEqual([]);
  expect(ok).toBe(true);
  // The panel's CSP-safe checker must agree.
  expect(checkSchema(REPORT_SCHEMA, report)).toEqual([]);
}

/** The entry as the report rebuilds it: every field except the panel-local seq/nav. */
const comparable = (e: LogEntry) => ({ ...e, seq: 0, nav: 0 });

describe('JSON report', () => {
  it('validates against docs/report.schema.json for every fixture, scope and secrets choice', () => {
    for (const includeSecrets of [false, true]) {
      for (const e of allFixtures()) {
        expectValid(buildReport({ scope: 'selected', entries: [e] }, { env: ENV, now: NOW, includeSecrets, snippets }));
      }
      expectValid(buildReport({ scope: 'blocked', entries: allFixtures() }, { env: ENV, now: NOW, includeSecrets }));
      expectValid(
        buildReport({ scope: 'origins', entries: allFixtures(), origins }, { env: ENV, now: NOW, includeSecrets }),
      );
    }
    expectValid(buildReport({ scope: 'blocked', entries: [] }));
  });

  it('carries the diagnosis: CorsError, failedParameter, Firefox reason, cause with confidence and catalogue text, snippets, versions, timestamps', () => {
    const r = JSON.parse(
      jsonReport({ scope: 'selected', entries: [methodNotAllowed()] }, { env: ENV, now: NOW, snippets }),
    );
    expect(r).toMatchObject({
      $schema: SCHEMA_ID,
      kind: 'cors-lens-report',
      schemaVersion: 2,
      scope: 'selected',
      createdAt: NOW.toISOString(),
    });
    expect(r.generator).toEqual({
      name: 'CORS Lens',
      version: '0.1.0',
      browser: 'chrome',
      browserVersion: '156.0.8078.79',
      userAgent: ENV.userAgent,
    });
    const e = r.entries[0];
    expect(e.startedAt).toBe('2026-01-15T10:30:00.000Z');
    expect(e.endedAt).toBe('2026-01-15T10:30:00.035Z');
    expect(e.verdict.symptom).toMatchObject({
      corsError: 'MethodDisallowedByPreflightResponse',
      failedParameter: 'PUT',
      firefoxReason: 'CORSMethodNotFound',
      stage: 'preflight',
    });
    expect(e.verdict.symptom.chromeConsole).toContain(
      'Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.',
    );
    // Firefox's own wording (security.properties, typographic quotes), as the engine now reproduces it.
    expect(e.verdict.symptom.firefoxText).toBe('Did not find method in CORS header ‘Access-Control-Allow-Methods’');
    expect(e.verdict.cause).toMatchObject({
      code: 'method-not-allowed',
      confidence: 'certain',
      kind: 'blocking',
      title: 'Method PUT is not allowed by the preflight response',
    });
    expect(e.verdict.evidence).toHaveLength(4);
    expect(e.preflights[0].request.headers).toContainEqual({ name: 'Access-Control-Request-Method', value: 'PUT' });
    expect(e.preflights[0].response.headers).toContainEqual({ name: 'access-control-allow-methods', value: 'GET' });
    expect(e.snippets).toEqual([
      {
        stack: 'fastapi',
        label: 'FastAPI',
        code: 'app.add_middleware(CORSMiddleware, allow_origins=["http://localhost:3000"])',
      },
    ]);
  });

  it('lays out redirects in order, each with the request that followed it, and keeps branches and warnings', () => {
    const r = buildReport({ scope: 'selected', entries: [redirectWithBranches()] }, { includeSecrets: true });
    const e = r.entries[0]!;
    expect(e.redirects).toHaveLength(1);
    expect(e.redirects[0]).toMatchObject({
      status: 302,
      location: expect.stringContaining('/files/report.pdf'),
      followed: { method: 'GET', url: expect.stringContaining(':8001/files/') },
    });
    expect(e.response).toMatchObject({ status: 200 });
    expect(e.verdict.branches?.map((b) => [b.assumption, b.symptom?.corsError, b.cause?.code])).toEqual([
      ['credentials-include', 'WildcardOriginNotAllowed', 'wildcard-with-credentials'],
      ['credentials-omit', 'MissingAllowOriginHeader', 'redirect-without-cors'],
    ]);
    expect(e.verdict.warnings.map((w) => w.code)).toEqual(['warn-missing-vary-origin']);
  });

  it('round-trips: re-opening an export (secrets included) gives back the same log entries', () => {
    const entries = allFixtures();
    const text = jsonReport({ scope: 'blocked', entries }, { env: ENV, now: NOW, includeSecrets: true });
    const opened = openReport(text);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.entries.map(comparable)).toEqual(entries.map(comparable));
  });

  it('the schema names exactly the CorsError values of src/core/verdict.ts, and every catalogue code fits its cause.code pattern', () => {
    expect(REPORT_SCHEMA.$defs.symptom.properties.corsError.enum).toEqual([...CORS_ERRORS]);
    const pattern = new RegExp(REPORT_SCHEMA.$defs.cause.properties.code.pattern);
    for (const c of CAUSE_CODES) expect(c).toMatch(pattern);
  });

  it('the schema uses only keywords the panel checker implements', () => {
    expect(unsupportedKeywords(REPORT_SCHEMA)).toEqual([]);
  });

  it('the panel checker agrees with ajv on mutated reports', () => {
    const base = buildReport(
      { scope: 'origins', entries: [methodNotAllowed(), redirectWithBranches(), hostile()], origins },
      { env: ENV, now: NOW, snippets },
    );
    const paths: Array<Array<string | number>> = [];
    const collect = (v: unknown, p: Array<string | number>) => {
      paths.push(p);
      if (Array.isArray(v)) v.forEach((x, i) => collect(x, [...p, i]));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) collect(x, [...p, k]);
    };
    collect(base, []);
    const replacements = fc.oneof(
      fc.constant(undefined), // delete
      fc.constant(null),
      fc.constant('not-a-date'),
      fc.constant(-1),
      fc.constant(1.5),
      fc.constant(true),
      fc.constant([]),
      fc.constant({}),
      fc.constant({ extra: 1 }),
      fc.string(),
      fc.constant('2026-13-01T00:00:00Z'),
      fc.constant('MissingAllowOriginHeader'),
      fc.constant('CORSMissingAllowOrigin'),
    );
    fc.assert(
      fc.property(fc.nat(paths.length - 1), replacements, fc.boolean(), (i, value, addKey) => {
        const doc = structuredClone(base) as any;
        const path = paths[i]!;
        if (path.length === 0) return;
        let parent = doc;
        for (const k of path.slice(0, -1)) parent = parent[k];
        const last = path[path.length - 1]!;
        if (addKey && parent && typeof parent === 'object' && !Array.isArray(parent)) parent.__unexpected = value ?? 0;
        else if (value === undefined) {
          if (Array.isArray(parent)) parent.splice(last as number, 1);
          else delete parent[last];
        } else parent[last] = value;
        const ajvOk = validate(doc) as boolean;
        const ours = checkSchema(REPORT_SCHEMA, doc);
        expect(ours.length === 0).toBe(ajvOk);
      }),
      { numRuns: 600 },
    );
  }, 120_000); // 600 schema checks: well under the default on an idle machine, not under the shared load
});
