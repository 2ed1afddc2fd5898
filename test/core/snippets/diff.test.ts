import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines, unifiedDiff } from '../../../src/core/snippets/diff';
import { applyUnifiedDiff } from '../../servers/patch';

const lines = fc.array(fc.constantFrom('a', 'b', 'c', '    d', 'allow_methods=["GET"],', ''), { maxLength: 12 });

describe('unifiedDiff', () => {
  it('is null for equal texts', () => {
    expect(unifiedDiff('a\nb', 'a\nb', 'f')).toBeNull();
  });

  it('shows a one-line change with context, git-style', () => {
    expect(unifiedDiff('a\nb\nc\nd\ne', 'a\nb\nX\nd\ne', 'main.py', 1)).toBe(
      '--- a/main.py\n+++ b/main.py\n@@ -2,3 +2,3 @@\n b\n-c\n+X\n d\n',
    );
  });

  it('diffLines keeps every line of both sides, in order (property)', () => {
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const ops = diffLines(a, b);
        expect(ops.filter((o) => o.op !== '+').map((o) => o.line)).toEqual(a);
        expect(ops.filter((o) => o.op !== '-').map((o) => o.line)).toEqual(b);
      }),
    );
  });

  it('applying the diff to the old text gives the new text (property)', () => {
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const d = unifiedDiff(a.join('\n'), b.join('\n'), 'f');
        if (d === null) return;
        expect(applyUnifiedDiff(a.join('\n'), d)).toBe(b.join('\n'));
      }),
      { numRuns: 300 },
    );
  });

  it('applies to a config with different indentation and refuses one it does not match', () => {
    const d = unifiedDiff('x(\n    a=1,\n    m=["GET"],\n)', 'x(\n    a=1,\n    m=["GET", "PUT"],\n)', 'f')!;
    expect(applyUnifiedDiff('y = 0\nx(\n  a=1,\n  m=["GET"],\n)', d)).toBe('y = 0\nx(\n  a=1,\n  m=["GET", "PUT"],\n)');
    expect(() => applyUnifiedDiff('x(\n  m=["POST"],\n)', d)).toThrow(/does not apply/);
  });

  it('applies the removed lines alone when every context line differs, only where they occur once', () => {
    const d = unifiedDiff(
      'x(\n    o=f(),\n    m=["GET"],\n    h=1,\n)',
      'x(\n    o=f(),\n    m=["GET", "PUT"],\n    h=1,\n)',
      'f',
    )!;
    expect(applyUnifiedDiff('x(\n  o="a",\n  m=["GET"],\n)', d)).toBe('x(\n  o="a",\n  m=["GET", "PUT"],\n)');
    expect(() => applyUnifiedDiff('x(\n  o="a",\n  m=["GET"],\n)\ny(\n  m=["GET"],\n)', d)).toThrow(/does not apply/);
  });
});
