// One entry point for the panel: a format and a scope in, the text and how to save it out.
import type { LogEntry } from '../log';
import { curlReport } from './curl';
import { harReport } from './har';
import { jsonReport } from './json';
import { markdownReport } from './markdown';
import { redactEntries, type RedactionSummary } from './redact';
import type { ExportFormat, ExportInput, ExportOptions } from './types';

export * from './types';
export { REDACTED, describeRedaction, type RedactionSummary, type RedactionItem } from './redact';
export { openReport, MAX_REPORT_BYTES, type OpenResult } from './open';

export interface ExportResult {
  text: string;
  filename: string;
  mimeType: string;
  redaction: RedactionSummary;
}

export const FORMATS: Record<ExportFormat, { label: string; ext: string; mimeType: string }> = {
  markdown: { label: 'Markdown', ext: 'md', mimeType: 'text/markdown' },
  json: { label: 'JSON', ext: 'json', mimeType: 'application/json' },
  har: { label: 'HAR', ext: 'har', mimeType: 'application/json' },
  curl: { label: 'curl', ext: 'sh', mimeType: 'text/x-shellscript' },
};

/** What redaction will remove from these entries (for the UI, before exporting). */
export function redactionFor(entries: readonly LogEntry[]): RedactionSummary {
  return redactEntries(entries).summary;
}

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
}

export function exportReport(format: ExportFormat, input: ExportInput, opts: ExportOptions = {}): ExportResult {
  const now = opts.now ?? new Date();
  const o = { ...opts, now };
  const text =
    format === 'markdown'
      ? markdownReport(input, o)
      : format === 'json'
        ? jsonReport(input, o)
        : format === 'har'
          ? harReport(input, o)
          : curlReport(input, o);
  const f = FORMATS[format];
  return {
    text,
    filename: `cors-lens-${input.scope}-${stamp(now)}.${f.ext}`,
    mimeType: f.mimeType,
    redaction: redactEntries(input.entries, { includeSecrets: opts.includeSecrets }).summary,
  };
}
