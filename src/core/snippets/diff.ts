// A small unified diff (LCS over lines) for "copy as diff": the snippets are a few dozen lines,
// so the quadratic table is cheap and keeps this dependency-free.

export interface DiffOp {
  op: ' ' | '-' | '+';
  line: string;
}

export function diffLines(a: string[], b: string[]): DiffOp[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = LCS length of a[i..] and b[j..]
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: DiffOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: ' ', line: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ op: '-', line: a[i++]! });
    else out.push({ op: '+', line: b[j++]! });
  }
  while (i < n) out.push({ op: '-', line: a[i++]! });
  while (j < m) out.push({ op: '+', line: b[j++]! });
  return out;
}

/**
 * Unified diff of `before` → `after` with `context` lines around each change, or null when
 * they are equal. Headers name `file` as git does (a/file, b/file).
 */
export function unifiedDiff(before: string, after: string, file: string, context = 3): string | null {
  const a = before.split('\n');
  const b = after.split('\n');
  const ops = diffLines(a, b);
  if (ops.every((o) => o.op === ' ')) return null;
  // Line numbers of each op in a and b (1-based, the line *before* which it applies).
  const pos: Array<{ ai: number; bi: number }> = [];
  let ai = 1;
  let bi = 1;
  for (const o of ops) {
    pos.push({ ai, bi });
    if (o.op !== '+') ai++;
    if (o.op !== '-') bi++;
  }
  const changed = ops.map((o, k) => (o.op !== ' ' ? k : -1)).filter((k) => k >= 0);
  // Group changes whose context windows touch into hunks.
  const hunks: Array<[number, number]> = [];
  for (const k of changed) {
    const lo = Math.max(0, k - context);
    const hi = Math.min(ops.length - 1, k + context);
    const last = hunks[hunks.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else hunks.push([lo, hi]);
  }
  const lines = [`--- a/${file}`, `+++ b/${file}`];
  for (const [lo, hi] of hunks) {
    const slice = ops.slice(lo, hi + 1);
    const aLen = slice.filter((o) => o.op !== '+').length;
    const bLen = slice.filter((o) => o.op !== '-').length;
    const aStart = aLen === 0 ? pos[lo]!.ai - 1 : pos[lo]!.ai;
    const bStart = bLen === 0 ? pos[lo]!.bi - 1 : pos[lo]!.bi;
    lines.push(`@@ -${aStart},${aLen} +${bStart},${bLen} @@`);
    for (const o of slice) lines.push(o.op + o.line);
  }
  return lines.join('\n') + '\n';
}
