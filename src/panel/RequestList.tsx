// The request list (left pane): Network-panel style rows, virtualized. Every value from the page
// (URL, method, status) is rendered as a text node.
import { describeCause } from '../core/causes';
import { memo } from 'preact/compat';
import { useEffect, useRef } from 'preact/hooks';
import type { LogEntry } from '../core/log';
import { clock, isUncertain, shortSymptom, splitUrl, statusOf } from './format';
import type { ListItem } from './model';
import { useVirtual } from './virtual';

export const ROW_PX = 22;
const HEADER_PX = 22;

export interface NavKeys {
  /** Handles a navigation key for the active view; returns true when it did something. */
  (e: KeyboardEvent): boolean;
}

/** Installs the active view's key handler; on unmount removes it unless the next view replaced it. */
export function useNavKeys(keys: { current: NavKeys | null }, handler: NavKeys): void {
  keys.current = handler;
  const mine = useRef(handler);
  mine.current = handler;
  useEffect(
    () => () => {
      if (keys.current === mine.current) keys.current = null;
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- unregisters on unmount only; keys is a stable ref
    [],
  );
}

interface Props {
  items: readonly ListItem[];
  /** Index of the selected entry in `items`, or -1. */
  selIndex: number;
  /**
   * The selection as of now (not as of the last render): key repeats arrive faster than frames,
   * and each press must move from where the previous one left off.
   */
  cursor(): { items: readonly ListItem[]; index: number };
  onSelect(id: string): void;
  onOpen(id: string): void;
  keys: { current: NavKeys | null };
}

export function RequestList({ items, selIndex, cursor, onSelect, onOpen, keys }: Props) {
  const v = useVirtual(items.length, ROW_PX, HEADER_PX);

  // Assigned on every render (not in an effect) so a key pressed right after a render already
  // sees the new rows.
  const handler: NavKeys = (e) => {
    const { items: list, index } = cursor();
    if (list.length === 0) return false;
    let to: number;
    switch (e.key) {
      case 'ArrowDown':
        to = index < 0 ? 0 : Math.min(list.length - 1, index + 1);
        break;
      case 'ArrowUp':
        to = index < 0 ? list.length - 1 : Math.max(0, index - 1);
        break;
      case 'PageDown':
        to = Math.min(list.length - 1, Math.max(0, index) + v.pageRows);
        break;
      case 'PageUp':
        to = Math.max(0, index - v.pageRows);
        break;
      case 'Home':
        to = 0;
        break;
      case 'End':
        to = list.length - 1;
        break;
      case 'Enter':
        if (index < 0) return false;
        onOpen(list[index]!.entry.id);
        return true;
      default:
        return false;
    }
    onSelect(list[to]!.entry.id);
    v.reveal(to);
    return true;
  };
  useNavKeys(keys, handler);

  const rows = [];
  for (let i = v.start; i < v.end; i++) {
    const s = items[i]!;
    rows.push(
      <Row
        key={s.entry.id}
        entry={s.entry}
        selected={i === selIndex}
        odd={i % 2 === 1}
        onSelect={onSelect}
        onOpen={onOpen}
      />,
    );
  }
  return (
    <div class="scroller list-scroller" ref={v.ref} onScroll={v.onScroll} data-testid="request-list">
      <table class="list" role="grid" aria-rowcount={items.length + 1} aria-label="Cross-origin requests">
        <colgroup>
          <col class="c-method" />
          <col class="c-url" />
          <col class="c-status" />
          <col class="c-symptom" />
          <col class="c-time" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Method</th>
            <th
              scope="col"
              title="P: preflighted (OPTIONS sent) · dashed P: preflight answered from the browser's preflight cache"
            >
              URL
            </th>
            <th scope="col" title="HTTP status (of the preflight when the preflight failed)">
              Status
            </th>
            <th scope="col">Symptom</th>
            <th scope="col" class="time">
              Time
            </th>
          </tr>
        </thead>
        <tbody>
          {v.padTop > 0 && (
            <tr class="pad" aria-hidden="true" style={{ height: `${v.padTop}px` }}>
              <td colSpan={5} />
            </tr>
          )}
          {rows}
          {v.padBottom > 0 && (
            <tr class="pad" aria-hidden="true" style={{ height: `${v.padBottom}px` }}>
              <td colSpan={5} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

interface RowProps {
  entry: LogEntry;
  selected: boolean;
  odd: boolean;
  onSelect(id: string): void;
  onOpen(id: string): void;
}

const Row = memo(function Row({ entry, selected, odd, onSelect, onOpen }: RowProps) {
  const ex = entry.exchange;
  const v = entry.verdict;
  const { origin, rest } = splitUrl(ex.url);
  const status = statusOf(entry);
  const short = shortSymptom(entry);
  const preflighted = v.preflight?.seen || (ex.preflights?.length ?? 0) > 0;
  const cached = !!v.preflight?.fromCache;
  return (
    <tr
      class={`row o-${v.outcome}${selected ? ' selected' : ''}${odd ? ' odd' : ''}`}
      data-testid="row"
      data-id={entry.id}
      data-symptom={v.symptom?.corsError ?? ''}
      data-outcome={v.outcome}
      aria-selected={selected}
      onMouseDown={() => onSelect(entry.id)}
      onClick={() => onSelect(entry.id)}
      onDblClick={() => onOpen(entry.id)}
    >
      <td class="method">{ex.method}</td>
      <td class="url" title={ex.url}>
        <div class="u">
          {preflighted && (
            <span
              class="mk mk-preflight"
              role="img"
              aria-label="preflighted"
              title="Preflighted: an OPTIONS request went first"
            />
          )}
          {cached && (
            <span
              class="mk mk-cache"
              role="img"
              aria-label="preflight from cache"
              title="Preflight answered from the browser's preflight cache (no OPTIONS on the wire)"
            />
          )}
          <span class="u-origin">{origin}</span>
          <span class="u-path">{rest}</span>
        </div>
      </td>
      <td
        class={`status${status.preflight ? ' of-preflight' : ''}`}
        title={status.preflight ? 'Status of the preflight; the request itself was never sent' : undefined}
      >
        {status.text}
      </td>
      <td class="symptom" title={short}>
        {v.probe?.after && (
          <span class="mk-probe" data-testid="row-probe" title={`From a probe: ${v.probe.summary}`}>
            probe: {describeCause(v.probe.after).title}
          </span>
        )}
        {v.retryOf && (
          <span class="mk-probe" data-testid="row-retry-of">
            retry
          </span>
        )}
        {v.retry?.outcome === 'pass' && (
          <span class="mk-probe" data-testid="row-now-passes">
            now passes
          </span>
        )}
        {isUncertain(entry) && (
          <span
            class="mk mk-uncertain"
            role="img"
            aria-label="uncertain"
            title="Depends on what webRequest cannot see (credentials mode): see the detail"
          />
        )}
        {short}
      </td>
      <td class="time">{clock(ex.startTime)}</td>
    </tr>
  );
});
