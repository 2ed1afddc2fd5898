import { useEffect, useMemo, useState } from 'preact/hooks';
import { verdictSummary } from '../core/summary';
import type { LogEntry } from '../core/log';
import { connect, inspectedTabId } from './connection';
import { ExportMenu, OpenReportButton, type ImportedReport } from './export/ExportMenu';
import { applyMessage, emptyState, type PanelState } from './store';

export function App() {
  const tabId = useMemo(inspectedTabId, []);
  const [state, setState] = useState<PanelState>(emptyState);
  const [connected, setConnected] = useState(false);
  // Minimal wiring of export/import (the panel rewrite owns selection and the detail view).
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [imported, setImported] = useState<ImportedReport | null>(null);
  useEffect(() => {
    if (tabId === null) return;
    const c = connect(tabId, (m) => setState((s) => applyMessage(s, m)), setConnected);
    return () => c.close();
  }, [tabId]);

  if (tabId === null) return <p class="empty">No inspected tab: open this panel from DevTools, or add ?tabId=N.</p>;
  const live = [...state.entries.values()];
  const source = imported ? imported.entries : live;
  const blocked = source.filter((e) => e.verdict.outcome === 'blocked');
  const selected = source.find((e) => e.id === selectedId) ?? null;
  return (
    <main>
      <header class="toolbar">
        <strong>CORS Lens</strong>
        <span class="count" data-testid="blocked-count">{blocked.length} blocked</span>
        {!connected && <span class="status">reconnecting…</span>}
        <span style="flex:1" />
        <OpenReportButton onOpen={(r) => { setImported(r); setSelectedId(null); }} />
        <ExportMenu entries={source} selected={selected} origins={imported ? [] : state.origins} />
      </header>
      {imported && (
        <p class="imported" data-testid="imported-banner">
          Imported report <strong>{imported.source}</strong> (read-only, {imported.entries.length} requests){' '}
          <button type="button" data-testid="close-imported" onClick={() => { setImported(null); setSelectedId(null); }}>Back to live log</button>
        </p>
      )}
      {blocked.length === 0 ? (
        <p class="empty">No blocked requests yet — reload the page with DevTools open.</p>
      ) : (
        <table class="list">
          <thead>
            <tr><th>Method</th><th>URL</th><th>Status</th><th>Reason</th></tr>
          </thead>
          <tbody>
            {blocked.map((e) => <Row key={e.id} entry={e} selected={e.id === selectedId} onSelect={() => setSelectedId(e.id)} />)}
          </tbody>
        </table>
      )}
    </main>
  );
}

function Row({ entry, selected, onSelect }: { entry: LogEntry; selected: boolean; onSelect: () => void }) {
  const ex = entry.exchange;
  const last = ex.hops[ex.hops.length - 1];
  const pre = ex.preflights[ex.preflights.length - 1];
  const status = entry.verdict.symptom?.stage === 'preflight' ? pre?.hop.statusCode : last?.statusCode;
  return (
    <tr class={`row${selected ? ' selected' : ''}`} data-testid="row" data-id={entry.id} data-symptom={entry.verdict.symptom?.corsError ?? ''} onClick={onSelect}>
      <td>{ex.method}</td>
      <td class="url">{ex.url}</td>
      <td>{status ?? '—'}</td>
      <td class="reason">{verdictSummary(entry.verdict)}</td>
    </tr>
  );
}
