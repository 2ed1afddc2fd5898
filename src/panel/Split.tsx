// Resizable two-pane split: side by side when wide, stacked when narrow (DevTools docked at the
// side is often 400–600 px wide). The divider drags with the pointer or moves with arrow keys.
import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

interface Props {
  /** Share of the first pane, 0.15–0.85. */
  ratio: number;
  stacked: boolean;
  onRatio(r: number): void;
  first: ComponentChildren;
  second: ComponentChildren;
}

const clamp = (r: number) => Math.min(0.85, Math.max(0.15, r));

export function Split({ ratio, stacked, onRatio, first, second }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const drag = (e: PointerEvent) => {
    const el = box.current;
    if (!el || e.button !== 0) return;
    e.preventDefault();
    const handle = e.currentTarget as HTMLElement;
    handle.setPointerCapture?.(e.pointerId);
    const rect = el.getBoundingClientRect();
    const move = (ev: PointerEvent) => {
      const r = stacked ? (ev.clientY - rect.top) / rect.height : (ev.clientX - rect.left) / rect.width;
      if (Number.isFinite(r)) onRatio(clamp(r));
    };
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      handle.removeEventListener('pointercancel', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
    handle.addEventListener('pointercancel', up);
  };
  const key = (e: KeyboardEvent) => {
    const less = stacked ? 'ArrowUp' : 'ArrowLeft';
    const more = stacked ? 'ArrowDown' : 'ArrowRight';
    if (e.key === less || e.key === more) {
      e.preventDefault();
      e.stopPropagation();
      onRatio(clamp(ratio + (e.key === more ? 0.05 : -0.05)));
    }
  };
  const pct = `${(clamp(ratio) * 100).toFixed(2)}%`;
  return (
    <div ref={box} class={`split ${stacked ? 'stacked' : 'side'}`} style={{ '--split': pct }}>
      <div class="pane pane-first">{first}</div>
      <div
        class="splitter"
        role="separator"
        tabIndex={0}
        aria-orientation={stacked ? 'horizontal' : 'vertical'}
        aria-valuenow={Math.round(clamp(ratio) * 100)}
        aria-valuemin={15}
        aria-valuemax={85}
        aria-label="Resize"
        data-testid="splitter"
        onPointerDown={drag}
        onKeyDown={key}
      />
      <div class="pane pane-second">{second}</div>
    </div>
  );
}
