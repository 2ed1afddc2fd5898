// The detail pane as plain text, for the copy buttons (pasting into an issue or a chat).
import { outcomeLabel, uncertainSentence } from '../core/outcome';
import { describeCause } from '../core/causes';
import type { LogEntry } from '../core/log';
import type { Header, Hop } from '../core/types';
import { sideRows, requestSide } from './evidence';
import { shortSymptom, stageLabel, symptomText } from './format';

const RESULT: Record<string, string> = { fail: 'FAIL', warn: 'WARN', pass: 'ok  ', info: '    ' };

function headerLines(prefix: string, hs: readonly Header[] | undefined): string[] {
  return (hs ?? []).map((h) => `${prefix}${h.name}: ${h.value}`);
}

function hopBlock(title: string, hop: Hop | undefined): string[] {
  if (!hop) return [];
  const lines = [
    `${title}: ${hop.method} ${hop.url}${hop.statusCode !== undefined ? ` → ${hop.statusLine ?? hop.statusCode}` : ''}`,
  ];
  lines.push(...headerLines('  > ', hop.requestHeaders));
  lines.push(...headerLines('  < ', hop.responseHeaders));
  return lines;
}

/** Request and response headers of the preflights and every hop, HTTP-style. */
export function headersText(e: LogEntry): string {
  const ex = e.exchange;
  const out: string[] = [];
  for (const p of ex.preflights ?? []) out.push(...hopBlock('Preflight', p.hop), '');
  (ex.hops ?? []).forEach((h, i) =>
    out.push(...hopBlock(ex.hops.length > 1 ? `Request (hop ${i + 1})` : 'Request', h), ''),
  );
  return out.join('\n').trim() + '\n';
}

export function detailText(e: LogEntry, source?: string): string {
  const ex = e.exchange;
  const v = e.verdict;
  const out: string[] = [`${ex.method} ${ex.url}`];
  if (source) out.push(`(from imported report ${source})`);
  out.push(`Page origin: ${ex.pageOrigin ?? 'unknown'}`);
  out.push(
    `Verdict: ${v.outcome === 'not-cors' ? 'Not a CORS problem' : v.outcome === 'uncertain' ? uncertainSentence(v) : outcomeLabel(v)} — ${shortSymptom(e)}`,
  );
  if (v.cause) {
    const c = describeCause(v.cause);
    out.push('', `Cause (${c.confidence}): ${c.title}`);
    if (c.explanation) out.push(c.explanation);
  }
  const s = symptomText(e);
  if (v.symptom && s) {
    out.push(
      '',
      `Chromium CorsError: ${v.symptom.corsError}${v.symptom.failedParameter ? ` (${v.symptom.failedParameter})` : ''}`,
    );
    out.push(`Chrome console: ${s.chromeConsole}`);
    if (s.firefoxReason) out.push(`Firefox reason: ${s.firefoxReason} — ${s.firefoxText}`);
  }
  if (v.branches?.length) {
    out.push('', 'Credentials mode is not visible to extensions; both outcomes:');
    for (const b of v.branches) {
      const what = b.cause ? describeCause(b.cause).title : b.outcome === 'pass' ? 'allowed' : b.outcome;
      const firefox = b.symptom?.firefoxReason ? `, Firefox ${b.symptom.firefoxReason}` : '';
      out.push(
        `  ${b.assumption === 'credentials-include' ? 'With credentials' : 'Without credentials'}: ${b.outcome}${b.symptom ? ` (${b.symptom.corsError}${firefox})` : ''} — ${what}`,
      );
    }
  }
  if (v.networkError) out.push('', `Network error: ${v.networkError}`);
  if (v.warnings?.length) {
    out.push('', 'Warnings:');
    for (const w of v.warnings) out.push(`  - ${describeCause(w).title}`);
  }
  out.push('', 'Origin vs Access-Control-*:');
  for (const r of requestSide(e)) out.push(`  request  ${r.name}: ${r.value ?? '(missing)'}`);
  for (const r of sideRows(e)) {
    const sent = r.sent === null ? '(missing)' : r.sent === '' ? '(empty)' : r.sent;
    const where = stageLabel(r.stage, r.hopIndex, ex.hops?.length ?? 1);
    out.push(
      `  ${RESULT[r.result] ?? r.result} ${where}  ${r.field}: ${sent}${r.needed ? `   (needed: ${r.needed})` : ''}`,
    );
  }
  if (v.preflight?.fromCache)
    out.push('', 'Preflight: served from the preflight cache (no OPTIONS request on the wire).');
  out.push('', headersText(e).trimEnd());
  return out.join('\n') + '\n';
}
