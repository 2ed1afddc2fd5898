// The panel's one clipboard writer. DevTools extension panels often block navigator.clipboard (no
// focus, permissions policy) and an awaited rejection loses the click's user activation, so the
// synchronous execCommand path runs first, inside the click; the async API is the fallback.
// (Measured in the real DevTools panel by the export and snippet e2e tests.)
export async function copyText(text: string): Promise<boolean> {
  const focused = document.activeElement as HTMLElement | null;
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  ta.style.left = '-9999px';
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  ta.remove();
  focused?.focus?.();
  if (ok) return true;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
