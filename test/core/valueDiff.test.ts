import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffList, diffOrigin, type Segment } from '../../src/core/valueDiff';

const join = (s: Segment[]) => s.map((x) => x.text).join('');
const marked = (s: Segment[]) => s.filter((x) => x.diff).map((x) => x.text);

describe('diffOrigin', () => {
  it('finds nothing to mark when the values are equal', () => {
    const d = diffOrigin('http://localhost:3000', 'http://localhost:3000');
    expect(d).toMatchObject({ equal: true, kinds: [], notes: [] });
    expect(marked(d.actual)).toEqual([]);
  });

  it('marks exactly the trailing slash', () => {
    const d = diffOrigin('http://localhost:3000', 'http://localhost:3000/');
    expect(d.equal).toBe(false);
    expect(d.kinds).toEqual(['trailing-slash']);
    expect(d.actual).toEqual([
      { text: 'http://localhost:3000', diff: false },
      { text: '/', diff: true },
    ]);
    // The expected side shows where the slash would be missing: an empty marked segment at the end.
    expect(d.expected).toEqual([
      { text: 'http://localhost:3000', diff: false },
      { text: '', diff: true },
    ]);
    expect(d.notes[0]).toMatch(/slash/);
  });

  it('marks the scheme letters that differ', () => {
    const d = diffOrigin('http://localhost:3000', 'https://localhost:3000');
    expect(d.kinds).toEqual(['scheme']);
    expect(marked(d.actual)).toEqual(['s']);
    expect(d.notes[0]).toContain('http');
    expect(d.notes[0]).toContain('https');
  });

  it('marks the whole port when ports differ', () => {
    const d = diffOrigin('http://localhost:3000', 'http://localhost:3001');
    expect(d.kinds).toEqual(['port']);
    expect(marked(d.expected)).toEqual([':3000']);
    expect(marked(d.actual)).toEqual([':3001']);
  });

  it('explains localhost vs 127.0.0.1 as different hosts', () => {
    const d = diffOrigin('http://localhost:3000', 'http://127.0.0.1:3000');
    expect(d.kinds).toEqual(['host']);
    expect(marked(d.actual)).toEqual(['127.0.0.1']);
    expect(d.notes[0]).toMatch(/different origins/);
  });

  it('keeps a shared domain tail plain', () => {
    const d = diffOrigin('https://app.example.com', 'https://www.example.com');
    expect(marked(d.expected)).toEqual(['app']);
    expect(marked(d.actual)).toEqual(['www']);
  });

  it('recognises a default port written out', () => {
    expect(diffOrigin('https://example.com', 'https://example.com:443').kinds).toEqual(['default-port']);
    expect(diffOrigin('http://example.com:80', 'http://example.com').kinds).toEqual(['default-port']);
  });

  it('recognises a letter-case difference', () => {
    const d = diffOrigin('http://localhost:3000', 'http://LocalHost:3000');
    expect(d.kinds).toEqual(['case']);
    expect(marked(d.actual)).toEqual(['LocalH']);
  });

  it('recognises a path and several differences at once', () => {
    const d = diffOrigin('http://localhost:3000', 'https://localhost:8000/app');
    expect(d.kinds).toEqual(['scheme', 'port', 'path']);
    expect(d.notes).toHaveLength(3);
  });

  it('names "*", "null" and lists', () => {
    expect(diffOrigin('http://a.test', '*').kinds).toEqual(['wildcard']);
    expect(diffOrigin('http://a.test', 'null').kinds).toEqual(['null']);
    expect(diffOrigin('http://a.test', 'http://a.test, http://b.test').kinds).toEqual(['multiple']);
  });

  it('falls back to a character diff for values that are not origin-shaped', () => {
    const d = diffOrigin('http://a.test', 'a.test');
    expect(d.kinds).toEqual(['other']);
    expect(join(d.actual)).toBe('a.test');
  });

  it('never loses or invents text (property)', () => {
    const originish = fc.oneof(
      fc.constantFrom(
        'http://localhost:3000',
        'http://localhost:3000/',
        'https://127.0.0.1:8000',
        'HTTP://x',
        '*',
        'null',
        '',
      ),
      fc.string(),
      fc
        .tuple(
          fc.constantFrom('http', 'https', 'HTTP'),
          fc.domain(),
          fc.option(fc.integer({ min: 0, max: 65535 })),
          fc.constantFrom('', '/', '/x', ' '),
        )
        .map(([s, h, p, r]) => `${s}://${h}${p === null ? '' : `:${p}`}${r}`),
    );
    fc.assert(
      fc.property(originish, originish, (e, a) => {
        const d = diffOrigin(e, a);
        expect(join(d.expected)).toBe(e);
        expect(join(d.actual)).toBe(a);
        expect(d.equal).toBe(e === a);
        if (e !== a) {
          expect(d.kinds.length).toBeGreaterThan(0);
          expect(d.notes).toHaveLength(d.kinds.length);
          // Something is marked on at least one side.
          expect(d.expected.some((s) => s.diff) || d.actual.some((s) => s.diff)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('diffList', () => {
  it('checks methods case-sensitively', () => {
    expect(diffList('PUT', 'GET, POST', { caseSensitive: true })).toEqual([{ item: 'PUT', allowed: false }]);
    expect(diffList('patch', 'PATCH', { caseSensitive: true })).toEqual([{ item: 'patch', allowed: false }]);
    expect(diffList('PUT', 'GET,PUT', { caseSensitive: true })).toEqual([{ item: 'PUT', allowed: true }]);
  });

  it('checks header names case-insensitively, item by item', () => {
    expect(diffList('content-type,x-api-key', 'Content-Type', { caseSensitive: false })).toEqual([
      { item: 'content-type', allowed: true },
      { item: 'x-api-key', allowed: false },
    ]);
  });

  it('treats a missing allow-list as allowing nothing, and "*" as everything', () => {
    expect(diffList('x-a', null, { caseSensitive: false })).toEqual([{ item: 'x-a', allowed: false }]);
    expect(diffList('x-a, x-b', '*', { caseSensitive: false }).every((i) => i.allowed)).toBe(true);
  });
});
