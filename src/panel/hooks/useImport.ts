// A re-opened report: shown read-only in place of the live log, which keeps recording meanwhile.
import { useState } from 'preact/hooks';
import type { LogEntry } from '../../core/log';
import type { ImportedReport } from '../export/ExportMenu';
import { LogModel } from '../model';
import { sanitizeEntries } from '../sanitize';

export interface Imported {
  source: string;
  model: LogModel;
  /** Entries skipped as unreadable. */
  dropped: number;
}

export function useImport(): {
  imported: Imported | null;
  /** Shows the report; returns the entries it kept. */
  openReport(r: ImportedReport): LogEntry[];
  closeReport(): void;
} {
  const [imported, setImported] = useState<Imported | null>(null);
  return {
    imported,
    openReport(r) {
      const { entries, dropped } = sanitizeEntries(r?.entries);
      setImported({ source: String(r?.source ?? 'report'), model: LogModel.imported(entries), dropped });
      return entries;
    },
    closeReport: () => setImported(null),
  };
}
