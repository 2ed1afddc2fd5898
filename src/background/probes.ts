// Probes and Retries in the background. The panel announces one (with the original entry) just
// before it makes the page send it; this desk then recognizes the exchange among the tab's
// requests:
// - a probe (by its header, core/probe/recognize.ts) is never logged as an entry of its own nor
//   counted as a page failure: once it ends, its finding refines the original's verdict;
// - a retry (the next request of that tab with the same method and URL) is logged as its own
//   entry marked `retryOf`, and its outcome is written back onto the original (`retry`).
// The browser may stop the background between a probe's send and its answer (Chrome's MV3 worker):
// what is awaited is persisted with the log (`persist`, pipeline's state records) and restored on
// wake before the in-flight journal is replayed, so the answer still refines the original. Findings
// themselves live on the original entry, stored like any entry. A probe nobody awaits (expired, or
// never announced) is dropped rather than logged.
import type { LogEntry } from '../core/log';
import { refineWithProbe } from '../core/probe/refine';
import { probeMark } from '../core/probe/recognize';
import type { FetchCredentials } from '../core/probe/script';
import { probeCommand } from '../core/report/probe-command';
import type { Exchange } from '../core/types';
import type { Verdict } from '../core/verdict';

interface PendingProbe {
  tabId: number;
  url: string;
  credentials?: FetchCredentials;
  originalId: string;
  since: number;
  /** The probe exchange, once seen. */
  exchangeId?: string;
}

interface PendingRetry {
  tabId: number;
  url: string;
  method: string;
  originalId: string;
  since: number;
}

/** How long an announced probe or retry waits for its exchange. */
const EXPECT_MS = 60_000;

/** What the desk awaits, as persisted across a worker restart (plain data). */
export interface DeskState {
  v: 1;
  probes: Array<[string, PendingProbe]>;
  retries: PendingRetry[];
  retryOf: Array<[string, string]>;
  originals: LogEntry[];
}

export class ProbeDesk {
  private readonly probes = new Map<string, PendingProbe>();
  private retries: PendingRetry[] = [];
  /** Retry exchange id → original entry id. */
  private readonly retryOf = new Map<string, string>();
  /** The latest version of each original entry a probe or retry was announced for. */
  private readonly originals = new Map<string, LogEntry>();

  constructor(
    private readonly judge: (ex: Exchange) => Verdict,
    /** Stores an updated original entry and tells the panels. */
    private readonly update: (ex: Exchange, verdict: Verdict) => LogEntry,
    private readonly now: () => number = Date.now,
    /** Called after every change of what is awaited (the pipeline writes `state()` with the log). */
    private readonly persist: () => void = () => {},
  ) {}

  /** What is awaited now, for the store; only the originals something still waits for. */
  state(): DeskState {
    const ids = new Set<string>(
      [...this.probes.values()]
        .map((p) => p.originalId)
        .concat(
          this.retries.map((r) => r.originalId),
          [...this.retryOf.values()],
        ),
    );
    return {
      v: 1,
      probes: [...this.probes],
      retries: [...this.retries],
      retryOf: [...this.retryOf],
      originals: [...ids].flatMap((id) => this.originals.get(id) ?? []),
    };
  }

  /** On wake, before the journal is replayed: takes back what was awaited (stale or malformed parts are dropped). */
  restore(raw: unknown): void {
    const s = raw as Partial<DeskState> | null | undefined;
    if (!s || s.v !== 1) return;
    const t = this.now() - EXPECT_MS;
    for (const o of Array.isArray(s.originals) ? s.originals : [])
      if (valid(o) && !this.originals.has(o.id)) this.originals.set(o.id, o);
    for (const item of Array.isArray(s.probes) ? s.probes : []) {
      const [id, p] = Array.isArray(item) ? item : [];
      if (
        typeof id === 'string' &&
        p &&
        typeof p.tabId === 'number' &&
        typeof p.url === 'string' &&
        this.originals.has(p.originalId) &&
        p.since >= t &&
        !this.probes.has(id)
      )
        this.probes.set(id, p);
    }
    for (const r of Array.isArray(s.retries) ? s.retries : []) {
      if (
        r &&
        typeof r.tabId === 'number' &&
        typeof r.url === 'string' &&
        typeof r.method === 'string' &&
        this.originals.has(r.originalId) &&
        r.since >= t
      )
        this.retries.push(r);
    }
    for (const item of Array.isArray(s.retryOf) ? s.retryOf : []) {
      const [ex, of] = Array.isArray(item) ? item : [];
      if (typeof ex === 'string' && typeof of === 'string' && this.originals.has(of)) this.retryOf.set(ex, of);
    }
  }

  expectProbe(tabId: number, probeId: string, original: LogEntry, credentials?: FetchCredentials): void {
    if (!valid(original) || typeof probeId !== 'string' || probeId.length > 100) return;
    this.sweep();
    this.originals.set(original.id, this.originals.get(original.id) ?? original);
    this.probes.set(probeId, {
      tabId,
      url: original.exchange.url,
      credentials,
      originalId: original.id,
      since: this.now(),
    });
    this.persist();
  }

  expectRetry(tabId: number, original: LogEntry, method: string, since: number): void {
    if (!valid(original) || typeof method !== 'string') return;
    this.sweep();
    this.originals.set(original.id, this.originals.get(original.id) ?? original);
    this.retries.push({
      tabId,
      url: original.exchange.url,
      method: method.toUpperCase(),
      originalId: original.id,
      since: Number.isFinite(since) ? since : this.now(),
    });
    this.persist();
  }

  /** True when the exchange is a probe: it is handled here and must not be logged. */
  intercept(ex: Exchange): boolean {
    const mark = probeMark(ex);
    if (!mark) return false;
    let id = mark.id !== null && this.probes.has(mark.id) ? mark.id : null;
    if (id === null) {
      for (const [k, p] of this.probes) {
        if (p.exchangeId === ex.id || (p.exchangeId === undefined && p.tabId === ex.tabId && p.url === ex.url)) {
          id = k;
          break;
        }
      }
    }
    if (id === null) return true; // a probe nobody waits for (e.g. after a restart): not the page's
    const p = this.probes.get(id)!;
    if (p.exchangeId !== ex.id) {
      p.exchangeId = ex.id;
      this.persist();
    }
    if (ex.state === 'pending') return true;
    this.probes.delete(id);
    this.persist();
    const original = this.originals.get(p.originalId);
    if (!original) return true;
    const { verdict } = refineWithProbe({
      original: this.pristine(original),
      probe: ex,
      probeVerdict: this.judge(ex),
      probeId: id,
      credentials: p.credentials,
      now: this.now(),
      command: safeCommand(original),
    });
    if (original.verdict.retry) verdict.retry = original.verdict.retry;
    this.originals.set(original.id, this.update(original.exchange, verdict));
    return true;
  }

  /** The engine's verdict plus the retry link, for every exchange the pipeline logs. */
  annotate(ex: Exchange, v: Verdict): Verdict {
    let of = this.retryOf.get(ex.id);
    if (of === undefined) {
      const i = this.retries.findIndex(
        (r) =>
          r.tabId === ex.tabId &&
          r.url === ex.url &&
          r.method === ex.method.toUpperCase() &&
          ex.startTime >= r.since - 50 &&
          r.originalId !== ex.id,
      );
      if (i >= 0) {
        of = this.retries[i]!.originalId;
        this.retries.splice(i, 1);
        this.retryOf.set(ex.id, of);
        this.persist();
      }
    }
    if (of === undefined) return v;
    v.retryOf = of;
    if (ex.state !== 'pending') {
      this.retryOf.delete(ex.id);
      this.persist();
      const original = this.originals.get(of);
      if (original) {
        const retry = { id: ex.id, outcome: v.outcome, at: this.now(), ...(v.cause ? { cause: v.cause } : {}) };
        // Deferred: the retry's own entry is stored first, then the original that points to it.
        queueMicrotask(() => this.originals.set(of, this.update(original.exchange, { ...original.verdict, retry })));
      }
    }
    return v;
  }

  /** The original as the engine judged it (a second probe refines the headers' verdict, not the first probe's). */
  private pristine(e: LogEntry): LogEntry {
    const before = e.verdict.probe?.before;
    if (!e.verdict.probe) return e;
    const { probe: _p, ...rest } = e.verdict;
    const v: Verdict = { ...rest };
    if (before) v.cause = before;
    return { ...e, verdict: v };
  }

  private sweep(): void {
    const t = this.now() - EXPECT_MS;
    for (const [k, p] of this.probes) if (p.since < t) this.probes.delete(k);
    this.retries = this.retries.filter((r) => r.since >= t);
    // Originals nothing waits for any more (their latest version is in the store).
    const used = new Set(this.state().originals.map((o) => o.id));
    for (const k of this.originals.keys()) if (!used.has(k)) this.originals.delete(k);
  }

  get size(): number {
    return this.probes.size + this.retries.length;
  }
}

function valid(e: LogEntry | undefined): e is LogEntry {
  return !!e && typeof e.id === 'string' && !!e.exchange && typeof e.exchange.url === 'string' && !!e.verdict;
}

function safeCommand(e: LogEntry): string | null {
  try {
    return probeCommand(e);
  } catch {
    return null;
  }
}
