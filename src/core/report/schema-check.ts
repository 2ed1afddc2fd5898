// A small JSON Schema (2020-12) checker for the keywords docs/report.schema.json uses.
// Why not ajv in the panel: ajv compiles validators with `new Function`, which the extension's
// content security policy forbids (script-src 'self'). Tests check that this checker agrees with
// ajv on every export and on mutated reports, and that the schema uses no other keyword.

export type JsonSchema = boolean | { [k: string]: unknown };

/** Keywords this checker implements (evaluated) or knowingly ignores (annotations). */
export const SUPPORTED_KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'minimum',
  'maximum',
  'pattern',
  'format',
  '$ref',
  'anyOf',
  '$defs',
  // annotations
  '$schema',
  '$id',
  'title',
  'description',
]);

export interface SchemaError {
  path: string;
  message: string;
}

const DATE_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(v: unknown, t: string): boolean {
  const actual = typeOf(v);
  return actual === t || (t === 'number' && actual === 'integer');
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

const pointer = (path: string, key: string | number) =>
  `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

export function checkSchema(root: JsonSchema, data: unknown, maxErrors = 20): SchemaError[] {
  const errors: SchemaError[] = [];
  const patterns = new Map<string, RegExp>();
  const resolve = (ref: string): JsonSchema => {
    const m = /^#\/\$defs\/([^/]+)$/.exec(ref);
    const defs = typeof root === 'object' ? (root.$defs as Record<string, JsonSchema> | undefined) : undefined;
    const target = m && defs ? defs[m[1]!] : undefined;
    if (target === undefined) throw new Error(`unsupported $ref ${ref}`);
    return target;
  };

  const check = (s: JsonSchema, v: unknown, path: string, out: SchemaError[]): void => {
    if (out.length >= maxErrors) return;
    if (s === true) return;
    if (s === false) {
      out.push({ path, message: 'is not allowed' });
      return;
    }
    if (typeof s.$ref === 'string') check(resolve(s.$ref), v, path, out);
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!types.some((t) => typeMatches(v, t))) {
        out.push({ path, message: `must be ${types.join(' or ')}` });
        return;
      }
    }
    if ('const' in s && !deepEqual(v, s.const)) out.push({ path, message: `must be ${JSON.stringify(s.const)}` });
    if (Array.isArray(s.enum) && !s.enum.some((e) => deepEqual(e, v))) {
      out.push({ path, message: `must be one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}` });
    }
    if (typeof v === 'number') {
      if (typeof s.minimum === 'number' && v < s.minimum) out.push({ path, message: `must be >= ${s.minimum}` });
      if (typeof s.maximum === 'number' && v > s.maximum) out.push({ path, message: `must be <= ${s.maximum}` });
    }
    if (typeof v === 'string') {
      if (typeof s.pattern === 'string') {
        let re = patterns.get(s.pattern);
        if (!re) patterns.set(s.pattern, (re = new RegExp(s.pattern, 'u')));
        if (!re.test(v)) out.push({ path, message: `must match ${s.pattern}` });
      }
      if (s.format === 'date-time' && (!DATE_TIME.test(v) || Number.isNaN(Date.parse(v))))
        out.push({ path, message: 'must be a date-time' });
    }
    if (Array.isArray(s.anyOf)) {
      const ok = (s.anyOf as JsonSchema[]).some((alt) => {
        const sub: SchemaError[] = [];
        check(alt, v, path, sub);
        return sub.length === 0;
      });
      if (!ok) out.push({ path, message: 'does not match any allowed form' });
    }
    if (Array.isArray(v) && s.items !== undefined) {
      for (let i = 0; i < v.length && out.length < maxErrors; i++)
        check(s.items as JsonSchema, v[i], pointer(path, i), out);
    }
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const props = (s.properties ?? {}) as Record<string, JsonSchema>;
      if (Array.isArray(s.required)) {
        for (const k of s.required as string[])
          if (!Object.prototype.hasOwnProperty.call(o, k)) out.push({ path, message: `must have property "${k}"` });
      }
      for (const k of Object.keys(o)) {
        if (out.length >= maxErrors) break;
        if (Object.prototype.hasOwnProperty.call(props, k)) check(props[k]!, o[k], pointer(path, k), out);
        else if (s.additionalProperties !== undefined) {
          if (s.additionalProperties === false)
            out.push({ path: pointer(path, k), message: 'is not an allowed property' });
          else check(s.additionalProperties as JsonSchema, o[k], pointer(path, k), out);
        }
      }
    }
  };
  check(root, data, '', errors);
  return errors.slice(0, maxErrors);
}

/** Every keyword used anywhere in `schema` that this checker does not know (for tests). */
export function unsupportedKeywords(schema: JsonSchema): string[] {
  const found = new Set<string>();
  const walk = (s: unknown, isSchema: boolean): void => {
    if (!s || typeof s !== 'object' || !isSchema) return;
    for (const [k, v] of Object.entries(s)) {
      if (!SUPPORTED_KEYWORDS.has(k)) found.add(k);
      if (k === 'properties' || k === '$defs') for (const sub of Object.values(v as object)) walk(sub, true);
      else if (k === 'items' || k === 'additionalProperties') walk(v, true);
      else if (k === 'anyOf') for (const sub of v as unknown[]) walk(sub, true);
    }
  };
  walk(schema, true);
  return [...found];
}
