import { randomStream } from '../sim/random';
import { simulateArima } from '../core/forecast/simulate';
import { forecastSeries } from '../core/forecast';
import { MAX_FORECAST_SERIES, parseWindows, planForecast, runForecast } from './forecast';
import { fakeClient, series } from './testing/fixtures';

describe('parseWindows', () => {
  it('reads comma-separated window sizes, and the defaults when empty', () => {
    expect(parseWindows(' 30, 120 ')).toEqual([30, 120]);
    expect(parseWindows('')).toEqual([60, 360]);
  });

  it('refuses anything but whole numbers, quoting what it got', () => {
    expect(() => parseWindows('30,1h')).toThrow(
      'windows must be whole numbers of points, comma-separated (e.g. 60,360), got "30,1h"'
    );
  });
});

describe('planForecast', () => {
  const base = { expr: 'up', settings: { windows: '30' }, from: 10_005, to: 13_000, step: 30, maxPoints: 1e6 };

  it('reads the training part (and one step for a counter) before the range, on the step grid', () => {
    // st = 2 x 30 = 60 points; the range starts at 10,020 on the grid, so reading starts 61 steps before.
    expect(planForecast(base)).toEqual({
      expr: 'up',
      windows: [30],
      train: 60,
      step: 30,
      start: 10_020 - 61 * 30,
      end: 12_990,
      first: 10_020,
      points: (Math.round((12_990 - (10_020 - 61 * 30)) / 30) + 1) * MAX_FORECAST_SERIES,
    });
  });

  it('asks for a series when the query is empty', () => {
    expect(() => planForecast({ ...base, expr: '  ' })).toThrow(
      'choose the series to forecast: a PromQL query, or one of the features of the models'
    );
  });

  it('refuses a range above the point budget, saying what to change', () => {
    expect(() => planForecast({ ...base, maxPoints: 100 })).toThrow(
      /^this forecast reads 161 steps of 30 s .* narrow the time range, set a longer step, or raise "Point budget"/
    );
  });
});

describe('runForecast', () => {
  const n = 300;
  const values = Array.from(simulateArima(n, { ar: [0.6], sigma: 1, mean: 50 }, randomStream(5, 'ds-forecast')));

  it("forecasts what Prometheus returns exactly as the core does, keeping the range's points only", async () => {
    const plan = planForecast({
      expr: 'load{pod="a"}',
      settings: { windows: '40' },
      from: 30 * 100,
      to: 30 * 200,
      step: 30,
      maxPoints: 1e6,
    });
    const client = fakeClient((query, range) => [
      series(
        { __name__: 'load', pod: 'a' },
        range,
        values.slice(0, Math.round((range.end - range.start) / range.step) + 1)
      ),
    ]);
    const { result, leftOut } = await runForecast(client, plan, { windows: '40' }, { signal: undefined });
    expect(client.queries).toEqual(['load{pod="a"}']);
    expect(leftOut).toBe(0);
    const timestamps = Float64Array.from({ length: 182 }, (_, i) => plan.start + 30 * i);
    const direct = forecastSeries(
      { timestamps, features: ['load{pod="a"}'], columns: [Float64Array.from(values.slice(0, 182))] },
      { windows: [40], train: 80, stepSeconds: 30 }
    );
    const points = result.features[0].windows[0].points;
    expect(result.features[0].feature).toBe('load{pod="a"}');
    expect(points[0].t).toBe(plan.first);
    expect(points[points.length - 1].t).toBe(plan.end);
    expect(points).toEqual(direct.features[0].windows[0].points.filter((p) => p.t >= plan.first));
  });

  it('names a series without labels by its query, and says when the query returns nothing', async () => {
    const plan = planForecast({
      expr: 'sum(load)',
      settings: { windows: '40' },
      from: 3000,
      to: 6000,
      step: 30,
      maxPoints: 1e6,
    });
    const answer = fakeClient((query, range) => [series({}, range, values.slice(0, 182))]);
    expect((await runForecast(answer, plan, {})).result.features[0].feature).toBe('sum(load)');
    await expect(
      runForecast(
        fakeClient(() => []),
        plan,
        {}
      )
    ).rejects.toThrow(
      'the query `sum(load)` returned no series over the range and its training part: check it in Explore'
    );
  });
});
