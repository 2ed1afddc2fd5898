// The panel with 100,000 entries, fed through its port protocol (test/support/panel-feed.ts):
// the list stays virtualized, scrolls to any row, filters and navigates by keyboard. Timings are
// printed for the record; the speed goal (<300 ms to first paint) is the benchmark's to measure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type ChromiumSession } from '../support/chromium';
import { openFedPanel, type FedPanel } from '../support/panel-feed';

const N = 100_000;

describe('Chromium: the panel with a 100,000-entry log', () => {
  let s: ChromiumSession;
  let fed: FedPanel;
  beforeAll(async () => {
    s = await launchChromium({ devtools: false });
    fed = await openFedPanel(s, { count: N, cap: N, blockedEvery: 4 });
    console.log(
      `panel-scale: ${N} entries — first snapshot applied ${fed.timings.synced.toFixed(0)} ms, first rows painted ${fed.timings.rows.toFixed(0)} ms, all ${N} delivered and rendered ${fed.timings.allDelivered.toFixed(0)} ms after start (building the synthetic log took ${fed.timings.buildMs.toFixed(0)} ms before that)`,
    );
  });
  afterAll(async () => {
    await fed?.close();
    await s?.close();
  });

  it('keeps every entry but renders only the rows in view', async () => {
    const t = fed.target;
    const state = await t.evaluate(() => ({
      rows: document.querySelectorAll('[data-testid="row"]').length,
      count: document.querySelector('[data-testid="blocked-count"]')!.textContent,
      scrollHeight: document.querySelector('[data-testid="request-list"]')!.scrollHeight,
    }));
    expect(state.count).toBe(`${N / 4} blocked`);
    expect(state.rows).toBeGreaterThan(10);
    expect(state.rows).toBeLessThan(150);
    expect(state.scrollHeight).toBeGreaterThan((N / 4) * 22 - 100);
  });

  it('scrolls to the middle and shows the rows that belong there', async () => {
    const t = fed.target;
    const ids = await t.evaluate(async () => {
      const sc = document.querySelector<HTMLElement>('[data-testid="request-list"]')!;
      sc.scrollTop = 12_500 * 22;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const first = [...document.querySelectorAll<HTMLElement>('[data-testid="row"]')].find(
        (r) => r.getBoundingClientRect().top >= sc.getBoundingClientRect().top + 22,
      );
      return first?.dataset.id;
    });
    // The blocked entries are every 4th: row k is entry 4k, id 1000 + 8k.
    expect(Number(ids)).toBe(1000 + 8 * 12_500);
  });

  it('jumps to the last row with End and filters the whole log', async () => {
    const t = fed.target;
    await t.evaluate(() => document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true })));
    const last = await t.waitFor(
      'last row selected',
      () => document.querySelector<HTMLElement>('[data-testid="detail"]')?.dataset.id ?? null,
    );
    expect(Number(last)).toBe(1000 + 2 * (N - 4));
    await t.evaluate(() => {
      const f = document.querySelector<HTMLInputElement>('[data-testid="filter"]')!;
      f.value = 'items/99996?';
      f.dispatchEvent(new Event('input', { bubbles: true }));
    });
    const only = await t.waitFor(
      'filtered',
      () => {
        const r = [...document.querySelectorAll<HTMLElement>('[data-testid="row"]')];
        return r.length === 1 ? r[0]!.dataset.id : null;
      },
      undefined,
      30_000,
    );
    expect(Number(only)).toBe(1000 + 2 * 99_996);
  });
});
