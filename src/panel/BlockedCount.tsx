// The toolbar's blocked count. Uncertain verdicts (blocked if credentialed, with no failure signal
// from the browser) are counted with the blocked and marked "?", so the count never hides a
// request the browser may have blocked.
import type { Counts } from './model';

export function BlockedCount({ counts, total }: { counts: Counts; total: number }) {
  const n = counts.blocked + counts.uncertain;
  const title =
    counts.uncertain > 0
      ? `${counts.blocked} blocked and ${counts.uncertain} blocked if credentialed (the browser gave no failure signal and the credentials mode is not visible) of ${total} cross-origin requests`
      : `${counts.blocked} blocked of ${total} cross-origin requests`;
  return (
    <span class={`count${n > 0 ? ' has-blocked' : ''}`} data-testid="blocked-count" title={title}>
      {n} blocked
      {counts.uncertain > 0 && (
        <span class="count-uncertain" data-testid="uncertain-count">
          {' '}
          ({counts.uncertain}?)
        </span>
      )}
    </span>
  );
}
