// Coalesces any number of background messages into one render per animation frame. A hidden
// DevTools panel gets no animation frames, so a slow timer also flushes (the model is already
// up to date; only painting waits).
export function frameScheduler(render: () => void, fallbackMs = 250): { request(): void; cancel(): void } {
  let pending = false;
  let raf = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    if (!pending) return;
    pending = false;
    if (raf && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(raf);
    if (timer !== undefined) clearTimeout(timer);
    raf = 0;
    timer = undefined;
    render();
  };
  return {
    request() {
      if (pending) return;
      pending = true;
      if (typeof requestAnimationFrame === 'function') raf = requestAnimationFrame(run);
      timer = setTimeout(run, fallbackMs);
    },
    cancel() {
      pending = false;
      if (raf && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(raf);
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
