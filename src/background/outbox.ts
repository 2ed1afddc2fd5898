// Changes waiting for the next live `entries` message to a tab's panels: the latest version of
// each changed entry, per tab, in first-changed order.
//
// "Latest" is the store's seq (bumped on every update of a tab's log), not arrival order: the
// pipeline's listener can be re-entered. When a finished exchange reaches the page view desk
// while the pipeline is still telling its listener about it, the desk may pair it with a page
// report at once and have it judged again; that newer version then reaches the outbox before
// the version that triggered it. Last-arrived-wins sent the older verdict (a settled entry stayed
// "blocked if credentialed" in the panel while the log had it settled; README "Page view").
import type { LogEntry } from '../core/log';

export class Outbox {
  private readonly tabs = new Map<number, Map<string, LogEntry>>();

  /** Adds a tab's changed entries; returns whether one of them has a final verdict. */
  add(tabId: number, entries: readonly LogEntry[]): boolean {
    let m = this.tabs.get(tabId);
    if (!m) this.tabs.set(tabId, (m = new Map<string, LogEntry>()));
    let final = false;
    for (const e of entries) {
      const waiting = m.get(e.id);
      if (!waiting || waiting.seq <= e.seq) m.set(e.id, e);
      final ||= e.verdict.outcome !== 'pending';
    }
    return final;
  }

  has(tabId: number): boolean {
    return this.tabs.has(tabId);
  }

  /** Everything waiting, per tab; the outbox is empty afterwards. */
  take(): Array<[tabId: number, entries: LogEntry[]]> {
    const out: Array<[number, LogEntry[]]> = [];
    for (const [tabId, m] of this.tabs) out.push([tabId, [...m.values()]]);
    this.tabs.clear();
    return out;
  }
}
