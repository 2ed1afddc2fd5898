// Fix snippets as the report formats want them (one block of text per stack), best match first:
// the stacks detected from the response headers, else the most common ones.
import type { LogEntry } from '../log';
import type { Snippet as ReportSnippet } from '../report/types';
import { detectStacks, orderStacks } from './detect';
import { generateSnippet } from './index';
import { buildSnippetInput } from './input';
import type { Snippet, SnippetLanguage } from './types';

const HASH_COMMENT: ReadonlySet<SnippetLanguage> = new Set(['python', 'nginx', 'apache', 'caddyfile', 'ruby']);

/** One pasteable text: the notes and each part's placement as comments in the stack's language. */
export function snippetText(s: Snippet): string {
  const c = HASH_COMMENT.has(s.language) ? '#' : '//';
  const head = s.notes.map((n) => `${c} ${n.replace(/\r?\n/g, ' ')}`);
  const body = s.parts.map((p) => (s.parts.length > 1 ? `${c} ${p.placement}\n${p.code}` : p.code));
  return [...head, ...body].join('\n\n');
}

/** The report's SnippetSource: up to `max` stacks, detected ones first. */
export function reportSnippets(entry: LogEntry, max = 3): ReportSnippet[] {
  const input = buildSnippetInput(entry);
  if (!input) return [];
  const guesses = detectStacks(entry);
  const stacks = orderStacks(guesses).slice(0, guesses.length > 0 ? Math.min(max, guesses.length) : max);
  return stacks.map((stack) => {
    const s = generateSnippet(stack, input);
    return { stack, label: s.label, code: snippetText(s) };
  });
}
