// Mount points for exporting and re-opening reports (issue: share a failure).
// Contract: the toolbar renders <ExportMenu …/> and <OpenReportButton …/>; an opened report is
// handed to the panel as log entries, which it shows read-only, marked as imported.
import type { LogEntry, OriginStats } from '../../core/log';

export interface ExportMenuProps {
  /** Every entry currently in the panel (after the view's filters). */
  entries: LogEntry[];
  /** The entry shown in the detail pane, if any. */
  selected: LogEntry | null;
  /** The per-origin counts (for exporting the per-origin log). */
  origins: OriginStats[];
}

export function ExportMenu(_props: ExportMenuProps) {
  return null;
}

export interface ImportedReport {
  /** File name or "clipboard". */
  source: string;
  entries: LogEntry[];
}

export interface OpenReportButtonProps {
  onOpen(report: ImportedReport): void;
}

export function OpenReportButton(_props: OpenReportButtonProps) {
  return null;
}
