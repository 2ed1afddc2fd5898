import { describe, expect, it } from 'vitest';
import { CAUSES, type CauseCode } from '../../../src/core/causes';
import { comment } from '../../../src/core/snippets/common';
import { buildSnippetInput, generateSnippet } from '../../../src/core/snippets';
import { STACK_IDS } from '../../../src/core/snippets/types';
import { entry, SCENARIOS } from './fixtures';

const unwrap = (code: string) =>
  code
    .split('\n')
    .filter((l) => /^\s*(#|\/\/) /.test(l))
    .map((l) => l.replace(/^\s*(#|\/\/) /, ''))
    .join(' ');

describe('the why-comment', () => {
  it("names the cause with the catalogue's own title, in every stack", () => {
    for (const [name, s] of Object.entries(SCENARIOS)) {
      const input = buildSnippetInput(entry(s))!;
      // The template's own words (placeholders are filled with this failure's facts).
      const template = CAUSES.get(input.cause!.code as CauseCode)!.title;
      const words = template
        .split(/\s+/)
        .filter((w) => w.length > 3 && !/[{}]/.test(w))
        .slice(0, 4);
      expect(words.length, name).toBeGreaterThan(0);
      for (const id of STACK_IDS) {
        const text = unwrap(
          generateSnippet(id, input)
            .parts.map((p) => p.code)
            .join('\n'),
        );
        for (const w of words) expect(text, `${id}/${name}`).toContain(w);
      }
    }
  });

  it('wraps at word boundaries without losing a word', () => {
    const long =
      'word '.repeat(60).trim() +
      ' https://example.com/a/very/long/url/that/cannot/be/broken/anywhere/at/all/because/it/is/one/token';
    const out = comment([long], '#', 40);
    for (const l of out.split('\n')) expect(l.startsWith('# ')).toBe(true);
    expect(
      out
        .split('\n')
        .map((l) => l.slice(2))
        .join(' '),
    ).toBe(long);
    expect(
      out
        .split('\n')
        .slice(0, -1)
        .every((l) => l.length <= 40),
    ).toBe(true);
  });
});
