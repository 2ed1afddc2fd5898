// The request list (left pane): Network-panel style rows, virtualized. Every value from the page
// (URL, method, status) is rendered as a text node.
import { memo } from 'preact/compat';
import { useEffect, useRef } from 'preact/hooks';
import type { Row as RowData } from '../core/row';
import { clock, splitUrl } from './format';
import type { ListRow } from './model';
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
  items: readonly ListRow[];
  /** Index of the selected entry in `items`, or -1. */
  selIndex: number;
  /**
   * The selection as of now (not as of the last render): key repeats arrive faster than frames,
   * and each press must move from where the previous one left off.
   */
  cursor(): { items: readonly ListRow[]; index: number };
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
        onOpen(list[index]!.row.id);
        return true;
      default:
        return false;
    }
    onSelect(list[to]!.row.id);
    v.reveal(to);
    return true;
  };
  useNavKeys(keys, handler);

  const rows = [];
  for (let i = v.start; i < v.end; i++) {
    const s = items[i]!;
    rows.push(
      <Row
        key={s.row.id}
        row={s.row}
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
  row: RowData;
  selected: boolean;
  odd: boolean;
  onSelect(id: string): void;
  onOpen(id: string): void;
}

// Renders from the row alone (src/core/row.ts): its words were computed once, when the entry was stored.
const Row = memo(function Row({ row: r, selected, odd, onSelect, onOpen }: RowProps) {
  const { origin, rest } = splitUrl(r.url);
  return (
    <tr
      class={`row o-${r.outcome}${selected ? ' selected' : ''}${odd ? ' odd' : ''}`}
      data-testid="row"
      data-id={r.id}
      data-symptom={r.corsError}
      data-outcome={r.outcome}
      aria-selected={selected}
      onMouseDown={() => onSelect(r.id)}
      onClick={() => onSelect(r.id)}
      onDblClick={() => onOpen(r.id)}
    >
      <td class="method">{r.method}</td>
      <td class="url" title={r.url}>
        <div class="u">
          {r.preflighted && (
            <span
              class="mk mk-preflight"
              role="img"
              aria-label="preflighted"
              title="Preflighted: an OPTIONS request went first"
            />
          )}
          {r.preflightCached && (
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
        class={`status${r.statusOfPreflight ? ' of-preflight' : ''}`}
        title={r.statusOfPreflight ? 'Status of the preflight; the request itself was never sent' : undefined}
      >
        {r.status}
      </td>
      <td class="symptom" title={r.short}>
        {r.probeTitle && (
          <span class="mk-probe" data-testid="row-probe" title={`From a probe: ${r.probeSummary}`}>
            probe: {r.probeTitle}
          </span>
        )}
        {r.retryOf && (
          <span class="mk-probe" data-testid="row-retry-of">
            retry
          </span>
        )}
        {r.nowPasses && (
          <span class="mk-probe" data-testid="row-now-passes">
            now passes
          </span>
        )}
        {r.uncertain && (
          <span
            class="mk mk-uncertain"
            role="img"
            aria-label="uncertain"
            title="Depends on what webRequest cannot see (credentials mode): see the detail"
          />
        )}
        {r.short}
      </td>
      <td class="time">{clock(r.startTime)}</td>
    </tr>
  );
});
