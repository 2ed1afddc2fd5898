// Export and re-open reports (issue: share a failure).
// Contract: the toolbar renders <ExportMenu …/> and <OpenReportButton …/>; an opened report is
// handed to the panel as log entries, which it shows read-only, marked as imported.
import { countsAsBlocked } from '../../core/outcome';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { LogEntry, OriginStats } from '../../core/log';
import {
  describeRedaction,
  exportReport,
  FORMATS,
  MAX_REPORT_BYTES,
  openReport,
  redactionFor,
  type ExportFormat,
  type ExportScope,
  type ReportEnv,
  type SnippetSource,
} from '../../core/report';
import { fullBrowserVersion, runtimeEnv } from './env';
import './export.css';
import { copyText } from '../clipboard';

export interface ExportMenuProps {
  /**
   * Every entry currently in the panel (after the view's filters), or how to load them when the
   * menu opens (the live panel holds list rows; its full entries are in the background).
   */
  entries: LogEntry[] | (() => Promise<LogEntry[]>);
  /** The entry shown in the detail pane, if any. */
  selected: LogEntry | null;
  /** The per-origin counts (for exporting the per-origin log). */
  origins: OriginStats[];
  /** The fix-snippet generator (src/core/snippets/), wired by the panel. */
  snippets?: SnippetSource;
  /** Who is exporting (default: read from the runtime). */
  env?: ReportEnv;
}

const SCOPES: Array<{ id: ExportScope; label: string }> = [
  { id: 'selected', label: 'Selected request' },
  { id: 'blocked', label: 'All blocked' },
  { id: 'origins', label: 'Per-origin log' },
];

function entriesFor(scope: ExportScope, selected: LogEntry | null, entries: LogEntry[]): LogEntry[] {
  if (scope === 'selected') return selected ? [selected] : [];
  if (scope === 'blocked') return entries.filter((e) => countsAsBlocked(e.verdict.outcome));
  return entries;
}

/**
 * The entries: given, or loaded while the menu is open — again when the list changes, one load at
 * a time (null until the first one arrives).
 */
function useEntries(
  open: boolean,
  source: ExportMenuProps['entries'],
): { entries: LogEntry[] | null; error: string | null } {
  const [loaded, setLoaded] = useState<{ entries: LogEntry[] | null; error: string | null }>({
    entries: null,
    error: null,
  });
  const latest = useRef(source);
  latest.current = source;
  const busy = useRef<{ stale: boolean } | null>(null);
  useEffect(() => {
    if (!open || typeof source !== 'function') return;
    if (busy.current) {
      busy.current.stale = true;
      return;
    }
    const load = (fn: () => Promise<LogEntry[]>) => {
      const b = (busy.current = { stale: false });
      fn().then(
        (entries) => {
          if (busy.current !== b) return;
          setLoaded({ entries, error: null });
          busy.current = null;
          const next = latest.current;
          if (b.stale && typeof next === 'function') load(next);
        },
        (e: Error) => {
          if (busy.current !== b) return;
          busy.current = null;
          setLoaded((l) => ({ entries: l.entries, error: e.message }));
        },
      );
    };
    load(source);
  }, [open, source]);
  useEffect(() => {
    if (open) return;
    busy.current = null;
    setLoaded({ entries: null, error: null });
  }, [open]);
  return typeof source === 'function' ? loaded : { entries: source, error: null };
}

function size(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function downloadText(text: string, filename: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${mimeType};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has started reading the blob by the next task; keep it a little longer anyway.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportMenu(props: ExportMenuProps) {
  const [open, setOpen] = useState(false);
  const [scope, setScope] = useState<ExportScope>(props.selected ? 'selected' : 'blocked');
  const [format, setFormat] = useState<ExportFormat>('markdown');
  const [includeSecrets, setIncludeSecrets] = useState(false);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [env, setEnv] = useState<ReportEnv>(() => props.env ?? runtimeEnv());
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (props.env) setEnv(props.env);
    else void fullBrowserVersion(runtimeEnv()).then(setEnv);
  }, [props.env]);

  // The selected scope makes no sense without a selection: fall back, and prefer it when one appears.
  useEffect(() => {
    if (!props.selected && scope === 'selected') setScope('blocked');
  }, [props.selected, scope]);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    const onDown = (e: MouseEvent) => root.current && !root.current.contains(e.target as Node) && setOpen(false);
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onDown);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onDown);
    };
  }, [open]);

  const { entries, error: loadError } = useEntries(open, props.entries);
  const loading = open && entries === null && scope !== 'selected';
  const chosen = useMemo(
    () => (open ? entriesFor(scope, props.selected, entries ?? []) : []),
    [open, scope, entries, props.selected],
  );
  const redaction = useMemo(() => (open && !loading ? redactionFor(chosen) : null), [open, loading, chosen]);
  const blockedCount = useMemo(
    () => (entries ? entries.filter((e) => countsAsBlocked(e.verdict.outcome)).length : null),
    [entries],
  );
  const empty = loading || (chosen.length === 0 && !(scope === 'origins' && props.origins.length > 0));

  const build = () =>
    exportReport(
      format,
      { scope, entries: chosen, ...(scope === 'origins' ? { origins: props.origins } : {}) },
      { includeSecrets, env, ...(props.snippets ? { snippets: props.snippets } : {}) },
    );

  const onCopy = async () => {
    try {
      const r = build();
      const ok = await copyText(r.text);
      setStatus(
        ok
          ? { kind: 'ok', text: `Copied ${FORMATS[format].label} (${size(r.text.length)})` }
          : { kind: 'error', text: 'The browser refused to copy: use Download instead.' },
      );
    } catch (e) {
      setStatus({ kind: 'error', text: `Export failed: ${(e as Error).message}` });
    }
  };
  const onDownload = () => {
    try {
      const r = build();
      downloadText(r.text, r.filename, r.mimeType);
      setStatus({ kind: 'ok', text: `Saved ${r.filename} (${size(r.text.length)})` });
    } catch (e) {
      setStatus({ kind: 'error', text: `Export failed: ${(e as Error).message}` });
    }
  };

  return (
    <div class="export-menu" ref={root} data-testid="export-menu">
      <button
        type="button"
        class="tool-button"
        data-testid="export-toggle"
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => {
          setOpen(!open);
          setStatus(null);
        }}
      >
        Export ▾
      </button>
      {open && (
        <div class="export-popover" role="dialog" aria-label="Export a report" data-testid="export-popover">
          <fieldset>
            <legend>What</legend>
            {SCOPES.map((s) => (
              <label key={s.id} class={s.id === 'selected' && !props.selected ? 'disabled' : ''}>
                <input
                  type="radio"
                  name="export-scope"
                  value={s.id}
                  data-testid={`export-scope-${s.id}`}
                  checked={scope === s.id}
                  disabled={s.id === 'selected' && !props.selected}
                  onChange={() => {
                    setScope(s.id);
                    setStatus(null);
                  }}
                />
                {s.label}
                {s.id === 'blocked' && <span class="count"> ({blockedCount ?? '…'})</span>}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Format</legend>
            {(Object.keys(FORMATS) as ExportFormat[]).map((f) => (
              <label key={f}>
                <input
                  type="radio"
                  name="export-format"
                  value={f}
                  data-testid={`export-format-${f}`}
                  checked={format === f}
                  onChange={() => {
                    setFormat(f);
                    setStatus(null);
                  }}
                />
                {FORMATS[f].label}
              </label>
            ))}
          </fieldset>
          <div class={`export-redaction${includeSecrets ? ' secrets' : ''}`} data-testid="export-redaction">
            {!redaction ? (
              loadError ? (
                `Could not load the entries: ${loadError}`
              ) : (
                'Loading the entries…'
              )
            ) : redaction.items.length === 0 ? (
              'No cookies, credentials or tokens found.'
            ) : includeSecrets ? (
              <>
                Secrets <strong>included</strong>: {describeRedaction(redaction)}. Share only with people allowed to see
                them.
              </>
            ) : (
              <>Redacted: {describeRedaction(redaction)}</>
            )}
          </div>
          <label class="export-secrets">
            <input
              type="checkbox"
              data-testid="export-include-secrets"
              checked={includeSecrets}
              onChange={(e) => {
                setIncludeSecrets((e.target as HTMLInputElement).checked);
                setStatus(null);
              }}
            />
            Include secrets (cookies, Authorization, API keys, tokens)
          </label>
          <div class="export-actions">
            <button type="button" data-testid="export-copy" disabled={empty} onClick={onCopy}>
              Copy
            </button>
            <button type="button" data-testid="export-download" disabled={empty} onClick={onDownload}>
              Download
            </button>
          </div>
          {empty && !loading && <p class="export-empty">Nothing to export in this scope.</p>}
          {status && (
            <p
              class={`export-status ${status.kind}`}
              role={status.kind === 'error' ? 'alert' : 'status'}
              data-testid="export-status"
            >
              {status.text}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

export interface ImportedReport {
  /** File name or "clipboard". */
  source: string;
  entries: LogEntry[];
}

export interface OpenReportButtonProps {
  onOpen(report: ImportedReport): void;
}

function hasFiles(e: DragEvent): boolean {
  return !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
}

/** "Open report…": a file picker, and drag-and-drop of a report anywhere on the panel. */
export function OpenReportButton(props: OpenReportButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<{ source: string; message: string; details: string[] } | null>(null);
  const [dragging, setDragging] = useState(false);
  const onOpen = useRef(props.onOpen);
  onOpen.current = props.onOpen;

  const load = async (file: File) => {
    if (file.size > MAX_REPORT_BYTES) {
      setError({
        source: file.name,
        message: `The file is too large (${size(file.size)}; at most ${size(MAX_REPORT_BYTES)}).`,
        details: [],
      });
      return;
    }
    let text: string;
    try {
      text = await file.text();
    } catch (e) {
      setError({ source: file.name, message: 'The file could not be read.', details: [String((e as Error).message)] });
      return;
    }
    const r = openReport(text, file.size);
    if (!r.ok) {
      setError({ source: file.name, message: r.error, details: r.details });
      return;
    }
    setError(null);
    onOpen.current({ source: file.name, entries: r.entries });
  };

  useEffect(() => {
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      setDragging(true);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const files = e.dataTransfer?.files;
      if (!files || files.length === 0) return;
      if (files.length > 1) {
        setError({ source: `${files.length} files`, message: 'Drop one report at a time.', details: [] });
        return;
      }
      void load(files[0]!);
    };
    document.addEventListener('dragenter', enter);
    document.addEventListener('dragover', over);
    document.addEventListener('dragleave', leave);
    document.addEventListener('drop', drop);
    return () => {
      document.removeEventListener('dragenter', enter);
      document.removeEventListener('dragover', over);
      document.removeEventListener('dragleave', leave);
      document.removeEventListener('drop', drop);
    };
  }, []);

  return (
    <span class="open-report">
      <button
        type="button"
        class="tool-button"
        data-testid="open-report"
        title="Open a JSON report exported by CORS Lens (or drop it on the panel)"
        onClick={() => input.current?.click()}
      >
        Open report…
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="open-report-input"
        onChange={(e) => {
          const el = e.target as HTMLInputElement;
          const f = el.files?.[0];
          if (f) void load(f);
          el.value = ''; // choosing the same file again must fire change again
        }}
      />
      {dragging && (
        <div class="drop-overlay" data-testid="drop-overlay">
          Drop a CORS Lens report (.json) to open it
        </div>
      )}
      {error && (
        <div class="open-report-error" role="alert" data-testid="open-report-error">
          <strong>Could not open {error.source}:</strong> {error.message}
          {error.details.length > 0 && (
            <ul>
              {error.details.map((d, i) => (
                <li key={i}>{d}</li>
              ))}
            </ul>
          )}
          <button type="button" data-testid="open-report-dismiss" onClick={() => setError(null)}>
            Dismiss
          </button>
        </div>
      )}
    </span>
  );
}
