// Which tabs a panel shows now. The port server (ports.ts) writes it as panels subscribe and go;
// the pipeline reads it: a watched tab's requests are judged at once, for the live panel, the
// others once the page goes quiet (pipeline.ts). Owned by neither, wired by index.ts.

export class TabWatch {
  /** Tab id → how many panels show it. */
  private readonly panels = new Map<number, number>();

  /** A panel shows `tabId`; the returned function says it stopped (once). */
  add(tabId: number): () => void {
    this.panels.set(tabId, (this.panels.get(tabId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.panels.get(tabId) ?? 1) - 1;
      if (n > 0) this.panels.set(tabId, n);
      else this.panels.delete(tabId);
    };
  }

  has(tabId: number): boolean {
    return this.panels.has(tabId);
  }
}
