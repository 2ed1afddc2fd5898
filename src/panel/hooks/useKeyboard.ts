// The panel's keys: Ctrl+F focuses the filter, Esc clears (typed text, then filters, then the
// selection), and the list's own keys (↑/↓, Enter…) through `keys`.
//
// Listens in the capture phase on window: DevTools injects its own keydown listener into
// extension panels that forwards shortcuts such as Ctrl+F (its search bar) and Esc (the drawer)
// to the DevTools window. Keys the panel handles stop there; the others still reach DevTools.
import { useEffect } from 'preact/hooks';
import type { NavKeys } from '../RequestList';
import type { Filter } from './useFilter';

export interface KeyboardTargets {
  filterInput: { readonly current: HTMLInputElement | null };
  keys: { readonly current: NavKeys | null };
  filter: Filter;
  hasSelection: boolean;
  clearSelection: () => void;
}

export function useKeyboard({ filterInput, keys, filter, hasSelection, clearSelection }: KeyboardTargets): void {
  useEffect(() => {
    const handled = (e: KeyboardEvent) => {
      e.preventDefault();
      e.stopPropagation();
    };
    const onEscape = (e: KeyboardEvent, t: HTMLElement | null, typing: boolean) => {
      if (t === filterInput.current && filter.text) {
        handled(e);
        filter.clearText();
      } else if (typing) {
        t?.blur();
      } else if (filter.text || filter.origin) {
        handled(e);
        filter.clearAll();
      } else if (hasSelection) {
        handled(e);
        clearSelection();
      }
      // Nothing to clear: Esc goes on to DevTools (it toggles the console drawer).
    };
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'f') {
        handled(e);
        filterInput.current?.focus();
        filterInput.current?.select();
        return;
      }
      const typing = !!t?.closest?.('input, textarea, select, [contenteditable="true"]');
      if (e.key === 'Escape') return onEscape(e, t, typing);
      if (typing || e.altKey || e.ctrlKey || e.metaKey) return;
      // Let focused controls and the detail's own scrolling have their keys.
      if (e.key === 'Enter' && t?.closest?.('button, a, summary, [role="separator"]')) return;
      if (t?.closest?.('.detail, [role="separator"]')) return;
      if (keys.current?.(e)) handled(e);
    };
    addEventListener('keydown', onKey, true);
    return () => removeEventListener('keydown', onKey, true);
  });
}
