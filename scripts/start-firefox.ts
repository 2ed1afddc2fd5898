// `npm run start:firefox` (or `npm start -- --firefox`): the built extension in Debian Firefox ESR
// with DevTools open (--devtools), on the demo playground. With a display the window stays open
// with the toolbox on the "CORS" tab, selected through the remote agent's chrome-scope access
// (test/support/firefox-toolbox.ts, as the toolbox e2e does); if that fails it says so and the
// user picks the tab. Without a display (or with --headless) it runs every playground button,
// shows the CORS panel popped out, screenshots it and prints the path.
import { join } from 'node:path';
import { startPlayground } from '../playground/server';
import { PLAYGROUND } from '../playground/scenarios';
import { RESULTS, waitFor } from '../test/support/chromium';
import { launchFirefox, openPopoutPanel } from '../test/support/firefox';
import { firefoxToolbox, TOOLBOX_ARGS } from '../test/support/firefox-toolbox';

const headless = process.argv.includes('--headless') || !process.env.DISPLAY;
const pg = await startPlayground();
const ff = await launchFirefox({ devtools: true, headless, ...(headless ? {} : { args: TOOLBOX_ARGS }) });
const page = (await ff.browser.pages())[0] ?? (await ff.browser.newPage());
await page.goto(pg.url);
console.log(`Playground: ${pg.url}  (API on ${pg.api.origin})`);

if (headless) {
  const panel = await openPopoutPanel(ff, new URL(pg.url).origin, page.url());
  await page.bringToFront();
  await page.evaluate(() => (window as unknown as { runAll(): Promise<unknown> }).runAll());
  const expected = PLAYGROUND.filter((s) => s.expect !== null).length;
  await panel.bringToFront();
  await waitFor(`${expected} blocked rows in the CORS panel`, () =>
    panel.evaluate((n: number) => document.querySelectorAll('[data-testid="row"]').length >= n || null, expected),
  );
  // Open the uncertain row when there is one (Firefox's case), else the first blocked one.
  await panel.evaluate(() => {
    const row =
      document.querySelector<HTMLElement>('[data-testid="row"][data-outcome="uncertain"]') ??
      document.querySelector<HTMLElement>('[data-testid="row"]');
    row?.click();
  });
  await waitFor('detail pane', () => panel.evaluate(() => !!document.querySelector('[data-testid="detail"]') || null));
  const shot = join(RESULTS, 'start-firefox-cors-panel.png');
  await panel.screenshot({ path: shot as `${string}.png` });
  console.log(`Screenshot of the CORS panel (Firefox ESR): ${shot}`);
  await ff.close();
  await pg.close();
} else {
  const stop = async () => {
    await ff.close();
    await pg.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  ff.browser.on('disconnected', () => void pg.close().then(() => process.exit(0)));
  try {
    const toolbox = await firefoxToolbox(ff);
    const id = await toolbox.selectCorsTool();
    console.log(`Firefox ESR is open with DevTools on the CORS tab (tool ${id}); click the playground buttons.`);
  } catch (e) {
    // Firefox's remote errors carry a chrome-scope stack after the reason: keep only the reason.
    const reason = String((e as Error)?.message ?? e)
      .split('\n')[0]!
      .replace(/\s+\S*@(chrome|resource):\/\/.*$/, '');
    console.log(
      `Firefox ESR is open with DevTools, but the CORS tab could not be selected automatically (${reason}): pick the "CORS" tab in the toolbox yourself, then click the playground buttons.`,
    );
  }
  console.log('Ctrl+C to quit.');
}
