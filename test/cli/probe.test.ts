// cors-lens probe against real node:http servers on 127.0.0.1: what goes on the wire (the preflight
// as Fetch builds it, only when needed; redirects; stopping where Chromium stops), the verdict from
// the core engine, the origin search, exit codes, and the JSON report against docs/report.schema.json.
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { reportValidator } from '../core/report/validators';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}
let server: http.Server;
let base = '';
const seen: Seen[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    seen.push({ method: req.method ?? '', url, headers: req.headers });
    const o = req.headers.origin as string | undefined;
    if (url.startsWith('/hang')) return; // never answers
    if (url.startsWith('/slash')) {
      // Starlette-like allow list holding "http://localhost:3000/": 400 on a rejected preflight.
      const ok = o === 'http://localhost:3000/';
      if (req.method === 'OPTIONS') {
        res.writeHead(ok ? 200 : 400, {
          ...(ok ? { 'access-control-allow-origin': o } : {}),
          'access-control-allow-methods': 'GET, PUT',
          'access-control-allow-headers': 'content-type',
        });
        return res.end(ok ? 'OK' : 'Disallowed CORS origin');
      }
      res.writeHead(200, ok ? { 'access-control-allow-origin': o!, vary: 'Origin' } : {});
      return res.end('{}');
    }
    if (url.startsWith('/cookie-aware')) {
      // Starlette's allow_origins=["*"]: with a Cookie it echoes the origin instead of "*" (no Allow-Credentials).
      res.writeHead(200, { 'access-control-allow-origin': req.headers.cookie ? (o ?? '') : '*' });
      return res.end('ok');
    }
    if (url.startsWith('/star')) {
      res.writeHead(200, { 'access-control-allow-origin': '*' });
      return res.end('ok');
    }
    if (url.startsWith('/put')) {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-origin': o ?? '',
          'access-control-allow-methods': 'GET',
          'access-control-allow-headers': 'content-type,x-b,x-a',
        });
        return res.end();
      }
      res.writeHead(200, { 'access-control-allow-origin': o ?? '' });
      return res.end('{}');
    }
    if (url.startsWith('/redirect')) {
      res.writeHead(302, { location: '/final', 'access-control-allow-origin': o ?? '' });
      return res.end();
    }
    if (url.startsWith('/final')) {
      res.writeHead(200, { 'access-control-allow-origin': o ?? '' });
      return res.end('{}');
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('no cors');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  seen.length = 0;
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err, seen: seen.slice() };
}

describe('cors-lens probe (real local server)', { timeout: 60_000 }, () => {
  it('a simple GET without CORS headers: one request, blocked (MissingAllowOriginHeader), exit 1, the search finds nothing', async () => {
    const r = await run('probe', `${base}/none`, '--origin', 'http://localhost:3000', '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(reportValidator()(report)).toBe(true);
    expect(report.schemaVersion).toBe(2);
    expect(report.generator.name).toBe('cors-lens CLI');
    expect(report.entries[0].tabId).toBeNull();
    expect(report.entries[0].verdict.outcome).toBe('blocked');
    expect(report.entries[0].verdict.symptom.corsError).toBe('MissingAllowOriginHeader');
    expect(report.entries[0].verdict.cause.code).toBe('no-cors-config');
    // The probe's GET, then the origin search's variants (≤ 16).
    expect(r.seen[0]).toMatchObject({ method: 'GET', url: '/none' });
    expect(r.seen[0]!.headers.origin).toBe('http://localhost:3000');
    expect(r.seen.length).toBeGreaterThan(1);
    expect(r.seen.length).toBeLessThanOrEqual(17);
  });

  it('finds the accepted origin behind a Starlette-like 400 preflight: origin-typo, certain, in every format', async () => {
    const args = [
      'probe',
      `${base}/slash`,
      '--origin',
      'http://localhost:3000',
      '-X',
      'PUT',
      '-H',
      'Content-Type: application/json',
    ];
    const text = await run(...args);
    expect(text.code).toBe(1);
    expect(text.out).toContain('http://localhost:3000/ — it ends with a slash');
    expect(text.out).toContain('allow_origins=["http://localhost:3000"]');
    // The line to run again is the user's own (the header's value was never on the wire, but was given).
    expect(text.out).toContain(
      `Run again after the fix: cors-lens probe ${base}/slash --origin http://localhost:3000 --method PUT --header 'Content-Type: application/json'\n`,
    );
    // Only the preflight of the probe went out (PUT is not sent without --send), then OPTIONS variants.
    expect(text.seen.every((s) => s.method === 'OPTIONS')).toBe(true);
    expect(text.seen[0]!.headers['access-control-request-method']).toBe('PUT');
    expect(text.seen[0]!.headers['access-control-request-headers']).toBe('content-type');
    const json = JSON.parse((await run(...args, '--json')).out);
    expect(reportValidator()(json)).toBe(true);
    expect(json.entries[0].verdict.symptom.corsError).toBe('PreflightMissingAllowOriginHeader');
    expect(json.entries[0].verdict.cause).toMatchObject({ code: 'origin-typo', confidence: 'certain' });
    expect(json.entries[0].verdict.cause.facts.accepted).toBe('http://localhost:3000/');
    const md = (await run(...args, '--markdown')).out;
    expect(md).toContain('http://localhost:3000/');
    expect(md).toContain('The allowed origin is written differently from the page origin');
  });

  it('builds Access-Control-Request-Headers as Fetch does (lower-cased, sorted, safelisted left out) and stops at a failing preflight', async () => {
    const r = await run(
      'probe',
      `${base}/put`,
      '--origin',
      'http://localhost:3000',
      '-X',
      'PUT',
      '--send',
      '-H',
      'X-B: 1',
      '-H',
      'Accept: application/json',
      '-H',
      'X-A: 2',
      '--json',
    );
    expect(r.seen[0]!.method).toBe('OPTIONS');
    expect(r.seen[0]!.headers['access-control-request-headers']).toBe('x-a,x-b');
    // ACAM lists only GET: Chromium stops after the preflight, even with --send.
    expect(r.seen.filter((s) => s.method === 'PUT')).toHaveLength(0);
    const v = JSON.parse(r.out).entries[0].verdict;
    expect(v.symptom).toMatchObject({ corsError: 'MethodDisallowedByPreflightResponse', failedParameter: 'PUT' });
    expect(r.code).toBe(1);
  });

  it('no preflight for a safelisted request; follows a redirect like fetch and passes (exit 0)', async () => {
    const r = await run(
      'probe',
      `${base}/redirect`,
      '--origin',
      'http://localhost:3000',
      '--credentials',
      'omit',
      '--json',
    );
    expect(r.code).toBe(0);
    expect(r.seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /redirect', 'GET /final']);
    const e = JSON.parse(r.out).entries[0];
    expect(e.verdict.outcome).toBe('pass');
    expect(e.redirects).toHaveLength(1);
  });

  it('without --credentials: both branches, as in the panel ("*" passes without, fails with credentials)', async () => {
    const r = await run('probe', `${base}/star`, '--origin', 'http://localhost:3000', '--json');
    const v = JSON.parse(r.out).entries[0].verdict;
    expect(v.credentials).toBe('unknown');
    expect(v.branches.find((b: { assumption: string }) => b.assumption === 'credentials-include')).toMatchObject({
      outcome: 'blocked',
      symptom: { corsError: 'WildcardOriginNotAllowed' },
    });
    expect(v.branches.find((b: { assumption: string }) => b.assumption === 'credentials-omit')).toMatchObject({
      outcome: 'pass',
    });
    const inc = await run('probe', `${base}/star`, '--origin', 'http://localhost:3000', '--credentials', 'include');
    expect(inc.code).toBe(1);
    expect(inc.out).toContain('WildcardOriginNotAllowed');
  });

  it('the uncertain outcome in text: "BLOCKED IF CREDENTIALED", both branches, exit 1 — never a pass; one mode given, one verdict', async () => {
    const r = await run('probe', `${base}/star`, '--origin', 'http://localhost:3000');
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines[2]).toBe(
      'BLOCKED IF CREDENTIALED  Blocked if sent with credentials, allowed without them — Wildcard "*" cannot be used with credentials. The credentials mode was not given: add --credentials include|omit for one verdict.',
    );
    expect(r.out).toContain('  Chromium: CorsError WildcardOriginNotAllowed');
    expect(r.out).toContain(
      '  Firefox reason: CORSNotSupportingCredentials — Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’',
    );
    expect(r.out).toContain(
      '    with credentials:    BLOCKED  WildcardOriginNotAllowed — Wildcard "*" cannot be used with credentials',
    );
    expect(r.out).toContain('    without credentials: PASS');
    expect(r.out).not.toMatch(/^PASS/m);
    expect(r.err).toBe('');
    const json = JSON.parse((await run('probe', `${base}/star`, '--origin', 'http://localhost:3000', '--json')).out);
    expect(json.entries[0].verdict.outcome).toBe('uncertain');
    expect(json.entries[0].verdict.cause).toMatchObject({ code: 'wildcard-with-credentials', confidence: 'possible' });
    // Made outside a browser: the reports say the credentials mode was not given, not that a browser was silent.
    const said =
      'Blocked if sent with credentials, allowed without them — Wildcard "*" cannot be used with credentials (the credentials mode was not given: cors-lens probe --credentials include|omit)';
    expect(json.entries[0].verdict.summary).toBe(said);
    const md = (await run('probe', `${base}/star`, '--origin', 'http://localhost:3000', '--markdown')).out;
    expect(md).toContain(`**${said.replace(/[*|]/g, (c) => `\\${c}`)}**`);
    expect(md + JSON.stringify(json)).not.toContain('gave no failure signal');
    const omit = await run('probe', `${base}/star`, '--origin', 'http://localhost:3000', '--credentials', 'omit');
    expect(omit.code).toBe(0);
    expect(omit.out.split('\n')[2]).toMatch(/^PASS {2}Allowed/);
  });

  it('--cookie goes with the credentialed request only, never with its preflight, and changes what a cookie-aware server answers', async () => {
    const without = await run(
      'probe',
      `${base}/cookie-aware`,
      '--origin',
      'http://localhost:3000',
      '--credentials',
      'include',
      '--json',
    );
    expect(JSON.parse(without.out).entries[0].verdict.symptom.corsError).toBe('WildcardOriginNotAllowed');
    const withCookie = await run(
      'probe',
      `${base}/cookie-aware`,
      '--origin',
      'http://localhost:3000',
      '--credentials',
      'include',
      '--cookie',
      'session=s1',
      '--json',
      '--no-search',
    );
    expect(withCookie.seen[0]!.headers.cookie).toBe('session=s1');
    const report = JSON.parse(withCookie.out);
    expect(report.entries[0].verdict.symptom.corsError).toBe('InvalidAllowCredentials');
    // Reports redact cookie values as the panel's exports do.
    expect(withCookie.out).not.toContain('s1');
    const text = await run(
      'probe',
      `${base}/cookie-aware`,
      '--origin',
      'http://localhost:3000',
      '--credentials',
      'include',
      '--cookie',
      'session=s1; theme=dark',
      '--no-search',
    );
    expect(text.out).toContain(
      `Run again after the fix: cors-lens probe ${base}/cookie-aware --origin http://localhost:3000 --credentials include --cookie 'session=<value>; theme=<value>'\n`,
    );
    expect(text.out).not.toMatch(/s1|dark/);
    const put = await run(
      'probe',
      `${base}/put`,
      '--origin',
      'http://localhost:3000',
      '-X',
      'PUT',
      '-H',
      'Content-Type: application/json',
      '--credentials',
      'include',
      '--cookie',
      'session=s1',
      '--send',
    );
    expect(put.seen.map((x) => [x.method, x.headers.cookie ?? null])).toEqual([['OPTIONS', null]]);
  });

  it('an unsafe method is not sent without --send: exit 4, says what stays open', async () => {
    const r = await run(
      'probe',
      `${base}/put`,
      '--origin',
      'http://localhost:3000',
      '-X',
      'POST',
      '-H',
      'Content-Type: text/plain',
    );
    expect(r.code).toBe(4);
    expect(r.seen).toHaveLength(0);
    expect(r.out).toContain('Not sent: the POST itself');
    expect(r.out).toContain('Add --send');
  });

  it('a hanging server and a closed port are not CORS: exit 3 with one clear stderr line', async () => {
    const hang = await run('probe', `${base}/hang`, '--origin', 'http://localhost:3000', '--timeout', '0.5');
    expect(hang.code).toBe(3);
    expect(hang.err).toMatch(/^cors-lens: not a CORS problem: net::ERR_TIMED_OUT \(no response within 0\.5 s\)/);
    expect(hang.err.trim().split('\n')).toHaveLength(1);
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const refused = await run('probe', `http://127.0.0.1:${port}/`, '--origin', 'http://localhost:3000');
    expect(refused.code).toBe(3);
    expect(refused.err).toContain('net::ERR_CONNECTION_REFUSED');
  });
});

/** A raw TCP server that answers every connection with `behave` (no HTTP library in between). */
async function rawServer(behave: (socket: net.Socket) => void): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('error', () => {});
    behave(sock);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/api`,
    close: () => {
      for (const x of sockets) x.destroy();
      return new Promise((r) => srv.close(() => r()));
    },
  };
}

describe(
  'servers that do not speak HTTP, or stop half-way: exit 3, one clear stderr line, no crash',
  { timeout: 60_000 },
  () => {
    it.each([
      [
        'answers something that is not HTTP',
        (s: net.Socket) => s.end('SSH-2.0-OpenSSH_9.2\r\n'),
        'net::ERR_INVALID_HTTP_RESPONSE',
      ],
      ['closes the connection without a byte', (s: net.Socket) => s.end(), 'net::ERR_EMPTY_RESPONSE'],
      [
        'sends half a response head, then nothing',
        (s: net.Socket) => s.write('HTTP/1.1 200 OK\r\nAccess-Control-Allow-'),
        'net::ERR_TIMED_OUT',
      ],
      ['accepts the connection and never reads', () => {}, 'net::ERR_TIMED_OUT'],
    ] as Array<[string, (s: net.Socket) => void, string]>)('a server that %s', async (_what, behave, error) => {
      const srv = await rawServer(behave);
      try {
        const r = await run('probe', srv.url, '--origin', 'http://localhost:3000', '--timeout', '1');
        expect(r.code).toBe(3);
        const lines = r.err.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(
          new RegExp(
            `^cors-lens: not a CORS problem: ${error.replace(/[.:]/g, '\\$&')} \\(.+\\) for ${srv.url.replace(/[.:/]/g, '\\$&')}$`,
          ),
        );
        expect(r.out).toContain('NOT CORS');
        // Nothing else was tried: a network failure is not an origin problem.
        expect(r.out).not.toContain('Accepted origin');
      } finally {
        await srv.close();
      }
    });

    it('check: a hanging server fails its expectation with the network error, the others still run', async () => {
      const { mkdtempSync, writeFileSync } = await import('node:fs');
      const { join } = await import('node:path');
      const { tmpdir } = await import('node:os');
      const file = join(mkdtempSync(join(tmpdir(), 'cors-lens-check-')), 'cors.json');
      writeFileSync(
        file,
        JSON.stringify([
          { name: 'hangs', url: `${base}/hang`, origin: 'http://localhost:3000', expect: 'pass' },
          { name: 'passes', url: `${base}/final`, origin: 'http://localhost:3000', expect: 'pass' },
        ]),
      );
      const r = await run('check', file, '--timeout', '0.5');
      expect(r.code).toBe(1);
      const lines = r.out.trim().split('\n');
      expect(lines[0]).toMatch(/^✗ hangs — not-cors: .*net::ERR_TIMED_OUT.* \(expected pass\)$/);
      expect(lines[1]).toMatch(/^✓ passes — pass/);
      expect(lines[2]).toBe('1 passed, 1 failed');
    });
  },
);

describe('cors-lens check (real local server)', { timeout: 60_000 }, () => {
  it('one line per expectation, the closing count, non-zero on a mismatch, JUnit XML', async () => {
    const { mkdtempSync, writeFileSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'cors-lens-check-'));
    const file = join(dir, 'cors.json');
    writeFileSync(
      file,
      JSON.stringify([
        { name: 'final passes', url: `${base}/final`, origin: 'http://localhost:3000', expect: 'pass' },
        { name: 'none is blocked', url: `${base}/none`, origin: 'http://localhost:3000', expect: 'blocked' },
        { name: 'wrongly expected to pass', url: `${base}/slash`, origin: 'http://localhost:3000', expect: 'pass' },
      ]),
    );
    const r = await run('check', file, '--junit', join(dir, 'out.xml'), '--concurrency', '2');
    expect(r.code).toBe(1);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^✓ final passes — pass/);
    expect(lines[1]).toMatch(/^✓ none is blocked — blocked/);
    expect(lines[2]).toMatch(
      /^✗ wrongly expected to pass — blocked: .*\[origin-typo\]; the server accepts http:\/\/localhost:3000\/ \(expected pass\)/,
    );
    expect(lines[3]).toBe('2 passed, 1 failed');
    const xml = readFileSync(join(dir, 'out.xml'), 'utf8');
    expect(xml).toContain('<testsuite name="cors-lens check" tests="3" failures="1"');
    expect(xml).toContain('<failure message="blocked:');
    writeFileSync(file, JSON.stringify([{ url: `${base}/final`, origin: 'http://localhost:3000/', expect: 'pass' }]));
    const bad = await run('check', file);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('entry 1: bad --origin');
  });
});
