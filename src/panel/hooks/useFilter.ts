// The toolbar's filter: the text as typed, the text applied (debounced on large logs), and the
// origin chip set from the per-origin view.
import { useEffect, useState } from 'preact/hooks';
import type { OriginFilter } from '../filter';

export interface Filter {
  text: string;
  appliedText: string;
  origin: OriginFilter | null;
  /** Text or origin narrows the list. */
  filtering: boolean;
  setText(t: string): void;
  setOrigin(o: OriginFilter | null): void;
  clearText(): void;
  clearAll(): void;
}

export function useFilter(logSize: number): Filter {
  const [text, setText] = useState('');
  const [appliedText, setAppliedText] = useState('');
  const [origin, setOrigin] = useState<OriginFilter | null>(null);
  // Large logs: let typing settle before refiltering.
  useEffect(() => {
    if (text === appliedText) return;
    const t = setTimeout(() => setAppliedText(text), logSize > 5000 ? 150 : 0);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- debounces typing only: re-run when the text changes
  }, [text]);
  const clearText = () => {
    setText('');
    setAppliedText('');
  };
  return {
    text,
    appliedText,
    origin,
    filtering: appliedText !== '' || origin !== null,
    setText,
    setOrigin,
    clearText,
    clearAll: () => {
      clearText();
      setOrigin(null);
    },
  };
}
