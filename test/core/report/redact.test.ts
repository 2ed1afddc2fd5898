import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportReport, FORMATS, type ExportFormat, type ExportScope } from '../../../src/core/report';
import {
  describeRedaction,
  isSecretHeader,
  isSecretParam,
  redactEntries,
  REDACTED,
  REDACTED_IN_URL as U,
} from '../../../src/core/report/redact';
import type { LogEntry } from '../../../src/core/log';
import { allFixtures, ENV, methodNotAllowed, NOW, SECRETS, withSecrets } from './fixtures';

const formats = Object.keys(FORMATS) as ExportFormat[];
const scopes: ExportScope[] = ['selected', 'blocked', 'origins'];
const origins = [
  { target: 'http://127.0.0.1:8000', page: 'http://localhost:3000', pass: 1, blocked: 1, other: 0, lastSeen: 1 },
];
// A snippet generator that (wrongly) quotes a request header: the export must still not leak it.
const leakySnippets = (e: LogEntry) => [
  { stack: 'express', label: 'Express', code: `// seen: ${JSON.stringify(e.exchange.hops[0]?.requestHeaders ?? [])}` },
];

function allExports(entries: LogEntry[], includeSecrets: boolean): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const f of formats)
    for (const scope of scopes) {
      const r = exportReport(
        f,
        { scope, entries, origins },
        { env: ENV, now: NOW, includeSecrets, snippets: leakySnippets },
      );
      out.push([`${f}/${scope}`, r.text]);
    }
  return out;
}

describe('redaction', () => {
  it('no planted secret appears in any format or scope; the marker does', () => {
    const entries = [withSecrets(), methodNotAllowed()];
    for (const [name, text] of allExports(entries, false)) {
      for (const [which, secret] of Object.entries(SECRETS))
        expect(text.includes(secret), `${which} leaked in ${name}`).toBe(false);
      expect(text.includes(REDACTED) || text.includes(`=${U}`), name).toBe(true);
    }
  });

  it('"include secrets" keeps them (proving the test above would catch a leak)', () => {
    const texts = allExports([withSecrets()], true);
    const json = texts.find(([n]) => n === 'json/selected')![1];
    for (const secret of Object.values(SECRETS)) expect(json).toContain(secret);
    const curl = texts.find(([n]) => n === 'curl/selected')![1];
    expect(curl).toContain(SECRETS.bearer);
    expect(curl).toContain(SECRETS.cookieSession);
  });

  it('keeps what diagnosis needs: cookie names, Set-Cookie attributes, non-secret parameters, URL shape', () => {
    const { entries, summary } = redactEntries([withSecrets()]);
    const hop = entries[0]!.exchange.hops[0]!;
    const get = (n: string) => hop.requestHeaders!.find((h) => h.name === n)?.value;
    expect(get('Cookie')).toBe(`session=${REDACTED}; csrftoken=${REDACTED}; theme=${REDACTED}`);
    expect(get('Authorization')).toBe(REDACTED);
    expect(get('Origin')).toBe('http://localhost:3000');
    expect(get('Content-Type')).toBe('application/json');
    expect(hop.responseHeaders!.find((h) => h.name === 'Set-Cookie')!.value).toBe(
      `sid=${REDACTED}; Path=/; HttpOnly; SameSite=None; Secure`,
    );
    expect(hop.url).toBe(`http://127.0.0.1:8000/account?token=${U}&access_token=${U}&sig=${U}&view=full`);
    expect(hop.responseHeaders!.find((h) => h.name === 'Location')!.value).toBe(
      `http://${U}:${U}@127.0.0.1:8002/callback?code=${U}&password=${U}`,
    );
    // The preflight's Access-Control-Request-Headers lists header *names*: kept.
    expect(
      entries[0]!.exchange.preflights[0]!.hop.requestHeaders!.find((h) => h.name === 'Access-Control-Request-Headers')!
        .value,
    ).toContain('x-api-key');
    // failedParameter (the redirect URL) and evidence are redacted as well.
    expect(entries[0]!.verdict.symptom!.failedParameter).not.toContain(SECRETS.userinfoPass);
    expect(entries[0]!.verdict.cause!.facts.location).not.toContain(SECRETS.redirectCode);

    const described = describeRedaction(summary);
    for (const name of [
      'Authorization',
      'Proxy-Authorization',
      'X-Api-Key',
      'X-Auth-Token',
      'X-Client-Secret',
      'cookie session',
      'cookie sid',
      '?token',
      '?access_token',
      '?sig',
      '?code',
      '?password',
      '?auth',
      'URL password',
    ]) {
      expect(described).toContain(name);
    }
    expect(summary.enabled).toBe(true);
  });

  it('redacts a relative Location (found by the e2e test with a real server)', () => {
    const e = methodNotAllowed();
    e.exchange.hops[0]!.responseHeaders = [{ name: 'Location', value: `/callback?code=${SECRETS.code}&step=2` }];
    e.verdict.cause!.facts.location = `/callback?code=${SECRETS.code}&step=2`;
    const { entries } = redactEntries([e]);
    expect(entries[0]!.exchange.hops[0]!.responseHeaders![0]!.value).toBe(`/callback?code=${U}&step=2`);
    expect(JSON.stringify(entries)).not.toContain(SECRETS.code);
  });

  it('never modifies the entries it is given', () => {
    const e = withSecrets();
    const before = structuredClone(e);
    redactEntries([e]);
    exportReport('markdown', { scope: 'selected', entries: [e] });
    expect(e).toEqual(before);
  });

  it('classifies header and parameter names', () => {
    for (const n of [
      'Cookie',
      'set-cookie',
      'Authorization',
      'Proxy-Authorization',
      'X-Api-Key',
      'X-CSRF-Token',
      'X-Auth-Token',
      'Stripe-Signature',
      'X-Client-Secret',
      'X-Session-Id',
      'api-key',
    ])
      expect(isSecretHeader(n), n).toBe(true);
    for (const n of [
      'Origin',
      'Accept',
      'Content-Type',
      'Access-Control-Request-Headers',
      'Access-Control-Allow-Headers',
      'Keep-Alive',
      'X-Request-Id',
      'Vary',
    ])
      expect(isSecretHeader(n), n).toBe(false);
    for (const n of [
      'token',
      'access_token',
      'key',
      'sig',
      'signature',
      'code',
      'password',
      'secret',
      'auth',
      'X-Amz-Signature',
      'client_secret',
      'id_token',
    ])
      expect(isSecretParam(n), n).toBe(true);
    for (const n of ['page', 'q', 'view', 'limit', 'sort']) expect(isSecretParam(n), n).toBe(false);
  });

  it('any token-like parameter value, whatever its characters, is gone from every format', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('token', 'access_token', 'key', 'sig', 'code', 'password', 'secret', 'auth', 'api_key'),
        fc.stringMatching(/^[A-Za-z0-9._~-]{6,40}$/),
        (param, value) => {
          fc.pre(!['localhost', 'http'].some((w) => value.includes(w)) && !/^[.\-~_]|[.\-~_]$/.test(value));
          const e = methodNotAllowed();
          const url = `http://127.0.0.1:8000/items/42?${param}=${value}`;
          e.exchange.url = url;
          e.exchange.hops[0]!.url = url;
          e.exchange.preflights[0]!.hop.url = url;
          for (const f of formats) {
            const text = exportReport(f, { scope: 'selected', entries: [e] }, { now: NOW }).text;
            expect(text.includes(`${param}=${value}`), `${f}`).toBe(false);
            expect(text.includes(value), `${f}: ${value}`).toBe(false);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('finds nothing to redact in entries without secrets', () => {
    const { summary } = redactEntries(allFixtures().slice(0, 2));
    expect(summary.items).toEqual([]);
    expect(describeRedaction(summary)).toBe('Nothing secret found');
  });
});
