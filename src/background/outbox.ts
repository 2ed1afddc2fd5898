// Live changes on their way to a tab's panels (ports.ts).
import type { LogEntry } from '../core/log';

/** Minimum time between two live `entries` messages to a panel. */
const OUTBOX_MS = 25;

/**
 * Changes for watched tabs are coalesced: at most one `entries` message per OUTBOX_MS, with the
 * latest version of each entry (a panel cannot show more than one update per frame, and a
 * message per webRequest event cost the worker and the panel more than everything else they
 * did; profiled). A verdict that just became final goes out at once when nothing was sent
 * within the window, so an isolated failure shows up as fast as before.
 *
 * "Latest" is the store's seq (bumped on every update of a tab's log), not arrival order: the
 * pipeline's listener can be re-entered. When a finished exchange reaches the page view desk
 * while the pipeline is still telling the listener about it, the desk may pair it with a page
 * report that arrived first and have it judged again at once; that newer version then reaches the
 * outbox before the version that triggered it. Last-arrived-wins sent the older verdict: the entry
 * stayed "blocked if credentialed" in the panel although the log had it settled.
 */
export class Outbox {
  private readonly waiting = new Map<number, Map<string, LogEntry>>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerUrgent = false;
  private lastSent = -Infinity;

  constructor(private readonly deliver: (tabId: number, entries: LogEntry[]) => void) {}

  add(tabId: number, entries: readonly LogEntry[]): void {
    let m = this.waiting.get(tabId);
    if (!m) this.waiting.set(tabId, (m = new Map<string, LogEntry>()));
    let final = false;
    for (const e of entries) {
      const held = m.get(e.id);
      if (!held || held.seq <= e.seq) m.set(e.id, e);
      final ||= e.verdict.outcome !== 'pending';
    }
    this.schedule(final);
  }

  has(tabId: number): boolean {
    return this.waiting.has(tabId);
  }

  readonly flush = (): void => {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.lastSent = Date.now();
    for (const [tabId, m] of this.waiting) this.deliver(tabId, [...m.values()]);
    this.waiting.clear();
  };

  private schedule(urgent: boolean): void {
    // One timer at a time: re-arming it per entry showed in the worker's profile.
    if (this.timer && (this.timerUrgent || !urgent)) return;
    const wait = Math.max(0, this.lastSent + OUTBOX_MS - Date.now());
    if (urgent && wait === 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timerUrgent = true;
      this.timer = setTimeout(this.flush, 0); // still one message for everything in this task
    } else if (!this.timer) {
      this.timerUrgent = false;
      this.timer = setTimeout(this.flush, Math.max(wait, urgent ? 0 : OUTBOX_MS));
    }
  }
}
