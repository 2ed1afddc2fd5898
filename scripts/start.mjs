#!/usr/bin/env node
// `npm start` entry: `npm start` opens Chromium, `npm start -- --firefox` Firefox ESR (the same as
// `npm run start:firefox`). Other arguments (e.g. --headless) go on to the start script.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const args = process.argv.slice(2);
const firefox = args.includes('--firefox');
const rest = args.filter((a) => a !== '--firefox');
const root = join(import.meta.dirname, '..');

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { stdio: 'inherit', cwd: root });
  if (r.error) {
    console.error(`Could not run ${cmd}: ${r.error.message}`);
    process.exit(1);
  }
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run(process.execPath, [join(root, 'scripts/ensure-browsers.mjs'), firefox ? 'firefox' : 'chromium']);
run('npm', ['run', 'build']);
run(join(root, 'node_modules/.bin/tsx'), [
  join(root, firefox ? 'scripts/start-firefox.ts' : 'scripts/start.ts'),
  ...rest,
]);
