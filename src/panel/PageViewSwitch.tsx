// The "Page view" switch (off by default): asks the background to have this tab's DevTools page
// reload the page with the fetch/XHR wrapper (src/devtools/pageview-wrapper.ts), and shows where
// that stands. What it sees and does not see: README "Page view".
import type { PageViewState } from '../shared/protocol';

const LABEL: Record<PageViewState, string> = {
  off: '',
  starting: 'reloading…',
  on: 'on',
  ended: 'ended (page navigated)',
  unavailable: 'needs DevTools',
  error: 'failed',
};

export interface PageViewStatus {
  state: PageViewState;
  detail?: string;
}

export function PageViewSwitch({
  status,
  disabled,
  onToggle,
}: {
  status: PageViewStatus;
  disabled: boolean;
  onToggle(on: boolean): void;
}) {
  const on = status.state === 'starting' || status.state === 'on';
  const title = on
    ? 'Page view is on for this page load: the page\'s own fetch()/XMLHttpRequest calls report their credentials mode and outcome, which settles "blocked if credentialed" entries. Click to turn it off (reloads the page without the wrapper).'
    : `Page view (off): reload the page with a wrapper around fetch() and XMLHttpRequest that reports, for each cross-origin request, its credentials mode and whether the page saw a response or a network error. Nothing leaves the browser.${status.detail ? ` — ${status.detail}` : ''}`;
  return (
    <button
      class={`btn pageview-switch pv-${status.state}`}
      data-testid="page-view"
      data-state={status.state}
      aria-pressed={on}
      disabled={disabled}
      title={title}
      onClick={() => onToggle(!on)}
    >
      Page view{LABEL[status.state] ? `: ${LABEL[status.state]}` : ''}
    </button>
  );
}
