// Linking and verdicts on event streams recorded from real Chromium and Firefox
// (test/fixtures/events/, re-record with `npm run record:events`). Every recorded scenario must give
// the verdict the browser itself reported in the same recording, name the scenario's root cause,
// reproduce the browser's console line word for word, and survive out-of-order delivery.
import { describe, expect, it } from 'vitest';
import { CAUSES, type CauseCode } from '../../src/core/causes';
import { describeSymptom, symptomContext } from '../../src/core/symptoms';
import type { Verdict } from '../../src/core/verdict';
import type { EventFixture, RecordedEvent } from '../fixtures/record';
import {
  CHROME_ONLY_SCENARIOS,
  LNA_INSECURE_SCENARIOS,
  LNA_SCENARIOS,
  SCENARIOS,
  type MatrixEnv,
  type MatrixScenario,
} from '../fixtures/scenarios';
import { compareVerdicts } from '../support/matrix';
import { byTimeStamp, loadFixtures, replay } from './replay';

const ALL: MatrixScenario[] = [...SCENARIOS, ...CHROME_ONLY_SCENARIOS, ...LNA_SCENARIOS, ...LNA_INSECURE_SCENARIOS];
const DUMMY_ENV: MatrixEnv = {
  page: 'http://p',
  pagePort: 1,
  api: 'http://a',
  apiLocalhost: 'http://l',
  api2: 'http://b',
  closed: 'http://c',
  tls: 'https://t',
};

function scenarioOf(f: EventFixture): MatrixScenario {
  const s = ALL.find((x) => x.id === f.scenario);
  if (!s) throw new Error(`fixture ${f.scenario} has no scenario`);
  return s;
}

/** The cause of each non-passing verdict (through the blocked branch when Firefox could not decide). */
function causes(verdicts: Verdict[]): Array<string | undefined> {
  return verdicts
    .filter((v) => v.outcome !== 'pass')
    .map((v) => v.cause?.code ?? v.branches?.find((b) => b.outcome === 'blocked')?.cause?.code);
}

/** A seeded PRNG so the shuffles are reproducible. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/**
 * Out-of-order delivery after a worker cold start: events arrive in batches, shuffled within a
 * batch (the pipeline sorts each batch by timeStamp), and a few overtake events of earlier batches.
 */
function coldStartOrder(events: RecordedEvent[], seed: number, stragglers = 1 + (seed % 3)): RecordedEvent[] {
  const rand = rng(seed);
  const sorted = byTimeStamp(events);
  const batches: RecordedEvent[][] = [];
  for (let i = 0; i < sorted.length;) {
    const n = 1 + Math.floor(rand() * 4);
    batches.push(sorted.slice(i, i + n));
    i += n;
  }
  // Move random events one batch earlier (stragglers overtaking).
  for (let m = 0; m < stragglers && batches.length > 1; m++) {
    const b = 1 + Math.floor(rand() * (batches.length - 1));
    const from = batches[b]!;
    const ev = from.splice(Math.floor(rand() * from.length), 1)[0];
    if (ev) batches[b - 1]!.unshift(ev);
  }
  // Each batch shuffled, then sorted by the pipeline.
  return batches.flatMap((batch) => byTimeStamp(batch.sort(() => rand() - 0.5)));
}

for (const browser of ['chrome', 'firefox'] as const) {
  const fixtures = loadFixtures(browser);

  describe(`${browser} recorded event streams`, () => {
    it('cover the scenario matrix', () => {
      expect(fixtures.length).toBeGreaterThanOrEqual(browser === 'chrome' ? 80 : 75);
    });

    for (const f of fixtures) {
      const sc = scenarioOf(f);
      describe(`${f.scenario}: ${f.title}`, () => {
        const r = replay(browser, byTimeStamp(f.events), f.key);

        it(`agrees with ${browser === 'chrome' ? 'Chromium' : 'Firefox'} (${f.browserLabels.join(', ')})`, () => {
          expect(r.exchanges.length).toBe(f.requests.length);
          const a = compareVerdicts(browser, r.verdicts, f.browserLabels);
          expect(a.ours.slice().sort()).toEqual(a.agree ? a.ours.slice().sort() : a.theirs.slice().sort());
          expect(a.agree).toBe(true);
          if (browser === 'chrome') expect(a.viaBranch).toBe(false);
        });

        if (sc.cause) {
          it(`names the root cause ${sc.cause}`, () => {
            const got = causes(r.verdicts);
            expect(got.length).toBeGreaterThan(0);
            for (const c of got) expect(c).toBe(sc.cause);
          });
        }
        if (sc.warning) {
          it(`warns ${sc.warning}`, () => {
            for (const v of r.verdicts) expect(v.warnings.map((w) => w.code)).toContain(sc.warning);
          });
        }

        it('never pairs a cause with a symptom it cannot produce', () => {
          for (const v of r.verdicts) {
            if (!v.symptom || !v.cause) continue;
            const entry = CAUSES.get(v.cause.code as CauseCode)!;
            expect(entry.symptoms).toContain(v.symptom.corsError);
          }
        });

        it("reproduces the browser's console line", () => {
          const xhr = sc.requests(DUMMY_ENV)[0]?.xhr ? 'xmlhttprequest' : 'fetch';
          r.verdicts.forEach((v, i) => {
            if (!v.symptom) return;
            // Uncertain: the symptom is the credentialed branch's; Firefox printed it only if it blocked.
            if (v.outcome === 'uncertain' && !f.browserLabels.some((l) => /^CORS/.test(l))) return;
            const text = describeSymptom(v.symptom, symptomContext(r.exchanges[i]!, v.symptom, xhr));
            const line = browser === 'chrome' ? text.chromeConsole : text.firefoxConsole;
            if (line === undefined) {
              // Firefox blocks some requests without a specific reason (only "did not succeed").
              expect(f.console.every((l) => l.includes('CORS request did not succeed'))).toBe(true);
            } else expect(f.console).toContain(line);
          });
        });

        it('gives the same verdicts in delivery order and after a cold start', () => {
          const want = r.verdicts
            .map(
              (v) =>
                `${v.outcome} ${v.symptom?.corsError ?? ''} ${v.symptom?.failedParameter ?? ''} ${v.cause?.code ?? ''}`,
            )
            .sort();
          const orders = [
            f.events.slice().sort((a, b) => a.seq - b.seq),
            ...Array.from({ length: 12 }, (_, seed) => coldStartOrder(f.events, (seed + 1) * 7919 + f.events.length)),
          ];
          for (const order of orders) {
            const again = replay(browser, order, f.key);
            expect(
              again.verdicts
                .map(
                  (v) =>
                    `${v.outcome} ${v.symptom?.corsError ?? ''} ${v.symptom?.failedParameter ?? ''} ${v.cause?.code ?? ''}`,
                )
                .sort(),
            ).toEqual(want);
          }
        });
      });
    }
  });
}
