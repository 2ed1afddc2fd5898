// Snippet round trips on real servers in real Chromium with the extension (see test/servers/roundtrip.ts):
// each broken config fails in the browser, the generated snippet is applied, the same request passes.
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { screenshot } from '../support/chromium';
import { NGINX, APACHE, CADDY } from '../servers/cases';
import { RoundTripBrowser } from '../servers/roundtrip';

const rt = new RoundTripBrowser();
beforeAll(() => rt.start());
afterAll(async () => {
  rt.record('snippets-web');
  await rt.stop();
  rt.expectEachStackDetected(['nginx', 'apache', 'caddy']);
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await screenshot(rt.page, `snippets-web-FAILED`).catch(() => {});
});

describe.concurrent('web stacks: broken config → generated snippet → passes in Chromium', () => {
  for (const c of [...NGINX, ...APACHE, ...CADDY])
    it(`${c.stack}: ${c.name}`, () => rt.roundTrip(c).then(() => undefined));
});
