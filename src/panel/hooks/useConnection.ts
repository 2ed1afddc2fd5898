// The port to the background for the inspected tab: its messages go into the live log, its state
// (connecting, open, lost) and the page view's status come back as panel state.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { PanelMessage } from '../../shared/protocol';
import type { Connection } from '../connection';
import type { LogModel } from '../model';
import type { PageViewStatus } from '../PageViewSwitch';
import type { PanelEnv } from '../platform';
import type { FrameScheduler } from './useLiveLog';

export type LinkState = 'connecting' | 'open' | 'lost';

export interface PanelConnection {
  link: LinkState;
  pageView: PageViewStatus;
  /** Sends through the current connection (dropped while there is none). Stable. */
  send(msg: PanelMessage): void;
  /** Opens the panel in its own window (asking the background where this frame cannot); null when popped out. */
  popOut: (() => void) | null;
}

export function useConnection(env: PanelEnv, live: LogModel, sched: FrameScheduler): PanelConnection {
  const tabId = env.tabId;
  const [link, setLink] = useState<LinkState>('connecting');
  const [pageView, setPageView] = useState<PageViewStatus>({ state: 'off' });
  const conn = useRef<Connection | null>(null);
  useEffect(() => {
    if (tabId === null) return;
    const c = env.connect(
      tabId,
      (m) => {
        if (m.type === 'pageView') return setPageView({ state: m.state, detail: m.detail });
        sched.request(live.apply(m));
      },
      (ok) => {
        if (!ok) live.disconnected();
        setLink(ok ? 'open' : 'lost');
      },
    );
    conn.current = c;
    return () => {
      sched.cancel();
      c.close();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the connection is per tab; env and the scheduler are fixed for the panel's lifetime
  }, [tabId]);
  const send = useCallback((msg: PanelMessage) => conn.current?.send(msg), []);
  const popOut = env.popOut;
  const popOutOrAsk =
    popOut && tabId !== null
      ? () => {
          void (async () => {
            const done = await popOut(tabId).catch(() => false);
            if (!done) send({ type: 'popOut', tabId });
          })();
        }
      : null;
  return { link, pageView, send, popOut: popOutOrAsk };
}
