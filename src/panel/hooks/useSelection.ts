// The selected request, and opening it (Enter, double click) moves focus into the detail.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Selection {
  selected: string | null;
  /** The selection as of the last key press, ahead of rendering (see RequestList's cursor). */
  selRef: { readonly current: string | null };
  setSelected(id: string | null): void;
  /** Selects and focuses the detail. Stable, so memoized rows do not re-render every frame. */
  open(id: string): void;
  /** Stable. */
  close(): void;
}

export function useSelection(): Selection {
  const [selected, setSelectedState] = useState<string | null>(null);
  const selRef = useRef<string | null>(null);
  const setSelected = useCallback((id: string | null) => {
    selRef.current = id;
    setSelectedState(id);
  }, []);
  const [focusDetail, setFocusDetail] = useState(0);
  const open = useCallback((id: string) => {
    setSelected(id);
    setFocusDetail((n) => n + 1);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- setSelected only writes a ref and state: stable in effect
  }, []);
  useEffect(() => {
    if (focusDetail === 0) return;
    const d = document.querySelector<HTMLElement>('.detail');
    d?.focus({ preventScroll: false });
    d?.scrollIntoView?.({ block: 'nearest' });
  }, [focusDetail]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- setSelected only writes a ref and state: stable in effect
  const close = useCallback(() => setSelected(null), []);
  return { selected, selRef, setSelected, open, close };
}
