// Argument parsing: every accepted form and every error path gives one clear line (exit code 2 in main()).
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUT_MS, parseArgs, UsageError, type ProbeOptions } from '../../src/cli/args';
import { main } from '../../src/cli/main';
import { execFileSync } from 'node:child_process';
import { probeCommand } from '../../src/core/report/probe-command';
import { methodNotAllowed, missingAcao, withSecrets } from '../core/report/fixtures';

const probe = (...a: string[]) => parseArgs(['probe', ...a]) as ProbeOptions;
const err = (argv: string[]) => {
  try {
    parseArgs(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
};

async function run(argv: string[]) {
  let out = '';
  let errText = '';
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (errText += s) });
  return { code, out, err: errText };
}

describe('parseArgs: probe', () => {
  it('parses the documented options, in both --flag value and --flag=value forms, with aliases', () => {
    const o = probe(
      'http://127.0.0.1:8000/api?q=1#frag',
      '--origin',
      'http://localhost:3000',
      '-X',
      'put',
      '-H',
      'Content-Type: application/json',
      '--header=X-Api-Key:  k1 ',
      '--credentials=include',
      '--send',
      '--stack',
      'fastapi',
      '--json',
      '--timeout',
      '2.5',
    );
    expect(o).toEqual({
      command: 'probe',
      url: 'http://127.0.0.1:8000/api?q=1',
      origin: 'http://localhost:3000',
      method: 'PUT',
      headers: [
        { name: 'Content-Type', value: 'application/json' },
        { name: 'X-Api-Key', value: 'k1' },
      ],
      credentials: 'include',
      send: true,
      stack: 'fastapi',
      format: 'json',
      timeoutMs: 2500,
      search: true,
    });
  });

  it('defaults: GET, no headers, credentials unknown (both branches), text output, the default timeout, origin search on', () => {
    const o = probe('https://api.example.test/x', '--origin', 'https://app.example.test');
    expect(o).toMatchObject({
      method: 'GET',
      headers: [],
      credentials: 'unknown',
      send: false,
      stack: null,
      format: 'text',
      timeoutMs: DEFAULT_TIMEOUT_MS,
      search: true,
    });
    expect(probe('http://a.test/', '-o', 'null', '--markdown', '--no-search', '--credentials', 'omit')).toMatchObject({
      origin: 'null',
      format: 'markdown',
      search: false,
      credentials: 'omit',
    });
  });

  it('--cookie with --credentials include', () => {
    expect(
      probe(
        'http://a.test/',
        '-o',
        'http://b.test',
        '--credentials',
        'include',
        '--cookie',
        ' session=s1; theme=dark ',
      ),
    ).toMatchObject({ credentials: 'include', cookie: 'session=s1; theme=dark' });
    expect(probe('http://a.test/', '-o', 'http://b.test')).not.toHaveProperty('cookie');
  });

  it('normalizes methods as fetch() does: only DELETE, GET, HEAD, OPTIONS, POST, PUT are upper-cased', () => {
    expect(probe('http://a.test/', '-o', 'http://b.test', '-X', 'delete').method).toBe('DELETE');
    expect(probe('http://a.test/', '-o', 'http://b.test', '-X', 'patch').method).toBe('patch');
    expect(probe('http://a.test/', '-o', 'http://b.test', '-X', 'PATCH').method).toBe('PATCH');
  });

  it.each([
    [['probe', '--origin', 'http://localhost:3000'], 'probe needs a URL'],
    [['probe', 'http://a.test/', 'http://b.test/', '-o', 'http://c.test'], 'probe takes one URL'],
    [['probe', 'not a url', '-o', 'http://c.test'], 'bad URL "not a url"'],
    [['probe', 'ftp://a.test/x', '-o', 'http://c.test'], 'CORS applies to http:// and https:// URLs only'],
    [['probe', 'http://user:pw@a.test/', '-o', 'http://c.test'], 'user name or password'],
    [['probe', 'http://a.test/'], 'probe needs --origin'],
    [
      ['probe', 'http://a.test/', '--origin', 'http://localhost:3000/'],
      'an Origin has no path or trailing slash — use http://localhost:3000',
    ],
    [['probe', 'http://a.test/', '--origin', 'http://localhost:3000/app'], 'an Origin has no path or trailing slash'],
    [['probe', 'http://a.test/', '--origin', 'HTTP://LOCALHOST:3000'], 'browsers send it as http://localhost:3000'],
    [['probe', 'http://a.test/', '--origin', 'http://localhost:80'], 'browsers send it as http://localhost'],
    [['probe', 'http://a.test/', '--origin', 'localhost:3000'], 'give an http:// or https:// origin'],
    [['probe', 'http://a.test/', '--origin', 'nope'], 'an Origin is scheme://host[:port]'],
    [['probe', 'http://a.test/', '--origin'], '--origin needs a value'],
    [
      ['probe', 'http://a.test/', '-o', 'http://b.test', '--header', 'X-Api-Key'],
      'write it as "Name: value" (no colon found)',
    ],
    [['probe', 'http://a.test/', '-o', 'http://b.test', '--header', 'Bad Name: v'], 'is not a valid header name'],
    [['probe', 'http://a.test/', '-o', 'http://b.test', '--header', 'Origin: http://x.test'], 'use --origin'],
    [['probe', 'http://a.test/', '-o', 'http://b.test', '--header', 'Cookie: a=1'], 'a page cannot set it'],
    [['probe', 'http://a.test/', '-o', 'http://b.test', '--header', 'X-A: caf\u20ac'], 'Latin-1'],
    [['probe', 'http://a.test/', '-o', 'http://b.test', '-X', 'GE T'], 'not a valid HTTP method name'],
    [['probe', 'http://a.test/', '-o', 'http://b.test', '-X', 'connect'], 'browsers refuse to send CONNECT'],
    [['probe', 'http://a.test/', '-o', 'http://b.test', '--credentials', 'yes'], 'use include or omit'],
    [['probe', 'http://a.test/', '-o', 'http://b.test', '--stack', 'cobol'], 'unknown --stack "cobol"'],
    [
      ['probe', 'http://a.test/', '-o', 'http://b.test', '--json', '--markdown'],
      '--json and --markdown exclude each other',
    ],
    [['probe', 'http://a.test/', '-o', 'http://b.test', '--timeout', '0'], 'bad --timeout'],
    [['probe', 'http://a.test/', '-o', 'http://b.test', '--timeout', '0.0001'], 'give seconds between 0.001 and 600'],
    [['probe', 'http://a.test/', '-o', 'http://b.test', '--timeout', 'soon'], 'bad --timeout "soon"'],
    [['probe', 'http://a.test/', '-o', '\u001b[31mhttp://b.test'], 'bad --origin "\\u001b[31mhttp://b.test"'],
    [['probe', 'http://a.test/', '-o', 'http://b.test', '--bogus'], 'unknown option "--bogus" for "cors-lens probe"'],
    [['probe', 'http://a.test/', '-o', 'http://b.test', '--send=yes'], '--send takes no value'],
    [['probe', 'http://a.test/', '-o', 'http://b.test', '-o', 'http://c.test'], '--origin given twice'],
    [['probe', 'http://a.test/', '-o', 'http://b.test', '--cookie', 'a=1'], '--cookie needs --credentials include'],
    [
      ['probe', 'http://a.test/', '-o', 'http://b.test', '--credentials', 'include', '--cookie', 'a=1\r\nX-Evil: 1'],
      'a cookie cannot contain a line break',
    ],
    [['probe', 'http://a.test/', '-o', 'http://b.test', '--credentials', 'include', '--cookie', '  '], 'bad --cookie'],
    [['help', 'bogus'], 'no help for "bogus": the commands are probe and check'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['--bogus'], 'unknown option "--bogus"'],
    [['check'], 'check needs one file'],
    [['check', 'a.json', '--concurrency', '0'], 'bad --concurrency'],
    [['check', 'a.json', '--junit'], '--junit needs a value'],
  ])('%j → %s', (argv, message) => {
    expect(err(argv)).toContain(message);
  });

  it('--help, help <command>, --version', () => {
    expect(parseArgs([])).toEqual({ command: 'help', topic: null });
    expect(parseArgs(['--help'])).toEqual({ command: 'help', topic: null });
    expect(parseArgs(['probe', '--help'])).toEqual({ command: 'help', topic: 'probe' });
    expect(parseArgs(['help', 'check'])).toEqual({ command: 'help', topic: 'check' });
    expect(parseArgs(['--version'])).toEqual({ command: 'version' });
  });

  it('check: file, --junit, --concurrency, --timeout', () => {
    expect(parseArgs(['check', 'cors.json', '--junit', 'out.xml', '-j', '8', '--timeout', '3'])).toEqual({
      command: 'check',
      file: 'cors.json',
      junit: 'out.xml',
      concurrency: 8,
      timeoutMs: 3000,
    });
  });
});

describe("the panel's `cors-lens probe …` line parses back", () => {
  it.each([
    ['a failed preflight', methodNotAllowed],
    ['a GET with a query', missingAcao],
    ['a credentialed request with cookies and secrets', withSecrets],
  ])('%s', (_what, entry) => {
    const line = probeCommand(entry())!;
    // Split as a POSIX shell does.
    const argv = execFileSync('bash', ['-c', `cors-lens() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${line}`], {
      encoding: 'utf8',
    })
      .split('\0')
      .slice(0, -1);
    const o = parseArgs(argv) as ProbeOptions;
    expect(o.command).toBe('probe');
    expect(o.url).toBe(entry().exchange.url);
    if (line.includes('--cookie')) expect(o.cookie).toMatch(/^session=<value>; /);
  });
});

describe('main(): exit codes and one clear stderr line', () => {
  it('usage errors exit 2 with exactly one line on stderr and nothing on stdout', async () => {
    for (const argv of [
      ['probe', 'http://127.0.0.1:1/', '--origin', 'http://localhost:3000/'],
      ['probe', 'http://exa mple.test/', '--origin', 'http://localhost:3000'],
      ['probe', 'http://127.0.0.1:1/', '--origin', 'http://localhost:3000', '--wat'],
      ['probe', 'http://127.0.0.1:1/', '--origin', 'http://localhost:3000', '-H', 'NoColon'],
      ['check', '/nonexistent/cors.json'],
    ]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.split('\n').filter(Boolean)).toHaveLength(1);
      expect(r.err).toMatch(/^cors-lens: /);
    }
  });

  it('the Origin mistake from the issue gets its exact wording', async () => {
    const r = await run(['probe', 'http://127.0.0.1:1/', '--origin', 'http://localhost:3000/']);
    expect(r.err).toContain('an Origin has no path or trailing slash');
  });

  it('a same-origin URL is a usage error (CORS does not apply)', async () => {
    const r = await run(['probe', 'http://localhost:3000/api', '--origin', 'http://localhost:3000']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('browsers apply no CORS check');
  });

  it('--help and --version print to stdout and exit 0', async () => {
    const h = await run(['--help']);
    expect(h.code).toBe(0);
    expect(h.out).toContain('cors-lens probe <url> --origin <page origin>');
    expect(h.out).toContain('Exit codes: 0 passes, 1 blocked by CORS, 2 usage error, 3 not CORS');
    expect((await run(['probe', '--help'])).out).toContain('--credentials include|omit');
    expect((await run(['check', '--help'])).out).toContain('"expect": "pass"');
    expect((await run(['--version'])).out).toMatch(/^cors-lens \d+\.\d+\.\d+\n$/);
  });

  it('every subcommand has a --help that names each of its options, and each named option parses', async () => {
    const probeHelp = (await run(['probe', '--help'])).out;
    const probeFlags = [
      '--origin',
      '-o',
      '--method',
      '-X',
      '--header',
      '-H',
      '--credentials',
      '--cookie',
      '--send',
      '--stack',
      '--json',
      '--markdown',
      '--timeout',
      '--no-search',
    ];
    for (const f of probeFlags) expect(probeHelp, f).toMatch(new RegExp(`(^|[ ,])${f}[ ,\n]`, 'm'));
    expect(probeHelp).toContain('Exit codes:');
    expect(() =>
      parseArgs([
        'probe',
        'http://a.test/',
        '-o',
        'http://b.test',
        '-X',
        'GET',
        '-H',
        'X-A: 1',
        '--credentials',
        'include',
        '--cookie',
        'a=1',
        '--send',
        '--stack',
        'express',
        '--json',
        '--timeout',
        '5',
        '--no-search',
      ]),
    ).not.toThrow();
    const checkHelp = (await run(['check', '--help'])).out;
    for (const f of ['--junit', '--concurrency', '-j', '--timeout'])
      expect(checkHelp, f).toMatch(new RegExp(`(^|[ ,])${f}[ ,\n]`, 'm'));
    for (const field of [
      '"url"',
      '"origin"',
      '"method"',
      '"headers"',
      '"credentials"',
      '"cookie"',
      '"send"',
      '"expect"',
    ])
      expect(checkHelp).toContain(field);
    expect(() => parseArgs(['check', 'f.json', '--junit', 'o.xml', '-j', '2', '--timeout', '1'])).not.toThrow();
    expect((await run(['help', 'probe'])).out).toBe(probeHelp);
    expect((await run(['check', '-h'])).out).toBe(checkHelp);
    // Help goes to stdout with exit 0 even when asked for beside other arguments.
    const h = await run(['probe', 'http://a.test/', '--help']);
    expect(h.code).toBe(0);
    expect(h.out).toBe(probeHelp);
  });
});
