// `npm run screenshots`: the store screenshots (1280×800 PNG) from a real run — the packaged
// Chrome build (artifacts/build/chrome, made by `npm run package`) in Debian Chromium, DevTools
// undocked on the CORS tab, the demo playground's buttons all pressed (as `npm start --headless`).
// Writes docs/store/screenshot-{1-list,2-detail,3-snippet}.png and fails if one is not 1280×800.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, mainPage, ROOT, waitFor } from '../test/support/chromium';
import { DevtoolsWindow } from '../test/support/devtools';
import { startPlayground } from '../playground/server';
import { PLAYGROUND } from '../playground/scenarios';

const W = 1280;
const H = 800;
const EXT = join(ROOT, 'artifacts/build/chrome');
const OUT = join(ROOT, 'docs/store');
if (!existsSync(join(EXT, 'manifest.json'))) {
  console.error(`${EXT}/manifest.json missing: run npm run package first (npm run screenshots does).`);
  process.exit(1);
}
mkdirSync(OUT, { recursive: true });

/** Width and height from a PNG's IHDR chunk. */
function pngSize(buf: Buffer): [number, number] {
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

const pg = await startPlayground();
const session = await launchChromium({ extension: EXT, headless: true, windowSize: [W, H] });
try {
  const page = await mainPage(session, pg.url);
  const devtools = await DevtoolsWindow.of(session, page);
  // The DevTools window's viewport at exactly the store size, whatever the window manager did.
  await devtools.window.send('Emulation.setDeviceMetricsOverride', {
    width: W,
    height: H,
    deviceScaleFactor: 1,
    mobile: false,
  });
  const panel = await devtools.showCorsPanel();
  await page.evaluate(() => (window as unknown as { runAll(): Promise<unknown> }).runAll());
  const expected = PLAYGROUND.filter((s) => s.expect !== null).length;
  await waitFor(
    `${expected} blocked rows in the CORS panel`,
    () => panel.evaluate((n: number) => document.querySelectorAll('[data-testid="row"]').length >= n || null, expected),
    30_000,
  );

  const shoot = async (name: string): Promise<void> => {
    const { data } = await devtools.window.send<{ data: string }>('Page.captureScreenshot', {
      format: 'png',
      clip: { x: 0, y: 0, width: W, height: H, scale: 1 },
    });
    const buf = Buffer.from(data, 'base64');
    const [w, h] = pngSize(buf);
    if (w !== W || h !== H) throw new Error(`${name}: ${w}×${h}, expected ${W}×${H}`);
    const path = join(OUT, `${name}.png`);
    writeFileSync(path, buf);
    console.log(`${path}  ${w}×${h}  ${(buf.length / 1000).toFixed(0)} kB`);
  };

  // 1. The live list: every blocked request of the playground, the first one opened.
  await shoot('screenshot-1-list');
  // 2. One failure opened: the cause card, the browsers' wording and the side-by-side rows.
  await panel.evaluate(() =>
    document.querySelector<HTMLElement>('[data-testid="row"][data-symptom="AllowOriginMismatch"]')?.click(),
  );
  await panel.waitFor('cause card', () => !!document.querySelector('[data-testid="cause-card"]') || null);
  await shoot('screenshot-2-detail');
  // 3. A preflight failure scrolled to the fix for the detected stack.
  await panel.evaluate(() =>
    document
      .querySelector<HTMLElement>('[data-testid="row"][data-symptom="MethodDisallowedByPreflightResponse"]')
      ?.click(),
  );
  await panel.waitFor('snippet', () => !!document.querySelector('[data-testid="snippets"]') || null);
  await panel.evaluate(() => document.querySelector('[data-testid="snippets"]')!.scrollIntoView({ block: 'start' }));
  await shoot('screenshot-3-snippet');
} finally {
  await session.close();
  await pg.close();
}
