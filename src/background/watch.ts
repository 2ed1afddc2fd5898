// Counted holds on tabs: who has a tab open. The port server keeps one (TabWatch: which tabs a
// panel shows; the pipeline reads it: a watched tab's requests are judged at once, for the live
// panel, the others once the page goes quiet), the recorder another (which tabs are inspected:
// scope.ts). index.ts wires them; neither module calls the other.

export class TabHolds {
  /** Tab id → how many holders have it. */
  private readonly holds = new Map<number, number>();

  /** Holds `tabId`; the returned function lets go (once: it returns false when called again). */
  add(tabId: number): () => boolean {
    this.holds.set(tabId, (this.holds.get(tabId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return false;
      released = true;
      const n = (this.holds.get(tabId) ?? 1) - 1;
      if (n > 0) this.holds.set(tabId, n);
      else this.holds.delete(tabId);
      return true;
    };
  }

  has(tabId: number): boolean {
    return this.holds.has(tabId);
  }

  keys(): IterableIterator<number> {
    return this.holds.keys();
  }
}

/** Which tabs a panel shows now (ports.ts writes, pipeline.ts reads). */
export class TabWatch extends TabHolds {}
