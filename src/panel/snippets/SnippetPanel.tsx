// The fix-snippet view under the cause card: tabs per stack (detected first), the code to paste
// for the chosen stack, "Copy" and "Copy as diff". The choice is remembered per target origin.
// Everything is rendered as text nodes (no innerHTML): snippets carry values from response headers.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { LogEntry } from '../../core/log';
import { originOf } from '../../core/origin';
import { SETTINGS } from '../../shared/protocol';
import {
  buildSnippetInput,
  detectStacks,
  GENERATORS,
  generateSnippet,
  isStackId,
  orderStacks,
  type StackId,
} from '../../core/snippets';
import { ext } from '../../shared/ext';
import { copyText } from '../clipboard';
import './snippets.css';

/** A detection score this high names one framework (a default header only it sends); below, it is a family guess (e.g. Node.js). */
const STRONG_SIGNAL = 5;

export interface SnippetPanelProps {
  entry: LogEntry;
}

function storageKey(target: string): string {
  return SETTINGS.snippetStackPrefix + target;
}

async function loadChoice(target: string): Promise<StackId | null> {
  try {
    const key = storageKey(target);
    const got = await ext.storage.local.get(key);
    const v = (got as Record<string, unknown>)[key];
    return isStackId(v) ? v : null;
  } catch {
    return null; // no extension storage (e.g. a report opened outside the extension)
  }
}

function saveChoice(target: string, stack: StackId): void {
  try {
    void ext.storage.local.set({ [storageKey(target)]: stack }).catch(() => {});
  } catch {
    // ignore: the choice just is not remembered
  }
}

type CopyState = { what: string; ok: boolean } | null;

export function SnippetPanel({ entry }: SnippetPanelProps) {
  const input = useMemo(() => buildSnippetInput(entry), [entry]);
  const guesses = useMemo(() => detectStacks(entry), [entry]);
  const order = useMemo(() => orderStacks(guesses), [guesses]);
  const target = input?.target ?? originOf(entry.exchange.url) ?? entry.exchange.url;
  const [chosen, setChosen] = useState<StackId | null>(null);
  const [showDiff, setShowDiff] = useState(false);
  const [copied, setCopied] = useState<CopyState>(null);

  useEffect(() => {
    let live = true;
    setChosen(null);
    void loadChoice(target).then((s) => live && s && setChosen(s));
    return () => {
      live = false;
    };
  }, [target]);

  const stack = chosen ?? order[0]!;
  const snippet = useMemo(() => (input ? generateSnippet(stack, input) : null), [input, stack]);

  if (!input || !snippet) {
    if (entry.verdict.outcome !== 'not-cors' && !entry.verdict.cause) return null;
    return (
      <section class="snippets" data-testid="snippets">
        <p class="snippets-none">No server CORS setting fixes this: the request failed before any CORS check.</p>
      </section>
    );
  }

  const choose = (s: StackId) => {
    setChosen(s);
    setShowDiff(false);
    setCopied(null);
    saveChoice(target, s);
  };
  const copy = async (what: string, text: string) => setCopied({ what, ok: await copyText(text) });
  const detected = new Map(guesses.map((g) => [g.stack, g]));
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = order.indexOf(stack);
    const next = order[(i + (e.key === 'ArrowRight' ? 1 : order.length - 1)) % order.length]!;
    choose(next);
    (e.currentTarget as HTMLElement).parentElement?.querySelector<HTMLElement>(`[data-stack="${next}"]`)?.focus();
  };

  return (
    <section class="snippets" data-testid="snippets" aria-label="Fix it on the server">
      <header class="snippets-head">
        <h3>Fix it on the server</h3>
        <span class="snippets-title" data-testid="snippet-title">
          {snippet.title}
        </span>
        {input.cause?.source === 'derived' && (
          <span class="snippets-derived" title="The cause was inferred by CORS Lens from the response headers">
            inferred
          </span>
        )}
      </header>
      <div class="snippets-tabs" role="tablist" aria-label="Server stack">
        {order.map((s) => {
          const g = detected.get(s);
          return (
            <button
              type="button"
              role="tab"
              key={s}
              data-stack={s}
              data-testid="snippet-tab"
              aria-selected={s === stack}
              tabIndex={s === stack ? 0 : -1}
              class={g ? (g.score >= STRONG_SIGNAL ? 'detected' : 'guessed') : undefined}
              title={g ? `${g.score >= STRONG_SIGNAL ? 'Detected' : 'A guess'}: ${g.reasons.join('; ')}` : undefined}
              onClick={() => choose(s)}
              onKeyDown={onKey}
            >
              {GENERATORS[s].label}
              {g && s === order[0] ? (
                <span class="snippets-badge"> · {g.score >= STRONG_SIGNAL ? 'detected' : 'guess'}</span>
              ) : null}
            </button>
          );
        })}
      </div>
      <div class="snippets-body" role="tabpanel" data-testid="snippet-body" data-stack={stack}>
        {snippet.notes.length > 0 && (
          <ul class="snippets-notes" data-testid="snippet-notes">
            {snippet.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        )}
        <div class="snippets-actions">
          {snippet.diff && (
            <>
              <button type="button" data-testid="copy-diff" onClick={() => copy('diff', snippet.diff!)}>
                Copy as diff
              </button>
              <label>
                <input type="checkbox" checked={showDiff} onChange={(e) => setShowDiff(e.currentTarget.checked)} /> show
                diff
              </label>
            </>
          )}
          <span class="snippets-copied" role="status" aria-live="polite" data-testid="copy-status">
            {copied ? (copied.ok ? `Copied ${copied.what}` : 'Copy failed: select the text and copy it by hand') : ''}
          </span>
        </div>
        {showDiff && snippet.diff ? (
          <pre class="snippets-code snippets-diff" data-testid="snippet-diff">
            {snippet.diff.split('\n').map((l, i) => (
              <span
                key={i}
                class={
                  l.startsWith('+') && !l.startsWith('+++')
                    ? 'add'
                    : l.startsWith('-') && !l.startsWith('---')
                      ? 'del'
                      : undefined
                }
              >
                {l + '\n'}
              </span>
            ))}
          </pre>
        ) : (
          snippet.parts.map((p) => (
            <figure class="snippets-part" key={p.id} data-testid="snippet-part" data-part={p.id}>
              <figcaption>
                <span>{p.placement}</span>
                <button
                  type="button"
                  data-testid="copy-part"
                  onClick={() => copy(snippet.parts.length > 1 ? `part "${p.id}"` : 'snippet', p.code)}
                >
                  Copy
                </button>
              </figcaption>
              <pre class="snippets-code" data-language={snippet.language}>
                <code>{p.code}</code>
              </pre>
            </figure>
          ))
        )}
        <p class="snippets-docs">
          Docs:{' '}
          {snippet.docs.map((d, i) => (
            <span key={d}>
              {i > 0 && ' · '}
              <a href={d} target="_blank" rel="noreferrer noopener">
                {d.replace(/^https:\/\//, '')}
              </a>
            </span>
          ))}
        </p>
      </div>
    </section>
  );
}
