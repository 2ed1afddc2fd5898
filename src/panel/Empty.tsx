// Empty states that say why nothing is listed (or selected) and what to do about it.
import type { LinkState } from './hooks/useConnection';
import type { Prefs } from './hooks/usePrefs';
import { ReloadIcon } from './icons';
import { totalOf, type LogModel } from './model';
import type { PanelEnv } from './platform';

interface EmptyProps {
  model: LogModel;
  imported: boolean;
  link: LinkState;
  prefs: Prefs;
  filtering: boolean;
  env: PanelEnv;
  onClearFilters(): void;
  onShowAll(): void;
  onPreserve(): void;
}

/** Empty states that say why nothing is listed and what to do about it. */
export function Empty({
  model,
  imported,
  link,
  prefs,
  filtering,
  env,
  onClearFilters,
  onShowAll,
  onPreserve,
}: EmptyProps) {
  if (!imported && !model.synced) {
    return (
      <div class="empty" data-testid="empty" data-reason="connecting">
        <p>
          {link === 'lost' ? 'Reconnecting to the CORS Lens background…' : 'Connecting to the CORS Lens background…'}
        </p>
      </div>
    );
  }
  const counts = model.scopeCounts();
  const inScope = totalOf(counts);
  const hidden = model.hiddenByNavigation();
  if (model.size === 0 || (inScope === 0 && hidden === 0)) {
    return (
      <div class="empty" data-testid="empty" data-reason="no-requests">
        <h2>
          {prefs.blockedOnly
            ? 'No blocked requests yet — reload the page with DevTools open.'
            : 'No cross-origin requests yet — reload the page with DevTools open.'}
        </h2>
        <p>CORS Lens lists every cross-origin request this tab makes and explains the ones the browser blocks.</p>
        {model.scope === 'inspected' ? (
          <p class="dim" data-testid="scope-note">
            CORS Lens records a tab while its DevTools is open, like the Network panel: requests made before DevTools
            opened are not in this log. Reload the page to capture them
            {env.openOptions && !imported ? (
              <>
                , or{' '}
                <button class="linkish" data-testid="open-options" onClick={() => env.openOptions?.()}>
                  record every tab
                </button>{' '}
                (slower pages).
              </>
            ) : (
              '.'
            )}
          </p>
        ) : (
          <p class="dim">
            Installed, updated or re-enabled CORS Lens after this page loaded? It only sees requests made since then:
            reload the page. If this panel stays empty, close and reopen DevTools.
          </p>
        )}
        {env.reload && !imported && (
          <button class="btn" data-testid="reload-page" onClick={() => env.reload?.()}>
            <ReloadIcon /> Reload page
          </button>
        )}
      </div>
    );
  }
  return (
    <div
      class="empty"
      data-testid="empty"
      data-reason={filtering ? 'filter' : prefs.blockedOnly && inScope > 0 ? 'none-blocked' : 'hidden'}
    >
      {filtering ? (
        <>
          <h2>No requests match the filter.</h2>
          <button class="btn" onClick={onClearFilters}>
            Clear filter
          </button>
        </>
      ) : prefs.blockedOnly && inScope > 0 ? (
        <>
          <h2>No blocked requests yet — reload the page with DevTools open.</h2>
          <p>
            {inScope - counts.blocked - counts.uncertain} cross-origin request
            {inScope - counts.blocked - counts.uncertain === 1 ? '' : 's'} passed or did not finish.{' '}
          </p>
          <button class="btn" data-testid="empty-show-all" onClick={onShowAll}>
            Show all requests
          </button>
        </>
      ) : (
        <h2>No requests on this page load yet.</h2>
      )}
      {hidden > 0 && !filtering && (
        <p>
          {hidden} request{hidden === 1 ? '' : 's'} from earlier page loads {hidden === 1 ? 'is' : 'are'} hidden.{' '}
          <button class="linkish" data-testid="empty-preserve" onClick={onPreserve}>
            Preserve log
          </button>
        </p>
      )}
    </div>
  );
}

/** The detail pane with nothing to show. */
export function DetailEmpty({ gone }: { gone: boolean }) {
  return (
    <div class="empty detail-empty" data-testid="detail-empty">
      <p>
        {gone
          ? 'This request is no longer in the log (cleared or evicted).'
          : 'Select a request to see which CORS rule failed, why, and what the server sent.'}
      </p>
      <p class="dim">↑/↓ move · Enter opens · Ctrl+F filters · Esc clears</p>
    </div>
  );
}

/** The panel opened without a tab to inspect. */
export function NoTab() {
  return (
    <main class="app">
      <div class="empty">
        <h2>No inspected tab</h2>
        <p>Open this panel from DevTools (the CORS tab), or use its pop-out button.</p>
      </div>
    </main>
  );
}
