// Applies a "copy as diff" (unified diff) to a hand-written config, as a user's `git apply` or
// patch would, tolerating indentation differences. Context lines are tried first; when the file
// differs in the surrounding lines (another option the user has), the changed lines are matched
// next to the context line just before them, then (like patch's full fuzz) alone when they occur
// exactly once. A hunk that matches nowhere throws: a diff that does not apply must not pretend it did.
import type { DiffOp } from '../../src/core/snippets/diff';

function hunksOf(diff: string): DiffOp[][] {
  const hunks: DiffOp[][] = [];
  for (const l of diff.split('\n')) {
    if (l.startsWith('---') || l.startsWith('+++')) continue;
    if (l.startsWith('@@')) hunks.push([]);
    else if (hunks.length && (l[0] === ' ' || l[0] === '-' || l[0] === '+'))
      hunks[hunks.length - 1]!.push({ op: l[0] as DiffOp['op'], line: l.slice(1) });
  }
  return hunks;
}

const ind = (s: string) => s.match(/^\s*/)![0];

function find(lines: string[], want: string[], from: number): number {
  for (let i = from; i + want.length <= lines.length; i++)
    if (want.every((l, k) => lines[i + k]!.trim() === l.trim())) return i;
  return -1;
}

function place(op: DiffOp, refDiff: string, refFile: string): string {
  // Same indentation as the diff: take the line verbatim. Otherwise shift it by the difference.
  if (refDiff === refFile) return op.line;
  if (op.line.trim() === '') return '';
  const delta = ind(op.line).length - refDiff.length;
  const base =
    delta >= 0 ? refFile + ind(op.line).slice(refDiff.length) : refFile.slice(0, Math.max(0, refFile.length + delta));
  return base + op.line.trimStart();
}

export function applyUnifiedDiff(text: string, diff: string): string {
  const lines = text.split('\n');
  for (let h of hunksOf(diff)) {
    let old = h.filter((o) => o.op !== '+').map((o) => o.line);
    let at = find(lines, old, 0);
    if (at < 0) {
      // Fallback: only the changed run, anchored on the context line just before it.
      const first = h.findIndex((o) => o.op !== ' ');
      let last = h.length - 1;
      while (h[last]!.op === ' ') last--;
      const anchor = h
        .slice(0, first)
        .filter((o) => o.op === ' ')
        .slice(-1);
      h = [...anchor, ...h.slice(first, last + 1)];
      old = h.filter((o) => o.op !== '+').map((o) => o.line);
      at = old.length ? find(lines, old, 0) : -1;
      if (at < 0 && anchor.length && h.some((o) => o.op === '-')) {
        // Last resort (patch's full fuzz): the removed lines alone, where they occur exactly once.
        const bare = h.slice(anchor.length);
        const removed = bare.filter((o) => o.op !== '+').map((o) => o.line);
        const first = find(lines, removed, 0);
        if (first >= 0 && find(lines, removed, first + 1) < 0) {
          h = bare;
          old = removed;
          at = first;
        }
      }
      if (at < 0) throw new Error(`diff hunk does not apply:\n${h.map((o) => o.op + o.line).join('\n')}`);
    }
    const out: string[] = [];
    let k = at;
    let refDiff = '';
    let refFile = '';
    for (const o of h) {
      if (o.op === '+') {
        out.push(place(o, refDiff, refFile));
        continue;
      }
      refDiff = ind(o.line);
      refFile = ind(lines[k]!);
      if (o.op === ' ') out.push(lines[k]!);
      k++;
    }
    lines.splice(at, old.length, ...out);
  }
  return lines.join('\n');
}
