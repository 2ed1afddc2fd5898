// `npm start`: the built extension in Debian Chromium, DevTools open on the CORS tab, on the demo
// playground. With a display it stays open for you to click around; without one (or with
// --headless) it runs every playground button, screenshots the CORS panel and prints the path.
import { launchChromium, mainPage, waitFor } from '../test/support/chromium';
import { DevtoolsWindow } from '../test/support/devtools';
import { startPlayground } from '../playground/server';
import { PLAYGROUND } from '../playground/scenarios';

const headless = process.argv.includes('--headless') || !process.env.DISPLAY;
const pg = await startPlayground();
const session = await launchChromium({ headless, windowSize: [1500, 950] });
const page = await mainPage(session, pg.url);
const devtools = await DevtoolsWindow.of(session, page);
const panel = await devtools.showCorsPanel();
console.log(`Playground: ${pg.url}  (API on ${pg.api.origin})`);

if (headless) {
  await page.evaluate(() => (window as unknown as { runAll(): Promise<unknown> }).runAll());
  const expected = PLAYGROUND.filter((s) => s.expect !== null).length;
  await waitFor(`${expected} blocked rows in the CORS panel`, () =>
    panel.evaluate((n: number) => document.querySelectorAll('[data-testid="row"]').length >= n || null, expected),
  );
  // Open one failure so the screenshot shows the detail: the side-by-side rows, cause and fix.
  await panel.evaluate(() => {
    const row = document.querySelector<HTMLElement>(
      '[data-testid="row"][data-symptom="MethodDisallowedByPreflightResponse"]',
    );
    row?.click();
  });
  await panel.waitFor('detail pane', () => !!document.querySelector('[data-testid="snippets"]') || null);
  const shot = await devtools.screenshot('start-cors-panel');
  console.log(`Screenshot of the CORS panel: ${shot}`);
  await session.close();
  await pg.close();
} else {
  console.log('Chromium is open with DevTools on the CORS tab. Click the playground buttons; Ctrl+C to quit.');
  const stop = async () => {
    await session.close();
    await pg.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  session.process.on('exit', () => void pg.close().then(() => process.exit(0)));
}
