// The per-tab request logs, persisted, with only a compact index in memory.
//
// Why not keep TabLog (src/core/log.ts) in memory: a tab keeps up to SETTINGS.logCap entries
// (default 10,000) and an entry with its request/response headers is 1–3 KB, so a few busy tabs
// would hold hundreds of MB in the service worker. Instead every entry lives in the backend
// (IndexedDB: chrome.storage.session's 10 MB quota cannot hold even one full tab, measured in
// README "Performance"), written in batches a few hundred ms after it changed — never one write
// per webRequest event. Memory keeps per entry only what an update needs (a Slot: insertion
// order, navigation, the bucket it is counted in, its origin-pair stats), plus the entries
// changed since the last write. The semantics are TabLog's: cap per tab with oldest evicted
// first, per-origin counts that survive eviction, navigations, seq bumped on every update.

import { DEFAULT_CAP, type LogEntry, type Navigation, type OriginStats, type TabLogState } from '../core/log';
import { originOf } from '../core/origin';
import type { Exchange } from '../core/types';
import type { Verdict } from '../core/verdict';

/** What the backend stores for a tab besides its entries: enough to rebuild the index on wake. */
export interface TabMeta {
  tabId: number;
  seq: number;
  evicted: number;
  nextOrder: number;
  /** Navigations dropped from the front of `navigations` (entries keep absolute indices). */
  navDropped: number;
  navigations: Navigation[];
  origins: OriginStats[];
  /** Entry ids in insertion order, and per id 4 numbers: order, absolute nav, bucket (-1 none), index into origins. */
  ids: string[];
  slots: number[];
}

/** One entry as stored: keyed by [tabId, order] so a tab's entries read back in insertion order. */
export interface StoredEntry {
  tabId: number;
  order: number;
  entry: LogEntry;
}

export interface WriteBatch {
  /** Tabs whose entries are all deleted first (cleared or closed tabs). */
  dropEntries: number[];
  /** Tabs forgotten entirely (closed): their meta goes too. */
  dropMetas: number[];
  /** Evicted entries: [tabId, order]. */
  deletes: Array<[number, number]>;
  puts: StoredEntry[];
  metas: TabMeta[];
  /** Small named records owned by other parts of the background (e.g. the linker journal). */
  state: Array<[string, unknown]>;
}

export interface Backend {
  load(): Promise<{ metas: TabMeta[]; state: Map<string, unknown> }>;
  /** Applies the batch atomically, in field order: dropEntries, dropMetas, deletes, puts, metas, state. */
  write(batch: WriteBatch): Promise<void>;
  /** Up to `limit` entries of the tab with order > afterOrder, ascending. */
  read(tabId: number, afterOrder: number, limit: number): Promise<StoredEntry[]>;
  wipe(): Promise<void>;
}

type Bucket = 0 | 1 | 2; // pass, blocked, other
const BUCKET_NAMES = ['pass', 'blocked', 'other'] as const;
const MAX_NAVIGATIONS = 1000;

function bucketOf(v: Verdict): Bucket {
  return v.outcome === 'pass' ? 0 : v.outcome === 'blocked' ? 1 : 2;
}

/** What memory keeps per logged request (~60 bytes with its Map slot and id string). */
class Slot {
  constructor(
    readonly order: number,
    readonly nav: number,
    public bucket: Bucket | -1,
    public stats: OriginStats | null,
  ) {}
}

class TabIndex {
  seq = 0;
  evicted = 0;
  nextOrder = 0;
  navDropped = 0;
  readonly navigations: Navigation[] = [];
  readonly origins = new Map<string, OriginStats>();
  /** Insertion-ordered: the first key is the oldest entry. */
  readonly slots = new Map<string, Slot>();
  constructor(readonly tabId: number) {}

  get currentNav(): number {
    return Math.max(0, this.navDropped + this.navigations.length - 1);
  }
}

export interface LogStoreOptions {
  cap?: number;
  /** How long changes wait before they are written (batched). */
  writeDelayMs?: number;
  onError?: (e: unknown) => void;
}

export class LogStore {
  private cap: number;
  private readonly writeDelayMs: number;
  private readonly onError: (e: unknown) => void;
  private readonly tabs = new Map<number, TabIndex>();
  // Changes not yet written.
  private puts = new Map<number, Map<string, StoredEntry>>();
  private deletes: Array<[number, number]> = [];
  private dirtyMeta = new Set<number>();
  private dropEntries = new Set<number>();
  private dropMetas = new Set<number>();
  private dirtyState = new Map<string, () => unknown>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private chain: Promise<void> = Promise.resolve();
  /** Writes that failed (the data stays in memory for live panels but a restart would lose it). */
  writeErrors = 0;
  writes = 0;

  constructor(
    private readonly backend: Backend,
    opts: LogStoreOptions = {},
  ) {
    this.cap = Math.max(1, opts.cap ?? DEFAULT_CAP);
    this.writeDelayMs = opts.writeDelayMs ?? 250;
    this.onError = opts.onError ?? ((e) => console.error('CORS Lens: log write failed', e));
  }

  /** Rebuilds the index from the backend; returns the named state records. Call once, before anything else. */
  async restore(): Promise<Map<string, unknown>> {
    const { metas, state } = await this.backend.load();
    for (const m of metas) this.tabs.set(m.tabId, indexFromMeta(m));
    return state;
  }

  get logCap(): number {
    return this.cap;
  }

  /** Changes the per-tab cap; shrinking evicts the oldest entries now. */
  setCap(cap: number): void {
    this.cap = Math.max(1, Math.floor(cap));
    for (const t of this.tabs.values()) if (this.evict(t)) this.markMeta(t.tabId);
  }

  tabIds(): number[] {
    return [...this.tabs.keys()];
  }

  /** Entries currently logged for the tab (not counting evicted ones). */
  size(tabId: number): number {
    return this.tabs.get(tabId)?.slots.size ?? 0;
  }

  /** Inserts or updates the entry for this exchange and returns it as panels see it. */
  upsert(exchange: Exchange, verdict: Verdict): LogEntry {
    const t = this.tab(exchange.tabId);
    const id = exchange.id;
    let slot = t.slots.get(id);
    const isNew = slot === undefined;
    if (!slot) {
      slot = new Slot(t.nextOrder++, t.currentNav, -1, null);
      t.slots.set(id, slot);
    }
    const entry: LogEntry = { id, seq: ++t.seq, nav: slot.nav, exchange, verdict };
    this.count(t, slot, entry);
    let m = this.puts.get(t.tabId);
    if (!m) this.puts.set(t.tabId, (m = new Map()));
    m.set(id, { tabId: t.tabId, order: slot.order, entry });
    if (isNew) this.evict(t);
    this.markMeta(t.tabId);
    return present(t, entry);
  }

  /** Records a page load in the tab; returns it with its index as panels see it. */
  navigate(tabId: number, navigation: Navigation): { navigation: Navigation; nav: number } {
    const t = this.tab(tabId);
    t.navigations.push(navigation);
    if (t.navigations.length > MAX_NAVIGATIONS) {
      const drop = t.navigations.length - MAX_NAVIGATIONS;
      t.navigations.splice(0, drop);
      t.navDropped += drop;
    }
    this.markMeta(tabId);
    return { navigation, nav: t.navigations.length - 1 };
  }

  /** The user's "clear": entries and counts go, navigations and seq stay (as TabLog.clear). */
  clear(tabId: number): void {
    const t = this.tabs.get(tabId);
    if (!t) return;
    t.slots.clear();
    t.origins.clear();
    t.evicted = 0;
    this.puts.delete(tabId);
    this.dropEntries.add(tabId);
    this.markMeta(tabId);
  }

  /** The tab was closed: forget everything about it. */
  forget(tabId: number): void {
    this.tabs.delete(tabId);
    this.puts.delete(tabId);
    this.dirtyMeta.delete(tabId);
    this.dropEntries.add(tabId);
    this.dropMetas.add(tabId);
    this.schedule();
  }

  /** Registers a named record to be written with the next batch (the getter runs at write time). */
  setState(key: string, get: () => unknown): void {
    this.dirtyState.set(key, get);
    this.schedule();
  }

  originStats(tabId: number): OriginStats[] {
    return [...(this.tabs.get(tabId)?.origins.values() ?? [])];
  }

  /** Everything about the tab except its entries (the snapshot header). */
  meta(tabId: number): Omit<TabLogState, 'entries'> {
    const t = this.tabs.get(tabId);
    if (!t) return { tabId, seq: 0, navigations: [], origins: [], evicted: 0 };
    return { tabId, seq: t.seq, navigations: [...t.navigations], origins: [...t.origins.values()], evicted: t.evicted };
  }

  /**
   * The tab's entries in insertion order, in chunks (a 100k-entry log never sits in memory at
   * once). Pending changes are written first, so the backend is complete.
   */
  async *entries(tabId: number, chunk = 2000): AsyncGenerator<LogEntry[]> {
    await this.flush();
    let after = -1;
    for (;;) {
      const t = this.tabs.get(tabId);
      if (!t) return;
      const rows = await this.backend.read(tabId, after, chunk);
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.order;
      // Skip rows evicted or cleared since they were read.
      const out: LogEntry[] = [];
      for (const r of rows) {
        const slot = t.slots.get(r.entry.id);
        if (slot && slot.order === r.order) out.push(present(t, r.entry));
      }
      if (out.length) yield out;
      if (rows.length < chunk) return;
    }
  }

  /** Writes everything changed so far; resolves when it is stored. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const p = this.chain.then(() => this.writeOnce());
    this.chain = p.catch(() => {});
    return p;
  }

  /** Number of changes waiting to be written. */
  get pendingWrites(): number {
    let n = this.deletes.length + this.dirtyMeta.size + this.dirtyState.size + this.dropEntries.size;
    for (const m of this.puts.values()) n += m.size;
    return n;
  }

  // -- internals -----------------------------------------------------------------------

  private tab(tabId: number): TabIndex {
    let t = this.tabs.get(tabId);
    if (!t) {
      t = new TabIndex(tabId);
      this.tabs.set(tabId, t);
      this.dropMetas.delete(tabId);
    }
    return t;
  }

  private count(t: TabIndex, slot: Slot, entry: LogEntry): void {
    const b = bucketOf(entry.verdict);
    const ex = entry.exchange;
    const target = originOf(ex.url) ?? ex.url;
    const page = ex.pageOrigin ?? '(unknown)';
    const key = `${target} ${page}`;
    let stats = slot.stats && slot.stats.target === target && slot.stats.page === page ? slot.stats : t.origins.get(key);
    if (!stats) {
      stats = { target, page, pass: 0, blocked: 0, other: 0, lastSeen: 0 };
      t.origins.set(key, stats);
    }
    if (slot.bucket !== b || slot.stats !== stats) {
      if (slot.bucket !== -1 && slot.stats) {
        const name = BUCKET_NAMES[slot.bucket];
        slot.stats[name] = Math.max(0, slot.stats[name] - 1);
      }
      stats[BUCKET_NAMES[b]]++;
      slot.bucket = b;
      slot.stats = stats;
    }
    stats.lastSeen = Math.max(stats.lastSeen, ex.endTime ?? ex.startTime);
  }

  /** Evicts the oldest entries beyond the cap; returns whether any went. */
  private evict(t: TabIndex): boolean {
    let any = false;
    const puts = this.puts.get(t.tabId);
    while (t.slots.size > this.cap) {
      const oldest = t.slots.keys().next().value as string;
      const slot = t.slots.get(oldest)!;
      t.slots.delete(oldest);
      t.evicted++;
      if (puts?.get(oldest)?.order === slot.order) puts.delete(oldest);
      this.deletes.push([t.tabId, slot.order]);
      any = true;
    }
    return any;
  }

  private markMeta(tabId: number): void {
    this.dirtyMeta.add(tabId);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush().catch(() => {});
    }, this.writeDelayMs);
  }

  private async writeOnce(): Promise<void> {
    if (this.pendingWrites === 0 && this.dropMetas.size === 0) return;
    const batch: WriteBatch = {
      dropEntries: [...this.dropEntries],
      dropMetas: [...this.dropMetas],
      deletes: this.deletes,
      puts: [],
      metas: [],
      state: [],
    };
    for (const m of this.puts.values()) for (const p of m.values()) batch.puts.push(p);
    for (const tabId of this.dirtyMeta) {
      const t = this.tabs.get(tabId);
      if (t) batch.metas.push(metaOf(t));
    }
    for (const [k, get] of this.dirtyState) batch.state.push([k, get()]);
    this.puts = new Map();
    this.deletes = [];
    this.dirtyMeta = new Set();
    this.dropEntries = new Set();
    this.dropMetas = new Set();
    this.dirtyState = new Map();
    try {
      await this.backend.write(batch);
      this.writes++;
    } catch (e) {
      this.writeErrors++;
      this.onError(e);
      throw e;
    }
  }
}

/** The entry as panels see it: navigation index relative to the navigations they were sent. */
function present(t: TabIndex, e: LogEntry): LogEntry {
  if (t.navDropped === 0) return e;
  return { ...e, nav: Math.max(0, e.nav - t.navDropped) };
}

function metaOf(t: TabIndex): TabMeta {
  const origins = [...t.origins.values()];
  const originIndex = new Map<OriginStats, number>();
  origins.forEach((o, i) => originIndex.set(o, i));
  const ids: string[] = new Array(t.slots.size);
  const slots: number[] = new Array(t.slots.size * 4);
  let i = 0;
  for (const [id, s] of t.slots) {
    ids[i] = id;
    slots[i * 4] = s.order;
    slots[i * 4 + 1] = s.nav;
    slots[i * 4 + 2] = s.bucket;
    slots[i * 4 + 3] = s.stats ? (originIndex.get(s.stats) ?? -1) : -1;
    i++;
  }
  return {
    tabId: t.tabId,
    seq: t.seq,
    evicted: t.evicted,
    nextOrder: t.nextOrder,
    navDropped: t.navDropped,
    navigations: [...t.navigations],
    origins,
    ids,
    slots,
  };
}

function indexFromMeta(m: TabMeta): TabIndex {
  const t = new TabIndex(m.tabId);
  t.seq = m.seq;
  t.evicted = m.evicted;
  t.nextOrder = m.nextOrder;
  t.navDropped = m.navDropped;
  t.navigations.push(...m.navigations);
  const origins = m.origins.map((o) => ({ ...o }));
  for (const o of origins) t.origins.set(`${o.target} ${o.page}`, o);
  for (let i = 0; i < m.ids.length; i++) {
    const oi = m.slots[i * 4 + 3]!;
    t.slots.set(m.ids[i]!, new Slot(m.slots[i * 4]!, m.slots[i * 4 + 1]!, m.slots[i * 4 + 2]! as Bucket | -1, oi >= 0 ? (origins[oi] ?? null) : null));
  }
  return t;
}

/** A backend in memory: for unit tests, and the fallback when IndexedDB cannot be opened. */
export class MemoryBackend implements Backend {
  readonly entries = new Map<string, StoredEntry>();
  readonly metas = new Map<number, TabMeta>();
  readonly state = new Map<string, unknown>();
  /** Each write is structured-cloned, as IndexedDB would. */
  async load(): Promise<{ metas: TabMeta[]; state: Map<string, unknown> }> {
    return { metas: structuredClone([...this.metas.values()]), state: structuredClone(this.state) };
  }
  async write(b: WriteBatch): Promise<void> {
    const c = structuredClone(b);
    for (const tabId of c.dropEntries) for (const [k, v] of this.entries) if (v.tabId === tabId) this.entries.delete(k);
    for (const tabId of c.dropMetas) this.metas.delete(tabId);
    for (const [tabId, order] of c.deletes) this.entries.delete(`${tabId}/${order}`);
    for (const p of c.puts) this.entries.set(`${p.tabId}/${p.order}`, p);
    for (const m of c.metas) this.metas.set(m.tabId, m);
    for (const [k, v] of c.state) this.state.set(k, v);
  }
  async read(tabId: number, afterOrder: number, limit: number): Promise<StoredEntry[]> {
    const rows = [...this.entries.values()].filter((e) => e.tabId === tabId && e.order > afterOrder).sort((a, b) => a.order - b.order);
    return structuredClone(rows.slice(0, limit));
  }
  async wipe(): Promise<void> {
    this.entries.clear();
    this.metas.clear();
    this.state.clear();
  }
}
