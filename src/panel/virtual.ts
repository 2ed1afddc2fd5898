// A small fixed-row-height virtual window: only the rows in view (plus a margin) are rendered,
// so a list of 100,000 entries costs the same to draw as one of 50.
import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';

export interface VirtualWindow {
  ref: { current: HTMLDivElement | null };
  start: number;
  end: number;
  padTop: number;
  padBottom: number;
  onScroll(): void;
  /** Scrolls the least needed so row `i` is fully visible (below a sticky header of `headerPx`). */
  reveal(i: number): void;
  /** Rows that fit in the viewport (for PageUp/PageDown). */
  pageRows: number;
}

const FALLBACK_HEIGHT = 600; // jsdom and not-yet-laid-out frames report 0

export function useVirtual(count: number, rowPx: number, headerPx = 0, overscan = 10): VirtualWindow {
  const ref = useRef<HTMLDivElement | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(FALLBACK_HEIGHT);
  // Follow the tail while the user is at the bottom, like the Network panel.
  const atBottom = useRef(true);
  const prevCount = useRef(count);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight || FALLBACK_HEIGHT);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Following the tail: the new scroll position is known from the row count (fixed row height),
  // so the rows for it are rendered now and the scroller is moved once. (Reading scrollTop and
  // scrollHeight here forced a layout per render, then a second render and layout: the panel's
  // top item in a profile of a burst.)
  const follow = count > prevCount.current && atBottom.current && scrollTop > 0;
  const top = follow ? Math.max(0, headerPx + count * rowPx - height) : scrollTop;
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && follow) el.scrollTop = top;
    prevCount.current = count;
    if (follow) setScrollTop(top);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- follows the tail only when the row count changes
  }, [count]);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    atBottom.current = el.scrollTop + el.clientHeight >= el.scrollHeight - rowPx;
    setScrollTop(el.scrollTop);
  }, [rowPx]);

  const reveal = useCallback(
    (i: number) => {
      const el = ref.current;
      if (!el || i < 0) return;
      const view = (el.clientHeight || FALLBACK_HEIGHT) - headerPx;
      const top = i * rowPx;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + rowPx > el.scrollTop + view) el.scrollTop = top + rowPx - view;
      setScrollTop(el.scrollTop);
    },
    [rowPx, headerPx],
  );

  const first = Math.floor(top / rowPx);
  const visible = Math.ceil(height / rowPx);
  const start = Math.max(0, Math.min(count, first - overscan));
  const end = Math.max(start, Math.min(count, first + visible + overscan));
  return {
    ref,
    start,
    end,
    padTop: start * rowPx,
    padBottom: (count - end) * rowPx,
    onScroll,
    reveal,
    pageRows: Math.max(1, Math.floor((height - headerPx) / rowPx)),
  };
}
