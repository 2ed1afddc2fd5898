// The panel's copy of the tab log, updated from background messages. Entries are keyed by id,
// so a resync after reconnecting replaces instead of duplicating.
import type { LogEntry, Navigation, OriginStats } from '../core/log';
import type { BackgroundMessage } from '../core/protocol';

export interface PanelState {
  entries: Map<string, LogEntry>;
  navigations: Navigation[];
  origins: OriginStats[];
  evicted: number;
  /** Bumped on every change so views can memoize on it. */
  version: number;
}

export function emptyState(): PanelState {
  return { entries: new Map(), navigations: [], origins: [], evicted: 0, version: 0 };
}

export function applyMessage(s: PanelState, m: BackgroundMessage): PanelState {
  switch (m.type) {
    case 'snapshot':
      return {
        entries: new Map(m.entries.map((e) => [e.id, e])),
        navigations: m.navigations,
        origins: m.origins,
        evicted: m.evicted,
        version: s.version + 1,
      };
    case 'entries': {
      for (const e of m.entries) s.entries.set(e.id, e);
      return { ...s, origins: m.origins, version: s.version + 1 };
    }
    case 'navigated':
      return { ...s, navigations: [...s.navigations, m.navigation], version: s.version + 1 };
    case 'cleared':
      return { ...s, entries: new Map(), origins: [], evicted: 0, version: s.version + 1 };
  }
}
