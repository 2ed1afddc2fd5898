// The probe's result in the three output formats: text for a terminal, and the panel's own JSON
// and Markdown exports (src/core/report) for files, issues and CI artefacts.
import { describeCause, CONFIDENCE_TEXT } from '../core/causes';
import { describeOriginDifference } from '../core/origin-difference';
import { asCliReport, buildReport, symptomText } from '../core/report/json';
import { markdownReport } from '../core/report/markdown';
import { shellQuote } from '../core/report/curl';
import { UNSEEN_VALUE } from '../core/report/probe-command';
import type { ReportEnv, Snippet as ReportSnippet } from '../core/report/types';
import { buildSnippetInput, detectStacks, generateSnippet } from '../core/snippets';
import { reportSnippets, snippetText } from '../core/snippets/report';
import type { StackId } from '../core/snippets/types';
import { OUTCOME_RESULT, outcomeResult, uncertainSentence } from '../core/outcome';
import { verdictSummary } from '../core/summary';
import type { LogEntry } from '../core/log';
import type { ProbeOptions } from './args';
import type { ProbeResult } from './probe';
import { USER_AGENT } from './simulate';
import { version } from '../../package.json';

export const CLI_VERSION: string = version;

export function cliEnv(): ReportEnv {
  return {
    extensionVersion: `${CLI_VERSION} (cors-lens CLI, Node ${process.versions.node})`,
    browser: 'chrome',
    browserVersion: "rules (no browser: Chromium's checks re-derived by CORS Lens)",
    userAgent: USER_AGENT,
  };
}

/** Fix snippets: the stack asked for, else the detected ones (or the most common) first. */
export function snippetsFor(entry: LogEntry, stack: StackId | null, max = 3): ReportSnippet[] {
  if (!stack) return reportSnippets(entry, max);
  const input = buildSnippetInput(entry);
  if (!input) return [];
  const s = generateSnippet(stack, input);
  return [{ stack, label: s.label, code: snippetText(s) }];
}

export function renderJson(r: ProbeResult, opts: ProbeOptions): string {
  const report = buildReport(
    { scope: 'selected', entries: [r.entry] },
    { env: cliEnv(), snippets: (e) => snippetsFor(e, opts.stack) },
  );
  return `${JSON.stringify(asCliReport(report), null, 2)}\n`;
}

export function renderMarkdown(r: ProbeResult, opts: ProbeOptions): string {
  return markdownReport(
    { scope: 'selected', entries: [r.entry] },
    { env: cliEnv(), snippets: (e) => snippetsFor(e, opts.stack), cli: true },
  );
}

/** Terminal text: control characters of server-sent values are made visible, never interpreted. */
function inert(s: string): string {
  return s.replace(
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function indent(s: string, n = 2): string {
  return s
    .split('\n')
    .map((l) => (l ? ' '.repeat(n) + l : l))
    .join('\n');
}

/** Words a POSIX shell takes as they are. */
function arg(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : shellQuote(s);
}

/**
 * This probe's own command line, to run again once the server is fixed: the user's arguments as
 * given (not re-derived from the exchange, where a header never sent shows only its name), the
 * cookie values left out.
 */
export function againCommand(opts: ProbeOptions, stack: StackId | null): string {
  const parts = ['cors-lens', 'probe', arg(opts.url), '--origin', arg(opts.origin)];
  if (opts.method !== 'GET') parts.push('--method', arg(opts.method));
  for (const h of opts.headers) parts.push('--header', shellQuote(`${h.name}: ${h.value}`));
  if (opts.credentials !== 'unknown') parts.push('--credentials', opts.credentials);
  if (opts.cookie)
    parts.push(
      '--cookie',
      shellQuote(
        opts.cookie
          .split(';')
          .map((c) => `${c.split('=')[0]!.trim()}=${UNSEEN_VALUE}`)
          .join('; '),
      ),
    );
  if (opts.send) parts.push('--send');
  if (opts.stack ?? stack) parts.push('--stack', (opts.stack ?? stack)!);
  return parts.join(' ');
}

/**
 * An uncertain verdict from the command line: not "the browser gave no signal" (there is no
 * browser) but "the credentials mode was not given" — both outcomes, the blocking one first.
 */
function uncertainHeadline(v: LogEntry['verdict']): string {
  const c = v.cause ? describeCause(v.cause) : null;
  return `${uncertainSentence(v)}${c ? ` — ${c.title}` : ''}. The credentials mode was not given: add --credentials include|omit for one verdict.`;
}

const MARK = { pass: '✓', fail: '✗', warn: '!', info: '·' } as const;

export function renderText(r: ProbeResult, opts: ProbeOptions): string {
  const { entry, sim } = r;
  const ex = entry.exchange;
  const v = entry.verdict;
  const out: string[] = [];
  out.push(
    `cors-lens probe: ${opts.method} ${opts.url} from ${opts.origin} (Chromium's CORS rules, as the CORS Lens extension checks them)`,
  );
  out.push('');
  out.push(
    `${outcomeResult(v).toUpperCase()}  ${v.outcome === 'uncertain' ? uncertainHeadline(v) : verdictSummary(v)}`,
  );
  if (v.symptom) {
    const s = symptomText(v.symptom, ex);
    out.push(
      `  Chromium: CorsError ${s.corsError}${s.failedParameter ? ` (failedParameter ${JSON.stringify(s.failedParameter)})` : ''}`,
    );
    out.push(`  Chrome console: ${s.chromeConsole}`);
    if (s.firefoxReason) out.push(`  Firefox reason: ${s.firefoxReason}${s.firefoxText ? ` — ${s.firefoxText}` : ''}`);
  }
  if (v.networkError)
    out.push(
      `  Network error: ${v.networkError}${sim.wire.at(-1)?.result.kind === 'error' ? ` (${(sim.wire.at(-1)!.result as { detail: string }).detail})` : ''}`,
    );
  if (v.branches?.length) {
    out.push('  Depends on the credentials mode (not given: --credentials include|omit):');
    for (const b of v.branches) {
      const what = b.symptom ? `${b.symptom.corsError}${b.cause ? ` — ${describeCause(b.cause).title}` : ''}` : '';
      out.push(
        `    ${b.assumption === 'credentials-include' ? 'with credentials:   ' : 'without credentials:'} ${OUTCOME_RESULT[b.outcome].toUpperCase()}${what ? `  ${what}` : ''}`,
      );
    }
  }
  if (sim.notSent) {
    out.push('');
    out.push(
      `Not sent: the ${sim.notSent.method} itself (it may change data on the server). ${sim.notSent.preflightSent ? 'The preflight above is decided; ' : 'No preflight is needed, so nothing was checked; '}the actual response's Access-Control-Allow-Origin${opts.credentials !== 'omit' ? ' (and, with credentials, -Allow-Credentials)' : ''} stays open. Add --send to check it.`,
    );
  }
  if (v.cause) {
    const c = describeCause(v.cause);
    out.push('');
    out.push(`Cause (${CONFIDENCE_TEXT[c.confidence]}): ${c.title}`);
    out.push(indent(c.why));
    out.push(`  Fix: ${c.fix}`);
  }
  if (r.search) {
    out.push('');
    if (r.search.accepted.length) {
      out.push(
        `Accepted origin${r.search.accepted.length > 1 ? 's' : ''} (found by sending ${r.search.tried.length} near variants of ${opts.origin} as the Origin):`,
      );
      for (const a of r.search.accepted)
        out.push(
          `  ${a} — ${describeOriginDifference(a, opts.origin) ?? 'a different origin'}${a === `${opts.origin}/` ? '; browsers never send one' : ''}`,
        );
      out.push(`  Corrected config: allow exactly "${opts.origin}" (see the fix below).`);
    } else {
      out.push(
        `Accepted origin: none of ${r.search.tried.length} near variants of ${opts.origin} (trailing slash, scheme, loopback names, no port, dev ports) is accepted either.`,
      );
    }
  }
  if (v.warnings.length) {
    out.push('');
    out.push('Warnings:');
    for (const w of v.warnings) out.push(`  ! ${describeCause(w).title}`);
  }
  out.push('');
  const total = sim.wire.reduce((n, w) => n + w.ms, 0);
  out.push(
    `Sent (${sim.wire.length} request${sim.wire.length === 1 ? '' : 's'}, ${total} ms${r.search ? `; origin search: ${r.search.requests} more` : ''}):`,
  );
  for (const w of sim.wire) {
    const res = w.result.kind === 'response' ? `${w.result.statusLine}` : `${w.result.error}`;
    out.push(`  ${w.role === 'preflight' ? 'preflight' : 'request  '} ${w.method} ${w.url} → ${res}`);
    const interesting = w.requestHeaders.filter((h) => /^(origin|access-control-request-)/i.test(h.name));
    for (const h of interesting) out.push(`      > ${h.name}: ${h.value}`);
    if (w.result.kind === 'response')
      for (const h of w.result.headers)
        if (/^(access-control-|vary$|location$)/i.test(h.name)) out.push(`      < ${h.name}: ${h.value}`);
  }
  if (v.evidence.length) {
    out.push('');
    out.push('Checks (Fetch standard, in the order Chromium applies them):');
    for (const row of v.evidence) {
      out.push(
        `  ${MARK[row.result]} ${row.stage}${row.hopIndex ? ` (hop ${row.hopIndex})` : ''}  ${row.field}: needed ${row.needed}; got ${row.sent === null ? '(missing)' : row.sent}${row.decisive ? '   ← decisive' : ''}`,
      );
    }
  }
  const snippets = snippetsFor(entry, opts.stack, 1);
  if (snippets.length) {
    const s = snippets[0]!;
    const detected = !opts.stack && detectStacks(entry).length > 0;
    out.push('');
    out.push(
      `Fix for ${s.label}${opts.stack ? '' : detected ? ' (detected from the response headers)' : ' (stack not detected: pick yours with --stack)'}:`,
    );
    out.push(indent(s.code));
  }
  const again = againCommand(opts, detectStacks(entry)[0]?.stack ?? null);
  if (v.outcome !== 'pass') {
    out.push('');
    out.push(`Run again after the fix: ${again}`);
  }
  return `${inert(out.join('\n'))}\n`;
}
