// The CORS panel: toolbar, request list | detail split, per-origin view, status bar.
// Background messages update the model in place; the UI re-renders at most once per frame.
import { useMemo, useRef } from 'preact/hooks';
import { countsAsBlocked } from '../core/outcome';
import { Banners } from './Banners';
import { Detail } from './Detail';
import { DetailEmpty, Empty, NoTab } from './Empty';
import type { ImportedReport } from './export/ExportMenu';
import { useConnection } from './hooks/useConnection';
import { useFilter } from './hooks/useFilter';
import { useImport } from './hooks/useImport';
import { useKeyboard } from './hooks/useKeyboard';
import { useLiveLog, useSyncedMark } from './hooks/useLiveLog';
import { usePrefs } from './hooks/usePrefs';
import { useSelection } from './hooks/useSelection';
import { useNarrow, useTheme } from './hooks/useWindow';
import { totalOf } from './model';
import { OriginsView } from './OriginsView';
import type { PanelEnv } from './platform';
import { RequestList, type NavKeys } from './RequestList';
import { Split } from './Split';
import { StatusBar } from './StatusBar';
import { Toolbar } from './Toolbar';

export function App({ env }: { env: PanelEnv }) {
  const { live, sched } = useLiveLog(env);
  const { imported, openReport, closeReport } = useImport();
  const model = imported?.model ?? live;
  const { link, pageView, send, popOut } = useConnection(env, live, sched);
  const { prefs, updatePrefs } = usePrefs(env);
  useTheme(env);
  const filter = useFilter(model.size);
  const { selected, selRef, setSelected, open, close } = useSelection();
  const narrow = useNarrow();
  const filterInput = useRef<HTMLInputElement>(null);
  const keys = useRef<NavKeys | null>(null);

  model.view.setOptions({
    text: filter.appliedText,
    blockedOnly: prefs.blockedOnly,
    preserveLog: prefs.preserveLog,
    origin: filter.origin,
  });
  const items = model.view.items;
  const selectedEntry = selected !== null ? (model.get(selected) ?? null) : null;
  const counts = model.scopeCounts();
  const version = model.version;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the model mutates in place; its version says when
  const visibleEntries = useMemo(() => items.map((s) => s.entry), [model, version, items]);
  useSyncedMark(live);

  const toggleRecord = () => {
    live.setRecording(!live.recording);
    sched.request();
  };
  const showReport = (r: ImportedReport) => {
    const entries = openReport(r);
    setSelected(entries.find((e) => countsAsBlocked(e.verdict.outcome))?.id ?? entries[0]?.id ?? null);
    filter.setOrigin(null);
  };
  useKeyboard({ filterInput, keys, filter, hasSelection: selected !== null, clearSelection: close });

  // Made once: the actions send through the current connection whenever they run. Above the early
  // return, so every render calls the same hooks in the same order.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- env is fixed for the panel's lifetime
  const pageActions = useMemo(() => env.pageActions?.(send) ?? null, []);

  if (env.tabId === null) return <NoTab />;

  const readonly = !!imported;
  const listPane =
    items.length > 0 ? (
      <RequestList
        items={items}
        selIndex={selected !== null ? model.view.indexOf(selected) : -1}
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
        filtering={filter.filtering}
        env={env}
        onClearFilters={filter.clearAll}
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
      onClose={close}
      actions={readonly ? null : pageActions}
    />
  ) : (
    <DetailEmpty gone={selected !== null} />
  );

  return (
    <main class={`app${readonly ? ' is-imported' : ''}`} data-view={prefs.view}>
      <Toolbar
        model={model}
        recording={live.recording}
        readonly={readonly}
        filter={filter}
        filterInput={filterInput}
        prefs={prefs}
        pageView={pageView}
        counts={counts}
        total={totalOf(counts)}
        visibleEntries={visibleEntries}
        selectedEntry={selectedEntry}
        send={send}
        updatePrefs={updatePrefs}
        onToggleRecord={toggleRecord}
        onClear={() => {
          if (imported) return;
          send({ type: 'clear' });
          setSelected(null);
        }}
        onOpenReport={showReport}
        onPopOut={popOut}
      />
      <Banners
        imported={imported}
        link={link}
        recording={live.recording}
        onCloseReport={() => {
          closeReport();
          setSelected(null);
        }}
        onRecord={toggleRecord}
      />
      <div class="body">
        {prefs.view === 'origins' ? (
          <OriginsView
            origins={model.origins}
            onOpen={(f, blockedOnly) => {
              filter.setOrigin(f);
              updatePrefs({ view: 'requests', blockedOnly });
            }}
            keys={keys}
            paused={!readonly && !live.recording}
          />
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
      <StatusBar
        model={model}
        counts={counts}
        total={totalOf(counts)}
        shown={prefs.view === 'requests' && filter.filtering ? items.length : null}
      />
    </main>
  );
}
