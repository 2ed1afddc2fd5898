// Precise mismatch explanations for the side-by-side view: which part of an
// Access-Control-Allow-Origin value differs from the request's Origin (scheme, host, port, a
// trailing slash…), and which items of a needed list (methods, headers) an allow-list lacks.
// Pure functions: the panel renders their segments, exports can reuse the notes.
//
// The CORS check compares the serialized origin byte for byte
// (https://fetch.spec.whatwg.org/#cors-check step 7), so every difference counts, even the case
// of a letter or a default port written out.

import { differenceSentence, originParts, type OriginDifference } from './origin-difference';

/** A run of text and whether it is part of the difference. An empty diff segment marks where text is missing. */
export interface Segment {
  text: string;
  diff: boolean;
}

/** Kinds of origin difference (src/core/origin-difference.ts). */
export type MismatchKind = OriginDifference;

export interface OriginDiff {
  equal: boolean;
  /** Segments of the expected value (the request's Origin). */
  expected: Segment[];
  /** Segments of the value the server sent. */
  actual: Segment[];
  kinds: MismatchKind[];
  /** One plain sentence per difference, in the order of `kinds`. */
  notes: string[];
}

const DEFAULT_PORT: Record<string, string> = { http: ':80', https: ':443', ws: ':80', wss: ':443' };

function same(text: string): Segment[] {
  return text ? [{ text, diff: false }] : [];
}

/** Common prefix and suffix kept plain, the middle marked; an empty middle still marks the spot. */
function charDiff(a: string, b: string): [Segment[], Segment[]] {
  if (a === b) return [same(a), same(b)];
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  const side = (x: string): Segment[] => [
    ...same(x.slice(0, p)),
    { text: x.slice(p, x.length - s), diff: true },
    ...same(x.slice(x.length - s)),
  ];
  return [side(a), side(b)];
}

function wholeDiff(a: string, b: string): [Segment[], Segment[]] {
  if (a === b) return [same(a), same(b)];
  return [[{ text: a, diff: true }], [{ text: b, diff: true }]];
}

function merge(segs: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const seg of segs) {
    if (seg.text === '' && !seg.diff) continue;
    const last = out[out.length - 1];
    // Adjacent runs of the same kind join; an empty "missing here" marker folds into a real diff.
    if (last && last.diff === seg.diff) last.text += seg.text;
    else out.push({ ...seg });
  }
  return out;
}

/**
 * Compares the request's Origin (`expected`) with an Access-Control-Allow-Origin value (`actual`).
 * Joining the texts of `expected`/`actual` segments always gives back the inputs.
 */
export function diffOrigin(expected: string, actual: string): OriginDiff {
  if (expected === actual) return { equal: true, expected: same(expected), actual: same(actual), kinds: [], notes: [] };
  const e = originParts(expected);
  const trimmed = actual.trim();
  const kinds: MismatchKind[] = [];
  const withNotes = (ex: Segment[], ac: Segment[]): OriginDiff => ({
    equal: false,
    expected: merge(ex),
    actual: merge(ac),
    kinds,
    notes: kinds.map((k) => differenceSentence(k, expected, actual)),
  });

  if (trimmed === '*' || trimmed === 'null' || /[,\s]/.test(trimmed)) {
    kinds.push(trimmed === '*' ? 'wildcard' : trimmed === 'null' ? 'null' : 'multiple');
    const [ex, ac] = wholeDiff(expected, actual);
    return withNotes(ex, ac);
  }

  const a = originParts(actual);
  if (!e || !a) {
    kinds.push('other');
    const [ex, ac] = charDiff(expected, actual);
    return withNotes(ex, ac);
  }

  const ex: Segment[] = [];
  const ac: Segment[] = [];
  const push = ([x, y]: [Segment[], Segment[]]) => {
    ex.push(...x);
    ac.push(...y);
  };

  if (e.lead !== a.lead || e.trail !== a.trail) kinds.push('whitespace');
  push(e.lead === a.lead ? [same(e.lead), same(a.lead)] : wholeDiff(e.lead, a.lead));

  if (e.scheme !== a.scheme) kinds.push(e.scheme.toLowerCase() === a.scheme.toLowerCase() ? 'case' : 'scheme');
  push(charDiff(e.scheme, a.scheme));
  push([same(e.sep), same(a.sep)]);

  if (e.host !== a.host) {
    const k = e.host.toLowerCase() === a.host.toLowerCase() ? 'case' : 'host';
    if (!kinds.includes(k)) kinds.push(k);
    // Hosts are compared as a whole label run, but a shared tail (".example.com") stays plain.
    push(k === 'case' ? charDiff(e.host, a.host) : hostDiff(e.host, a.host));
  } else push([same(e.host), same(a.host)]);

  if (e.port !== a.port) {
    const scheme = a.scheme.toLowerCase();
    const explicitDefault = (p: string, q: string) => p === '' && q === DEFAULT_PORT[scheme];
    kinds.push(explicitDefault(e.port, a.port) || explicitDefault(a.port, e.port) ? 'default-port' : 'port');
    push(wholeDiff(e.port, a.port));
  } else push([same(e.port), same(a.port)]);

  if (e.rest !== a.rest) {
    kinds.push(a.rest === '/' && e.rest === '' ? 'trailing-slash' : 'path');
    push(wholeDiff(e.rest, a.rest));
  } else push([same(e.rest), same(a.rest)]);

  push(e.trail === a.trail ? [same(e.trail), same(a.trail)] : wholeDiff(e.trail, a.trail));
  if (kinds.length === 0) kinds.push('other');
  return withNotes(ex, ac);
}

/** Host difference with a shared dot-separated tail kept plain ("api.example.com" vs "example.com"). */
function hostDiff(a: string, b: string): [Segment[], Segment[]] {
  const la = a.split('.');
  const lb = b.split('.');
  let s = 0;
  while (s < la.length - 1 && s < lb.length - 1 && la[la.length - 1 - s] === lb[lb.length - 1 - s]) s++;
  if (s === 0 || /^[\d.]+$/.test(a) || /^[\d.]+$/.test(b)) return wholeDiff(a, b);
  const tail = '.' + la.slice(la.length - s).join('.');
  const side = (x: string): Segment[] => [{ text: x.slice(0, x.length - tail.length), diff: true }, ...same(tail)];
  return [side(a), side(b)];
}

/** Items of a needed list and whether the allow-list covers each one. */
export interface ListItem {
  item: string;
  allowed: boolean;
}

/**
 * Splits comma-separated values ("GET, POST" / "content-type,x-api-key") and checks each needed
 * item against the allowed ones. Methods compare case-sensitively, header names do not
 * (https://fetch.spec.whatwg.org/#cors-preflight-fetch steps 7.8–7.9). A "*" in the allow-list
 * covers everything here; whether it counts (credentials) is the engine's call, not this view's.
 */
export function diffList(needed: string, allowed: string | null, opts: { caseSensitive: boolean }): ListItem[] {
  const split = (s: string) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== '');
  const norm = (s: string) => (opts.caseSensitive ? s : s.toLowerCase());
  const allow = new Set(split(allowed ?? '').map(norm));
  const star = allow.has('*');
  return split(needed).map((item) => ({ item, allowed: star || allow.has(norm(item)) }));
}
