// Re-opening a JSON report: a file from someone else, so anything can be in it. Every failure
// becomes one clear message; nothing partial is ever returned.
import schema from '../../../docs/report.schema.json';
import type { LogEntry } from '../log';
import { entriesFromReport, NEWEST_SCHEMA_VERSION, REPORT_KIND, type CorsLensReport } from './json';
import { checkSchema } from './schema-check';

/** Larger files are refused before parsing (measured: a full 10 000-entry log exports to ~43 MB of JSON). */
export const MAX_REPORT_BYTES = 64 * 1024 * 1024;

export type OpenResult =
  { ok: true; report: CorsLensReport; entries: LogEntry[] } | { ok: false; error: string; details: string[] };

const fail = (error: string, details: string[] = []): OpenResult => ({ ok: false, error, details });

function sizeText(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

export function openReport(text: string, byteLength = text.length): OpenResult {
  if (byteLength > MAX_REPORT_BYTES)
    return fail(`The file is too large (${sizeText(byteLength)}; at most ${sizeText(MAX_REPORT_BYTES)}).`);
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    return fail('The file is not JSON. Open a report exported by CORS Lens as JSON.', [
      String((e as Error).message).slice(0, 200),
    ]);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data))
    return fail('The file is not a CORS Lens report (expected a JSON object).');
  const o = data as Record<string, unknown>;
  if (o.kind !== REPORT_KIND) {
    const hint =
      o.log && typeof o.log === 'object' ? ' It looks like a HAR file: open it in the Network panel instead.' : '';
    return fail(`The file is not a CORS Lens report (no "kind": "${REPORT_KIND}").${hint}`);
  }
  if (typeof o.schemaVersion === 'number' && o.schemaVersion > NEWEST_SCHEMA_VERSION) {
    return fail(
      `The report was made by a newer CORS Lens (report format v${o.schemaVersion}); this version reads v${NEWEST_SCHEMA_VERSION}. Update the extension.`,
    );
  }
  const errors = checkSchema(schema, data, 10);
  if (errors.length) {
    return fail(
      'The report does not match the CORS Lens report format and was not opened.',
      errors.map((e) => `${e.path || '(root)'} ${e.message}`.slice(0, 300)),
    );
  }
  const report = data as CorsLensReport;
  let entries: LogEntry[];
  try {
    entries = entriesFromReport(report);
  } catch (e) {
    return fail('The report could not be read.', [String((e as Error).message).slice(0, 200)]);
  }
  // The panel keys entries by id: keep them distinct even if the file repeats one.
  const seen = new Set<string>();
  for (const e of entries) {
    let id = e.id;
    for (let n = 2; seen.has(id); n++) id = `${e.id}#${n}`;
    seen.add(id);
    e.id = id;
  }
  return { ok: true, report, entries };
}
