// `cors-lens check expectations.json`: a CI gate over the API's CORS configuration. Each expectation
// is probed like `cors-lens probe` (a few at a time), one line each, then "N passed, N failed";
// optionally a JUnit XML file for CI dashboards.
import { readFile, writeFile } from 'node:fs/promises';
import { verdictSummary } from '../core/summary';
import {
  normalizeMethod,
  parseCookie,
  parseHeader,
  parseOrigin,
  parseTargetUrl,
  UsageError,
  type CheckOptions,
  type ProbeOptions,
} from './args';
import { runProbe, type ProbeResult } from './probe';
import type { Io } from './main';

export interface Expectation {
  name: string;
  probe: ProbeOptions;
  expect: 'pass' | 'blocked';
}

export interface CheckOutcome {
  expectation: Expectation;
  ok: boolean;
  /** What happened, one line. */
  line: string;
  ms: number;
}

function bad(i: number, msg: string): never {
  throw new UsageError(`check file, entry ${i + 1}: ${msg}`);
}

/** Reads and validates the expectations (a UsageError names the entry and the problem). */
export function parseExpectations(text: string, timeoutMs: number): Expectation[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`check file is not JSON: ${(e as Error).message}`);
  }
  const list = Array.isArray(data)
    ? data
    : data && typeof data === 'object' && Array.isArray((data as { checks?: unknown }).checks)
      ? (data as { checks: unknown[] }).checks
      : null;
  if (!list) throw new UsageError('check file must hold an array of expectations (or {"checks": [...]})');
  if (list.length === 0) throw new UsageError('check file holds no expectations');
  return list.map((raw, i): Expectation => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) bad(i, 'not an object');
    const o = raw as Record<string, unknown>;
    const known = ['name', 'url', 'origin', 'method', 'headers', 'credentials', 'cookie', 'send', 'expect', 'stack'];
    for (const k of Object.keys(o)) if (!known.includes(k)) bad(i, `unknown field ${JSON.stringify(k)}`);
    if (typeof o.url !== 'string') bad(i, '"url" (a string) is required');
    if (typeof o.origin !== 'string') bad(i, '"origin" (a string) is required');
    if (o.expect !== 'pass' && o.expect !== 'blocked') bad(i, '"expect" must be "pass" or "blocked"');
    const at = (f: () => unknown) => {
      try {
        return f();
      } catch (e) {
        if (e instanceof UsageError) bad(i, e.message);
        throw e;
      }
    };
    const url = at(() => parseTargetUrl(o.url as string)) as string;
    const origin = at(() => parseOrigin(o.origin as string)) as string;
    if (o.method !== undefined && typeof o.method !== 'string') bad(i, '"method" must be a string');
    const method = at(() => normalizeMethod((o.method as string | undefined) ?? 'GET')) as string;
    let headerLines: string[] = [];
    if (o.headers !== undefined) {
      if (Array.isArray(o.headers) && o.headers.every((h) => typeof h === 'string')) headerLines = o.headers;
      else if (
        o.headers &&
        typeof o.headers === 'object' &&
        !Array.isArray(o.headers) &&
        Object.values(o.headers).every((v) => typeof v === 'string')
      )
        headerLines = Object.entries(o.headers as Record<string, string>).map(([k, v]) => `${k}: ${v}`);
      else bad(i, '"headers" must be an object of strings or an array of "Name: value" strings');
    }
    const headers = headerLines.map((h) => at(() => parseHeader(h)) as ProbeOptions['headers'][number]);
    if (o.credentials !== undefined && o.credentials !== 'include' && o.credentials !== 'omit')
      bad(i, '"credentials" must be "include" or "omit"');
    if (o.cookie !== undefined && typeof o.cookie !== 'string') bad(i, '"cookie" must be a string');
    const cookie =
      o.cookie === undefined
        ? undefined
        : (at(() =>
            parseCookie(o.cookie as string, (o.credentials as 'include' | 'omit' | undefined) ?? 'omit'),
          ) as string);
    if (o.send !== undefined && typeof o.send !== 'boolean') bad(i, '"send" must be true or false');
    if (o.name !== undefined && typeof o.name !== 'string') bad(i, '"name" must be a string');
    const name = o.name ?? `${method} ${url} from ${origin}`;
    return {
      name,
      expect: o.expect,
      probe: {
        command: 'probe',
        url,
        origin,
        method,
        headers,
        credentials: o.credentials ?? 'omit', // an expectation is one request: fetch's default credentials mode sends none cross-origin
        ...(cookie !== undefined ? { cookie } : {}),
        send: o.send === true,
        stack: null,
        format: 'text',
        timeoutMs,
        search: true,
      },
    };
  });
}

function describe(r: ProbeResult): string {
  const v = r.entry.verdict;
  const cause = v.cause ? ` [${v.cause.code}]` : '';
  if (v.outcome === 'pending') return 'not decided: the actual request was not sent (set "send": true)';
  const accepted = r.search?.accepted.length ? `; the server accepts ${r.search.accepted.join(', ')}` : '';
  return `${v.outcome}: ${verdictSummary(v)}${cause}${accepted}`;
}

async function runOne(e: Expectation): Promise<CheckOutcome> {
  const t0 = Date.now();
  try {
    const r = await runProbe(e.probe);
    const outcome = r.entry.verdict.outcome;
    const ok = outcome === e.expect;
    return { expectation: e, ok, line: `${describe(r)}${ok ? '' : ` (expected ${e.expect})`}`, ms: Date.now() - t0 };
  } catch (err) {
    const msg = err instanceof UsageError ? err.message : `internal error: ${(err as Error).message}`;
    return { expectation: e, ok: false, line: `${msg} (expected ${e.expect})`, ms: Date.now() - t0 };
  }
}

/** Runs `items` through `fn` with at most `limit` at a time; results in input order. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function xml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export function junitXml(results: CheckOutcome[]): string {
  const failures = results.filter((r) => !r.ok).length;
  const time = (ms: number) => (ms / 1000).toFixed(3);
  const cases = results.map((r) => {
    const head = `  <testcase classname="cors-lens" name="${xml(r.expectation.name)}" time="${time(r.ms)}"`;
    return r.ok
      ? `${head}/>`
      : `${head}>\n    <failure message="${xml(r.line)}" type="cors-lens">${xml(r.line)}</failure>\n  </testcase>`;
  });
  const total = results.reduce((n, r) => n + r.ms, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="cors-lens check" tests="${results.length}" failures="${failures}" errors="0" time="${time(total)}">\n${cases.join('\n')}\n</testsuite>\n`;
}

export async function runCheck(opts: CheckOptions, io: Io): Promise<number> {
  let text: string;
  try {
    text = await readFile(opts.file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${opts.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const expectations = parseExpectations(text, opts.timeoutMs);
  const results = await pool(expectations, opts.concurrency, async (e) => {
    const r = await runOne(e);
    return r;
  });
  for (const r of results) io.stdout(`${r.ok ? '✓' : '✗'} ${r.expectation.name} — ${r.line}\n`);
  const failed = results.filter((r) => !r.ok).length;
  io.stdout(`${results.length - failed} passed, ${failed} failed\n`);
  if (opts.junit) {
    try {
      await writeFile(opts.junit, junitXml(results));
    } catch (e) {
      io.stderr(
        `cors-lens: cannot write ${opts.junit}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`,
      );
      return 2;
    }
  }
  return failed ? 1 : 0;
}
