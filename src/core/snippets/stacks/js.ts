// JS/TS literal helpers shared by the Node generators.
import { sq } from '../common';

export function jsList(xs: string[]): string {
  return `[${xs.map(sq).join(', ')}]`;
}

/** `key: value,` lines of a CORS options object (only the keys with something to say). */
export function jsOptions(entries: Array<[string, string | null]>): string[] {
  return entries.filter(([, v]) => v !== null).map(([k, v]) => `${k}: ${v},`);
}
