// curl commands that replay what the browser sent, so the server owner sees the same response
// from a terminal: the preflight (OPTIONS with Origin and Access-Control-Request-*) and the
// actual request (method, headers, Origin). POSIX-shell quoted: nothing in a value can end the
// quoting, start an option or run a command.
import { countsAsBlocked } from '../outcome';
import { getHeader } from '../headers';
import type { LogEntry } from '../log';
import type { Header } from '../types';
import { redactEntries, REDACTED } from './redact';
import type { ExportInput, ExportOptions } from './types';

/** Single-quotes `s` for a POSIX shell: `'` becomes `'\''`; NUL (cannot be in argv) and line breaks are replaced. */
export function shellQuote(s: string): string {
  const clean = s.replace(/\u0000/g, '').replace(/[\r\n]+/g, ' ');
  return `'${clean.replace(/'/g, `'\\''`)}'`;
}

/** Header lines curl must not be told: it computes them itself, or they would garble the output. */
const SKIP = new Set([
  'host',
  'content-length',
  'connection',
  'accept-encoding',
  'transfer-encoding',
  'keep-alive',
  'upgrade',
  'te',
  'expect',
]);

/** Request headers a page cannot set (the browser adds them): not part of Access-Control-Request-Headers. */
function browserManaged(name: string): boolean {
  const n = name.toLowerCase();
  return (
    SKIP.has(n) ||
    [
      'origin',
      'referer',
      'cookie',
      'user-agent',
      'accept-language',
      'dnt',
      'priority',
      'pragma',
      'cache-control',
    ].includes(n) ||
    n.startsWith('sec-') ||
    n.startsWith('proxy-')
  );
}

/** https://fetch.spec.whatwg.org/#cors-safelisted-request-header (approximation: the value checks that matter). */
function safelisted(h: Header): boolean {
  const n = h.name.toLowerCase();
  if (n === 'accept' || n === 'accept-language' || n === 'content-language') return h.value.length <= 128;
  if (n === 'content-type') {
    const essence = h.value.split(';')[0]!.trim().toLowerCase();
    return ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'].includes(essence);
  }
  if (n === 'range') return /^bytes=\d*-\d*$/.test(h.value.trim());
  return false;
}

/** A `-H` argument. curl reads `-H @file` from a file, so a line must never start with "@". */
function headerArg(h: Header): string {
  const name = h.name.replace(/^@+/, '');
  // curl: "Name:" removes the header, "Name;" sends it empty.
  return h.value === '' ? `${name};` : `${name}: ${h.value}`;
}

function command(method: string, url: string, headers: Header[]): string {
  const lines = [`curl -sS -i --globoff -X ${shellQuote(method)}`];
  for (const h of headers) lines.push(`-H ${shellQuote(headerArg(h))}`);
  lines.push(`--url ${shellQuote(url)}`);
  return lines.join(' \\\n  ');
}

function comment(s: string): string {
  return s
    .split(/\r?\n|\r/)
    .map((l) => `# ${l.replace(/[\u0000-\u001f\u007f]/g, ' ')}`)
    .join('\n');
}

/** The preflight headers: as seen on the wire, else derived from the actual request (answered from cache). */
function preflightHeaders(e: LogEntry): { headers: Header[]; seen: boolean } | null {
  const ex = e.exchange;
  const pre = ex.preflights[ex.preflights.length - 1];
  if (pre?.hop.requestHeaders?.length) {
    return { headers: pre.hop.requestHeaders.filter((h) => !SKIP.has(h.name.toLowerCase())), seen: true };
  }
  if (!pre && e.verdict.preflight.needed !== true) return null;
  const first = ex.hops[0]?.requestHeaders ?? [];
  const origin = getHeader(first, 'origin') ?? ex.pageOrigin;
  const names = [
    ...new Set(first.filter((h) => !browserManaged(h.name) && !safelisted(h)).map((h) => h.name.toLowerCase())),
  ].sort();
  const headers: Header[] = [];
  if (origin) headers.push({ name: 'Origin', value: origin });
  headers.push({ name: 'Access-Control-Request-Method', value: ex.method });
  if (names.length) headers.push({ name: 'Access-Control-Request-Headers', value: names.join(',') });
  return { headers, seen: false };
}

/** The curl script for one entry (already redacted by the caller). */
export function curlForEntry(e: LogEntry): string {
  const ex = e.exchange;
  const first = ex.hops[0];
  const out: string[] = [comment(`CORS Lens: ${ex.method} ${ex.url}${ex.pageOrigin ? ` from ${ex.pageOrigin}` : ''}`)];
  const pre = preflightHeaders(e);
  if (pre) {
    const preUrl = ex.preflights[ex.preflights.length - 1]?.hop.url ?? ex.url;
    out.push(
      comment(
        pre.seen
          ? 'Preflight, as the browser sent it:'
          : 'Preflight (not on the wire: answered from the browser cache; rebuilt from the request):',
      ),
    );
    out.push(command('OPTIONS', preUrl, pre.headers));
  }
  const headers = (first?.requestHeaders ?? (ex.pageOrigin ? [{ name: 'Origin', value: ex.pageOrigin }] : [])).filter(
    (h) => !SKIP.has(h.name.toLowerCase()),
  );
  out.push(
    comment(
      pre ? 'Actual request (the browser sends it only if the preflight passes):' : 'Request, as the browser sent it:',
    ),
  );
  out.push(command(first?.method ?? ex.method, first?.url ?? ex.url, headers));
  const notes: string[] = [];
  if (!first?.requestHeaders) {
    const acrh = pre ? getHeader(pre.headers, 'access-control-request-headers') : null;
    notes.push(
      `The browser never sent this request${pre ? ' (the preflight failed)' : ''}, so its headers are unknown: only Origin is set.${acrh ? ` The page also sends: ${acrh}.` : ''}`,
    );
  }
  if (!['GET', 'HEAD', 'OPTIONS'].includes(ex.method.toUpperCase()))
    notes.push('The request body is not visible to extensions: add it with --data if the server needs it.');
  if (JSON.stringify(headers).includes(REDACTED) || ex.url.includes(REDACTED))
    notes.push(`Values shown as ${REDACTED} were redacted: put the real ones back to reproduce exactly.`);
  if (ex.hops.length > 1)
    notes.push(
      `The browser followed ${ex.hops.length - 1} redirect(s): ${ex.hops
        .slice(1)
        .map((h) => h.url)
        .join(' -> ')}; curl shows the first response (add -L to follow).`,
    );
  if (notes.length) out.push(comment(notes.join('\n')));
  return out.join('\n');
}

export function curlReport(input: ExportInput, opts: ExportOptions = {}): string {
  const { entries } = redactEntries(input.entries, opts);
  const chosen = input.scope === 'selected' ? entries : entries.filter((e) => countsAsBlocked(e.verdict.outcome));
  if (chosen.length === 0) return `${comment('CORS Lens: no blocked requests to reproduce.')}\n`;
  return `${chosen.map(curlForEntry).join('\n\n')}\n`;
}
