// The per-tab request logs, persisted, with only a compact index in memory.
//
// Why not keep each tab's entries in memory: a tab keeps up to SETTINGS.logCap entries
// (default 10,000) and an entry with its request/response headers is 1–3 KB, so a few busy tabs
// would hold hundreds of MB in the service worker. Instead every entry lives in the backend
// (IndexedDB: chrome.storage.session's 10 MB quota cannot hold even one full tab, measured in
// README "Performance"), written in batches a few hundred ms after it changed — never one write
// per webRequest event. Memory keeps per entry only what an update needs (a Slot: insertion
// order, navigation, the bucket it is counted in, its origin-pair stats), plus the entries
// changed since the last write. The semantics are those of the plain model its tests compare it
// with (test/support/reference-log.ts): cap per tab with oldest evicted first, per-origin counts
// that survive eviction, navigations, seq bumped on every update.

import {
  DEFAULT_CAP,
  ORIGIN_COUNTS,
  originCountOf,
  type OriginCount,
  type LogEntry,
  type Navigation,
  type OriginStats,
  type TabLogState,
} from '../core/log';
import { originOf } from '../core/origin';
import { rowOf, withNav, type Row } from '../core/row';
import type { Exchange } from '../core/types';
import type { Verdict } from '../core/verdict';

/** What the backend stores for a tab besides its entries and slots. Small: written with every batch. */
export interface TabMeta {
  tabId: number;
  seq: number;
  evicted: number;
  nextOrder: number;
  /** Order of the oldest live entry: everything below was evicted or cleared. */
  minOrder: number;
  /** Next write number (the last part of record keys). */
  nextWrite: number;
  /** Navigations dropped from the front of `navigations` (entries keep absolute indices). */
  navDropped: number;
  navigations: Navigation[];
  origins: OriginStats[];
}

/**
 * One batch's entries of one tab that fall in one chunk of `chunkSize` consecutive orders.
 * Keyed [tabId, chunk, write]: a chunk's records read back together, in write order, and a later
 * record's version of an entry supersedes an earlier one. Grouping entries into records makes a
 * batch of a thousand entries a handful of puts (one put per entry cost ~9× more, measured).
 */
export interface EntryRecord {
  tabId: number;
  chunk: number;
  write: number;
  entries: LogEntry[];
  /** Insertion order of each entry. */
  orders: number[];
}

/**
 * The list rows of an EntryRecord's entries (same key, separate store): what a panel's snapshot
 * reads — a row is a small flat object, an entry ~5 KB of nested ones (src/core/row.ts).
 */
export interface RowRecord {
  tabId: number;
  chunk: number;
  write: number;
  rows: Row[];
  /** Insertion order of each row's entry. */
  orders: number[];
}

/** The index part of an EntryRecord (same key, separate store): all a restore reads. */
export interface SlotRecord {
  tabId: number;
  chunk: number;
  write: number;
  ids: string[];
  /** Per id: order, absolute navigation, bucket (0 pass, 1 blocked, 2 other). */
  slots: number[];
  /** Per id: the origin-pair key its counts are in. */
  originKeys: string[];
}

export interface WriteBatch {
  /** Tabs whose records are all deleted first (cleared or closed tabs). */
  dropEntries: number[];
  /** Tabs forgotten entirely (closed): their meta goes too. */
  dropMetas: number[];
  /** Per tab: delete every record of chunks below this one (evicted). */
  dropBelow: Array<[number, number]>;
  entries: EntryRecord[];
  rows: RowRecord[];
  slots: SlotRecord[];
  metas: TabMeta[];
  /** Small named records owned by other parts of the background (e.g. the linker journal). */
  state: Array<[string, unknown]>;
}

export interface Backend {
  load(): Promise<{ metas: TabMeta[]; slots: SlotRecord[]; state: Map<string, unknown> }>;
  /** Applies the batch atomically, in field order: drops first, then puts. */
  write(batch: WriteBatch): Promise<void>;
  /**
   * Entry records of the tab from chunk `fromChunk` on, in key order, at most `limit` records
   * (all records of one chunk are returned even past the limit).
   */
  read(tabId: number, fromChunk: number, limit: number): Promise<EntryRecord[]>;
  /** Row records, as `read` reads entry records. */
  readRows(tabId: number, fromChunk: number, limit: number): Promise<RowRecord[]>;
  wipe(): Promise<void>;
}

/** An OriginCount as persisted: its index in ORIGIN_COUNTS (0 pass, 1 blocked, 2 other). */
type CountCode = 0 | 1 | 2;
const MAX_NAVIGATIONS = 1000;

const COUNT_CODE: Readonly<Record<OriginCount, CountCode>> = { pass: 0, blocked: 1, other: 2 };

function countCodeOf(v: Verdict): CountCode {
  return COUNT_CODE[originCountOf(v)];
}

/** What memory keeps per logged request (~60 bytes with its Map slot and id string). */
class Slot {
  constructor(
    readonly order: number,
    readonly nav: number,
    public bucket: CountCode | -1,
    public stats: OriginStats | null,
  ) {}
}

class TabIndex {
  seq = 0;
  evicted = 0;
  nextOrder = 0;
  nextWrite = 0;
  navDropped = 0;
  /** Records of chunks below this one are deleted from the backend already. */
  droppedBelow = 0;
  readonly navigations: Navigation[] = [];
  readonly origins = new Map<string, OriginStats>();
  /** Insertion-ordered: the first key is the oldest entry. */
  readonly slots = new Map<string, Slot>();
  constructor(readonly tabId: number) {}

  get currentNav(): number {
    return Math.max(0, this.navDropped + this.navigations.length - 1);
  }

  get minOrder(): number {
    for (const s of this.slots.values()) return s.order;
    return this.nextOrder;
  }
}

export interface LogStoreOptions {
  cap?: number;
  /**
   * Changes are written once none came for this long (batched; default 500 ms — the browser
   * stops an idle worker only after ~30 s), and at the latest maxWriteDelayMs (default 2,000 ms)
   * after the first one waited: during a burst, an entry's versions (pending, then final) and
   * the in-flight journal are written a few times instead of every 500 ms (profiled: the
   * IndexedDB clone of them was the worker's largest own cost).
   */
  writeDelayMs?: number;
  maxWriteDelayMs?: number;
  /** Orders per chunk (see EntryRecord). */
  chunkSize?: number;
  onError?: (e: unknown) => void;
}

interface Pending {
  order: number;
  entry: LogEntry;
}

export class LogStore {
  private cap: number;
  private readonly writeDelayMs: number;
  private readonly maxWriteDelayMs: number;
  private firstChange = 0;
  private lastChange = 0;
  private readonly chunkSize: number;
  private readonly onError: (e: unknown) => void;
  private readonly tabs = new Map<number, TabIndex>();
  // Changes not yet written.
  private puts = new Map<number, Map<string, Pending>>();
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
    this.writeDelayMs = opts.writeDelayMs ?? 500;
    this.maxWriteDelayMs = Math.max(this.writeDelayMs, opts.maxWriteDelayMs ?? 2000);
    this.chunkSize = opts.chunkSize ?? 256;
    this.onError = opts.onError ?? ((e) => console.error('CORS Lens: log write failed', e));
  }

  /** Rebuilds the index from the backend; returns the named state records. Call once, before anything else. */
  async restore(): Promise<Map<string, unknown>> {
    const { metas, slots, state } = await this.backend.load();
    const minOrders = new Map<number, number>();
    for (const m of metas) {
      this.tabs.set(m.tabId, indexFromMeta(m, this.chunkSize));
      minOrders.set(m.tabId, m.minOrder);
    }
    // Records come in key order: per tab, chunk by chunk, each chunk in write order. An entry's
    // first record is its creation, so first sight gives insertion order; later ones update it.
    for (const r of slots) {
      const t = this.tabs.get(r.tabId);
      if (!t) continue;
      const minOrder = minOrders.get(r.tabId) ?? 0;
      for (let i = 0; i < r.ids.length; i++) {
        const order = r.slots[i * 3]!;
        if (order < minOrder) continue;
        const stats = t.origins.get(r.originKeys[i]!) ?? null;
        const bucket = r.slots[i * 3 + 2]! as CountCode;
        const id = r.ids[i]!;
        const slot = t.slots.get(id);
        if (slot && slot.order === order) {
          slot.bucket = bucket;
          slot.stats = stats;
        } else t.slots.set(id, new Slot(order, r.slots[i * 3 + 1]!, bucket, stats));
      }
    }
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
    if (!m) this.puts.set(t.tabId, (m = new Map<string, Pending>()));
    m.set(id, { order: slot.order, entry });
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

  /** The user's "clear": entries and counts go, navigations and seq stay (as the reference log's clear). */
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
  entries(tabId: number, chunk = 1000, first = chunk): AsyncGenerator<LogEntry[]> {
    return this.stream(
      tabId,
      chunk,
      first,
      (from, limit) => this.backend.read(tabId, from, limit),
      (r) => r.entries,
      (t, e) => present(t, e),
    );
  }

  /** The tab's list rows in insertion order, in chunks (as `entries`; what a panel's snapshot sends). */
  rows(tabId: number, chunk = 1000, first = chunk): AsyncGenerator<Row[]> {
    return this.stream(
      tabId,
      chunk,
      first,
      (from, limit) => this.backend.readRows(tabId, from, limit),
      (r) => r.rows,
      (t, r) => (t.navDropped === 0 ? r : withNav(r, Math.max(0, r.nav - t.navDropped))),
    );
  }

  /**
   * The newest version of one entry, or null when it is not (or no longer) in the log: what a
   * panel shows in its detail pane. Pending changes are read from memory; otherwise the entry's
   * chunk is read (a read transaction starts after every write already handed to the backend).
   */
  async entry(tabId: number, id: string): Promise<LogEntry | null> {
    const t = this.tabs.get(tabId);
    const slot = t?.slots.get(id);
    if (!t || !slot) return null;
    const p = this.puts.get(tabId)?.get(id);
    if (p && p.order === slot.order) return present(t, p.entry);
    const chunk = Math.floor(slot.order / this.chunkSize);
    const recs = await this.backend.read(tabId, chunk, 1);
    let found: LogEntry | null = null;
    for (const r of recs) {
      if (r.chunk !== chunk) continue;
      for (let k = 0; k < r.entries.length; k++)
        if (r.orders[k] === slot.order && r.entries[k]!.id === id) found = r.entries[k]!;
    }
    return found && t.slots.get(id) === slot ? present(t, found) : null;
  }

  private async *stream<R extends { chunk: number; orders: number[] }, T extends { id: string }>(
    tabId: number,
    chunk: number,
    first: number,
    read: (fromChunk: number, limit: number) => Promise<R[]>,
    items: (r: R) => T[],
    show: (t: TabIndex, x: T) => T,
  ): AsyncGenerator<T[]> {
    await this.flush();
    let want = first;
    let from = Math.floor((this.tabs.get(tabId)?.minOrder ?? 0) / this.chunkSize);
    const out: T[] = [];
    // A few records at a time (each is one batch's entries of one chunk; the backend completes
    // the last chunk): reading far ahead delayed the first message of a 100k-entry snapshot.
    // The next read is started before this one's entries are handed out, so reading overlaps
    // with sending.
    let next: Promise<R[]> | null = read(from, 2);
    for (;;) {
      const t = this.tabs.get(tabId);
      if (!t || next === null) return;
      const recs = await next;
      if (recs.length === 0) break;
      next = read(recs[recs.length - 1]!.chunk + 1, 8);
      let i = 0;
      while (i < recs.length) {
        const c = recs[i]!.chunk;
        // Latest version of each entry of this chunk, then insertion order.
        const latest = new Map<string, { order: number; item: T }>();
        for (; i < recs.length && recs[i]!.chunk === c; i++) {
          const r = recs[i]!;
          const xs = items(r);
          for (let k = 0; k < xs.length; k++) latest.set(xs[k]!.id, { order: r.orders[k]!, item: xs[k]! });
        }
        const live = [...latest.values()]
          .filter((x) => t.slots.get(x.item.id)?.order === x.order)
          .sort((a, b) => a.order - b.order);
        for (const x of live) out.push(show(t, x.item));
        from = c + 1;
      }
      while (out.length >= want) {
        yield out.splice(0, want);
        want = chunk;
      }
    }
    if (out.length) yield out;
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
    let n = this.dirtyMeta.size + this.dirtyState.size + this.dropEntries.size + this.dropMetas.size;
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
    const b = countCodeOf(entry.verdict);
    const ex = entry.exchange;
    const page = ex.pageOrigin ?? '(unknown)';
    // An exchange's URL never changes, so its target origin is parsed once (URL parsing showed in profiles).
    let stats = slot.stats && slot.stats.page === page ? slot.stats : undefined;
    const target = stats ? stats.target : (originOf(ex.url) ?? ex.url);
    stats ??= t.origins.get(`${target} ${page}`);
    if (!stats) {
      stats = { target, page, pass: 0, blocked: 0, other: 0, lastSeen: 0 };
      t.origins.set(`${target} ${page}`, stats);
    }
    if (slot.bucket !== b || slot.stats !== stats) {
      if (slot.bucket !== -1 && slot.stats) {
        const name = ORIGIN_COUNTS[slot.bucket];
        slot.stats[name] = Math.max(0, slot.stats[name] - 1);
      }
      stats[ORIGIN_COUNTS[b]]++;
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
      any = true;
    }
    return any;
  }

  private markMeta(tabId: number): void {
    this.dirtyMeta.add(tabId);
    this.schedule();
  }

  private schedule(): void {
    const now = Date.now();
    this.lastChange = now;
    if (this.timer) return;
    this.firstChange = now;
    const tick = () => {
      this.timer = null;
      const t = Date.now();
      const quietIn = this.writeDelayMs - (t - this.lastChange);
      if (quietIn > 0 && t - this.firstChange < this.maxWriteDelayMs) {
        this.timer = setTimeout(tick, Math.min(quietIn, this.maxWriteDelayMs - (t - this.firstChange)));
        return;
      }
      void this.flush().catch(() => {});
    };
    this.timer = setTimeout(tick, this.writeDelayMs);
  }

  private async writeOnce(): Promise<void> {
    if (this.pendingWrites === 0) return;
    const batch: WriteBatch = {
      dropEntries: [...this.dropEntries],
      dropMetas: [...this.dropMetas],
      dropBelow: [],
      entries: [],
      rows: [],
      slots: [],
      metas: [],
      state: [],
    };
    for (const tabId of this.dropEntries) {
      const t = this.tabs.get(tabId);
      if (t) t.droppedBelow = Math.floor(t.minOrder / this.chunkSize);
    }
    for (const [tabId, m] of this.puts) {
      const t = this.tabs.get(tabId);
      if (!t || m.size === 0) continue;
      const pending = [...m.values()].sort((a, b) => a.order - b.order);
      let i = 0;
      while (i < pending.length) {
        const chunk = Math.floor(pending[i]!.order / this.chunkSize);
        const write = t.nextWrite++;
        const e: EntryRecord = { tabId, chunk, write, entries: [], orders: [] };
        const rw: RowRecord = { tabId, chunk, write, rows: [], orders: e.orders };
        const sl: SlotRecord = { tabId, chunk, write, ids: [], slots: [], originKeys: [] };
        for (; i < pending.length && Math.floor(pending[i]!.order / this.chunkSize) === chunk; i++) {
          const p = pending[i]!;
          const slot = t.slots.get(p.entry.id)!;
          e.entries.push(p.entry);
          rw.rows.push(rowOf(p.entry));
          e.orders.push(p.order);
          sl.ids.push(p.entry.id);
          sl.slots.push(p.order, slot.nav, slot.bucket === -1 ? 2 : slot.bucket);
          sl.originKeys.push(slot.stats ? `${slot.stats.target} ${slot.stats.page}` : '');
        }
        batch.entries.push(e);
        batch.rows.push(rw);
        batch.slots.push(sl);
      }
      this.dirtyMeta.add(tabId); // nextWrite moved
    }
    for (const tabId of this.dirtyMeta) {
      const t = this.tabs.get(tabId);
      if (!t) continue;
      const below = Math.floor(t.minOrder / this.chunkSize);
      if (below > t.droppedBelow) {
        batch.dropBelow.push([tabId, below]);
        t.droppedBelow = below;
      }
      batch.metas.push(metaOf(t));
    }
    for (const [k, get] of this.dirtyState) batch.state.push([k, get()]);
    this.puts = new Map();
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
  return {
    tabId: t.tabId,
    seq: t.seq,
    evicted: t.evicted,
    nextOrder: t.nextOrder,
    minOrder: t.minOrder,
    nextWrite: t.nextWrite,
    navDropped: t.navDropped,
    navigations: [...t.navigations],
    origins: [...t.origins.values()],
  };
}

function indexFromMeta(m: TabMeta, chunkSize: number): TabIndex {
  const t = new TabIndex(m.tabId);
  t.seq = m.seq;
  t.evicted = m.evicted;
  t.nextOrder = m.nextOrder;
  t.nextWrite = m.nextWrite;
  t.navDropped = m.navDropped;
  // Chunks below the oldest entry's were deleted in the write that stored this meta.
  t.droppedBelow = Math.floor(m.minOrder / chunkSize);
  t.navigations.push(...m.navigations);
  for (const o of m.origins) t.origins.set(`${o.target} ${o.page}`, { ...o });
  return t;
}

const key = (tabId: number, chunk: number, write: number) => `${tabId}/${chunk}/${write}`;
function cmpRec(
  a: { tabId: number; chunk: number; write: number },
  b: { tabId: number; chunk: number; write: number },
): number {
  return a.tabId - b.tabId || a.chunk - b.chunk || a.write - b.write;
}

/** A backend in memory: for unit tests, and the fallback when IndexedDB cannot be opened. */
export class MemoryBackend implements Backend {
  readonly entries = new Map<string, EntryRecord>();
  readonly rows = new Map<string, RowRecord>();
  readonly slots = new Map<string, SlotRecord>();
  readonly metas = new Map<number, TabMeta>();
  readonly state = new Map<string, unknown>();
  /** Each write is structured-cloned, as IndexedDB would. */
  async load(): Promise<{ metas: TabMeta[]; slots: SlotRecord[]; state: Map<string, unknown> }> {
    return {
      metas: structuredClone([...this.metas.values()]),
      slots: structuredClone([...this.slots.values()].sort(cmpRec)),
      state: structuredClone(this.state),
    };
  }
  async write(b: WriteBatch): Promise<void> {
    const c = structuredClone(b);
    const drop = (pred: (r: { tabId: number; chunk: number }) => boolean) => {
      for (const store of [this.entries, this.rows, this.slots] as Array<Map<string, { tabId: number; chunk: number }>>)
        for (const [k, v] of store) if (pred(v)) store.delete(k);
    };
    for (const tabId of c.dropEntries) drop((r) => r.tabId === tabId);
    for (const tabId of c.dropMetas) this.metas.delete(tabId);
    for (const [tabId, below] of c.dropBelow) drop((r) => r.tabId === tabId && r.chunk < below);
    for (const r of c.entries) this.entries.set(key(r.tabId, r.chunk, r.write), r);
    for (const r of c.rows) this.rows.set(key(r.tabId, r.chunk, r.write), r);
    for (const r of c.slots) this.slots.set(key(r.tabId, r.chunk, r.write), r);
    for (const m of c.metas) this.metas.set(m.tabId, m);
    for (const [k, v] of c.state) this.state.set(k, v);
  }
  async read(tabId: number, fromChunk: number, limit: number): Promise<EntryRecord[]> {
    return readFrom(this.entries, tabId, fromChunk, limit);
  }
  async readRows(tabId: number, fromChunk: number, limit: number): Promise<RowRecord[]> {
    return readFrom(this.rows, tabId, fromChunk, limit);
  }
  async wipe(): Promise<void> {
    this.entries.clear();
    this.rows.clear();
    this.slots.clear();
    this.metas.clear();
    this.state.clear();
  }
  /** How many entry versions are stored for the tab (tests: eviction really deletes). */
  storedVersions(tabId?: number): number {
    let n = 0;
    for (const r of this.entries.values()) if (tabId === undefined || r.tabId === tabId) n += r.entries.length;
    return n;
  }
}

function readFrom<R extends { tabId: number; chunk: number; write: number }>(
  store: Map<string, R>,
  tabId: number,
  fromChunk: number,
  limit: number,
): R[] {
  const recs = [...store.values()].filter((r) => r.tabId === tabId && r.chunk >= fromChunk).sort(cmpRec);
  let n = Math.min(limit, recs.length);
  while (n < recs.length && n > 0 && recs[n]!.chunk === recs[n - 1]!.chunk) n++;
  return structuredClone(recs.slice(0, n));
}
