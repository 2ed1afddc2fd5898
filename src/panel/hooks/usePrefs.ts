// The panel's own preferences (filter scope, preserve log, split, view), saved per browser profile.
import { useEffect, useRef, useState } from 'preact/hooks';
import { SETTINGS } from '../../shared/protocol';
import type { PanelEnv } from '../platform';

export type PanelView = 'requests' | 'origins';

export interface Prefs {
  blockedOnly: boolean;
  preserveLog: boolean;
  /** Share of the list pane in the split. */
  split: number;
  view: PanelView;
}

export const DEFAULT_PREFS: Prefs = { blockedOnly: true, preserveLog: false, split: 0.45, view: 'requests' };

/** Stored prefs are untrusted: anything missing or out of range falls back to the default. */
export function readPrefs(raw: unknown): Prefs {
  const p = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Record<keyof Prefs, unknown>>;
  return {
    blockedOnly: typeof p.blockedOnly === 'boolean' ? p.blockedOnly : DEFAULT_PREFS.blockedOnly,
    preserveLog: typeof p.preserveLog === 'boolean' ? p.preserveLog : DEFAULT_PREFS.preserveLog,
    split: typeof p.split === 'number' && p.split >= 0.15 && p.split <= 0.85 ? p.split : DEFAULT_PREFS.split,
    view: p.view === 'origins' ? 'origins' : 'requests',
  };
}

/** The prefs, loaded once; a change made before the load finishes wins over the stored value. */
export function usePrefs(env: PanelEnv): { prefs: Prefs; updatePrefs(p: Partial<Prefs>): void } {
  const [prefs, setPrefs] = useState<Prefs>(DEFAULT_PREFS);
  const loaded = useRef(false);
  useEffect(() => {
    void env.load(SETTINGS.panelPrefs).then((raw) => {
      if (!loaded.current) setPrefs(readPrefs(raw));
      loaded.current = true;
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on mount
  }, []);
  const updatePrefs = (p: Partial<Prefs>) => {
    setPrefs((old) => {
      const next = { ...old, ...p };
      loaded.current = true;
      env.save(SETTINGS.panelPrefs, next);
      return next;
    });
  };
  return { prefs, updatePrefs };
}
