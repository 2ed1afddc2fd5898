// The panel's window: DevTools theme, the pop-out's title, and whether the viewport is narrow.
import { useEffect, useState } from 'preact/hooks';
import type { PanelEnv } from '../platform';

/** Follows the DevTools theme; the pop-out (theme null) follows prefers-color-scheme in CSS. */
export function useTheme(env: PanelEnv): void {
  useEffect(() => {
    const root = document.documentElement;
    const apply = (t: string | null) => {
      if (t) root.dataset.theme = t;
      else delete root.dataset.theme;
    };
    apply(env.theme());
    env.onThemeChange(apply);
    if (!env.inDevtools && env.tabId !== null) document.title = `CORS Lens — tab ${env.tabId}`;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on mount
  }, []);
}

/** Below this width the list and the detail stack vertically. */
export const NARROW_PX = 700;

export function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(
    () => typeof innerWidth === 'number' && innerWidth > 0 && innerWidth < NARROW_PX,
  );
  useEffect(() => {
    // A DevTools panel loads hidden (0 px wide) and is resized when shown: follow the viewport.
    const on = () => {
      if (innerWidth > 0) setNarrow(innerWidth < NARROW_PX);
    };
    on();
    addEventListener('resize', on);
    return () => removeEventListener('resize', on);
  }, []);
  return narrow;
}
