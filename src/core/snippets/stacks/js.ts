// JS/TS literal helpers shared by the Node generators.
import { sq } from '../common';
import type { CorsConfig } from '../types';

export function jsList(xs: string[]): string {
  return `[${xs.map(sq).join(', ')}]`;
}

/** `key: value,` lines of a CORS options object (only the keys with something to say). */
export function jsOptions(entries: Array<[string, string | null]>): string[] {
  return entries.filter(([, v]) => v !== null).map(([k, v]) => `${k}: ${v},`);
}

/**
 * The option object shared by the `cors` package (Express, NestJS's Express adapter) and
 * @fastify/cors: the same names and meanings in both.
 */
export function corsPackageOptions(c: CorsConfig): string[] {
  return jsOptions([
    ['origin', jsList(c.origins)],
    ['methods', jsList(c.methods)],
    ['allowedHeaders', c.headers.length ? jsList(c.headers) : null],
    ['exposedHeaders', c.exposeHeaders.length ? jsList(c.exposeHeaders) : null],
    ['credentials', c.credentials ? 'true' : null],
    ['maxAge', String(c.maxAge)],
  ]);
}
