// The panel's toolbar: record/clear, the filter (with the origin chip), preserve log, page view,
// which requests and which view, the blocked count, export/open report and pop-out.
import type { Ref } from 'preact';
import type { LogEntry } from '../core/log';
import type { PanelMessage } from '../shared/protocol';
import { reportSnippets } from '../core/snippets/report';
import { BlockedCount } from './BlockedCount';
import { ExportMenu, OpenReportButton, type ImportedReport } from './export/ExportMenu';
import type { Filter } from './hooks/useFilter';
import type { Prefs } from './hooks/usePrefs';
import { ClearIcon, CloseIcon, PopOutIcon, RecordIcon } from './icons';
import type { Counts, LogModel } from './model';
import { PageViewSwitch, type PageViewStatus } from './PageViewSwitch';

export interface ToolbarProps {
  /** The model on screen: the live log or an imported report. */
  model: LogModel;
  recording: boolean;
  /** An imported report is shown: live-log controls are disabled. */
  readonly: boolean;
  filter: Filter;
  filterInput: Ref<HTMLInputElement>;
  prefs: Prefs;
  pageView: PageViewStatus;
  counts: Counts;
  total: number;
  visibleEntries: LogEntry[];
  selectedEntry: LogEntry | null;
  send(msg: PanelMessage): void;
  updatePrefs(p: Partial<Prefs>): void;
  onToggleRecord(): void;
  onClear(): void;
  onOpenReport(r: ImportedReport): void;
  /** Null where the panel cannot pop out (already popped out). */
  onPopOut: (() => void) | null;
}

export function Toolbar(p: ToolbarProps) {
  return (
    <div class="toolbar" role="toolbar" aria-label="CORS Lens">
      <div class="tb-group">
        <button
          class={`icon-btn${p.recording ? ' recording' : ''}`}
          data-testid="record"
          aria-pressed={p.recording}
          disabled={p.readonly}
          title={p.recording ? 'Stop recording (requests that start while stopped are not listed)' : 'Record'}
          onClick={p.onToggleRecord}
        >
          <RecordIcon on={p.recording} />
        </button>
        <button
          class="icon-btn"
          data-testid="clear"
          disabled={p.readonly}
          title="Clear the log of this tab"
          onClick={p.onClear}
        >
          <ClearIcon />
        </button>
      </div>
      <FilterGroup filter={p.filter} filterInput={p.filterInput} />
      <div class="tb-group">
        <label class="check" title="Keep entries from earlier page loads of this tab">
          <input
            type="checkbox"
            data-testid="preserve-log"
            checked={p.prefs.preserveLog}
            disabled={p.readonly}
            onChange={(e) => p.updatePrefs({ preserveLog: e.currentTarget.checked })}
          />
          Preserve log
        </label>
      </div>
      {/* Its own group, so a narrow toolbar wraps it to the next line rather than overflowing. */}
      <div class="tb-group">
        <PageViewSwitch status={p.pageView} disabled={p.readonly} onToggle={(on) => p.send({ type: 'pageView', on })} />
      </div>
      <ScopeGroup prefs={p.prefs} updatePrefs={p.updatePrefs} />
      <div class="tb-group end">
        <BlockedCount counts={p.counts} total={p.total} />
        <ExportMenu
          entries={p.visibleEntries}
          selected={p.selectedEntry}
          origins={p.model.origins}
          snippets={reportSnippets}
        />
        <OpenReportButton onOpen={p.onOpenReport} />
        {p.onPopOut && (
          <button class="icon-btn" data-testid="pop-out" title="Open this panel in its own window" onClick={p.onPopOut}>
            <PopOutIcon />
          </button>
        )}
      </div>
    </div>
  );
}

function FilterGroup({ filter, filterInput }: { filter: Filter; filterInput: Ref<HTMLInputElement> }) {
  const origin = filter.origin;
  return (
    <div class="tb-group grow">
      <input
        ref={filterInput}
        class="filter"
        type="search"
        data-testid="filter"
        placeholder="Filter: URL, origin, header, cause…"
        aria-label="Filter requests (URL, origin, header name or value, cause or symptom; -word excludes)"
        value={filter.text}
        spellcheck={false}
        onInput={(e) => filter.setText(e.currentTarget.value)}
      />
      {origin && (
        <span class="chip" data-testid="origin-chip" title="From the per-origin view">
          <span class="chip-label">
            to {origin.target}
            {origin.page !== undefined && <> from {origin.page}</>}
          </span>
          <button class="chip-x" aria-label="Remove origin filter" onClick={() => filter.setOrigin(null)}>
            <CloseIcon />
          </button>
        </span>
      )}
    </div>
  );
}

/** Which requests (blocked or all) and which view (requests or origins). */
function ScopeGroup({ prefs, updatePrefs }: { prefs: Prefs; updatePrefs(p: Partial<Prefs>): void }) {
  return (
    <div class="tb-group">
      <div class="seg" role="group" aria-label="Which requests">
        <button
          data-testid="show-blocked"
          aria-pressed={prefs.blockedOnly}
          onClick={() => updatePrefs({ blockedOnly: true })}
        >
          Blocked
        </button>
        <button
          data-testid="show-all"
          aria-pressed={!prefs.blockedOnly}
          onClick={() => updatePrefs({ blockedOnly: false })}
        >
          All
        </button>
      </div>
      <div class="seg" role="tablist" aria-label="View">
        <button
          role="tab"
          data-testid="view-requests"
          aria-selected={prefs.view === 'requests'}
          onClick={() => updatePrefs({ view: 'requests' })}
        >
          Requests
        </button>
        <button
          role="tab"
          data-testid="view-origins"
          aria-selected={prefs.view === 'origins'}
          onClick={() => updatePrefs({ view: 'origins' })}
        >
          Origins
        </button>
      </div>
    </div>
  );
}
