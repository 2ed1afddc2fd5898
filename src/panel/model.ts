// The panel's copy of the tab log and the filtered view the request list shows.
//
// Built for pages that fire hundreds of requests a second and logs of 100,000 entries: messages
// mutate the model in place (no copying of the log per message), the filtered list is maintained
// incrementally (an appended entry is one push; an entry that changes outcome is one binary
// search), and the UI re-renders at most once per animation frame (see App's scheduler).
//
// The model holds list rows (src/core/row.ts), not full entries: the live panel subscribes for
// rows and asks the background for an entry's detail when it is selected and for full entries
// when it exports (src/panel/entry-source.ts). Full entries that did arrive (an opened report, a
// background that sent entries) are kept with their row and used directly.
import { DEFAULT_CAP, originStatsOf, type LogEntry, type Navigation, type OriginStats } from '../core/log';
import { countsAsBlocked } from '../core/outcome';
import { RowDictReader, rowOf, type Row } from '../core/row';
import type { BackgroundMessage, RecordScope } from '../shared/protocol';
import { matchesOrigin, matchesText, parseQuery, type OriginFilter, type Term } from './filter';

/** A row and its place in the panel's order (order of first appearance = request start). */
export interface ListRow {
  row: Row;
  /** The full entry, when it arrived in full (reports, entry messages); undefined for rows. */
  entry?: LogEntry;
  pos: number;
}

/**
 * Which status-bar count an entry is in. `uncertain` (blocked if credentialed, no failure signal)
 * is listed and counted with the blocked.
 */
export type Tally = 'pass' | 'blocked' | 'uncertain' | 'other' | 'pending';

export function tallyOf(r: Pick<Row, 'outcome'>): Tally {
  const o = r.outcome;
  return o === 'pass'
    ? 'pass'
    : o === 'blocked'
      ? 'blocked'
      : o === 'uncertain'
        ? 'uncertain'
        : o === 'pending'
          ? 'pending'
          : 'other';
}

export type Counts = Record<Tally, number>;
const zero = (): Counts => ({ pass: 0, blocked: 0, uncertain: 0, other: 0, pending: 0 });
export const totalOf = (c: Counts): number => c.pass + c.blocked + c.uncertain + c.other + c.pending;

export interface ViewOptions {
  text: string;
  blockedOnly: boolean;
  /**
   * Off: entries from before the latest navigation of the inspected tab are hidden.
   *
   * A view filter, not a deletion in the background: the tab's log is shared by every panel of the
   * tab (docked and popped out, each with its own setting), the per-origin counts and exports
   * cover the tab's session, and the log is bounded by its cap anyway. So "off" hides earlier
   * page loads like the Network panel does, and turning it on brings them back instead of having
   * lost them.
   */
  preserveLog: boolean;
  origin: OriginFilter | null;
}

export const DEFAULT_VIEW: ViewOptions = { text: '', blockedOnly: true, preserveLog: false, origin: null };

export class LogModel {
  private readonly byId = new Map<string, ListRow>();
  /** Live slots are slots[head..]; evicting the oldest is head++ (compacted now and then). */
  private slots: ListRow[] = [];
  private head = 0;
  private nextPos = 0;
  navigations: Navigation[] = [];
  currentNav = 0;
  /**
   * Slots before this position arrived before the latest `navigated` message. The background
   * numbers page loads so that requests made before its first recorded navigation share nav 0
   * with the page load after it; arrival order tells them apart (the background sends a tab's
   * pending entries before the navigation that follows them).
   */
  private navBoundary = 0;
  origins: OriginStats[] = [];
  /** Entries the background or this panel dropped to respect the cap. */
  evicted = 0;
  cap: number;
  /** Counts over all live entries, and over those of the current page load. */
  all: Counts = zero();
  current: Counts = zero();
  /** Live slots that hold a row only (no full entry): 0 means entries() has every entry. */
  partial = 0;
  /** Bumped on every change; views re-render when it moves. */
  version = 0;
  /** A snapshot has arrived since the last (re)connection. */
  synced = false;
  /** Which tabs the background records (from its snapshot; null = not told). */
  scope: RecordScope | null = null;
  /** Request start times in these [from, to) ranges were recorded while paused: never shown. */
  private pauses: Array<[number, number]> = [];
  /** The shared search texts of the rows received since the last snapshot (RowDict). */
  private dict = new RowDictReader();
  private pausedSince: number | null = null;
  private originsWhilePaused: OriginStats[] | null = null;
  readonly view: ListView;

  constructor(
    readonly readonly = false,
    cap = DEFAULT_CAP,
  ) {
    this.cap = cap;
    this.view = new ListView(this);
  }

  /** A read-only model of an opened report (per-origin counts recomputed from its entries). */
  static imported(entries: LogEntry[]): LogModel {
    const m = new LogModel(true, Math.max(entries.length, 1));
    for (const e of entries) m.insert(rowOf(e), e);
    m.origins = originStatsOf(entries);
    m.synced = true;
    m.view.rebuild();
    m.version++;
    return m;
  }

  get size(): number {
    return this.byId.size;
  }

  get recording(): boolean {
    return this.pausedSince === null;
  }

  /** The full entry, when the panel has it (see ListRow.entry). */
  get(id: string): LogEntry | undefined {
    return this.byId.get(id)?.entry;
  }

  row(id: string): Row | undefined {
    return this.byId.get(id)?.row;
  }

  slot(id: string): ListRow | undefined {
    return this.byId.get(id);
  }

  /** Live slots in order (a copy-free view for callers that only read). */
  liveSlots(): readonly ListRow[] {
    return this.head === 0 ? this.slots : this.slots.slice(this.head);
  }

  /** The full entries, when every one arrived in full (an opened report), else null. */
  entries(): LogEntry[] | null {
    const out = new Array<LogEntry>(this.slots.length - this.head);
    for (let i = this.head; i < this.slots.length; i++) {
      const e = this.slots[i]!.entry;
      if (!e) return null;
      out[i - this.head] = e;
    }
    return out;
  }

  /** The live panel starts uncapped and evicts once it knows the configured cap. */
  setCap(cap: number): void {
    if (!(cap > 0)) return;
    this.cap = cap;
    this.evict();
    this.version++;
  }

  setRecording(on: boolean, now = Date.now()): void {
    if (on && this.pausedSince !== null) {
      this.pauses.push([this.pausedSince, now]);
      this.pausedSince = null;
      if (this.originsWhilePaused) this.origins = this.originsWhilePaused;
      this.originsWhilePaused = null;
    } else if (!on && this.pausedSince === null) {
      this.pausedSince = now;
    }
    this.version++;
  }

  private skippedByPause(r: Row): boolean {
    const t = r.startTime ?? 0;
    if (this.pausedSince !== null && t >= this.pausedSince) return true;
    for (const [from, to] of this.pauses) if (t >= from && t < to) return true;
    return false;
  }

  /**
   * Applies a background message. Returns whether what the request list shows changed (rows
   * added, removed or redrawn); when it did not, only counts moved, which can wait (see
   * frameScheduler's lazy requests: a burst of passing requests then costs the panel a few
   * renders a second instead of one per frame).
   */
  apply(m: BackgroundMessage): boolean {
    if (this.readonly) return false;
    if (m.type === 'detail' || m.type === 'fullEntries' || m.type === 'pageView') return false;
    this.view.changed = m.type !== 'entries' && m.type !== 'rows';
    switch (m.type) {
      case 'snapshot':
        this.reset();
        this.navigations = m.navigations ?? [];
        this.currentNav = Math.max(0, this.navigations.length - 1);
        this.navBoundary = 0;
        this.origins = m.origins ?? [];
        this.evicted = m.evicted ?? 0;
        this.scope = m.scope ?? null;
        this.cap = Math.max(this.cap, m.entries.length + (m.rows?.length ?? 0));
        for (const e of m.entries) {
          const r = rowOf(e);
          if (!this.skippedByPause(r)) this.insert(r, e);
        }
        this.dict = new RowDictReader();
        for (const r of this.dict.decode(m.rows ?? [], m.dict)) if (!this.skippedByPause(r)) this.insert(r);
        this.synced = true;
        this.view.rebuild();
        break;
      case 'entries':
      case 'rows':
        if (m.type === 'entries') for (const e of m.entries) this.upsert(rowOf(e), e);
        else for (const r of this.dict.decode(m.rows, m.dict)) this.upsert(r);
        this.evict();
        if (this.pausedSince !== null) this.originsWhilePaused = m.origins;
        else this.origins = m.origins;
        // (An update of a selected entry the filter hides from the list repaints its detail
        // with the next lazy render, within frameScheduler's lazyMs.)
        break;
      case 'navigated':
        this.navigations = [...this.navigations, m.navigation];
        this.currentNav = m.nav;
        this.navBoundary = this.nextPos;
        this.current = zero();
        for (let i = this.head; i < this.slots.length; i++) {
          const s = this.slots[i]!;
          if (this.isCurrent(s)) this.current[tallyOf(s.row)]++;
        }
        if (!this.view.options.preserveLog) this.view.rebuild();
        break;
      case 'cleared':
        this.reset();
        this.origins = [];
        this.evicted = 0;
        this.view.rebuild();
        break;
    }
    this.version++;
    return this.view.changed;
  }

  /** The connection dropped: a snapshot will replace everything on reconnect. */
  disconnected(): void {
    this.synced = false;
    this.version++;
  }

  private reset(): void {
    this.byId.clear();
    this.slots = [];
    this.head = 0;
    this.partial = 0;
    this.all = zero();
    this.current = zero();
  }

  /** The slot belongs to the latest page load of the tab. */
  isCurrent(s: ListRow): boolean {
    return s.row.nav >= this.currentNav && s.pos >= this.navBoundary;
  }

  private count(s: ListRow, r: Row, d: 1 | -1): void {
    const b = tallyOf(r);
    this.all[b] += d;
    if (r.nav >= this.currentNav && s.pos >= this.navBoundary) this.current[b] += d;
  }

  private insert(r: Row, e?: LogEntry): ListRow {
    const slot: ListRow = { row: r, entry: e, pos: this.nextPos++ };
    if (!e) this.partial++;
    this.byId.set(r.id, slot);
    this.slots.push(slot);
    this.count(slot, r, 1);
    return slot;
  }

  private upsert(r: Row, e?: LogEntry): void {
    const slot = this.byId.get(r.id);
    if (slot) {
      this.count(slot, slot.row, -1);
      this.partial += (e ? 0 : 1) - (slot.entry ? 0 : 1);
      slot.row = r;
      slot.entry = e;
      this.count(slot, r, 1);
      this.view.updated(slot);
      return;
    }
    if (this.skippedByPause(r)) return;
    this.view.inserted(this.insert(r, e));
  }

  private evict(): void {
    let n = 0;
    while (this.byId.size > this.cap && this.head < this.slots.length) {
      const s = this.slots[this.head++]!;
      this.byId.delete(s.row.id);
      this.count(s, s.row, -1);
      if (!s.entry) this.partial--;
      n++;
    }
    if (n === 0) return;
    this.evicted += n;
    const first = this.slots[this.head];
    this.view.evictedBefore(first ? first.pos : this.nextPos);
    if (this.head > 4096 && this.head * 2 > this.slots.length) {
      this.slots = this.slots.slice(this.head);
      this.head = 0;
    }
  }

  /** The counts in the scope the list shows (the current page load unless the log is preserved). */
  scopeCounts(): Counts {
    return this.view.options.preserveLog ? this.all : this.current;
  }

  /** Entries hidden only because they belong to an earlier page load. */
  hiddenByNavigation(): number {
    if (this.view.options.preserveLog) return 0;
    const a = this.all;
    const c = this.current;
    return totalOf(a) - totalOf(c);
  }
}

/** The filtered, ordered list of slots the request list renders. */
export class ListView {
  items: ListRow[] = [];
  options: ViewOptions = DEFAULT_VIEW;
  /** Set when items changed or a listed entry was replaced (LogModel.apply resets and reports it). */
  changed = false;
  private terms: Term[] = [];

  constructor(private readonly model: LogModel) {}

  setOptions(o: ViewOptions): void {
    const same =
      o.text === this.options.text &&
      o.blockedOnly === this.options.blockedOnly &&
      o.preserveLog === this.options.preserveLog &&
      o.origin?.target === this.options.origin?.target &&
      o.origin?.page === this.options.origin?.page;
    this.options = o;
    if (same) return;
    this.terms = parseQuery(o.text);
    this.rebuild();
    this.model.version++;
  }

  matches(s: ListRow): boolean {
    const o = this.options;
    const r = s.row;
    if (!o.preserveLog && !this.model.isCurrent(s)) return false;
    if (o.blockedOnly && !countsAsBlocked(r.outcome)) return false;
    if (!matchesOrigin(r, o.origin)) return false;
    return matchesText(r, this.terms);
  }

  rebuild(): void {
    const out: ListRow[] = [];
    for (const s of this.model.liveSlots()) if (this.matches(s)) out.push(s);
    this.items = out;
    this.changed = true;
  }

  indexOfPos(pos: number): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid]!.pos < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of entry `id` in the filtered list, or -1 when it is filtered out or gone. */
  indexOf(id: string): number {
    const slot = this.model.slot(id);
    if (!slot) return -1;
    const i = this.indexOfPos(slot.pos);
    return this.items[i] === slot ? i : -1;
  }

  inserted(slot: ListRow): void {
    // New slots always have the highest pos: appending keeps the order.
    if (this.matches(slot)) {
      this.items.push(slot);
      this.changed = true;
    }
  }

  updated(slot: ListRow): void {
    const i = this.indexOfPos(slot.pos);
    const shown = this.items[i] === slot;
    const show = this.matches(slot);
    if (shown || show) this.changed = true;
    if (shown === show) return;
    if (show) this.items.splice(i, 0, slot);
    else this.items.splice(i, 1);
  }

  evictedBefore(pos: number): void {
    const n = this.indexOfPos(pos);
    if (n > 0) {
      this.items.splice(0, n);
      this.changed = true;
    }
  }
}
