// Golden files that a test run only reads. A missing or different golden fails; goldens are
// written only on purpose, with UPDATE_GOLDENS=1 (`npm run goldens`), and the diff is reviewed in
// git. (Vitest's toMatchFileSnapshot writes a missing file whenever CI is unset, so a deleted golden
// would pass a developer's `npm test`.)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { expect } from 'vitest';

export const UPDATING_GOLDENS = process.env.UPDATE_GOLDENS === '1';
const HOW = 'to (re)write goldens on purpose: `npm run goldens`, then review `git diff`';

export function expectGolden(actual: string, path: string, root = process.cwd()): void {
  if (UPDATING_GOLDENS) {
    mkdirSync(dirname(path), { recursive: true });
    if (!existsSync(path) || readFileSync(path, 'utf8') !== actual) writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden ${relative(root, path)} is missing; ${HOW}`);
  expect(actual, `differs from golden ${relative(root, path)}; ${HOW}`).toBe(readFileSync(path, 'utf8'));
}
