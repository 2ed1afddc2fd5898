// The Probe and Retry actions of a blocked entry, and what they found. Everything from the page or
// the server is rendered as text.
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeCause } from '../../core/causes';
import type { LogEntry } from '../../core/log';
import { orderedAdvice } from '../../core/probe/advice';
import { newProbeId, planProbe, planRetry, type PageAnswer } from '../../core/probe/script';
import type { ProbeFinding } from '../../core/probe/types';
import type { Header, Hop } from '../../core/types';
import type { PageActions } from './actions';
import './probe.css';

/** How long the panel waits for the background to report a sent probe or retry. */
const WAIT_MS = 20_000;

type Phase = { kind: 'idle' } | { kind: 'busy'; text: string } | { kind: 'error'; text: string } | { kind: 'confirm' };

const KIND_LABEL: Record<ProbeFinding['kind'], string> = {
  'origin-rejected': 'A CORS layer answers and rejects this origin',
  'route-without-cors': 'CORS allows this origin on the preflight, not on the route',
  'no-cors-layer': 'No CORS layer answers this URL',
  'origin-allowed': 'The CORS layer allows this origin',
  inconclusive: 'Inconclusive',
};

function pageProblem(a: PageAnswer, expected: string | undefined): string {
  if (a.ok) return '';
  if (a.reason === 'not-http')
    return `The inspected page (${a.origin ?? 'unknown'}) is not an http(s) page: nothing was sent. Go back to the page that made the request.`;
  if (a.reason === 'other-origin')
    return `The inspected page is now ${a.origin ?? 'another origin'}, not ${expected ?? 'the page that made the request'}: nothing was sent, as its Origin would differ.`;
  return `The page could not send it: ${a.message ?? 'unknown error'}`;
}

/**
 * Runs `code` in the page (in the frame at `frameURL`, when known); returns an error text, or null
 * when the request went out. A request from an iframe whose document URL the browser did not
 * report (Chrome) is sent from a frame of the same origin, found among the page's documents.
 */
async function sendFromPage(
  actions: PageActions,
  code: string,
  frameURL: string | undefined,
  expected: string | undefined,
  fromSubframe: boolean,
): Promise<string | null> {
  if (!frameURL && fromSubframe && expected) frameURL = await actions.frameWithOrigin(expected);
  const r = await actions.evalInPage(code, frameURL);
  if (r.error !== undefined) return `The page could not run it: ${r.error}`;
  const a = r.value as PageAnswer | undefined;
  if (!a || typeof a !== 'object') return 'The page did not answer (it may be navigating).';
  return a.ok ? null : pageProblem(a, expected);
}

export function ProbeActions({ entry, actions }: { entry: LogEntry; actions: PageActions | null }) {
  const v = entry.verdict;
  const [probe, setProbe] = useState<Phase>({ kind: 'idle' });
  const [retry, setRetry] = useState<Phase>({ kind: 'idle' });
  const waiting = useRef<{ probe?: string; retryAt?: number }>({});
  const timers = useRef<Array<ReturnType<typeof setTimeout>>>([]);
  useEffect(() => () => timers.current.forEach(clearTimeout), []);

  // The background's answer arrives as an update of this entry.
  useEffect(() => {
    if (waiting.current.probe && v.probe?.probeId === waiting.current.probe) {
      waiting.current.probe = undefined;
      setProbe({ kind: 'idle' });
    }
    if (waiting.current.retryAt !== undefined && v.retry && v.retry.at >= waiting.current.retryAt) {
      waiting.current.retryAt = undefined;
      setRetry({ kind: 'idle' });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the ids that say a probe or retry came back
  }, [v.probe?.probeId, v.retry?.at]);

  if (v.outcome !== 'blocked' && v.outcome !== 'not-cors') return null;
  const plan = planProbe(entry, '…');
  const retryPlan = planRetry(entry);
  const pageOrigin = entry.exchange.pageOrigin;
  const fromSubframe = entry.exchange.frameId > 0;

  const startProbe = async () => {
    if (!actions)
      return setProbe({
        kind: 'error',
        text: 'Probing sends from the inspected page: open this panel docked in DevTools.',
      });
    const id = newProbeId();
    const p = planProbe(entry, id);
    setProbe({ kind: 'busy', text: 'Probing… waiting for the server’s answer' });
    waiting.current.probe = id;
    actions.send({ type: 'probe', probeId: id, credentials: p.credentials, original: entry });
    const problem = await sendFromPage(actions, p.code, p.frameURL, pageOrigin, fromSubframe);
    if (problem) {
      waiting.current.probe = undefined;
      return setProbe({ kind: 'error', text: problem });
    }
    timers.current.push(
      setTimeout(() => {
        if (waiting.current.probe !== id) return;
        waiting.current.probe = undefined;
        setProbe({
          kind: 'error',
          text: `No answer to the probe reached CORS Lens within ${WAIT_MS / 1000} s: the request may have been blocked before the network (an extension, the page's CSP), or the page went away.`,
        });
      }, WAIT_MS),
    );
  };

  const startRetry = async () => {
    if (!actions)
      return setRetry({
        kind: 'error',
        text: 'Retry sends from the inspected page: open this panel docked in DevTools.',
      });
    const since = Date.now();
    setRetry({ kind: 'busy', text: `Retrying ${retryPlan.method}… waiting for the new entry` });
    waiting.current.retryAt = since;
    actions.send({ type: 'retry', method: retryPlan.method, since, original: entry });
    const problem = await sendFromPage(actions, retryPlan.code, retryPlan.frameURL, pageOrigin, fromSubframe);
    if (problem) {
      waiting.current.retryAt = undefined;
      return setRetry({ kind: 'error', text: problem });
    }
    timers.current.push(
      setTimeout(() => {
        if (waiting.current.retryAt !== since) return;
        waiting.current.retryAt = undefined;
        setRetry({ kind: 'error', text: `The retry did not finish within ${WAIT_MS / 1000} s.` });
      }, WAIT_MS + 5000),
    );
  };

  const uncertain = v.outcome === 'blocked' && v.cause?.confidence !== 'certain';
  return (
    <section class={`card probe-card${uncertain ? ' probe-first' : ''}`} data-testid="probe-actions">
      {v.outcome === 'blocked' && (
        <div class="probe-row">
          <button
            class={`btn${uncertain && !v.probe ? ' btn-primary' : ''}`}
            data-testid="probe-button"
            disabled={probe.kind === 'busy'}
            onClick={startProbe}
          >
            {v.probe ? 'Probe again' : 'Probe the server'}
          </button>
          <span class="dim probe-line" data-testid="probe-plan">
            {plan.describe.replace(' …', '')}
          </span>
        </div>
      )}
      {probe.kind !== 'idle' && probe.kind !== 'confirm' && (
        <p class={probe.kind === 'error' ? 'error' : 'dim'} data-testid="probe-status" role="status">
          {probe.text}
        </p>
      )}
      <div class="probe-row">
        {retry.kind === 'confirm' ? (
          <>
            <span data-testid="retry-confirm">
              Send {retryPlan.method} {entry.exchange.url} again? It may change data on the server.
            </span>
            <button class="btn" data-testid="retry-confirm-yes" onClick={() => void startRetry()}>
              Send {retryPlan.method}
            </button>
            <button class="btn" onClick={() => setRetry({ kind: 'idle' })}>
              Cancel
            </button>
          </>
        ) : (
          <>
            <button
              class="btn"
              data-testid="retry-button"
              disabled={retry.kind === 'busy'}
              onClick={() => (retryPlan.confirm ? setRetry({ kind: 'confirm' }) : void startRetry())}
            >
              Retry
            </button>
            <span class="dim probe-line">
              Re-sends {retryPlan.method} {entry.exchange.url} from the page
              {retryPlan.headers.length ? ` with ${retryPlan.headers.map(([n]) => n).join(', ')}` : ''}.
              {retryPlan.notes.length ? ` ${retryPlan.notes.join(' ')}` : ''}
            </span>
          </>
        )}
      </div>
      {retry.kind !== 'idle' && retry.kind !== 'confirm' && (
        <p class={retry.kind === 'error' ? 'error' : 'dim'} data-testid="retry-status" role="status">
          {retry.text}
        </p>
      )}
      {v.retry && (
        <p
          data-testid="retry-outcome"
          data-outcome={v.retry.outcome}
          class={v.retry.outcome === 'pass' ? 'ok-text' : ''}
        >
          Latest retry:{' '}
          {v.retry.outcome === 'pass'
            ? 'now passes'
            : v.retry.outcome === 'uncertain'
              ? 'passes without credentials; blocked if sent with credentials (the browser does not show the credentials mode)'
              : v.retry.outcome === 'blocked'
                ? `still blocked${v.retry.cause ? ` — ${describeCause(v.retry.cause).title}` : ''}`
                : v.retry.outcome === 'not-cors'
                  ? `not CORS${v.retry.cause ? ` — ${describeCause(v.retry.cause).title}` : ''}`
                  : 'pending'}{' '}
          <span class="dim">(entry {v.retry.id})</span>
        </p>
      )}
    </section>
  );
}

function HeadersList({ title, headers }: { title: string; headers: readonly Header[] | undefined }) {
  return (
    <div class="hblock">
      <h4>{title}</h4>
      {!headers ? (
        <p class="dim">Not reported by the browser.</p>
      ) : (
        <table class="headers">
          <tbody>
            {headers.map((h) => (
              <tr>
                <th scope="row">{String(h.name)}</th>
                <td class="val">{String(h.value).slice(0, 2000)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function HopBlock({ label, hop }: { label: string; hop: Hop }) {
  return (
    <div class="hop" data-testid="probe-hop">
      <p class="hop-line">
        <span class="dim">{label} </span>
        <span class="d-method">{hop.method}</span> <span class="val">{hop.url}</span>
        {hop.statusCode !== undefined && <> → {hop.statusLine ?? String(hop.statusCode)}</>}
      </p>
      <HeadersList title="Request headers" headers={hop.requestHeaders} />
      <HeadersList title="Response headers" headers={hop.responseHeaders} />
    </div>
  );
}

/** What the probe found: the refined cause against the headers-only one, the probe's own exchange. */
export function ProbeFindingView({ entry }: { entry: LogEntry }) {
  const f = entry.verdict.probe;
  if (!f) return null;
  const before = f.before ? describeCause(f.before) : null;
  const after = f.after ? describeCause(f.after) : null;
  const origin = entry.exchange.pageOrigin ?? '';
  return (
    <section
      class="card probe-finding"
      data-testid="probe-finding"
      data-kind={f.kind}
      data-probe-id={f.probeId}
      data-outcome={f.outcome}
      data-cors-error={f.corsError}
    >
      <p class="kicker">From a probe</p>
      <h3 data-testid="probe-kind">{KIND_LABEL[f.kind] ?? f.kind}</h3>
      <p data-testid="probe-summary">{f.summary}</p>
      {after && (
        <p data-testid="probe-refined">
          Cause {before && before.code !== after.code ? 'changed' : 'confirmed'}: <b>{after.title}</b>{' '}
          <span class={`conf conf-${after.confidence}`}>{after.confidence}</span>
          {before && (
            <span class="dim">
              {' '}
              (from the headers alone: {before.title}, {before.confidence})
            </span>
          )}
        </p>
      )}
      {f.suspects && f.suspects.length > 0 && (
        <div data-testid="probe-suspects">
          <p>
            The page cannot change its Origin, so it cannot see which origin the server lists. The usual near misses of{' '}
            {origin}:
          </p>
          <ul>
            {f.suspects.map((s) => (
              <li>
                <code>{s}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {f.command && (
        <p data-testid="probe-command">
          From a terminal, this finds the origin the server accepts: <code class="val">{f.command}</code>
        </p>
      )}
      {f.kind === 'route-without-cors' && (
        <details class="probe-advice" open data-testid="probe-advice">
          <summary>Where this happens, per stack</summary>
          {orderedAdvice(entry, origin)
            .slice(0, 4)
            .map((a) => (
              <div data-stack={a.stack}>
                <p>
                  <b>{a.label}:</b> {a.text}
                </p>
                <pre class="code">{a.snippet}</pre>
              </div>
            ))}
        </details>
      )}
      <details class="probe-exchange" data-testid="probe-exchange">
        <summary>The probe’s own request and response</summary>
        {f.preflight && <HopBlock label="Preflight:" hop={f.preflight} />}
        {f.actual && <HopBlock label="Probe request:" hop={f.actual} />}
        {f.error && (
          <p class="error">
            Network error: <code>{f.error}</code>
          </p>
        )}
      </details>
    </section>
  );
}

/** On a retry's own entry: which entry it re-sent. */
export function RetryOf({ entry }: { entry: LogEntry }) {
  const of = entry.verdict.retryOf;
  if (!of) return null;
  return (
    <p class="retry-of" data-testid="retry-of">
      Retry of entry {of} (re-sent from the panel)
    </p>
  );
}
