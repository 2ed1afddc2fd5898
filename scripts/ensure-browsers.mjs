#!/usr/bin/env node
// Makes sure the browsers the tests (or `npm start`) drive are installed. On Debian/Ubuntu as root
// it installs them with apt; elsewhere it says exactly what to install and exits non-zero.
// Usage: node scripts/ensure-browsers.mjs [chromium] [firefox]   (default: both)
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const want = process.argv.slice(2);
const need = want.length ? want : ['chromium', 'firefox'];
const browsers = {
  chromium: { path: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', pkg: 'chromium' },
  firefox: { path: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr', pkg: 'firefox-esr' },
};
const missing = need.filter((b) => browsers[b] && !existsSync(browsers[b].path));
if (missing.length === 0) process.exit(0);

const pkgs = missing.map((b) => browsers[b].pkg);
const isRoot = process.getuid?.() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (isRoot && hasApt) {
  console.log(`Installing ${pkgs.join(', ')} with apt-get…`);
  execSync('apt-get update -qq', { stdio: 'inherit' });
  execSync(`DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkgs.join(' ')} fonts-dejavu-core`, {
    stdio: 'inherit',
  });
  const still = missing.filter((b) => !existsSync(browsers[b].path));
  if (still.length === 0) process.exit(0);
  console.error(`apt-get ran but ${still.map((b) => browsers[b].path).join(', ')} is still missing.`);
  process.exit(1);
}
console.error(`Missing: ${missing.map((b) => browsers[b].path).join(', ')}.
CORS Lens tests drive the distribution's browsers (never a downloaded one):
  Debian/Ubuntu:  sudo apt-get install -y ${pkgs.join(' ')}
  elsewhere:      install ${missing.join(' and ')} and point ${missing.map((b) => (b === 'chromium' ? 'CHROMIUM_PATH' : 'FIREFOX_PATH')).join(' / ')} at the binary.`);
process.exit(1);
