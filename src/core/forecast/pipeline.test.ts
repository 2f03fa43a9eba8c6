import { randomStream } from '../../sim/random';
import { defaultWindows, episodeStates, forecastSeries, latestForecast } from './pipeline';
import { simulateArima } from './simulate';
import type { FeatureForecast, ForecastPoint } from './types';

const point = (t: number, error: number): ForecastPoint => ({
  t,
  value: 10 + error,
  predicted: 10,
  error,
  threshold: 1,
  exceeds: error > 1,
});

describe('episodeStates', () => {
  it('marks the points from each onset to its end, both included, and nothing else', () => {
    const t = [0, 30, 60, 90, 120, 150, 180];
    const episodes = [
      { start: 30, end: 60, peakError: 3, points: 2 },
      { start: 150, end: 150, peakError: 2, points: 1 },
    ];
    expect(Array.from(episodeStates(t, episodes))).toEqual([0, 1, 1, 0, 0, 1, 0]);
  });
});

describe('latestForecast', () => {
  const feature = (episodes: FeatureForecast['combined']['episodes']): FeatureForecast => ({
    feature: 'x',
    windows: [{ points: [point(0, 0.5), point(30, 2), point(60, 3)] } as FeatureForecast['windows'][0]],
    combined: { rule: 'confirm', episodes },
  });

  it('reads the newest point of the smallest window, anomalous when it lies in a combined episode', () => {
    expect(latestForecast(feature([{ start: 30, end: 60, peakError: 3, points: 2 }]))).toEqual({
      t: 60,
      value: 13,
      predicted: 10,
      error: 3,
      threshold: 1,
      anomalous: true,
    });
  });

  it('is not anomalous when the newest point exceeds but no combined episode holds it (not confirmed)', () => {
    expect(latestForecast(feature([]))?.anomalous).toBe(false);
  });
});

describe('defaultWindows', () => {
  it("gives a long series seed 004's 60 and 360 points, and scales down with the length", () => {
    expect(defaultWindows(30 * 2880)).toEqual([60, 360]);
    expect(defaultWindows(2880)).toEqual([60, 360]);
    expect(defaultWindows(1000)).toEqual([20, 125]);
    expect(defaultWindows(300)).toEqual([20, 40]);
    expect(defaultWindows(100)).toEqual([20, 40]);
  });
});

describe('forecastSeries', () => {
  const n = 200;
  const timestamps = Float64Array.from({ length: n }, (_, i) => 999_990 + 30 * i); // on the 30 s grid
  const noise = simulateArima(n, { ar: [0.5], sigma: 0.2, mean: 2 }, randomStream(3, 'pipeline'));

  it('forecasts a counter (by its _total name) as per-step increments, and trains on twice the largest window', () => {
    const cumulative = new Float64Array(n);
    noise.forEach((v, i) => (cumulative[i] = (i > 0 ? cumulative[i - 1] : 100) + Math.abs(v)));
    const result = forecastSeries(
      { timestamps, features: ['requests_total'], columns: [cumulative] },
      { windows: [30, 60], season: null }
    );
    expect(result.train).toBe(120);
    const [first] = result.features[0].windows[0].points;
    expect(first.t).toBe(timestamps[120]);
    expect(first.value).toBeCloseTo(cumulative[120] - cumulative[119], 12);
  });

  it('forecasts a gauge as it is', () => {
    const result = forecastSeries(
      { timestamps, features: ['temperature'], columns: [noise] },
      { windows: [30], train: 100, season: null }
    );
    expect(result.features[0].windows[0].points[0].value).toBe(noise[100]);
  });

  it('scales the windows and the training size on the length of a series when they are not given', () => {
    const result = forecastSeries({ timestamps, features: ['temperature'], columns: [noise] }, { season: null });
    expect(result.features[0].windows.map((w) => w.window)).toEqual([20, 40]);
    expect(result.train).toBe(80);
  });

  it('asks for a window size when an empty list is given', () => {
    expect(() => forecastSeries({ timestamps, features: ['x'], columns: [noise] }, { windows: [] })).toThrow(
      'give at least one window size w (windows)'
    );
  });
});
