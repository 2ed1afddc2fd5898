// The detail pane, the centre of the product: the cause in plain words and what the browser itself
// reports, the request's Origin against every Access-Control-* header side by side, the linked
// preflight, the request/response and redirect chain. Page data is only ever rendered as text.
import { Component, type ComponentChildren } from 'preact';
import { memo } from 'preact/compat';
import { useState } from 'preact/hooks';
import { describeCause, type CauseText } from '../core/causes';
import type { LogEntry } from '../core/log';
import type { Header, Hop, Preflight } from '../core/types';
import { diffList, diffOrigin, type Segment } from '../core/valueDiff';
import { OUTCOME_LABEL, outcomeLabel, uncertainSentence } from '../core/outcome';
import type { Branch, CauseRef, Verdict } from '../core/verdict';
import { SnippetPanel } from './snippets/SnippetPanel';
import { ProbeCommand } from './ProbeCommand';
import type { PageActions } from './probe/actions';
import { ProbeActions, ProbeFindingView, RetryOf } from './probe/ProbePanel';
import { detailText, headersText } from './detailText';
import { neededItems, originForRow, requestSide, sideRows, type SideRow } from './evidence';
import { clock, isAccessControl, stageLabel, statusOf, symptomText } from './format';
import { CloseIcon, CopyIcon } from './icons';

export interface DetailProps {
  entry: LogEntry;
  /** Source name when the entry comes from an opened report (read-only). */
  importedFrom?: string;
  copy(text: string): Promise<boolean>;
  onClose?: () => void;
  /** Probe and Retry send from the inspected page (null when popped out or imported). */
  actions?: PageActions | null;
}

/** Re-renders only when its entry changes (the panel itself renders once per frame while traffic flows). */
export const Detail = memo(function Detail(props: DetailProps) {
  return (
    <DetailBoundary entry={props.entry}>
      <DetailBody {...props} />
    </DetailBoundary>
  );
});

/** A malformed entry (an edited report, a future format) must never take the panel down. */
class DetailBoundary extends Component<{ entry: LogEntry; children: ComponentChildren }, { error: string | null }> {
  override state = { error: null as string | null };
  override componentDidCatch(err: unknown) {
    this.setState({ error: String((err as Error)?.message ?? err) });
  }
  override componentDidUpdate(prev: { entry: LogEntry }) {
    if (prev.entry !== this.props.entry && this.state.error) this.setState({ error: null });
  }
  override render() {
    if (!this.state.error) return this.props.children;
    let raw = '';
    try {
      raw = JSON.stringify(this.props.entry, null, 2).slice(0, 20_000);
    } catch {
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- whatever the entry is, shown as text
      raw = String(this.props.entry);
    }
    return (
      <div class="detail" data-testid="detail">
        <div class="card card-error">
          <h2>This entry could not be shown</h2>
          <p>{this.state.error}</p>
          <pre class="raw">{raw}</pre>
        </div>
      </div>
    );
  }
}

function DetailBody({ entry, importedFrom, copy, onClose, actions }: DetailProps) {
  const ex = entry.exchange;
  const v = entry.verdict;
  const status = statusOf(entry);
  return (
    <article class="detail" data-testid="detail" data-id={entry.id} tabIndex={-1} aria-label="Request detail">
      <header class="d-head">
        <div class="d-title">
          <span class={`badge b-${v.outcome}`} data-testid="outcome">
            {outcomeLabel(v)}
          </span>
          {importedFrom !== undefined && (
            <span
              class="badge b-imported"
              data-testid="imported-badge"
              title={`Opened from ${importedFrom}; read-only`}
            >
              Imported
            </span>
          )}
          <span class="d-method">{ex.method}</span>
          <span class="d-url" data-testid="detail-url">
            {ex.url}
          </span>
          <span class="d-status" title={status.preflight ? 'Status of the preflight' : 'HTTP status'}>
            {status.text}
          </span>
        </div>
        <div class="d-actions">
          <CopyButton label="URL" text={() => ex.url} copy={copy} />
          <CopyButton label="Headers" text={() => headersText(entry)} copy={copy} />
          <CopyButton label="All as text" text={() => detailText(entry, importedFrom)} copy={copy} testid="copy-all" />
          {onClose && (
            <button class="icon-btn" onClick={onClose} title="Close detail (Esc)" aria-label="Close detail">
              <CloseIcon />
            </button>
          )}
        </div>
      </header>

      <RetryOf entry={entry} />
      {importedFrom === undefined && v.cause?.confidence !== 'certain' && (
        <ProbeActions entry={entry} actions={actions ?? null} />
      )}
      <VerdictCard entry={entry} />
      <ProbeFindingView entry={entry} />
      {importedFrom === undefined && v.cause?.confidence === 'certain' && (
        <ProbeActions entry={entry} actions={actions ?? null} />
      )}
      {v.outcome !== 'pending' && <SnippetPanel entry={entry} />}
      <ProbeCommand entry={entry} copy={copy} />
      <Warnings warnings={v.warnings ?? []} />
      <SideBySide entry={entry} />
      <PreflightSection entry={entry} />
      <ExchangeSection entry={entry} />
      <Meta entry={entry} />
    </article>
  );
}

function CopyButton({
  label,
  text,
  copy,
  testid,
}: {
  label: string;
  text: () => string;
  copy(t: string): Promise<boolean>;
  testid?: string;
}) {
  const [state, setState] = useState<'idle' | 'ok' | 'fail'>('idle');
  return (
    <button
      class="btn copy"
      data-testid={testid}
      title={`Copy ${label.toLowerCase()}`}
      onClick={async () => {
        const ok = await copy(text());
        setState(ok ? 'ok' : 'fail');
        setTimeout(() => setState('idle'), 1200);
      }}
    >
      <CopyIcon />
      <span>{state === 'ok' ? 'Copied' : state === 'fail' ? 'Copy failed' : label}</span>
    </button>
  );
}

// -- cause card ---------------------------------------------------------------------------------

const CONFIDENCE_HELP: Record<string, string> = {
  certain: 'The headers prove it.',
  likely: 'The headers point to it; one detail is not visible to extensions.',
  possible: 'One of several explanations; see what is uncertain below.',
};

function VerdictCard({ entry }: { entry: LogEntry }) {
  const v = entry.verdict;
  if (v.outcome === 'pending') {
    return (
      <section class="card card-pending" data-testid="cause-card">
        <h2>Waiting for the response…</h2>
        <p class="dim">The verdict appears when the request completes or fails.</p>
      </section>
    );
  }
  if (v.outcome === 'pass') {
    return (
      <section class="card card-pass" data-testid="cause-card">
        <h2>Allowed: every CORS rule passed</h2>
        {v.preflight?.fromCache && <p>The preflight was answered from the browser's preflight cache.</p>}
        {v.branches?.length ? <Branches branches={v.branches} /> : null}
      </section>
    );
  }
  const cause = v.cause ? describeCause(v.cause) : null;
  if (v.outcome === 'uncertain') {
    // Both outcomes in the headline: the browser gave no failure signal, so this is never a pass.
    return (
      <section class="card card-uncertain" data-testid="cause-card">
        <p class="kicker">The browser gave no failure signal, and the credentials mode is not visible to extensions</p>
        <h2 class="headline" data-testid="verdict-headline">
          {uncertainSentence(v)}
        </h2>
        <CauseHead cause={cause} entry={entry} />
        <BrowserSays entry={entry} />
        {v.branches?.length ? <Branches branches={v.branches} /> : null}
      </section>
    );
  }
  if (v.outcome === 'not-cors') {
    return (
      <section class="card card-notcors" data-testid="cause-card">
        <p class="kicker">Not a CORS problem</p>
        <h2 data-testid="cause-title">{cause?.title ?? `Network error ${v.networkError ?? ''}`}</h2>
        {cause?.explanation && <p>{cause.explanation}</p>}
        {v.networkError && (
          <p>
            The browser reports <code>{v.networkError}</code>.
          </p>
        )}
      </section>
    );
  }
  return (
    <section class="card card-blocked" data-testid="cause-card">
      <CauseHead cause={cause} entry={entry} />
      <BrowserSays entry={entry} />
      {v.branches?.length ? <Branches branches={v.branches} /> : null}
    </section>
  );
}

function CauseHead({ cause, entry }: { cause: CauseText | null; entry: LogEntry }) {
  if (!cause) {
    const s = symptomText(entry);
    return s ? (
      <>
        <h2 data-testid="cause-title">Blocked: {s.short}</h2>
        <p>No root cause could be settled from the headers; what the browser reports is below.</p>
      </>
    ) : (
      <>
        <h2 data-testid="cause-title">Blocked: the rule could not be identified</h2>
        <p>The browser blocked this request. Compare the rows below with the console message.</p>
      </>
    );
  }
  return (
    <>
      <div class="cause-top">
        <h2 data-testid="cause-title">{cause.title}</h2>
        {entry.verdict.probe?.after && (
          <span class="badge b-probe" data-testid="cause-from-probe" title={entry.verdict.probe.summary}>
            from a probe
          </span>
        )}
        <span
          class={`conf conf-${cause.confidence}`}
          data-testid="confidence"
          title={CONFIDENCE_HELP[cause.confidence]}
        >
          {cause.confidence}
        </span>
      </div>
      {cause.explanation && <p data-testid="cause-explanation">{cause.explanation}</p>}
    </>
  );
}

function BrowserSays({ entry }: { entry: LogEntry }) {
  const s = entry.verdict.symptom;
  const t = symptomText(entry);
  if (!s || !t) return null;
  return (
    <dl class="browser-says" data-testid="browser-says">
      <dt>Chromium</dt>
      <dd>
        <code data-testid="cors-error">{s.corsError}</code>
        {s.failedParameter && (
          <span class="dim">
            {' '}
            failedParameter <code>{s.failedParameter}</code>
          </span>
        )}
      </dd>
      <dt>Chrome console</dt>
      <dd class="console" data-testid="chrome-console">
        {t.chromeConsole}
      </dd>
      {t.firefoxReason && (
        <>
          <dt>Firefox</dt>
          <dd data-testid="firefox-reason">
            <code>{t.firefoxReason}</code> <span class="console">(Reason: {t.firefoxText})</span>
          </dd>
        </>
      )}
    </dl>
  );
}

function Branches({ branches }: { branches: Branch[] }) {
  return (
    <div class="branches" data-testid="branches">
      <p class="kicker">Depends on the credentials mode, which extensions cannot see. Both outcomes:</p>
      {branches.map((b) => {
        const c = b.cause ? describeCause(b.cause) : null;
        const include = b.assumption === 'credentials-include';
        return (
          <div
            class={`branch br-${b.outcome}`}
            data-testid="branch"
            data-assumption={b.assumption}
            data-outcome={b.outcome}
          >
            <div class="br-when">
              {include ? (
                <>
                  <b>If the request sends credentials</b>{' '}
                  <span class="dim">(fetch credentials: 'include', XHR withCredentials, cookies or HTTP auth)</span>
                </>
              ) : (
                <>
                  <b>If it does not</b>{' '}
                  <span class="dim">(fetch's default 'same-origin', XHR without withCredentials)</span>
                </>
              )}
            </div>
            <div class="br-then">
              <span class={`badge b-${b.outcome}`}>{OUTCOME_LABEL[b.outcome] ?? b.outcome}</span>
              {c && <span> {c.title}</span>}
              {b.symptom && (
                <>
                  {' '}
                  <code>{b.symptom.corsError}</code>
                  {b.symptom.firefoxReason && (
                    <>
                      {' · Firefox '}
                      <code data-testid="branch-firefox-reason">{b.symptom.firefoxReason}</code>
                    </>
                  )}
                </>
              )}
            </div>
          </div>
        );
      })}
    </div>
  );
}

function Warnings({ warnings }: { warnings: CauseRef[] }) {
  if (warnings.length === 0) return null;
  return (
    <section class="card card-warn" data-testid="warnings">
      <p class="kicker">
        {warnings.length === 1 ? 'Warning' : `${warnings.length} warnings`}: allowed today, worth fixing
      </p>
      <ul>
        {warnings.map((w) => {
          const t = describeCause(w);
          return (
            <li data-testid="warning" data-code={w.code}>
              <b>{t.title}</b>
              {t.explanation && <span> — {t.explanation}</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

// -- side by side -------------------------------------------------------------------------------

const RESULT_LABEL: Record<string, string> = { fail: 'fail', warn: 'warn', pass: 'pass', info: '' };

function SideBySide({ entry }: { entry: LogEntry }) {
  const rows = sideRows(entry);
  const req = requestSide(entry);
  const v = entry.verdict;
  const hops = entry.exchange.hops?.length ?? 1;
  return (
    <section class="section" data-testid="side-by-side">
      <h3>Origin vs Access-Control-*</h3>
      <dl class="req-side" data-testid="request-side">
        {req.map((r) => (
          <div class="kv">
            <dt>{r.name}</dt>
            <dd>
              <Sent value={r.value} />
              {r.note && <span class="dim"> ({r.note})</span>}
            </dd>
          </div>
        ))}
        {v.preflight?.needed === true && v.preflight.reasons?.length > 0 && (
          <div class="kv">
            <dt>Preflight needed</dt>
            <dd>{v.preflight.reasons.join('; ')}</dd>
          </div>
        )}
        <div class="kv">
          <dt>Credentials</dt>
          <dd>
            {v.credentials === 'unknown'
              ? 'unknown (not visible to extensions)'
              : v.credentials === 'include'
                ? 'included'
                : 'not included'}
          </dd>
        </div>
      </dl>
      {rows.length === 0 ? (
        <p class="dim">No response headers yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="sbs">
            <thead>
              <tr>
                <th class="c-res">Result</th>
                <th>Where</th>
                <th>Header</th>
                <th>Request needs</th>
                <th>Server sent</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <SideRowView entry={entry} row={r} hops={hops} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function SideRowView({ entry, row, hops }: { entry: LogEntry; row: SideRow; hops: number }) {
  const field = row.field.toLowerCase();
  let needed: ComponentChildren = row.needed ? row.needed : <span class="dim">—</span>;
  let sent: ComponentChildren = <Sent value={row.sent} />;
  let notes: string[] = [];
  const bad = row.result === 'fail' || row.result === 'warn';
  const expected = bad && field === 'access-control-allow-origin' ? originForRow(entry, row) : null;
  if (expected !== null && row.sent !== null && row.sent !== '') {
    // The request's Origin next to what the server allowed, the differing part marked.
    const d = diffOrigin(expected, row.sent);
    if (!d.equal) {
      needed = (
        <>
          <Segments segs={d.expected} />
          {row.needed && row.needed !== expected && <div class="dim need-text">{row.needed}</div>}
        </>
      );
      sent = <Segments segs={d.actual} />;
      notes = d.notes;
    }
  } else if (bad && (field === 'access-control-allow-methods' || field === 'access-control-allow-headers')) {
    const want = neededItems(entry, row);
    const items =
      want === null ? [] : diffList(want, row.sent, { caseSensitive: field === 'access-control-allow-methods' });
    if (items.length > 0) {
      needed = (
        <>
          <span class="items">
            {items.map((it, i) => (
              <>
                {i > 0 && ', '}
                <span
                  class={it.allowed ? 'item ok' : 'item missing-item'}
                  title={it.allowed ? 'listed by the server' : 'not in the list the server sent'}
                >
                  {it.item}
                </span>
              </>
            ))}
          </span>
          {row.needed && row.needed !== want && <div class="dim need-text">{row.needed}</div>}
        </>
      );
      const missing = items.filter((i) => !i.allowed).map((i) => i.item);
      if (missing.length) notes = [`Not listed by the server: ${missing.join(', ')}.`];
    }
  }
  return (
    <>
      <tr
        class={`sbs-row r-${row.result}${row.unchecked ? ' unchecked' : ''}`}
        data-testid="sbs-row"
        data-result={row.result}
        data-field={row.field}
        data-stage={row.stage}
        data-rule={row.rule}
        data-decisive={row.decisive ? 'true' : undefined}
      >
        <td class="c-res">
          <span class={`res res-${row.result}`}>{row.unchecked ? '' : RESULT_LABEL[row.result]}</span>
        </td>
        <td class="where">{stageLabel(row.stage, row.hopIndex, hops)}</td>
        <td class="hname">
          {row.field}
          {row.spec && /^https:\/\//.test(row.spec) && (
            <a class="spec" href={row.spec} target="_blank" rel="noreferrer noopener" title="The Fetch standard's rule">
              spec
            </a>
          )}
        </td>
        <td class="needed">{needed}</td>
        <td class="sent" data-testid="sent">
          {sent}
        </td>
      </tr>
      {notes.length > 0 && (
        <tr class={`sbs-note r-${row.result}`}>
          <td />
          <td colSpan={4} data-testid="mismatch-note">
            {notes.join(' ')}
          </td>
        </tr>
      )}
    </>
  );
}

function Segments({ segs }: { segs: Segment[] }) {
  return (
    <span class="segs">
      {segs.map((s) =>
        s.diff ? (
          <mark
            class={s.text === '' ? 'diff gap' : 'diff'}
            title={s.text === '' ? 'missing here' : 'differs'}
            data-testid="diff"
          >
            {s.text}
          </mark>
        ) : (
          <span>{s.text}</span>
        ),
      )}
    </span>
  );
}

/** A header value: "missing" (absent) is shown differently from "" (present but empty). */
function Sent({ value }: { value: string | null }) {
  if (value === null)
    return (
      <span class="missing" data-testid="missing">
        header missing
      </span>
    );
  if (value === '') {
    return (
      <span class="empty-val" data-testid="empty-value">
        <code>""</code> empty
      </span>
    );
  }
  return <Value text={value} />;
}

const LONG = 600;

/** Long values are cut for layout (a hostile server can send 64 KB); the full text is one click away. */
function Value({ text }: { text: string }) {
  const [full, setFull] = useState(false);
  if (text.length <= LONG || full) return <span class="val">{text}</span>;
  return (
    <span class="val">
      {text.slice(0, LONG)}
      <button class="linkish more" onClick={() => setFull(true)}>
        … show all {text.length.toLocaleString()} characters
      </button>
    </span>
  );
}

// -- preflight / request / response -------------------------------------------------------------

function Section({
  title,
  open,
  children,
  testid,
  extra,
}: {
  title: string;
  open: boolean;
  children: ComponentChildren;
  testid: string;
  extra?: ComponentChildren;
}) {
  return (
    <details class="section fold" open={open} data-testid={testid}>
      <summary>
        <h3>{title}</h3>
        {extra}
      </summary>
      <div class="fold-body">{children}</div>
    </details>
  );
}

function Headers({ title, headers }: { title: string; headers: readonly Header[] | undefined }) {
  if (!headers) {
    return (
      <div class="hblock">
        <h4>{title}</h4>
        <p class="dim">Not reported by the browser.</p>
      </div>
    );
  }
  return (
    <div class="hblock">
      <h4>
        {title} <span class="dim">({headers.length})</span>
      </h4>
      {headers.length === 0 ? (
        <p class="dim">None.</p>
      ) : (
        <table class="headers">
          <tbody>
            {headers.map((h) => (
              <tr class={isAccessControl(String(h?.name ?? '')) ? 'ac' : ''}>
                <th scope="row">{String(h?.name ?? '')}</th>
                <td>
                  <Value text={String(h?.value ?? '')} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function HopView({ hop, label }: { hop: Hop; label?: string }) {
  return (
    <div class="hop">
      <p class="hop-line">
        {label && <span class="dim">{label} </span>}
        <span class="d-method">{hop.method}</span> <span class="val">{hop.url}</span>
        {hop.statusCode !== undefined && (
          <>
            {' → '}
            <span class="status-line">{hop.statusLine ?? String(hop.statusCode)}</span>
          </>
        )}
        {hop.fromCache && <span class="dim"> (from HTTP cache)</span>}
      </p>
      <Headers title="Request headers" headers={hop.requestHeaders} />
      <Headers title="Response headers" headers={hop.responseHeaders} />
    </div>
  );
}

function PreflightSection({ entry }: { entry: LogEntry }) {
  const v = entry.verdict;
  const pres: Preflight[] = entry.exchange.preflights ?? [];
  const failedHere = v.symptom?.stage === 'preflight';
  if (pres.length === 0) {
    if (v.preflight?.fromCache) {
      return (
        <section class="section" data-testid="preflight">
          <h3>Preflight</h3>
          <p class="note-cache" data-testid="preflight-cached">
            Preflight served from cache: no OPTIONS request went on the wire. The browser reused an earlier preflight
            answer (Access-Control-Max-Age).
          </p>
        </section>
      );
    }
    if (v.preflight?.needed === true) {
      return (
        <section class="section" data-testid="preflight">
          <h3>Preflight</h3>
          <p class="dim">Needed, but none was seen.</p>
        </section>
      );
    }
    return null;
  }
  const hops = entry.exchange.hops?.length ?? 1;
  return (
    <Section
      title={pres.length > 1 ? `Preflights (${pres.length})` : 'Preflight'}
      open={failedHere}
      testid="preflight"
      extra={<PreflightSummary p={pres[pres.length - 1]!} />}
    >
      {v.preflight?.fromCache && <p class="note-cache">A later preflight was answered from the preflight cache.</p>}
      {pres.map((p) => (
        <div class="preflight">
          <HopView hop={p.hop} label={hops > 1 ? `for hop ${p.hopIndex + 1}:` : undefined} />
          {p.error && (
            <p class="error">
              Network error: <code>{p.error}</code>
            </p>
          )}
          {p.redirectedTo && (
            <p class="error">
              Redirected to <span class="val">{p.redirectedTo}</span> (a preflight must not redirect)
            </p>
          )}
        </div>
      ))}
    </Section>
  );
}

function PreflightSummary({ p }: { p: Preflight }) {
  return (
    <span class="dim sum">
      {p.hop?.statusCode !== undefined
        ? ` ${p.hop.statusLine ?? p.hop.statusCode}`
        : p.error
          ? ` ${p.error}`
          : ' pending'}
    </span>
  );
}

function ExchangeSection({ entry }: { entry: LogEntry }) {
  const ex = entry.exchange;
  const hops = ex.hops ?? [];
  const v: Verdict = entry.verdict;
  const neverSent = v.symptom?.stage === 'preflight' && hops.length === 1 && hops[0]?.statusCode === undefined;
  return (
    <Section
      title={hops.length > 1 ? `Request and response · ${hops.length} hops` : 'Request and response'}
      open={v.symptom?.stage !== 'preflight'}
      testid="exchange"
    >
      {hops.length > 1 && (
        <ol class="chain" data-testid="redirect-chain">
          {hops.map((h, i) => (
            <li class={v.symptom?.hopIndex === i && v.outcome === 'blocked' ? 'failed' : ''}>
              <span class="status-line">{h.statusCode ?? '—'}</span> <span class="val">{h.url}</span>
            </li>
          ))}
        </ol>
      )}
      {neverSent && <p class="dim">The request itself was never sent: the browser stopped at the preflight.</p>}
      {hops.map((h, i) => (
        <HopView hop={h} label={hops.length > 1 ? `Hop ${i + 1}:` : undefined} />
      ))}
      {ex.error && (
        <p class="error">
          Browser error: <code>{ex.error}</code>
        </p>
      )}
    </Section>
  );
}

function Meta({ entry }: { entry: LogEntry }) {
  const ex = entry.exchange;
  const dur = ex.endTime !== undefined ? `${Math.max(0, Math.round(ex.endTime - ex.startTime))} ms` : '—';
  return (
    <Section title="Details" open={false} testid="meta">
      <dl class="meta">
        <div class="kv">
          <dt>Started</dt>
          <dd>{clock(ex.startTime)}</dd>
        </div>
        <div class="kv">
          <dt>Duration</dt>
          <dd>{dur}</dd>
        </div>
        <div class="kv">
          <dt>Type</dt>
          <dd>{ex.type}</dd>
        </div>
        <div class="kv">
          <dt>Page origin</dt>
          <dd>{ex.pageOrigin ?? 'unknown'}</dd>
        </div>
        <div class="kv">
          <dt>Document</dt>
          <dd>{ex.documentUrl ?? '—'}</dd>
        </div>
        <div class="kv">
          <dt>Frame / request id</dt>
          <dd>
            {ex.frameId} / {ex.requestId}
          </dd>
        </div>
      </dl>
    </Section>
  );
}
