// The live log of the inspected tab: a model the background's messages update in place, and a
// scheduler that re-renders the panel at most once per frame.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { DEFAULT_CAP } from '../../core/log';
import { SETTINGS } from '../../shared/protocol';
import { LogModel } from '../model';
import type { PanelEnv } from '../platform';
import { frameScheduler } from '../schedule';

export type FrameScheduler = ReturnType<typeof frameScheduler>;

export function useLiveLog(env: PanelEnv): { live: LogModel; sched: FrameScheduler } {
  const live = useMemo(() => new LogModel(false, Number.POSITIVE_INFINITY), []);
  const [, setFrame] = useState(0);
  const sched = useMemo(() => frameScheduler(() => setFrame((n) => n + 1)), []);
  useEffect(() => {
    // Keep what the background keeps: the same cap setting (default DEFAULT_CAP).
    void env.load(SETTINGS.logCap).then((cap) => {
      live.setCap(typeof cap === 'number' && cap > 0 ? cap : DEFAULT_CAP);
      sched.request();
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on mount
  }, []);
  return { live, sched };
}

/** Benchmarks: marks when the first snapshot's rows (or its empty state) are painted. */
export function useSyncedMark(live: LogModel): void {
  const marked = useRef(false);
  useEffect(() => {
    if (marked.current || !live.synced) return;
    marked.current = true;
    performance.mark?.('cors-lens:synced');
    requestAnimationFrame?.(() => performance.mark?.('cors-lens:rows'));
  });
}
