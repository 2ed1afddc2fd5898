// Toolbar glyphs as inline SVG (static markup of our own; page data never goes in here).
// No <title>/<text> children, so they add nothing to a row's text content.
const box = {
  width: 16,
  height: 16,
  viewBox: '0 0 16 16',
  'aria-hidden': 'true' as const,
  focusable: 'false' as const,
};

export const RecordIcon = ({ on }: { on: boolean }) => (
  <svg {...box} class={on ? 'ic ic-record on' : 'ic ic-record'}>
    <circle cx="8" cy="8" r="5" fill="currentColor" />
  </svg>
);

export const ClearIcon = () => (
  <svg {...box} class="ic">
    <circle cx="8" cy="8" r="5.5" fill="none" stroke="currentColor" stroke-width="1.5" />
    <path d="M4.2 11.8 11.8 4.2" stroke="currentColor" stroke-width="1.5" />
  </svg>
);

export const PopOutIcon = () => (
  <svg {...box} class="ic">
    <path d="M9 2h5v5M14 2 7.5 8.5M12 9.5V14H2V4h4.5" fill="none" stroke="currentColor" stroke-width="1.5" />
  </svg>
);

export const CloseIcon = () => (
  <svg {...box} class="ic">
    <path d="m4 4 8 8M12 4l-8 8" stroke="currentColor" stroke-width="1.5" />
  </svg>
);

export const CopyIcon = () => (
  <svg {...box} class="ic">
    <rect x="5" y="5" width="8.5" height="9" rx="1" fill="none" stroke="currentColor" stroke-width="1.3" />
    <path d="M3 11V3a1 1 0 0 1 1-1h6.5" fill="none" stroke="currentColor" stroke-width="1.3" />
  </svg>
);

export const ReloadIcon = () => (
  <svg {...box} class="ic">
    <path d="M13 8a5 5 0 1 1-1.5-3.6M13 2.5v3h-3" fill="none" stroke="currentColor" stroke-width="1.5" />
  </svg>
);
