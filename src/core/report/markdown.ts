// Markdown for a GitHub issue or a Slack thread: what failed, the headers side by side, the root
// cause in plain words (from the cause catalogue), what the browsers say, the fix, and a curl
// reproduction. Every page-controlled value goes through text()/code()/fence(): a hostile header
// value cannot end a table cell or a code block, or inject HTML into a renderer.
import { countsAsBlocked, uncertainSentence } from '../outcome';
import { getHeader, headerValues } from '../headers';
import type { LogEntry, OriginStats } from '../log';
import type { Header } from '../types';
import type { EvidenceRow, Outcome } from '../verdict';
import { probeMarkdown } from '../probe/report';
import { describeCause } from '../causes';
import { curlForEntry } from './curl';
import { probeCommand } from './probe-command';
import { buildReport, cliUncertainSummary, entriesFromReport, type ReportCause, type ReportEntry } from './json';
import { describeRedaction, type RedactionSummary } from './redact';
import type { ExportInput, ExportOptions } from './types';

// --- escaping ----------------------------------------------------------------------------------

/** One line of inert text: control characters flattened, Markdown/HTML punctuation backslash-escaped. */
export function text(s: string): string {
  // Enough to keep text literal in CommonMark/GFM (emphasis, code, links, HTML, tables, strikethrough,
  // entities, GitHub math) while staying readable where Markdown is shown raw (Slack).
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/[\\`*_[\]<>|~&$]/g, (c) => `\\${c}`);
}

/**
 * An inline code span that survives any content: the backtick fence is longer than any run inside
 * (CommonMark code spans). In a table cell `|` must be escaped even inside code, and a backslash
 * before it would change meaning, so a value containing a backslash is written as escaped text.
 */
export function code(s: string, inTable = false): string {
  const flat = s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
  if (flat === '') return '""';
  if (inTable && flat.includes('\\')) return text(flat);
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fenceStr = '`'.repeat(longest + 1);
  const body = inTable ? flat.replace(/\|/g, '\\|') : flat;
  const pad = /^[` ]|[` ]$/.test(body) ? ' ' : '';
  return `${fenceStr}${pad}${body}${pad}${fenceStr}`;
}

/** A fenced code block whose fence no line of `body` can close. */
/** Fence info (syntax highlighting) for the snippet stacks we know; unknown stacks get none. */
const LANG: Record<string, string> = {
  fastapi: 'python',
  starlette: 'python',
  flask: 'python',
  django: 'python',
  python: 'python',
  express: 'js',
  fastify: 'js',
  koa: 'js',
  hono: 'js',
  node: 'js',
  nextjs: 'js',
  nginx: 'nginx',
  apache: 'apache',
  caddy: 'caddy',
  spring: 'java',
  aspnet: 'csharp',
  rails: 'ruby',
  go: 'go',
  php: 'php',
  laravel: 'php',
};

export function fence(body: string, info = ''): string {
  const clean = body.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ');
  const longest = Math.max(0, ...(clean.match(/`+|~+/g) ?? []).map((r) => r.length));
  const f = '`'.repeat(Math.max(3, longest + 1));
  return `${f}${info.replace(/[^a-z0-9-]/gi, '')}\n${clean}\n${f}`;
}

const cell = (v: string | null | undefined) => (v === null || v === undefined ? '—' : code(v, true));
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
function table(head: string[], rows: string[][]): string {
  return [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
}

// --- pieces ------------------------------------------------------------------------------------

const RESULT: Record<EvidenceRow['result'], string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  warn: '⚠️ warn',
  info: 'ℹ️ info',
};
const OUTCOME: Record<Outcome, string> = {
  blocked: '❌',
  uncertain: '❓',
  pass: '✅',
  'not-cors': '⚠️',
  pending: '⏳',
};

function status(code: number | null | undefined): string {
  return code === null || code === undefined ? 'no response' : String(code);
}

/** The one-line summary: what happened and why, in words. */
export function oneLine(r: ReportEntry, cli = false): string {
  const v = r.verdict;
  if (v.outcome === 'blocked') {
    const what = v.symptom ? v.symptom.short : 'blocked';
    return v.cause ? `Blocked by CORS (${what}): ${v.cause.title}` : `Blocked by CORS: ${v.summary}`;
  }
  if (v.outcome === 'uncertain' && cli) return cliUncertainSummary(v);
  if (v.outcome === 'uncertain') {
    const what = v.symptom ? ` (${v.symptom.short})` : '';
    return `${uncertainSentence(v)} — the browser gave no failure signal and the credentials mode is not visible${v.cause ? `. If blocked${what}: ${v.cause.title}` : ''}`;
  }
  if (v.outcome === 'not-cors') return v.cause ? v.cause.title : `Not CORS: ${v.networkError ?? 'network error'}`;
  if (v.outcome === 'pass')
    return v.warnings.length
      ? `Allowed, with ${v.warnings.length} warning${v.warnings.length > 1 ? 's' : ''}`
      : 'Allowed';
  return 'Pending';
}

function causeBlock(c: ReportCause, heading: string): string {
  return `${heading} ${text(c.title)} (${c.confidence})\n\n${text(c.explanation)}`;
}

/** Origin and Access-Control-Request-* against every Access-Control-* of the preflight and the response. */
function headerTable(e: LogEntry): string {
  const ex = e.exchange;
  const v = e.verdict;
  const pre = ex.preflights[ex.preflights.length - 1];
  const hopIndex = v.symptom && v.symptom.stage !== 'preflight' ? v.symptom.hopIndex : ex.hops.length - 1;
  const hop = ex.hops[hopIndex] ?? ex.hops[ex.hops.length - 1];
  const sent: Header[] = pre?.hop.requestHeaders ?? hop?.requestHeaders ?? [];
  const preRes = pre?.hop.responseHeaders;
  const res = hop?.responseHeaders;
  const answered = !!hop && (hop.statusCode !== undefined || !!res);
  const resCell = (n: string) => (answered ? cell(getHeader(res, n)) : '');
  const rows: string[][] = [];
  rows.push([
    'Status',
    '',
    pre ? cell(pre.hop.statusCode === undefined ? null : String(pre.hop.statusCode)) : 'no preflight',
    answered && hop?.statusCode !== undefined ? cell(String(hop.statusCode)) : 'not sent / no response',
  ]);
  const requestSide = ['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers'];
  for (const name of requestSide) {
    const val = getHeader(sent, name) ?? (name === 'Origin' ? getHeader(hop?.requestHeaders, 'origin') : null);
    if (val === null && name !== 'Origin') continue;
    rows.push([code(name, true), cell(val), '', '']);
  }
  // Every Access-Control-* the server sent on either response, in first-seen order, plus Vary.
  const names: string[] = [];
  const add = (hs: Header[] | undefined) => {
    for (const h of hs ?? []) {
      const n = h.name.toLowerCase();
      if ((n.startsWith('access-control-') || n === 'vary') && !names.some((x) => x.toLowerCase() === n))
        names.push(h.name);
    }
  };
  add(preRes);
  add(res);
  // The header the verdict is about always gets a row, present or not.
  for (const r of v.evidence)
    if (/^access-control-/i.test(r.field) && !names.some((x) => x.toLowerCase() === r.field.toLowerCase()))
      names.push(r.field);
  if (!names.some((n) => n.toLowerCase() === 'access-control-allow-origin'))
    names.unshift('Access-Control-Allow-Origin');
  for (const n of names) {
    const inPre = pre ? (headerValues(preRes, n).length ? getHeader(preRes, n) : null) : undefined;
    rows.push([code(n, true), '', pre ? cell(inPre) : '', resCell(n)]);
  }
  return table(['Header', 'Sent by the browser', 'Preflight response', 'Response'], rows);
}

function evidenceTable(rows: EvidenceRow[]): string {
  return table(
    ['Result', 'Stage', 'Rule', 'Header / field', 'Needed', 'Sent'],
    rows.map((r) => [
      RESULT[r.result] ?? text(r.result),
      `${text(r.stage)}${r.hopIndex ? ` (hop ${r.hopIndex})` : ''}`,
      r.spec && /^https:\/\//.test(r.spec) && !/[\s()<>[\]]/.test(r.spec)
        ? `[${text(r.rule)}](${r.spec})`
        : text(r.rule),
      code(r.field, true),
      cell(r.needed),
      cell(r.sent),
    ]),
  );
}

function entrySection(e: LogEntry, r: ReportEntry, level: number, cli = false): string {
  const h = '#'.repeat(level);
  const ex = e.exchange;
  const v = r.verdict;
  const out: string[] = [];
  out.push(`${h} ${OUTCOME[v.outcome] ?? ''} ${code(`${ex.method} ${ex.url}`)}`);
  out.push(`**${text(oneLine(r, cli))}**`);

  const facts: string[] = [];
  facts.push(`- **Page origin:** ${ex.pageOrigin ? code(ex.pageOrigin) : 'unknown'}`);
  const last = ex.hops[ex.hops.length - 1];
  facts.push(
    `- **Request:** ${code(`${ex.method} ${ex.url}`)} (${text(ex.type)}) → ${status(last?.statusCode)}${ex.error ? `, ${code(ex.error)}` : ''}`,
  );
  if (ex.preflights.length) {
    for (const p of ex.preflights) {
      facts.push(
        `- **Preflight:** ${code(`OPTIONS ${p.hop.url}`)} → ${status(p.hop.statusCode)}${p.redirectedTo ? ` redirected to ${code(p.redirectedTo)}` : ''}${p.error ? `, ${code(p.error)}` : ''}`,
      );
    }
  } else {
    const pf = e.verdict.preflight;
    facts.push(
      `- **Preflight:** ${pf.fromCache ? 'needed but not sent: answered from the browser’s preflight cache' : pf.needed === true ? 'needed, not seen' : pf.needed === false ? 'not needed (simple request)' : 'none seen'}`,
    );
  }
  if (e.verdict.preflight.reasons.length)
    facts.push(`- **Why a preflight:** ${e.verdict.preflight.reasons.map(text).join('; ')}`);
  for (const [i, rd] of r.redirects.entries())
    facts.push(
      `- **Redirect ${i + 1}:** ${status(rd.status)} → ${rd.location ? code(rd.location) : code(rd.followed.url)}`,
    );
  facts.push(`- **Credentials mode:** ${text(v.credentials)}`);
  if (v.symptom)
    facts.push(
      `- **Chromium CorsError:** ${code(v.symptom.corsError)}${v.symptom.failedParameter ? ` (failed parameter ${code(v.symptom.failedParameter)})` : ''}${v.symptom.firefoxReason ? ` · **Firefox reason:** ${code(v.symptom.firefoxReason)}` : ''}`,
    );
  if (v.networkError) facts.push(`- **Network error:** ${code(v.networkError)}`);
  out.push(facts.join('\n'));

  if (v.cause) out.push(causeBlock(v.cause, `${h}# Root cause:`));
  const probeLines = probeMarkdown(
    e.verdict,
    text,
    (x) => code(x),
    (c) => describeCause(c).title,
  );
  if (probeLines.length) out.push(probeLines.join('\n'));
  if (v.branches?.length) {
    out.push(
      `${h}# Depends on the credentials mode\n\nThe browser extension API does not show whether the page sent the request with credentials, so both cases:\n\n` +
        v.branches
          .map(
            (b) =>
              `- **${b.assumption === 'credentials-include' ? 'With credentials' : 'Without credentials'}:** ${text(b.outcome)}${b.cause ? ` — ${text(b.cause.title)}. ${text(b.cause.explanation)}` : ''}${b.symptom ? ` (${code(b.symptom.corsError)}${b.symptom.firefoxReason ? `, Firefox ${code(b.symptom.firefoxReason)}` : ''})` : ''}`,
          )
          .join('\n'),
    );
  }
  if (v.symptom) {
    const says = [`${h}# What the browsers say`, '', `Chrome console:`, '', `> ${code(v.symptom.chromeConsole)}`];
    if (v.symptom.firefoxText)
      says.push(
        '',
        'Firefox console:',
        '',
        `> ${code(`Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${ex.hops[v.symptom.hopIndex]?.url ?? ex.url}. (Reason: ${v.symptom.firefoxText}).`)}`,
      );
    out.push(says.join('\n'));
  }
  out.push(`${h}# Headers side by side\n\n${headerTable(e)}\n\n— = header not sent.`);
  if (v.evidence.length) out.push(`${h}# Checks (Fetch standard)\n\n${evidenceTable(e.verdict.evidence)}`);
  if (v.warnings.length)
    out.push(
      `${h}# Warnings\n\n${v.warnings.map((w) => `- **${text(w.title)}** — ${text(w.explanation)}`).join('\n')}`,
    );
  if (r.snippets.length) {
    out.push(
      `${h}# Fix\n\n${r.snippets.map((s) => `**${text(s.label)}**\n\n${fence(s.code, LANG[s.stack.toLowerCase()] ?? '')}`).join('\n\n')}`,
    );
  }
  out.push(`${h}# Reproduce with curl\n\n${fence(curlForEntry(e), 'sh')}`);
  const probe = probeCommand(e);
  if (probe) out.push(`${h}# Check from a terminal with cors-lens\n\n${fence(probe, 'sh')}`);
  return out.join('\n\n');
}

function footer(
  generator: { version: string; browser: string; browserVersion: string },
  createdAt: string,
  redaction: RedactionSummary,
): string {
  const browser =
    generator.browser === 'unknown'
      ? ''
      : ` · ${generator.browser === 'chrome' ? 'Chrome' : 'Firefox'} ${text(generator.browserVersion)}`;
  const red = redaction.enabled
    ? redaction.items.length
      ? `Redacted: ${text(describeRedaction(redaction))}`
      : 'No secrets found to redact'
    : '**Secrets included** (not redacted)';
  return `---\n_Exported by CORS Lens ${text(generator.version)}${browser} · ${createdAt} · ${red}_`;
}

function originsTable(origins: OriginStats[]): string {
  return table(
    ['Server origin', 'Page origin', 'Allowed', 'Blocked', 'Other', 'Last seen'],
    origins.map((o) => [
      code(o.target, true),
      code(o.page, true),
      String(o.pass),
      String(o.blocked),
      String(o.other),
      o.lastSeen > 0 ? new Date(o.lastSeen).toISOString() : '—',
    ]),
  );
}

/** Lines beyond this in list tables are summarised ("… and N more"). */
const LIST_LIMIT = 500;

export function markdownReport(input: ExportInput, opts: ExportOptions = {}): string {
  const report = buildReport(input, opts);
  // Sections render from the same redacted data as the JSON report (the rebuild is lossless).
  const entries = entriesFromReport(report);
  const parts: string[] = [];
  if (input.scope === 'selected') {
    const e = entries[0];
    const r = report.entries[0];
    parts.push(e && r ? entrySection(e, r, 2, opts.cli === true) : '## CORS Lens\n\nNo request selected.');
  } else if (input.scope === 'blocked') {
    const blocked = entries
      .map((e, i) => [e, report.entries[i]!] as const)
      .filter(([e]) => countsAsBlocked(e.verdict.outcome));
    const maybe = blocked.filter(([e]) => e.verdict.outcome === 'uncertain').length;
    parts.push(
      `## CORS Lens: ${blocked.length} blocked request${blocked.length === 1 ? '' : 's'}${maybe ? ` (${maybe} of them ❓ blocked if credentialed: the browser gave no failure signal)` : ''}`,
    );
    if (blocked.length) {
      parts.push(
        table(
          ['#', 'Method', 'URL', 'Page origin', 'Symptom', 'Cause'],
          blocked
            .slice(0, LIST_LIMIT)
            .map(([e, r], i) => [
              String(i + 1),
              code(e.exchange.method, true),
              cell(e.exchange.url),
              cell(e.exchange.pageOrigin ?? null),
              (e.verdict.outcome === 'uncertain' ? '❓ ' : '') +
                (r.verdict.symptom ? code(r.verdict.symptom.corsError, true) : '—'),
              r.verdict.cause ? text(r.verdict.cause.title) : text(r.verdict.summary),
            ]),
        ) + (blocked.length > LIST_LIMIT ? `\n\n… and ${blocked.length - LIST_LIMIT} more (see the JSON export).` : ''),
      );
      for (const [i, [e, r]] of blocked.slice(0, LIST_LIMIT).entries())
        parts.push(entrySection(e, r, 3, opts.cli === true).replace(/^### /, `### ${i + 1}. `));
    }
  } else {
    const origins = report.origins ?? [];
    parts.push(`## CORS Lens: requests per origin`);
    parts.push(origins.length ? originsTable(origins) : 'No requests recorded.');
    const blocked = entries
      .map((e, i) => [e, report.entries[i]!] as const)
      .filter(([e]) => countsAsBlocked(e.verdict.outcome));
    if (blocked.length) {
      parts.push(
        `### Blocked requests in the log\n\n` +
          table(
            ['Method', 'URL', 'Page origin', 'Verdict'],
            blocked
              .slice(0, LIST_LIMIT)
              .map(([e, r]) => [
                code(e.exchange.method, true),
                cell(e.exchange.url),
                cell(e.exchange.pageOrigin ?? null),
                text(r.verdict.summary),
              ]),
          ) +
          (blocked.length > LIST_LIMIT ? `\n\n… and ${blocked.length - LIST_LIMIT} more (see the JSON export).` : ''),
      );
    }
  }
  parts.push(footer(report.generator, report.createdAt, report.redaction));
  return `${parts.join('\n\n')}\n`;
}
