import { describe, expect, it } from 'vitest';
import { harReport } from '../../../src/core/report/har';
import { REDACTED, REDACTED_IN_URL } from '../../../src/core/report/redact';
import { allFixtures, ENV, methodNotAllowed, NOW, redirectWithBranches, SECRETS, withSecrets } from './fixtures';
import { harValidator } from './validators';

const validate = harValidator();
const snippets = () => [
  { stack: 'express', label: 'Express', code: 'app.use(cors({ origin: "http://localhost:3000" }))' },
];

describe('HAR 1.2 export', () => {
  it('validates against the HAR 1.2 schema (har-schema) for every fixture and scope', () => {
    for (const includeSecrets of [false, true]) {
      for (const e of allFixtures()) {
        const har = JSON.parse(
          harReport({ scope: 'selected', entries: [e] }, { env: ENV, now: NOW, includeSecrets, snippets }),
        );
        expect(validate(har), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      }
      for (const scope of ['blocked', 'origins'] as const) {
        const har = JSON.parse(
          harReport({ scope, entries: allFixtures(), origins: [] }, { env: ENV, now: NOW, includeSecrets }),
        );
        expect(validate(har), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      }
    }
  });

  it('a schema violation is caught (the validator is real)', () => {
    const har = JSON.parse(harReport({ scope: 'selected', entries: [methodNotAllowed()] }));
    delete har.log.entries[0].request.headers;
    expect(validate(har)).toBe(false);
  });

  it('writes the preflight and the actual request as separate entries, the diagnosis in _corsLens', () => {
    const har = JSON.parse(
      harReport({ scope: 'selected', entries: [methodNotAllowed()] }, { env: ENV, now: NOW, snippets }),
    );
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator).toEqual({ name: 'CORS Lens', version: '0.1.0' });
    expect(har.log.browser).toEqual({ name: 'Chrome', version: '156.0.8078.79' });
    const [pre, actual] = har.log.entries;
    expect(har.log.entries).toHaveLength(2);
    expect(pre.request.method).toBe('OPTIONS');
    expect(pre._resourceType).toBe('preflight');
    expect(pre.request.headers).toContainEqual({ name: 'Access-Control-Request-Method', value: 'PUT' });
    expect(pre.response.status).toBe(200);
    expect(pre.response.statusText).toBe('OK');
    expect(pre.response.headers).toContainEqual({ name: 'access-control-allow-methods', value: 'GET' });
    expect(pre._corsLens).toMatchObject({ role: 'preflight', failed: true, outcome: 'blocked' });
    expect(actual.request.method).toBe('PUT');
    expect(actual._resourceType).toBe('fetch');
    expect(actual.response.status).toBe(0); // never answered: the preflight failed
    expect(actual.response._error).toBe('net::ERR_FAILED');
    expect(actual._corsLens.symptom).toMatchObject({
      corsError: 'MethodDisallowedByPreflightResponse',
      failedParameter: 'PUT',
      firefoxReason: 'CORSMethodNotFound',
    });
    expect(actual._corsLens.cause).toMatchObject({ code: 'method-not-allowed', confidence: 'certain' });
    expect(actual._corsLens.evidence).toHaveLength(4);
    expect(actual._corsLens.snippets).toEqual(snippets());
    expect(actual.startedDateTime).toBe('2026-01-15T10:30:00.000Z');
    expect(actual.time).toBe(35);
  });

  it('gives each redirect hop its own entry with redirectURL, queryString and cookies (redacted)', () => {
    const har = JSON.parse(harReport({ scope: 'selected', entries: [redirectWithBranches()] }));
    expect(har.log.entries.map((e: any) => [e.request.url.split('?')[0], e.response.status, e._corsLens.role])).toEqual(
      [
        ['http://127.0.0.1:8000/download', 302, 'redirect'],
        ['http://127.0.0.1:8001/files/report.pdf', 200, 'request'],
      ],
    );
    expect(har.log.entries[0].response.redirectURL).toContain(`X-Amz-Signature=${REDACTED_IN_URL}`);
    expect(har.log.entries[1].request.queryString).toContainEqual({ name: 'expires', value: '3600' });

    const s = JSON.parse(harReport({ scope: 'selected', entries: [withSecrets()] }));
    const req = s.log.entries[1].request;
    expect(req.cookies).toEqual([
      { name: 'session', value: REDACTED },
      { name: 'csrftoken', value: REDACTED },
      { name: 'theme', value: REDACTED },
    ]);
    expect(req.queryString).toContainEqual({ name: 'token', value: REDACTED_IN_URL });
    expect(s.log.entries[1].response.cookies).toEqual([{ name: 'sid', value: REDACTED }]);
    expect(JSON.stringify(s)).not.toContain(SECRETS.bearer);
  });

  it('scope "blocked" leaves out what was allowed', () => {
    const har = JSON.parse(harReport({ scope: 'blocked', entries: allFixtures() }));
    expect(
      har.log.entries.every(
        (e: any) =>
          e._corsLens.outcome === 'blocked' || e._corsLens.role !== 'request' || e._corsLens.outcome === 'blocked',
      ),
    ).toBe(true);
    expect(har.log.entries.some((e: any) => e.request.url.endsWith('/ok'))).toBe(false);
  });
});
