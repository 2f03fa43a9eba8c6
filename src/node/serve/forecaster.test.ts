import { Registry } from 'prom-client';

import { simulateArima } from '../../core/forecast/simulate';
import type { PromSeries, TimeRange } from '../../prom/types';
import { randomStream } from '../../sim/random';
import { createForecaster, type ForecasterOptions } from './forecaster';

const STEP = 30;
const NOW = 1_700_000_000 - (1_700_000_000 % STEP) + STEP + 1;
const noise = simulateArima(400, { ar: [0.5], sigma: 1, mean: 100 }, randomStream(11, 'forecaster'));

/** The series `name` on the range's grid from `values` (its last value at the range's end); NaN = no sample. */
function onGrid(metric: Record<string, string>, range: TimeRange, values: (i: number) => number): PromSeries {
  const n = Math.round((range.end - range.start) / range.step) + 1;
  const points = Array.from({ length: n }, (_, i) => [range.start + i * range.step, values(i)] as const).filter(
    ([, v]) => !Number.isNaN(v)
  );
  return {
    metric,
    timestamps: Float64Array.from(points, (p) => p[0]),
    values: Float64Array.from(points, (p) => p[1]),
  };
}

function forecaster(read: ForecasterOptions['read'], patch: Partial<ForecasterOptions> = {}) {
  const registry = new Registry();
  const logs: string[] = [];
  const f = createForecaster({
    queries: ['calls'],
    read,
    stepSeconds: STEP,
    windows: [20],
    registry,
    log: (line) => logs.push(line),
    now: () => NOW,
    ...patch,
  });
  return { f, registry, logs };
}

describe('createForecaster', () => {
  it('publishes the newest step of each series: its error, threshold, and 1 when it is anomalous', async () => {
    const ranges: TimeRange[] = [];
    const { f, registry } = forecaster(async (query, range) => {
      ranges.push(range);
      // A jump of 40 sigma at the newest step.
      return [onGrid({ __name__: 'calls' }, range, (i) => noise[i] + (range.start + i * STEP === range.end ? 40 : 0))];
    });
    const outcome = await f.step();
    // The newest step one step behind now; the training part (2 x 20) and a window (20) and one step before it.
    expect(ranges).toEqual([{ start: NOW - 1 - STEP - 61 * STEP, end: NOW - 1 - STEP, step: STEP }]);
    expect(outcome.errors).toEqual([]);
    expect(outcome.latest).toHaveLength(1);
    const [latest] = outcome.latest;
    expect(latest).toMatchObject({ feature: 'calls', t: NOW - 1 - STEP, anomalous: true });
    expect(latest.error).toBeGreaterThan(latest.threshold);
    const text = await registry.metrics();
    expect(text).toContain(`syrroca_forecast_error{feature="calls"} ${latest.error}`);
    expect(text).toContain(`syrroca_forecast_threshold{feature="calls"} ${latest.threshold}`);
    expect(text).toContain('syrroca_forecast_anomalous{feature="calls"} 1');
    expect(text).toContain('syrroca_forecast_up 1');
  });

  it('withdraws a series whose newest sample is missing instead of publishing an old value', async () => {
    let late = false;
    const { f, registry, logs } = forecaster(async (query, range) => [
      onGrid({ __name__: 'calls' }, range, (i) => (late && range.start + i * STEP === range.end ? NaN : noise[i])),
    ]);
    await f.step();
    expect(await registry.metrics()).toContain('syrroca_forecast_error{feature="calls"}');
    late = true;
    const outcome = await f.step();
    expect(outcome.ok).toBe(false);
    const text = await registry.metrics();
    expect(text).not.toContain('syrroca_forecast_error{feature="calls"}');
    expect(text).toContain('syrroca_forecast_up 0');
    expect(logs).toEqual(['forecast: calls: no value or prediction at the newest step (a scrape is late or failing)']);
  });

  it('publishes at most maxSeries series, saying which were left out', async () => {
    const { f, registry } = forecaster(
      async (query, range) =>
        ['a', 'b', 'c'].map((pod, k) => onGrid({ __name__: 'cpu', pod }, range, (i) => noise[i + 10 * k])),
      { queries: ['cpu', 'other'], maxSeries: 2, model: 'arima' }
    );
    const outcome = await f.step();
    expect(outcome.latest.map((l) => l.feature)).toEqual(['cpu{pod="a"}', 'cpu{pod="b"}']);
    expect(outcome.errors).toEqual([
      '`cpu`: 1 of its 3 series left out (--forecast-max-series 2)',
      '`other`: not forecast, the exporter publishes at most 2 series (--forecast-max-series)',
    ]);
    expect((await registry.metrics()).match(/^syrroca_forecast_error\{/gm)).toHaveLength(2);
  });

  it('refuses options the detectors would reject, before the first step', () => {
    expect(() => forecaster(async () => [], { windows: [60], train: 60 })).toThrow(
      'the training size st = 60 must be larger than every window w (st > w), but w = 60'
    );
  });
});
