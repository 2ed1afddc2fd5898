// Mount point for the fix-snippet view in the detail pane (issue: fix snippets).
// Contract: the panel renders <SnippetPanel entry={selected} /> under the cause card.
import type { LogEntry } from '../../core/log';

export interface SnippetPanelProps {
  entry: LogEntry;
}

export function SnippetPanel(_props: SnippetPanelProps) {
  return null;
}
