// Renders the whole panel against a fake PanelEnv: a port we drive by hand with the real protocol
// messages, recorded outgoing messages, copy/pop-out/reload spies.
import { act, render } from '@testing-library/preact';
import { vi } from 'vitest';
import type { LogEntry, OriginStats } from '../../src/core/log';
import { TabLog } from '../support/reference-log';
import type { BackgroundMessage, PanelMessage } from '../../src/shared/protocol';
import { App } from '../../src/panel/App';
import type { PanelEnv, ThemeName } from '../../src/panel/platform';

export interface Harness {
  env: PanelEnv;
  sent: PanelMessage[];
  copied: string[];
  /** Delivers a background message (as the port would). */
  push(m: BackgroundMessage): void;
  snapshot(entries: LogEntry[], navs?: number): void;
  live(entries: LogEntry[]): void;
  setConnected(ok: boolean): void;
  setTheme(t: ThemeName): void;
  saved: Map<string, unknown>;
}

/** The per-origin counts the background would send along with these entries. */
export function originsOf(entries: LogEntry[]): OriginStats[] {
  const log = new TabLog(7, Number.MAX_SAFE_INTEGER);
  for (const e of entries) log.upsert(e.exchange, e.verdict);
  return log.originStats();
}

export function fakeEnv(over: Partial<PanelEnv> = {}, stored: Record<string, unknown> = {}): Harness {
  let deliver: ((m: BackgroundMessage) => void) | null = null;
  let status: ((ok: boolean) => void) | null = null;
  let themeCb: ((t: ThemeName) => void) | null = null;
  const sent: PanelMessage[] = [];
  const copied: string[] = [];
  const saved = new Map<string, unknown>(Object.entries(stored));
  const all: LogEntry[] = [];
  const env: PanelEnv = {
    tabId: 7,
    inDevtools: true,
    connect(_tabId, onMessage, onStatus) {
      deliver = onMessage;
      status = onStatus;
      onStatus(true);
      return { send: (m) => sent.push(m), close: () => {} };
    },
    theme: () => 'light',
    onThemeChange: (cb) => {
      themeCb = cb;
    },
    reload: vi.fn(),
    popOut: vi.fn(async () => true),
    openOptions: vi.fn(),
    load: async (k) => saved.get(k),
    save: (k, v) => saved.set(k, v),
    copy: async (t) => {
      copied.push(t);
      return true;
    },
    ...over,
  };
  const h: Harness = {
    env,
    sent,
    copied,
    saved,
    push(m) {
      act(() => deliver!(m));
    },
    snapshot(entries, navs = 1) {
      all.splice(0, all.length, ...entries);
      h.push({
        type: 'snapshot',
        tabId: 7,
        entries,
        navigations: Array.from({ length: navs }, (_, i) => ({ url: `http://localhost:3000/#${i}`, timeStamp: i })),
        origins: originsOf(entries),
        evicted: 0,
      });
    },
    live(entries) {
      all.push(...entries);
      h.push({ type: 'entries', entries, origins: originsOf(all) });
    },
    setConnected(ok) {
      act(() => status!(ok));
    },
    setTheme(t) {
      act(() => themeCb!(t));
    },
  };
  return h;
}

export function renderPanel(h: Harness) {
  return render(<App env={h.env} />);
}

export const rows = (root: ParentNode = document) => [...root.querySelectorAll<HTMLElement>('[data-testid="row"]')];
export const rowIds = () => rows().map((r) => r.dataset.id);

/** Waits for the next UI frame (the panel renders at most once per animation frame). */
export async function frame(): Promise<void> {
  await act(async () => {
    await new Promise((r) => setTimeout(r, 300));
  });
}
