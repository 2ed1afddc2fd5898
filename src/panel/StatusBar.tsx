// The status bar: how many requests are in scope, by outcome, and what is hidden or evicted.
import type { Counts, LogModel } from './model';

export interface StatusBarProps {
  model: LogModel;
  counts: Counts;
  total: number;
  /** Rows the filter leaves, or null when not filtering the request list. */
  shown: number | null;
}

export function StatusBar({ model, counts, total, shown }: StatusBarProps) {
  const hidden = model.hiddenByNavigation();
  return (
    <footer class="statusbar" data-testid="statusbar">
      <span>
        {shown !== null ? `${shown} shown · ` : ''}
        {total} request{total === 1 ? '' : 's'} · {counts.blocked} blocked
        {counts.uncertain > 0 ? ` · ${counts.uncertain} blocked if credentialed` : ''} · {counts.pass} passed
        {counts.other > 0 ? ` · ${counts.other} not CORS` : ''}
        {counts.pending > 0 ? ` · ${counts.pending} pending` : ''}
      </span>
      {hidden > 0 && <span class="dim"> · {hidden} from earlier page loads hidden</span>}
      {model.evicted > 0 && <span class="dim"> · {model.evicted.toLocaleString()} older evicted</span>}
    </footer>
  );
}
