import { useEffect, useMemo, useState } from 'preact/hooks';
import { verdictSummary } from '../core/summary';
import type { LogEntry } from '../core/log';
import { connect, inspectedTabId } from './connection';
import { applyMessage, emptyState, type PanelState } from './store';

export function App() {
  const tabId = useMemo(inspectedTabId, []);
  const [state, setState] = useState<PanelState>(emptyState);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (tabId === null) return;
    const c = connect(tabId, (m) => setState((s) => applyMessage(s, m)), setConnected);
    return () => c.close();
  }, [tabId]);

  if (tabId === null) return <p class="empty">No inspected tab: open this panel from DevTools, or add ?tabId=N.</p>;
  const blocked = [...state.entries.values()].filter((e) => e.verdict.outcome === 'blocked');
  return (
    <main>
      <header class="toolbar">
        <strong>CORS Lens</strong>
        <span class="count" data-testid="blocked-count">{blocked.length} blocked</span>
        {!connected && <span class="status">reconnecting…</span>}
      </header>
      {blocked.length === 0 ? (
        <p class="empty">No blocked requests yet — reload the page with DevTools open.</p>
      ) : (
        <table class="list">
          <thead>
            <tr><th>Method</th><th>URL</th><th>Status</th><th>Reason</th></tr>
          </thead>
          <tbody>
            {blocked.map((e) => <Row key={e.id} entry={e} />)}
          </tbody>
        </table>
      )}
    </main>
  );
}

function Row({ entry }: { entry: LogEntry }) {
  const ex = entry.exchange;
  const last = ex.hops[ex.hops.length - 1];
  const pre = ex.preflights[ex.preflights.length - 1];
  const status = entry.verdict.symptom?.stage === 'preflight' ? pre?.hop.statusCode : last?.statusCode;
  return (
    <tr class="row" data-testid="row" data-id={entry.id} data-symptom={entry.verdict.symptom?.corsError ?? ''}>
      <td>{ex.method}</td>
      <td class="url">{ex.url}</td>
      <td>{status ?? '—'}</td>
      <td class="reason">{verdictSummary(entry.verdict)}</td>
    </tr>
  );
}
