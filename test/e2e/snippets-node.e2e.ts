// Snippet round trips on real servers in real Chromium with the extension (see test/servers/roundtrip.ts):
// each broken config fails in the browser, the generated snippet is applied, the same request passes.
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { screenshot } from '../support/chromium';
import { EXPRESS, FASTIFY, HONO, KOA } from '../servers/cases';
import { RoundTripBrowser } from '../servers/roundtrip';

const rt = new RoundTripBrowser();
beforeAll(() => rt.start());
afterAll(async () => {
  rt.record('snippets-node');
  await rt.stop();
  rt.expectEachStackDetected(['express', 'fastify', 'hono', 'koa']);
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await screenshot(rt.page, `snippets-node-FAILED`).catch(() => {});
});

describe.concurrent('node stacks: broken config → generated snippet → passes in Chromium', () => {
  for (const c of [...EXPRESS, ...FASTIFY, ...HONO, ...KOA])
    it(`${c.stack}: ${c.name}`, () => rt.roundTrip(c).then(() => undefined));
});
