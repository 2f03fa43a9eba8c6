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
    // A tab's work: how often the event loop turned while scoring ran, and the longest wait for a turn.
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
    const outcome = await runScoring(client, plan, { vars: {}, chunk: 128 });
    const elapsed = performance.now() - started;
    ticking = false;
    // Every step of the range scored, in ceil(86,402 windows / 128) chunks of reconstruction.
    expect(outcome.scores).toHaveLength(86_401);
    expect(cpu.calls).toHaveLength(Math.ceil(86_402 / 128));
    expect(Math.max(...cpu.calls)).toBe(128);
    // The event loop turned between the chunks: the tab kept handling input and painting.
    expect(turns).toBeGreaterThanOrEqual(cpu.calls.length);
    // eslint-disable-next-line no-console
    console.log(
      `30 days, 12 features at 30 s: scored in ${(elapsed / 1000).toFixed(1)} s (jsdom, fake model), ` +
        `${cpu.calls.length} chunks, ${turns} event-loop turns, longest wait for a turn ${longest.toFixed(0)} ms`
    );
  }, 120_000);
});
