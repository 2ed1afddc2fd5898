// Command-line arguments → typed options. Every mistake becomes one UsageError whose message is the
// single line the CLI prints on stderr (exit code 2); nothing here touches the network.
import { isAuthorHeader } from '../core/fetch/safelist';
import { isStackId } from '../core/snippets';
import { STACK_IDS, type StackId } from '../core/snippets/types';
import type { Header } from '../core/types';

export class UsageError extends Error {}

export type OutputFormat = 'text' | 'json' | 'markdown';
export type CredentialsOption = 'include' | 'omit' | 'unknown';

export interface ProbeOptions {
  command: 'probe';
  url: string;
  origin: string;
  /** As fetch() normalizes it: DELETE, GET, HEAD, OPTIONS, POST, PUT upper-cased, others as written. */
  method: string;
  headers: Header[];
  credentials: CredentialsOption;
  /** The Cookie header the browser would send with credentials (--cookie; never in a preflight). */
  cookie?: string;
  send: boolean;
  stack: StackId | null;
  format: OutputFormat;
  timeoutMs: number;
  /** Look for the origin the server accepts when it rejects this one (default on). */
  search: boolean;
}

export interface CheckOptions {
  command: 'check';
  file: string;
  junit: string | null;
  concurrency: number;
  timeoutMs: number;
}

export type Command =
  ProbeOptions | CheckOptions | { command: 'help'; topic: 'probe' | 'check' | null } | { command: 'version' };

export const DEFAULT_TIMEOUT_MS = 10_000;

/** RFC 9110 token: what a method or header name may be made of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Methods fetch() upper-cases (https://fetch.spec.whatwg.org/#concept-method-normalize). */
const NORMALIZED = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];
/** Methods fetch() refuses (https://fetch.spec.whatwg.org/#forbidden-method). */
const FORBIDDEN_METHODS = ['CONNECT', 'TRACE', 'TRACK'];

export function normalizeMethod(m: string): string {
  if (!TOKEN.test(m)) throw new UsageError(`--method ${JSON.stringify(m)} is not a valid HTTP method name`);
  const upper = m.toUpperCase();
  if (FORBIDDEN_METHODS.includes(upper))
    throw new UsageError(`--method ${m}: browsers refuse to send ${upper} requests`);
  return NORMALIZED.includes(upper) ? upper : m;
}

/** An http(s) URL, or a UsageError saying what is wrong with it. */
export function parseTargetUrl(s: string): string {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new UsageError(`bad URL ${JSON.stringify(s)}: give an absolute http:// or https:// URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new UsageError(`bad URL ${JSON.stringify(s)}: CORS applies to http:// and https:// URLs only`);
  if (u.username || u.password)
    throw new UsageError(`bad URL ${JSON.stringify(s)}: browsers refuse fetch() URLs with a user name or password`);
  u.hash = '';
  return u.href;
}

/**
 * A page origin as the browser serializes it (scheme://host[:port], lower-case, no default port, no
 * path), or "null" for an opaque origin.
 */
export function parseOrigin(s: string): string {
  if (s === 'null') return s;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new UsageError(
      `bad --origin ${JSON.stringify(s)}: an Origin is scheme://host[:port], e.g. http://localhost:3000`,
    );
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new UsageError(`bad --origin ${JSON.stringify(s)}: give an http:// or https:// origin (or "null")`);
  const rest = s.slice(s.indexOf('//') + 2);
  if (/[/?#]/.test(rest))
    throw new UsageError(
      `bad --origin ${JSON.stringify(s)}: an Origin has no path or trailing slash — use ${u.origin}`,
    );
  if (u.username || u.password)
    throw new UsageError(`bad --origin ${JSON.stringify(s)}: an Origin has no user name or password — use ${u.origin}`);
  if (u.origin !== s)
    throw new UsageError(
      `bad --origin ${JSON.stringify(s)}: browsers send it as ${u.origin} (lower-case, no default port)`,
    );
  return s;
}

/** One `--header "Name: value"`. Headers the browser controls (Origin, Cookie, Host…) are refused. */
export function parseHeader(s: string): Header {
  const i = s.indexOf(':');
  if (i === -1) throw new UsageError(`bad --header ${JSON.stringify(s)}: write it as "Name: value" (no colon found)`);
  const name = s.slice(0, i).trim();
  const value = s.slice(i + 1).replace(/^[ \t]+|[ \t]+$/g, '');
  if (!TOKEN.test(name))
    throw new UsageError(`bad --header ${JSON.stringify(s)}: ${JSON.stringify(name)} is not a valid header name`);
  // A header value may not contain NUL, CR or LF (fetch throws), nor characters outside Latin-1 (they cannot go on the wire).
  if (/[\u0000\r\n]/.test(value))
    throw new UsageError(`bad --header ${JSON.stringify(s)}: a header value cannot contain a line break or NUL`);
  if (/[^\u0000-\u00ff]/.test(value))
    throw new UsageError(`bad --header ${JSON.stringify(s)}: a header value must be Latin-1 text`);
  const lower = name.toLowerCase();
  if (lower === 'origin') throw new UsageError('bad --header Origin: the browser sets Origin itself — use --origin');
  if (!isAuthorHeader(lower))
    throw new UsageError(
      `bad --header ${name}: a page cannot set it (the browser controls ${name}), so it plays no part in CORS`,
    );
  return { name, value };
}

/**
 * `--cookie "a=1; b=2"`: what the browser's cookie jar adds to a credentialed request. Some servers
 * answer differently when a Cookie is present (Starlette echoes the origin instead of "*").
 */
export function parseCookie(s: string, credentials: CredentialsOption): string {
  if (credentials !== 'include')
    throw new UsageError('--cookie needs --credentials include: browsers send cookies only with credentials');
  const value = s.trim();
  if (!value) throw new UsageError('bad --cookie: give the cookies as "name=value; name2=value2"');
  if (/[\u0000\r\n]/.test(value)) throw new UsageError('bad --cookie: a cookie cannot contain a line break or NUL');
  if (/[^\u0000-\u00ff]/.test(value)) throw new UsageError('bad --cookie: a cookie must be Latin-1 text');
  return value;
}

function parseTimeout(s: string): number {
  const n = Number(s);
  if (!Number.isFinite(n) || n < 0.001 || n > 600)
    throw new UsageError(`bad --timeout ${JSON.stringify(s)}: give seconds between 0.001 and 600`);
  return Math.round(n * 1000);
}

interface Spec {
  /** Flags that take a value. */
  values: string[];
  /** Flags without a value. */
  switches: string[];
  /** Flags that may repeat. */
  repeat: string[];
  aliases: Record<string, string>;
}

const PROBE_SPEC: Spec = {
  values: ['--origin', '--method', '--header', '--credentials', '--cookie', '--stack', '--timeout'],
  switches: ['--send', '--json', '--markdown', '--no-search', '--help'],
  repeat: ['--header'],
  aliases: { '-H': '--header', '-X': '--method', '-o': '--origin', '-h': '--help' },
};

const CHECK_SPEC: Spec = {
  values: ['--junit', '--concurrency', '--timeout'],
  switches: ['--help'],
  repeat: [],
  aliases: { '-h': '--help', '-j': '--concurrency' },
};

function scan(argv: string[], spec: Spec, command: string): { flags: Map<string, string[]>; positional: string[] } {
  const flags = new Map<string, string[]>();
  const positional: string[] = [];
  let onlyPositional = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (onlyPositional || !a.startsWith('-') || a === '-') {
      positional.push(a);
      continue;
    }
    if (a === '--') {
      onlyPositional = true;
      continue;
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    let name = eq === -1 ? a : a.slice(0, eq);
    name = spec.aliases[name] ?? name;
    let value: string | undefined = eq === -1 ? undefined : a.slice(eq + 1);
    if (spec.values.includes(name)) {
      if (value === undefined) {
        if (i + 1 >= argv.length) throw new UsageError(`${name} needs a value`);
        value = argv[++i]!;
      }
    } else if (spec.switches.includes(name)) {
      if (value !== undefined) throw new UsageError(`${name} takes no value`);
      value = '';
    } else {
      throw new UsageError(
        `unknown option ${JSON.stringify(name)} for "cors-lens ${command}" (see cors-lens ${command} --help)`,
      );
    }
    const list = flags.get(name) ?? [];
    if (list.length && !spec.repeat.includes(name)) throw new UsageError(`${name} given twice`);
    list.push(value);
    flags.set(name, list);
  }
  return { flags, positional };
}

function parseProbe(argv: string[]): ProbeOptions | { command: 'help'; topic: 'probe' } {
  const { flags, positional } = scan(argv, PROBE_SPEC, 'probe');
  if (flags.has('--help')) return { command: 'help', topic: 'probe' };
  if (positional.length === 0) throw new UsageError('probe needs a URL: cors-lens probe <url> --origin <page origin>');
  if (positional.length > 1)
    throw new UsageError(
      `probe takes one URL, got ${positional.length}: ${positional.map((p) => JSON.stringify(p)).join(' ')}`,
    );
  const url = parseTargetUrl(positional[0]!);
  const o = flags.get('--origin')?.[0];
  if (o === undefined) throw new UsageError('probe needs --origin <page origin>, e.g. --origin http://localhost:3000');
  const origin = parseOrigin(o);
  const method = normalizeMethod(flags.get('--method')?.[0] ?? 'GET');
  const headers = (flags.get('--header') ?? []).map(parseHeader);
  const c = flags.get('--credentials')?.[0];
  let credentials: CredentialsOption = 'unknown';
  if (c !== undefined) {
    if (c === 'include') credentials = 'include';
    else if (c === 'omit' || c === 'same-origin') credentials = 'omit';
    else throw new UsageError(`bad --credentials ${JSON.stringify(c)}: use include or omit`);
  }
  const cookie = flags.get('--cookie')?.[0];
  const s = flags.get('--stack')?.[0];
  if (s !== undefined && !isStackId(s))
    throw new UsageError(`unknown --stack ${JSON.stringify(s)}: one of ${STACK_IDS.join(', ')}`);
  if (flags.has('--json') && flags.has('--markdown')) throw new UsageError('--json and --markdown exclude each other');
  const t = flags.get('--timeout')?.[0];
  return {
    command: 'probe',
    url,
    origin,
    method,
    headers,
    credentials,
    ...(cookie !== undefined ? { cookie: parseCookie(cookie, credentials) } : {}),
    send: flags.has('--send'),
    stack: s ?? null,
    format: flags.has('--json') ? 'json' : flags.has('--markdown') ? 'markdown' : 'text',
    timeoutMs: t === undefined ? DEFAULT_TIMEOUT_MS : parseTimeout(t),
    search: !flags.has('--no-search'),
  };
}

function parseCheck(argv: string[]): CheckOptions | { command: 'help'; topic: 'check' } {
  const { flags, positional } = scan(argv, CHECK_SPEC, 'check');
  if (flags.has('--help')) return { command: 'help', topic: 'check' };
  if (positional.length !== 1)
    throw new UsageError('check needs one file: cors-lens check <expectations.json> [--junit out.xml]');
  const c = flags.get('--concurrency')?.[0];
  let concurrency = 4;
  if (c !== undefined) {
    concurrency = Number(c);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
      throw new UsageError(`bad --concurrency ${JSON.stringify(c)}: give a whole number from 1 to 64`);
  }
  const t = flags.get('--timeout')?.[0];
  return {
    command: 'check',
    file: positional[0]!,
    junit: flags.get('--junit')?.[0] ?? null,
    concurrency,
    timeoutMs: t === undefined ? DEFAULT_TIMEOUT_MS : parseTimeout(t),
  };
}

export function parseArgs(argv: string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') return { command: 'help', topic: null };
  if (first === 'help') {
    const t = rest[0];
    if (t === undefined) return { command: 'help', topic: null };
    if (t === 'probe' || t === 'check') return { command: 'help', topic: t };
    throw new UsageError(`no help for ${JSON.stringify(t)}: the commands are probe and check (see cors-lens --help)`);
  }
  if (first === '--version' || first === '-V' || first === 'version') return { command: 'version' };
  if (first === 'probe') return parseProbe(rest);
  if (first === 'check') return parseCheck(rest);
  if (first.startsWith('-'))
    throw new UsageError(
      `unknown option ${JSON.stringify(first)}: start with a command, probe or check (see cors-lens --help)`,
    );
  throw new UsageError(`unknown command ${JSON.stringify(first)}: use probe or check (see cors-lens --help)`);
}

export const HELP_MAIN = `cors-lens — what a browser's CORS check says about your server, from the command line

Usage:
  cors-lens probe <url> --origin <page origin> [options]   ask the server what a browser would
  cors-lens check <expectations.json> [--junit out.xml]    CI: check a list of expectations
  cors-lens --help | probe --help | check --help | help <command>
  cors-lens --version

Exit codes: 0 passes, 1 blocked by CORS, 2 usage error, 3 not CORS (unreachable, TLS, timeout),
            4 not decided (the actual request was not sent: add --send).
`;

export const HELP_PROBE = `Usage: cors-lens probe <url> --origin <page origin> [options]

Sends what a browser (Chromium's rules) sends for fetch(url, {method, headers, credentials}) from a
page at <page origin>: the OPTIONS preflight when the request needs one, then the request itself,
following redirects and stopping where the browser stops. Prints the verdict in both browsers'
terms, the root cause, the rule-by-rule evidence and a fix for the server.

Options:
  --origin, -o ORIGIN        the page's origin, e.g. http://localhost:3000 (no path, no slash)
  --method, -X METHOD        request method (default GET)
  --header, -H "Name: v"     a header the page sets (repeatable)
  --credentials include|omit fetch's credentials mode; without it both are judged
  --cookie "a=1; b=2"        with --credentials include: the Cookie the browser would send
                             (some servers answer differently when one is present)
  --send                     also send the actual request for methods other than GET, HEAD and
                             OPTIONS (it may change data on the server; sent with an empty body)
  --stack NAME               the server stack for the fix snippet (default: detected):
                             ${STACK_IDS.join(', ')}
  --json                     the JSON report (docs/report.schema.json, schemaVersion 2)
  --markdown                 the Markdown report (as the panel exports it)
  --timeout SECONDS          per request (default ${DEFAULT_TIMEOUT_MS / 1000})
  --no-search                do not look for the origin the server accepts when it rejects this one

When the server rejects the origin, cors-lens sends at most 16 more preflights (or GETs) with near
variants of it (trailing slash, other scheme, localhost/127.0.0.1/[::1], no port, common dev ports)
and reports which one the server accepts.

Examples:
  cors-lens probe http://127.0.0.1:8000/api/items --origin http://localhost:3000
  cors-lens probe http://127.0.0.1:8000/api/items -o http://localhost:3000 -X PUT \\
      -H 'Content-Type: application/json' --credentials include --send --json

Exit codes: 0 passes, 1 blocked (or blocked if credentialed), 2 usage error, 3 not CORS
(unreachable, not HTTP, TLS, timeout), 4 not decided (the actual request was not sent).
`;

export const HELP_CHECK = `Usage: cors-lens check <expectations.json> [options]

CI: probes each expectation like cors-lens probe (a few at a time), prints one line per check and
then "N passed, N failed". Exit code 0 when every expectation holds, 1 otherwise, 2 for a bad file
or bad options.

Options:
  --junit FILE               also write a JUnit XML report (one testcase per expectation)
  --concurrency, -j N        probes at once, 1 to 64 (default 4)
  --timeout SECONDS          per request (default ${DEFAULT_TIMEOUT_MS / 1000})

The file holds a JSON array (or {"checks": [...]}) of expectations:
  { "name": "optional", "url": "http://127.0.0.1:8000/api", "origin": "http://localhost:3000",
    "method": "PUT", "headers": {"Content-Type": "application/json"}, "credentials": "include",
    "cookie": "session=…", "send": false, "expect": "pass" }
  url, origin and expect ("pass" or "blocked") are required. Without "credentials": fetch's
  default (no credentials cross-origin). "cookie" needs "credentials": "include". "send": true
  also sends methods other than GET, HEAD and OPTIONS (otherwise such a check is "not decided").
`;
