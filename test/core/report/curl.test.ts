// The generated curl commands, run by the real curl against a real local server: the server must
// receive exactly what the browser sent (hostile values included, byte for byte) and answer the
// same status and Access-Control-* headers the entry recorded. No value may escape its quoting.
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../src/core/log';
import { curlForEntry, curlReport, shellQuote } from '../../../src/core/report/curl';
import { startApi, type ApiServer } from '../../support/servers';
import { HOSTILE, hostile, methodNotAllowed, redirectWithBranches, withSecrets } from './fixtures';

const run = promisify(execFile);
let api: ApiServer;

beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => api?.close());

/** The fixture with its API origin moved to the live test server. */
function rebase(e: LogEntry): LogEntry {
  return JSON.parse(JSON.stringify(e).replaceAll('http://127.0.0.1:8000', api.origin));
}

async function sh(script: string): Promise<string> {
  const { stdout } = await run('bash', ['-c', script], { timeout: 20_000 });
  return stdout;
}

/** Parses `curl -i` output into responses (status + lower-cased headers). */
function responses(out: string): Array<{ status: number; headers: Map<string, string> }> {
  const res: Array<{ status: number; headers: Map<string, string> }> = [];
  for (const block of out.split(/(?=^HTTP\/[\d.]+ \d{3})/m)) {
    const m = /^HTTP\/[\d.]+ (\d{3})/.exec(block);
    if (!m) continue;
    const headers = new Map<string, string>();
    for (const line of block
      .split(/\r?\n\r?\n/)[0]!
      .split(/\r?\n/)
      .slice(1)) {
      const i = line.indexOf(':');
      if (i > 0) headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
    }
    res.push({ status: Number(m[1]), headers });
  }
  return res;
}

const acHeaders = (hs: Array<{ name: string; value: string }> | undefined) =>
  Object.fromEntries(
    (hs ?? []).filter((h) => /^access-control-/i.test(h.name)).map((h) => [h.name.toLowerCase(), h.value]),
  );

describe('curl export', () => {
  it('quotes anything for a POSIX shell', async () => {
    for (const s of ["a'b", '$(id)', '`id`', '"; rm -rf /', '\\', "'", '', ' -x', 'tab\there']) {
      expect(await sh(`printf %s ${shellQuote(s)}`)).toBe(s);
    }
    expect(await sh(`printf %s ${shellQuote('a\nb\r\nc\u0000d')}`)).toBe('a b cd');
  });

  it('replays the preflight and gets the same status and Access-Control-* headers the browser got', async () => {
    const e = rebase(methodNotAllowed());
    const recorded = e.exchange.preflights[0]!.hop;
    api.route('/items/42', {
      preflight: {
        status: 200,
        headers: recorded
          .responseHeaders!.filter((h) => h.name !== 'content-length')
          .map((h) => [h.name, h.value.replace('http://localhost:3000', '{origin}')]),
      },
      actual: { status: 200, headers: [['Access-Control-Allow-Origin', '{origin}']], body: '{}' },
    });
    const before = api.hits.length;
    const out = await sh(curlForEntry(e));
    const hits = api.hits.slice(before);
    expect(hits.map((h) => [h.method, h.path, h.preflight])).toEqual([
      ['OPTIONS', '/items/42', true],
      ['PUT', '/items/42', false],
    ]);
    expect(hits[0]!.headers).toMatchObject({
      origin: 'http://localhost:3000',
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'content-type',
    });
    expect(hits[1]!.headers.origin).toBe('http://localhost:3000');
    const [pre] = responses(out);
    expect(pre!.status).toBe(recorded.statusCode);
    const got = Object.fromEntries([...pre!.headers].filter(([k]) => k.startsWith('access-control-')));
    expect(got).toEqual(acHeaders(recorded.responseHeaders));
  });

  it('sends hostile header values and URLs byte for byte and runs nothing', async () => {
    rmSync('/tmp/cors-lens-pwned', { force: true });
    const e = rebase(hostile());
    api.route('/x', { actual: { status: 200, headers: [['Access-Control-Allow-Origin', 'http://evil.test']] } });
    const before = api.hits.length;
    const out = await sh(curlReport({ scope: 'selected', entries: [e] }));
    const hit = api.hits.slice(before);
    expect(hit).toHaveLength(1);
    expect(hit[0]!.method).toBe('POST');
    expect(hit[0]!.headers['x-weird']).toBe(HOSTILE.header);
    // Line breaks cannot travel in a header: flattened to one line, never a second header.
    expect(hit[0]!.headers['x-newline']).toBe('a Injected: yes');
    expect(hit[0]!.headers.injected).toBeUndefined();
    expect(existsSync('/tmp/cors-lens-pwned')).toBe(false);
    expect(responses(out)[0]!.status).toBe(200);
    expect(out).not.toMatch(/uid=\d+/);
  });

  it('sends a request the preflight cache answered with a rebuilt preflight, and does not follow redirects', async () => {
    const e = rebase(methodNotAllowed());
    e.exchange.preflights = [];
    e.verdict.preflight = { ...e.verdict.preflight, seen: false, fromCache: true };
    e.exchange.hops[0]!.requestHeaders = [
      { name: 'Origin', value: 'http://localhost:3000' },
      { name: 'Content-Type', value: 'application/json' },
      { name: 'X-Trace', value: 'abc' },
      { name: 'Accept', value: '*/*' },
      { name: 'User-Agent', value: 'UA' },
    ];
    const script = curlForEntry(e);
    expect(script).toContain('answered from the browser cache');
    expect(script).toContain("-H 'Access-Control-Request-Headers: content-type,x-trace'");

    const r = rebase(redirectWithBranches());
    api.route('/download', {
      actual: {
        status: 302,
        headers: [
          ['Location', '/elsewhere'],
          ['Access-Control-Allow-Origin', '*'],
        ],
      },
    });
    const before = api.hits.length;
    const out = await sh(curlForEntry(r));
    expect(api.hits.slice(before).map((h) => h.path)).toEqual(['/download']);
    expect(responses(out)[0]!.status).toBe(302);
    expect(curlForEntry(r)).toContain('add -L to follow');
  });

  it('marks redacted values and says how to reproduce exactly', () => {
    const script = curlReport({ scope: 'selected', entries: [withSecrets()] });
    expect(script).toContain("-H 'Authorization: [REDACTED]'");
    expect(script).toContain('were redacted');
  });
});
