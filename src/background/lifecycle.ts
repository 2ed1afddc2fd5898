// Worker lifecycle facts the background needs on every wake.
import { DEFAULT_CAP } from '../core/log';
import { SETTINGS } from '../shared/protocol';
import { ext } from '../shared/ext';
import { scopeFrom, type RecordScope } from './scope';
import type { Backend, EntryRecord, SlotRecord, TabMeta, WriteBatch } from './store';

const SESSION_KEY = 'corsLens.session';
export const MAX_CAP = 1_000_000;

export interface SessionInfo {
  /** When this browser session's first wake happened (ms since epoch). */
  startedAt: number;
  /** How many times the background has started in this browser session (1 = first). */
  wakes: number;
}

/**
 * Counts this wake in storage.session (memory-only, cleared when the browser or the extension
 * restarts). No record means a new browser session: the persisted logs belong to tabs that no
 * longer exist (tab ids restart) and must be wiped, not shown.
 */
export async function startSession(): Promise<{ fresh: boolean; info: SessionInfo }> {
  const area = ext.storage?.session;
  if (!area) return { fresh: false, info: { startedAt: Date.now(), wakes: 1 } };
  const got = await area.get<Record<string, SessionInfo | undefined>>(SESSION_KEY);
  const prev = got[SESSION_KEY];
  const info: SessionInfo = { startedAt: prev?.startedAt ?? Date.now(), wakes: (prev?.wakes ?? 0) + 1 };
  await area.set({ [SESSION_KEY]: info });
  return { fresh: !prev, info };
}

/** The per-tab cap from settings (storage.local SETTINGS.logCap), clamped to [1, MAX_CAP]. */
export function capFrom(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_CAP;
  return Math.min(MAX_CAP, Math.max(1, Math.floor(value)));
}

export async function readCap(): Promise<number> {
  try {
    const got = await ext.storage.local.get<Record<string, unknown>>(SETTINGS.logCap);
    return capFrom(got[SETTINGS.logCap]);
  } catch {
    return DEFAULT_CAP;
  }
}

export async function readScope(): Promise<RecordScope> {
  try {
    const got = await ext.storage.local.get<Record<string, unknown>>(SETTINGS.recordScope);
    return scopeFrom(got[SETTINGS.recordScope]);
  } catch {
    return scopeFrom(undefined);
  }
}

const INSPECTED_KEY = 'corsLens.inspected';

/** Tabs inspected before this wake (storage.session: gone with the browser session). */
export async function readInspected(): Promise<number[]> {
  try {
    const got = await ext.storage.session?.get<Record<string, unknown>>(INSPECTED_KEY);
    const ids = got?.[INSPECTED_KEY];
    return Array.isArray(ids) ? ids.filter((x): x is number => Number.isSafeInteger(x) && x >= 0) : [];
  } catch {
    return [];
  }
}

export function saveInspected(tabIds: number[]): void {
  ext.storage.session?.set({ [INSPECTED_KEY]: tabIds }).catch(() => {});
}

/** Ids of the tabs that exist now (tabs.query needs no permission for ids), or null if unknown. */
export async function liveTabIds(): Promise<Set<number> | null> {
  try {
    const tabs = await ext.tabs.query({});
    return new Set(tabs.map((t) => t.id).filter((id): id is number => typeof id === 'number'));
  } catch {
    return null;
  }
}

/** A backend whose opening is awaited by its first use, so the store exists synchronously. */
export class DeferredBackend implements Backend {
  constructor(private readonly backend: Promise<Backend>) {}
  async load(): Promise<{ metas: TabMeta[]; slots: SlotRecord[]; state: Map<string, unknown> }> {
    return (await this.backend).load();
  }
  async write(b: WriteBatch): Promise<void> {
    return (await this.backend).write(b);
  }
  async read(tabId: number, fromChunk: number, limit: number): Promise<EntryRecord[]> {
    return (await this.backend).read(tabId, fromChunk, limit);
  }
  async wipe(): Promise<void> {
    return (await this.backend).wipe();
  }
}
