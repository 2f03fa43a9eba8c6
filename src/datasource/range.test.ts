/**
 * A 30-day range in the browser: refused with advice when it is above the point budget, scored in
 * bounded chunks that give the event loop back to the tab when it fits. The longest stretch without
 * a turn of the event loop is printed (RELIABILITY.md, "Load"), not asserted: no timed tests.
 */
import { DEFAULT_MAX_POINTS } from './types';
import { planScoring, runScoring } from './scoring';
import { fakeClient, fakeModel, manifest, series } from './testing/fixtures';

const DAY = 86_400;
const TO = 1_700_000_000 - (1_700_000_000 % 30);
const FROM = TO - 30 * DAY;
const features = (group: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ name: `${group}_${i}`, kind: 'gauge' as const, min: 0, max: 1 }));
const groups = ['cpu', 'memory', 'network', 'filesystem'].map((group) =>
  fakeModel(manifest({ group, features: features(group, 12) }))
);

describe('a 30-day range in the data source', () => {
  it('scores in slices exactly what it scores at once: gaps, a counter reset, a coarser model, values out of range', async () => {
    const counter = { name: 'c_total', kind: 'counter' as const, min: 0, max: 10 };
    const gauge = { name: 'g', kind: 'gauge' as const, min: 0, max: 1 };
    const fine = manifest({ group: 'cpu', window: 3, features: [counter, gauge] });
    const coarse = manifest({ group: 'memory', window: 2, stepSeconds: 60, features: [gauge] });
    // Reconstructs half of each input, so that the errors and shares differ from step to step.
    const half = (w: Float32Array) => w.map((v) => v / 2);
    const client = fakeClient((query, range) => {
      const n = Math.round((range.end - range.start) / range.step) + 1;
      const name = query.match(/\b(c_total|g)\b/)![1];
      const values = Array.from({ length: n }, (_, i) =>
        i % 17 === 5 ? NaN : name === 'c_total' ? (i < 60 ? 3 * i : 2 * (i - 60)) : ((i * 7) % 13) / 10
      );
      return [series({ __name__: name }, range, values)];
    });
    const plan = planScoring([fakeModel(fine, half), fakeModel(coarse, half)], {
      source: 'models/',
      groups: [],
      from: 3000,
      to: 6000,
      maxPoints: 1e6,
    });
    const whole = await runScoring(client, plan, { vars: {}, chunk: 8, allowExtraFeatures: true });
    const sliced = await runScoring(client, plan, { vars: {}, chunk: 8, slicePoints: 1, allowExtraFeatures: true });
    expect(whole.scores.length).toBeGreaterThan(50);
    expect(sliced.scores).toEqual(whole.scores);
    expect(whole.outOfRange).toEqual([
      { group: 'cpu', features: ['g'] },
      { group: 'memory', features: ['g'] },
    ]);
    expect(sliced.outOfRange).toEqual(whole.outOfRange);
  });

  it('is refused above the point budget, saying how far to narrow it', () => {
    // 30 days at 30 s, plus the window of 10 steps before the first: 86,411 steps x 48 features.
    expect(() =>
      planScoring(groups, { source: 'models/', groups: [], from: FROM, to: TO, maxPoints: DEFAULT_MAX_POINTS })
    ).toThrow(
      'this range needs 86411 steps x 48 features = 4147728 points, more than the 2000000 this data source ' +
        'scores in a browser tab: narrow the time range to at most 347 h, select fewer groups, or raise ' +
        '"Point budget" in the data source settings'
    );
  });

  it('is scored in bounded chunks when it fits, giving the event loop back between them', async () => {
    // One group of 12 features: 1,036,932 points, under the budget.
    const [cpu] = groups;
    const plan = planScoring([cpu], {
      source: 'models/',
      groups: [],
      from: FROM,
      to: TO,
      maxPoints: DEFAULT_MAX_POINTS,
    });
    expect(plan.points).toBe(86_411 * 12);
    const client = fakeClient((query, range) => {
      const n = Math.round((range.end - range.start) / range.step) + 1;
      const name = query.match(/\b(cpu_\d+)\b/)?.[1] ?? query;
      return [
        series(
          { __name__: name },
          range,
          Array.from({ length: n }, (_, i) => (i % 100) / 100)
        ),
      ];
    });
    // A tab's work: how often the event loop turned while scoring ran, and the longest wait for a turn
    // (from the end of the fetch: this fake client builds its series in one go, Prometheus' answers come in chunks).
    let turns = 0;
    let longest = 0;
    let last = performance.now();
    let ticking = true;
    const tick = () => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      turns++;
      if (ticking) {
        setTimeout(tick, 0);
      }
    };
    setTimeout(tick, 0);
    const started = performance.now();
    let calls = 0;
    const outcome = await runScoring(client, plan, {
      vars: {},
      chunk: 128,
      now: () => {
        if (++calls === 2) {
          // The fetch is done: scoring starts.
          [turns, longest, last] = [0, 0, performance.now()];
        }
        return performance.now();
      },
    });
    const elapsed = performance.now() - started;
    ticking = false;
    // Every step of the range scored, in slices of 50,000 / 12 = 4166 steps, each reconstructed in
    // chunks of at most 128 windows.
    expect(outcome.scores).toHaveLength(86_401);
    expect(outcome.scores.every((s, i) => s.t === plan.first + 30 * i)).toBe(true);
    expect(Math.max(...cpu.calls)).toBe(128);
    // The event loop turned between the chunks and slices: the tab kept handling input and painting.
    expect(turns).toBeGreaterThanOrEqual(cpu.calls.length);
    console.log(
      `30 days, 12 features at 30 s: scored in ${(elapsed / 1000).toFixed(1)} s (jsdom, fake model), ` +
        `${cpu.calls.length} chunks, ${turns} event-loop turns, longest wait for a turn ${longest.toFixed(0)} ms`
    );
  }, 120_000);
});
