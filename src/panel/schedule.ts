// Coalesces any number of background messages into one render per animation frame. A hidden
// DevTools panel gets no animation frames, so a slow timer also flushes (the model is already
// up to date; only painting waits).
//
// A lazy request (only counts changed, no row: see LogModel.apply) renders within lazyMs instead
// of the next frame; an urgent request meanwhile renders at the next frame as usual.
export function frameScheduler(
  render: () => void,
  fallbackMs = 250,
  lazyMs = 200,
): { request(urgent?: boolean): void; cancel(): void } {
  let pending = false;
  let raf = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lazy: ReturnType<typeof setTimeout> | undefined;
  const clear = () => {
    if (raf && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(raf);
    if (timer !== undefined) clearTimeout(timer);
    if (lazy !== undefined) clearTimeout(lazy);
    raf = 0;
    timer = undefined;
    lazy = undefined;
  };
  const run = () => {
    if (!pending) return;
    pending = false;
    clear();
    render();
  };
  return {
    request(urgent = true) {
      if (!urgent) {
        if (!pending && lazy === undefined) lazy = setTimeout(() => ((pending = true), run()), lazyMs);
        return;
      }
      if (pending) return;
      pending = true;
      if (typeof requestAnimationFrame === 'function') raf = requestAnimationFrame(run);
      timer = setTimeout(run, fallbackMs);
    },
    cancel() {
      pending = false;
      clear();
    },
  };
}
