// What every stack's snippet says in the same words: the header comment (why), the notes that
// are not config (fix the crash, call the final URL), the title, and the minimal-change diff.

import { describeCause } from '../causes';
import { unifiedDiff } from './diff';
import { ORIGIN_PLACEHOLDER } from './input';
import type { CorsConfig, Snippet, SnippetInput, SnippetPart, StackGenerator } from './types';

/** Structural steps a plain allow-list diff cannot express. */
const STRUCTURAL = new Set([
  'errors-carry-cors',
  'preflight-before-auth',
  'answer-preflight',
  'single-allow-origin',
  'private-network',
]);

export function causeTitle(input: SnippetInput): string | null {
  if (!input.cause) return null;
  const t = describeCause({
    code: input.cause.code,
    confidence: input.cause.confidence,
    facts: {
      origin: input.origin,
      method: input.added.methods[0] ?? input.requestMethods[0] ?? input.method,
      header: (input.added.headers.length ? input.added.headers : input.requestHeaders).join(', '),
      status: String(input.status ?? ''),
      location: input.location ?? '',
      sent: input.observed?.allowOrigin ?? '',
      target: input.target,
      error: '',
    },
  }).title;
  return t
    .replace(/\{\w+\}/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The why-lines every snippet starts with (each stack wraps them in its comment syntax). */
export function whyLines(input: SnippetInput): string[] {
  const c = input.config;
  const out: string[] = [];
  const t = causeTitle(input);
  out.push(`CORS Lens fix for ${input.method} ${input.path} from ${input.origin}${t ? `: ${t}` : ''}.`);
  const adds: string[] = [];
  if (input.added.methods.length) adds.push(`method ${input.added.methods.join(', ')}`);
  if (input.added.headers.length) adds.push(`header ${input.added.headers.join(', ')}`);
  if (input.added.credentials) adds.push('credentials');
  if (input.current && adds.length)
    out.push(`Adds ${adds.join('; ')}: this request needs ${adds.length > 1 ? 'them' : 'it'}.`);
  if (c.credentials)
    out.push('Credentials: exact origins only, never "*" (browsers ignore "*" when cookies are sent).');
  else out.push('Exact origin: scheme, host and port, no trailing slash.');
  if (input.steps.includes('errors-carry-cors'))
    out.push('Error responses carry CORS headers too, so the page sees the real error; then fix the crash.');
  if (input.steps.includes('preflight-before-auth'))
    out.push('Preflights (OPTIONS) are answered before authentication: browsers never send credentials on them.');
  if (input.steps.includes('answer-preflight'))
    out.push('OPTIONS preflights get an answer (2xx with the allow-lists) instead of 404/405.');
  return out;
}

/** Comment lines in the stack's syntax, wrapped at word boundaries so the panel needs no scrolling. */
export function comment(lines: string[], prefix: string, width = 96): string {
  const out: string[] = [];
  for (const line of lines) {
    let cur = '';
    for (const word of line.split(' ')) {
      if (cur && prefix.length + 1 + cur.length + 1 + word.length > width) {
        out.push(`${prefix} ${cur}`);
        cur = word;
      } else cur = cur ? `${cur} ${word}` : word;
    }
    out.push(`${prefix} ${cur}`);
  }
  return out.join('\n');
}

/** Plain-text steps shown next to the code. `extra` are the stack's own. */
export function notes(input: SnippetInput, extra: string[] = []): string[] {
  const out: string[] = [];
  const s = input.steps;
  if (!input.originKnown)
    out.push(`The page origin was not visible: replace ${ORIGIN_PLACEHOLDER} with your front end's exact origin.`);
  if (s.includes('fix-crash'))
    out.push(
      `The server failed with ${input.status ?? '5xx'}: the CORS error only hides a crash. Find the exception in the server log and fix it; the snippet makes such errors readable by the page.`,
    );
  if (s.includes('stop-redirect'))
    out.push(
      `The preflight was redirected${input.location ? ` to ${input.location}` : ''}. Browsers never follow redirects on a preflight: call ${input.location ?? 'the final URL'} directly from the page (often a trailing slash or http→https), or stop the server redirecting OPTIONS.`,
    );
  if (s.includes('redirect-cors'))
    out.push(
      `The request was redirected${input.location ? ` to ${input.location}` : ''} and the redirect response has no valid CORS headers. Call the final URL directly, or make the redirect response carry CORS headers too (after a cross-origin redirect the Origin becomes "null").`,
    );
  if (s.includes('single-allow-origin'))
    out.push(
      'Access-Control-Allow-Origin is sent twice: usually a proxy and the app both add it. Configure CORS in exactly one layer and remove it from the other.',
    );
  if (s.includes('private-network'))
    out.push(
      'Local Network Access: serve the page over HTTPS, and answer the preflight with Access-Control-Allow-Private-Network: true.',
    );
  if (input.credentials === 'maybe')
    out.push(
      'CORS Lens cannot see whether the page sends cookies (credentials: "include"). If it does, also allow credentials: the exact origin in this snippet already permits that.',
    );
  if (input.config.otherOrigins)
    out.push(
      `Your server already allows other origins (CORS headers are present, just not for ${input.origin}): keep them in the list.`,
    );
  for (const m of input.requestMethods)
    if (m !== m.toUpperCase())
      out.push(
        `fetch() sends "${m}" exactly as written (only DELETE, GET, HEAD, OPTIONS, POST and PUT are upper-cased), and methods match case-sensitively. The snippet allows "${m}"; writing method: "${m.toUpperCase()}" in the page is cleaner.`,
      );
  if (input.warnings.includes('warn-reflect-any-origin-credentials'))
    out.push(
      "Unsafe today: the server seems to echo any Origin together with Access-Control-Allow-Credentials: true, so any website can read your users' data. The snippet uses a fixed list of origins instead.",
    );
  if (input.warnings.includes('warn-wildcard-authorization'))
    out.push(
      'Access-Control-Allow-Headers "*" does not cover Authorization by the standard: the snippet lists it explicitly.',
    );
  if (input.cause?.source === 'derived') out.push('The cause was inferred by CORS Lens from the response headers.');
  return [...out, ...extra];
}

export function title(input: SnippetInput): string {
  const parts = [`Allow ${input.origin}`];
  if (input.added.methods.length) parts.push(`add ${input.added.methods.join(', ')}`);
  if (input.added.headers.length) parts.push(`add ${input.added.headers.join(', ')}`);
  if (input.config.credentials) parts.push('with credentials');
  if (input.steps.includes('errors-carry-cors')) parts.push('CORS on errors');
  if (input.steps.includes('preflight-before-auth')) parts.push('preflight before auth');
  return parts.join(' · ');
}

/** "Copy as diff": the minimal change from the observed config, when it is known and expressible. */
export function minimalDiff(gen: StackGenerator, input: SnippetInput): string | null {
  if (!input.current) return null;
  if (input.steps.some((s) => STRUCTURAL.has(s))) return null;
  // Going from "*" to exact origins is a rewrite where the stack spells "any origin" differently.
  if (input.current.origins.includes('*') && !gen.wildcardList) return null;
  return unifiedDiff(gen.config(input.current, input), gen.config(input.config, input), gen.file);
}

export function snippet(
  gen: StackGenerator,
  input: SnippetInput,
  parts: SnippetPart[],
  extraNotes: string[] = [],
  diff: string | null = minimalDiff(gen, input),
): Snippet {
  return {
    stack: gen.id,
    label: gen.label,
    language: gen.language,
    title: title(input),
    parts,
    notes: notes(input, extraNotes),
    diff,
    docs: gen.docs,
  };
}

// ---- quoting for each language (values come from hostile headers: escape everything) ----

/** A double-quoted string literal valid in Python, JS/TS, Java, C#, Go and Ruby. */
export function dq(s: string): string {
  return (
    '"' +
    [...s]
      .map((ch) => {
        const c = ch.codePointAt(0)!;
        if (ch === '"' || ch === '\\') return '\\' + ch;
        if (ch === '#') return ch; // Ruby interpolation needs "#{": escaped below
        if (c < 0x20 || c === 0x7f) return `\\u${c.toString(16).padStart(4, '0')}`;
        if (c > 0x7e) return `\\u${c.toString(16).padStart(4, '0')}`;
        return ch;
      })
      .join('')
      .replace(/#\{/g, '\\#{') +
    '"'
  );
}

/** A single-quoted JS string. */
export function sq(s: string): string {
  return (
    "'" +
    [...s]
      .map((ch) => {
        const c = ch.codePointAt(0)!;
        if (ch === "'" || ch === '\\') return '\\' + ch;
        if (c < 0x20 || c > 0x7e) return `\\u{${c.toString(16)}}`;
        return ch;
      })
      .join('') +
    "'"
  );
}

/** Header tokens/origins safe to put inside a config-file string (nginx, Apache, Caddy). */
export function configSafe(s: string): string {
  return s.replace(/[^A-Za-z0-9!#&*+\-.^_`|~:/[\]@ ,]/g, '');
}

export function isLocalDev(origin: string): boolean {
  return /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(origin);
}

/** Indents every line of `code` by `n` spaces. */
export function indent(code: string, n: number): string {
  const pad = ' '.repeat(n);
  return code
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}

export type { CorsConfig };
