// Clipboard for the DevTools panel. DevTools extension panels often block navigator.clipboard (no
// focus, permissions policy) and an awaited rejection loses the click's user activation, so the
// synchronous execCommand path runs first, inside the click; the async API is the fallback.
// (Same order as the export menu's copy, which its e2e measured in the real DevTools panel.)
export async function copyText(text: string): Promise<boolean> {
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
  if (ok) return true;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
