// The CORS panel: toolbar, request list | detail split, per-origin view, status bar.
// Background messages update the model in place; the UI re-renders at most once per frame.
import { countsAsBlocked } from '../core/outcome';
import { BlockedCount } from './BlockedCount';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { DEFAULT_CAP } from '../core/log';
import { SETTINGS } from '../core/protocol';
import type { Connection } from './connection';
import { Detail } from './Detail';
import { EntrySource } from './entry-source';
import { ExportMenu, OpenReportButton, type ImportedReport } from './export/ExportMenu';
import { reportSnippets } from '../core/snippets/report';
import type { OriginFilter } from './filter';
import { ClearIcon, CloseIcon, PopOutIcon, RecordIcon, ReloadIcon } from './icons';
import { LogModel, totalOf } from './model';
import { OriginsView } from './OriginsView';
import { PageViewSwitch, type PageViewStatus } from './PageViewSwitch';
import type { PanelEnv } from './platform';
import { RequestList, type NavKeys } from './RequestList';
import { sanitizeEntries } from './sanitize';
import { frameScheduler } from './schedule';
import { Split } from './Split';

export type PanelView = 'requests' | 'origins';

export interface Prefs {
  blockedOnly: boolean;
  preserveLog: boolean;
  /** Share of the list pane in the split. */
  split: number;
  view: PanelView;
}

export const DEFAULT_PREFS: Prefs = { blockedOnly: true, preserveLog: false, split: 0.45, view: 'requests' };

function readPrefs(raw: unknown): Prefs {
  const p = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Record<keyof Prefs, unknown>>;
  return {
    blockedOnly: typeof p.blockedOnly === 'boolean' ? p.blockedOnly : DEFAULT_PREFS.blockedOnly,
    preserveLog: typeof p.preserveLog === 'boolean' ? p.preserveLog : DEFAULT_PREFS.preserveLog,
    split: typeof p.split === 'number' && p.split >= 0.15 && p.split <= 0.85 ? p.split : DEFAULT_PREFS.split,
    view: p.view === 'origins' ? 'origins' : 'requests',
  };
}

/** Below this width the list and the detail stack vertically. */
export const NARROW_PX = 700;

function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(
    () => typeof innerWidth === 'number' && innerWidth > 0 && innerWidth < NARROW_PX,
  );
  useEffect(() => {
    // A DevTools panel loads hidden (0 px wide) and is resized when shown: follow the viewport.
    const on = () => {
      if (innerWidth > 0) setNarrow(innerWidth < NARROW_PX);
    };
    on();
    addEventListener('resize', on);
    return () => removeEventListener('resize', on);
  }, []);
  return narrow;
}

interface Imported {
  source: string;
  model: LogModel;
  dropped: number;
}

export function App({ env }: { env: PanelEnv }) {
  const tabId = env.tabId;
  const live = useMemo(() => new LogModel(false, Number.POSITIVE_INFINITY), []);
  const [imported, setImported] = useState<Imported | null>(null);
  const model = imported?.model ?? live;
  const [, setFrame] = useState(0);
  const sched = useMemo(() => frameScheduler(() => setFrame((n) => n + 1)), []);
  const [link, setLink] = useState<'connecting' | 'open' | 'lost'>('connecting');
  const [pageView, setPageView] = useState<PageViewStatus>({ state: 'off' });
  const conn = useRef<Connection | null>(null);
  // The model holds rows: the selected entry's detail and exports' entries are asked for.
  const source = useMemo(
    () =>
      new EntrySource(
        (m) => conn.current?.send(m),
        () => sched.request(),
      ),
    [sched],
  );
  const [prefs, setPrefs] = useState<Prefs>(DEFAULT_PREFS);
  const prefsLoaded = useRef(false);
  const [text, setText] = useState('');
  const [appliedText, setAppliedText] = useState('');
  const [origin, setOrigin] = useState<OriginFilter | null>(null);
  const [selected, setSelectedState] = useState<string | null>(null);
  // The selection as of the last key press, ahead of rendering (see RequestList's cursor).
  const selRef = useRef<string | null>(null);
  const setSelected = useCallback((id: string | null) => {
    selRef.current = id;
    setSelectedState(id);
  }, []);
  const [focusDetail, setFocusDetail] = useState(0);
  const narrow = useNarrow();
  const filterRef = useRef<HTMLInputElement>(null);
  const keys = useRef<NavKeys | null>(null);

  // -- background connection ----------------------------------------------------------------------
  useEffect(() => {
    if (tabId === null) return;
    const c = env.connect(
      tabId,
      (m) => {
        if (m.type === 'pageView') return setPageView({ state: m.state, detail: m.detail });
        if (source.receive(m)) return;
        sched.request(live.apply(m));
      },
      (ok) => {
        if (!ok) {
          live.disconnected();
          source.disconnected();
        }
        setLink(ok ? 'open' : 'lost');
      },
    );
    conn.current = c;
    return () => {
      sched.cancel();
      c.close();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the connection is per tab; env and the scheduler are fixed for the panel's lifetime
  }, [tabId]);

  // -- preferences, cap, theme --------------------------------------------------------------------
  useEffect(() => {
    void env.load(SETTINGS.panelPrefs).then((raw) => {
      if (!prefsLoaded.current) setPrefs(readPrefs(raw));
      prefsLoaded.current = true;
    });
    // Keep what the background keeps: the same cap setting (default DEFAULT_CAP).
    void env.load(SETTINGS.logCap).then((cap) => {
      live.setCap(typeof cap === 'number' && cap > 0 ? cap : DEFAULT_CAP);
      sched.request();
    });
    const root = document.documentElement;
    const apply = (t: string | null) => {
      if (t) root.dataset.theme = t;
      else delete root.dataset.theme;
    };
    apply(env.theme());
    env.onThemeChange(apply);
    if (!env.inDevtools && tabId !== null) document.title = `CORS Lens — tab ${tabId}`;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on mount
  }, []);

  const updatePrefs = (p: Partial<Prefs>) => {
    setPrefs((old) => {
      const next = { ...old, ...p };
      prefsLoaded.current = true;
      env.save(SETTINGS.panelPrefs, next);
      return next;
    });
  };

  // Large logs: let typing settle before refiltering.
  useEffect(() => {
    if (text === appliedText) return;
    const t = setTimeout(() => setAppliedText(text), model.size > 5000 ? 150 : 0);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- debounces typing only: re-run when the text changes
  }, [text]);

  model.view.setOptions({ text: appliedText, blockedOnly: prefs.blockedOnly, preserveLog: prefs.preserveLog, origin });
  const items = model.view.items;
  // undefined while the background is asked for it (see EntrySource).
  const selectedEntry = selected !== null ? source.detail(model, selected) : null;
  const selIndex = selected !== null ? model.view.indexOf(selected) : -1;
  const counts = model.scopeCounts();
  const scopeTotal = totalOf(counts);
  const version = model.version;
  // The model mutates in place; its version says when. A live panel holds rows: its export loads
  // the full entries from the background when the menu opens (EntrySource).
  const visibleEntries = useMemo(
    () =>
      model.partial === 0 ? items.map((s) => s.entry!) : () => source.entries(model.view.items.map((s) => s.row.id)),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- see above
    [model, version, items, source],
  );

  // Benchmarks: when the first snapshot's rows (or its empty state) are painted.
  const marked = useRef(false);
  useEffect(() => {
    if (marked.current || !live.synced) return;
    marked.current = true;
    performance.mark?.('cors-lens:synced');
    requestAnimationFrame?.(() => performance.mark?.('cors-lens:rows'));
  });

  // -- actions ------------------------------------------------------------------------------------
  // Stable, so memoized rows do not re-render every frame while traffic flows.
  const open = useCallback((id: string) => {
    setSelected(id);
    setFocusDetail((n) => n + 1);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- setSelected only writes a ref and state: stable in effect
  }, []);
  useEffect(() => {
    if (focusDetail === 0) return;
    const d = document.querySelector<HTMLElement>('.detail');
    d?.focus({ preventScroll: false });
    d?.scrollIntoView?.({ block: 'nearest' });
  }, [focusDetail]);

  // eslint-disable-next-line react-hooks/exhaustive-deps -- setSelected only writes a ref and state: stable in effect
  const closeDetail = useCallback(() => setSelected(null), []);
  const popOut = async () => {
    if (tabId === null || !env.popOut) return;
    const done = await env.popOut(tabId).catch(() => false);
    if (!done) conn.current?.send({ type: 'popOut', tabId });
  };
  const clearFilters = () => {
    setText('');
    setAppliedText('');
    setOrigin(null);
  };
  const clearLog = () => {
    if (imported) return;
    conn.current?.send({ type: 'clear' });
    setSelected(null);
  };
  const toggleRecord = () => {
    live.setRecording(!live.recording);
    sched.request();
  };
  const openOrigin = (f: OriginFilter, blockedOnly: boolean) => {
    setOrigin(f);
    updatePrefs({ view: 'requests', blockedOnly });
  };
  const openReport = (r: ImportedReport) => {
    const { entries, dropped } = sanitizeEntries(r?.entries);
    setImported({ source: String(r?.source ?? 'report'), model: LogModel.imported(entries), dropped });
    setSelected(entries.find((e) => countsAsBlocked(e.verdict.outcome))?.id ?? entries[0]?.id ?? null);
    setOrigin(null);
  };
  const closeReport = () => {
    setImported(null);
    setSelected(null);
  };

  // -- keyboard -----------------------------------------------------------------------------------
  // Listens in the capture phase on window: DevTools injects its own keydown listener into
  // extension panels that forwards shortcuts such as Ctrl+F (its search bar) and Esc (the drawer)
  // to the DevTools window. Keys the panel handles stop there; the others still reach DevTools.
  useEffect(() => {
    const handled = (e: KeyboardEvent) => {
      e.preventDefault();
      e.stopPropagation();
    };
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'f') {
        handled(e);
        filterRef.current?.focus();
        filterRef.current?.select();
        return;
      }
      const typing = !!t?.closest?.('input, textarea, select, [contenteditable="true"]');
      if (e.key === 'Escape') {
        if (t === filterRef.current && text) {
          handled(e);
          setText('');
          setAppliedText('');
        } else if (typing) {
          t?.blur();
        } else if (text || origin) {
          handled(e);
          clearFilters();
        } else if (selected !== null) {
          handled(e);
          setSelected(null);
        }
        // Nothing to clear: Esc goes on to DevTools (it toggles the console drawer).
        return;
      }
      if (typing || e.altKey || e.ctrlKey || e.metaKey) return;
      // Let focused controls and the detail's own scrolling have their keys.
      if (e.key === 'Enter' && t?.closest?.('button, a, summary, [role="separator"]')) return;
      if (t?.closest?.('.detail, [role="separator"]')) return;
      if (keys.current?.(e)) handled(e);
    };
    addEventListener('keydown', onKey, true);
    return () => removeEventListener('keydown', onKey, true);
  });

  // Made once: the actions send through the current connection whenever they run. Above the early
  // return, so every render calls the same hooks in the same order.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- env is fixed for the panel's lifetime
  const pageActions = useMemo(() => env.pageActions?.((m) => conn.current?.send(m)) ?? null, []);

  if (tabId === null) {
    return (
      <main class="app">
        <div class="empty">
          <h2>No inspected tab</h2>
          <p>Open this panel from DevTools (the CORS tab), or use its pop-out button.</p>
        </div>
      </main>
    );
  }

  const readonly = !!imported;
  const filtering = appliedText !== '' || origin !== null;
  const listPane =
    items.length > 0 ? (
      <RequestList
        items={items}
        selIndex={selIndex}
        cursor={() => ({
          items: model.view.items,
          index: selRef.current === null ? -1 : model.view.indexOf(selRef.current),
        })}
        onSelect={setSelected}
        onOpen={open}
        keys={keys}
      />
    ) : (
      <Empty
        model={model}
        imported={readonly}
        link={link}
        prefs={prefs}
        filtering={filtering}
        env={env}
        onClearFilters={clearFilters}
        onShowAll={() => updatePrefs({ blockedOnly: false })}
        onPreserve={() => updatePrefs({ preserveLog: true })}
      />
    );
  const detailPane = selectedEntry ? (
    <Detail
      key={selectedEntry.id}
      entry={selectedEntry}
      importedFrom={imported?.source}
      copy={env.copy}
      onClose={closeDetail}
      actions={readonly ? null : pageActions}
    />
  ) : selectedEntry === undefined ? (
    <div class="empty detail-empty" data-testid="detail-loading" aria-busy="true">
      <p class="dim">Loading the request…</p>
    </div>
  ) : (
    <div class="empty detail-empty" data-testid="detail-empty">
      <p>
        {selected !== null
          ? 'This request is no longer in the log (cleared or evicted).'
          : 'Select a request to see which CORS rule failed, why, and what the server sent.'}
      </p>
      <p class="dim">↑/↓ move · Enter opens · Ctrl+F filters · Esc clears</p>
    </div>
  );

  return (
    <main class={`app${readonly ? ' is-imported' : ''}`} data-view={prefs.view}>
      <div class="toolbar" role="toolbar" aria-label="CORS Lens">
        <div class="tb-group">
          <button
            class={`icon-btn${live.recording ? ' recording' : ''}`}
            data-testid="record"
            aria-pressed={live.recording}
            disabled={readonly}
            title={live.recording ? 'Stop recording (requests that start while stopped are not listed)' : 'Record'}
            onClick={toggleRecord}
          >
            <RecordIcon on={live.recording} />
          </button>
          <button
            class="icon-btn"
            data-testid="clear"
            disabled={readonly}
            title="Clear the log of this tab"
            onClick={clearLog}
          >
            <ClearIcon />
          </button>
        </div>
        <div class="tb-group grow">
          <input
            ref={filterRef}
            class="filter"
            type="search"
            data-testid="filter"
            placeholder="Filter: URL, origin, header, cause…"
            aria-label="Filter requests (URL, origin, header name or value, cause or symptom; -word excludes)"
            value={text}
            spellcheck={false}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          {origin && (
            <span class="chip" data-testid="origin-chip" title="From the per-origin view">
              <span class="chip-label">
                to {origin.target}
                {origin.page !== undefined && <> from {origin.page}</>}
              </span>
              <button class="chip-x" aria-label="Remove origin filter" onClick={() => setOrigin(null)}>
                <CloseIcon />
              </button>
            </span>
          )}
        </div>
        <div class="tb-group">
          <label class="check" title="Keep entries from earlier page loads of this tab">
            <input
              type="checkbox"
              data-testid="preserve-log"
              checked={prefs.preserveLog}
              disabled={readonly}
              onChange={(e) => updatePrefs({ preserveLog: e.currentTarget.checked })}
            />
            Preserve log
          </label>
        </div>
        {/* Its own group, so a narrow toolbar wraps it to the next line rather than overflowing. */}
        <div class="tb-group">
          <PageViewSwitch
            status={pageView}
            disabled={readonly}
            onToggle={(on) => conn.current?.send({ type: 'pageView', on })}
          />
        </div>
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
        <div class="tb-group end">
          <BlockedCount counts={counts} total={scopeTotal} />
          <ExportMenu
            entries={visibleEntries}
            selected={selectedEntry ?? null}
            origins={model.origins}
            snippets={reportSnippets}
          />
          <OpenReportButton onOpen={openReport} />
          {env.popOut && (
            <button
              class="icon-btn"
              data-testid="pop-out"
              title="Open this panel in its own window"
              onClick={() => void popOut()}
            >
              <PopOutIcon />
            </button>
          )}
        </div>
      </div>

      {imported && (
        <div class="banner banner-imported" data-testid="imported-banner" role="status">
          <span>
            Imported report <b>{imported.source}</b> (read-only, {imported.model.size} requests).
            {imported.dropped > 0 && <> {imported.dropped} unreadable entries skipped.</>} The live log keeps recording
            meanwhile.
          </span>
          <button class="btn" data-testid="close-imported" onClick={closeReport}>
            Back to the live log
          </button>
        </div>
      )}
      {!imported && link === 'lost' && (
        <div class="banner banner-warn" data-testid="connection-lost" role="status">
          Lost the connection to the CORS Lens background (its service worker restarted). Reconnecting… If this stays,
          the extension was reloaded or updated: close and reopen DevTools.
        </div>
      )}
      {!imported && !live.recording && (
        <div class="banner banner-info" role="status">
          Recording is stopped: requests that start now are not listed.{' '}
          <button class="linkish" onClick={toggleRecord}>
            Record
          </button>
        </div>
      )}

      <div class="body">
        {prefs.view === 'origins' ? (
          <OriginsView origins={model.origins} onOpen={openOrigin} keys={keys} paused={!readonly && !live.recording} />
        ) : (
          <Split
            ratio={prefs.split}
            stacked={narrow}
            onRatio={(split) => updatePrefs({ split })}
            first={listPane}
            second={detailPane}
          />
        )}
      </div>

      <footer class="statusbar" data-testid="statusbar">
        <span>
          {prefs.view === 'requests' && filtering ? `${items.length} shown · ` : ''}
          {scopeTotal} request{scopeTotal === 1 ? '' : 's'} · {counts.blocked} blocked
          {counts.uncertain > 0 ? ` · ${counts.uncertain} blocked if credentialed` : ''} · {counts.pass} passed
          {counts.other > 0 ? ` · ${counts.other} not CORS` : ''}
          {counts.pending > 0 ? ` · ${counts.pending} pending` : ''}
        </span>
        {model.hiddenByNavigation() > 0 && (
          <span class="dim"> · {model.hiddenByNavigation()} from earlier page loads hidden</span>
        )}
        {model.evicted > 0 && <span class="dim"> · {model.evicted.toLocaleString()} older evicted</span>}
      </footer>
    </main>
  );
}

interface EmptyProps {
  model: LogModel;
  imported: boolean;
  link: 'connecting' | 'open' | 'lost';
  prefs: Prefs;
  filtering: boolean;
  env: PanelEnv;
  onClearFilters(): void;
  onShowAll(): void;
  onPreserve(): void;
}

/** Empty states that say why nothing is listed and what to do about it. */
function Empty({ model, imported, link, prefs, filtering, env, onClearFilters, onShowAll, onPreserve }: EmptyProps) {
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
