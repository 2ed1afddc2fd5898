// Writes docs/causes.md from the cause catalogue (src/core/causes.ts): npm run docs:causes.
// test/core/causes.test.ts fails when the committed file differs from what this produces.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CAUSE_CODES, CAUSES, type CauseEntry, type CauseKind } from '../src/core/causes';

export const CAUSES_DOC = join(resolve(import.meta.dirname, '..'), 'docs/causes.md');

const SECTIONS: Array<[CauseKind, string, string]> = [
  [
    'blocking',
    'Blocking causes',
    'The browser blocked the request; the symptom is what the console says, the cause is why the server answered that way.',
  ],
  [
    'not-cors',
    'Not CORS at all',
    'The request failed before any CORS rule applied, although the console often still mentions CORS.',
  ],
  ['warning', 'Warnings', 'Allowed today, worth fixing.'],
];

/** Template text for the docs: facts shown as ‹fact›, optional segments in brackets. */
function plain(template: string): string {
  return template
    .replace(/\[\[(.*?)\]\]/g, ' [$1]')
    .replace(/\{(\w+)\}/g, '‹$1›')
    .replace(/\s+\[ /g, ' [')
    .trim();
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function entry(e: CauseEntry): string {
  const lines = [
    `### \`${e.code}\` — ${plain(e.title)}`,
    '',
    plain(e.explanation),
    '',
    `**Fix:** ${plain(e.fix)}`,
    '',
    `**Chosen when:** ${e.trigger}`,
  ];
  if (e.symptoms.length) lines.push('', `**Symptoms it explains:** ${e.symptoms.map((s) => `\`${s}\``).join(', ')}`);
  return lines.join('\n');
}

export function renderCausesDoc(): string {
  const out: string[] = [
    '# Root causes',
    '',
    '<!-- Generated from src/core/causes.ts by `npm run docs:causes`. Do not edit by hand. -->',
    '',
    "CORS Lens names every blocked request twice: the **symptom**, in the browser's own terms (Chromium's",
    "`CorsError` value and Firefox's reason key — what the console says), and the **root cause**: what",
    'about the server most likely produced that symptom, with a confidence (*certain*: read directly off',
    'the headers; *likely*: the usual reason for this evidence; *possible*: the evidence fits, but other',
    'explanations exist). A cause is only ever paired with a symptom it can produce. Codes are stable:',
    'exports and saved reports carry them.',
    '',
    '‹fact› marks a value filled in from the request (origin, header, status…); text in [brackets] appears',
    'only when that fact is known.',
    '',
    '| code | kind | title |',
    '|---|---|---|',
    ...CAUSE_CODES.map((c) => {
      const e = CAUSES.get(c)!;
      return `| \`${c}\` | ${e.kind} | ${escapeCell(plain(e.title))} |`;
    }),
  ];
  for (const [kind, title, intro] of SECTIONS) {
    out.push('', `## ${title}`, '', intro);
    for (const c of CAUSE_CODES) {
      const e = CAUSES.get(c)!;
      if (e.kind === kind) out.push('', entry(e));
    }
  }
  return `${out.join('\n')}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  writeFileSync(CAUSES_DOC, renderCausesDoc());
  console.log(`wrote ${CAUSES_DOC}`);
}
