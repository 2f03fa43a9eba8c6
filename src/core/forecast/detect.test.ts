import { SyrrocaError } from '../errors';
import { forecastDetect, forecastFeatures } from './detect';
import { randomStream } from '../../sim/random';
import { simulateArima, simulateVarma } from './simulate';
import type { ForecastOptions } from './types';

const t0 = 1_700_000_010; // a multiple of 30
const times = (n: number) => Float64Array.from({ length: n }, (_, i) => t0 + 30 * i);

function spiky(n: number, seed: number, spikes: number[]): Float64Array {
  const y = simulateArima(n, { ar: [0.7], mean: 50, sigma: 2 }, randomStream(seed, 'forecast'));
  spikes.forEach((i) => (y[i] += 30));
  return y;
}

const base: ForecastOptions = { train: 480, windows: [160, 320], season: null, threshold: 'fixed' };

describe('option checks', () => {
  const series = { name: 'x', timestamps: times(1000), values: spiky(1000, 1, []) };
  const rejects = (options: Partial<ForecastOptions>, message: RegExp) =>
    expect(() => forecastDetect(series, { ...base, ...options })).toThrow(message);

  it('rejects a training size that is not larger than a window (st > w)', () => {
    rejects(
      { train: 320, windows: [320] },
      /the training size st = 320 must be larger than every window w \(st > w\), but w = 320/
    );
  });

  it('needs held-back points after the first window', () => {
    rejects({ train: 325, windows: [320] }, /only 5 held-back points remain .* need at least 10/);
  });

  it('rejects a seasonal period the window cannot hold twice', () => {
    rejects({ season: 90, windows: [160] }, /the seasonal period 90 is too long for the window w = 160: .*180 points/);
  });

  it('rejects NaN and other non-numbers with the option named', () => {
    rejects({ windows: [NaN] }, /a window size w must be a whole number >= 10, got NaN/);
    rejects({ train: NaN }, /the training size st \(train\) must be a whole number >= 2, got NaN/);
    rejects({ k: NaN }, /the threshold coefficient k must be a positive number, got NaN/);
    rejects({ windows: [] }, /give at least one window size/);
    rejects({ metric: 'mae' as never }, /metric must be one of mse, rmse, mape, got mae/);
  });

  it('rejects a series shorter than the training part plus something to judge', () => {
    expect(() =>
      forecastDetect({ ...series, timestamps: times(480), values: series.values.subarray(0, 480) }, base)
    ).toThrow(/the series has 480 points after regularisation, but the training part alone takes st = 480/);
  });

  it('refuses a constant series with its reason', () => {
    expect(() => forecastDetect({ ...series, values: new Float64Array(1000).fill(4) }, base)).toThrow(
      /^x cannot be forecast: constant: always 4 in the training rows$/
    );
  });

  it('refuses VARMA on more series than it can fit jointly', () => {
    const columns = Array.from({ length: 11 }, (_, k) =>
      simulateArima(600, { ar: [0.5] }, randomStream(40 + k, 'forecast'))
    );
    expect(() =>
      forecastFeatures(
        { timestamps: times(600), features: columns.map((_, k) => `f${k}`), columns },
        { ...base, model: 'varma' }
      )
    ).toThrow(/VARMA is fitted on at most 10 series .* 11 remain after filtering: select features/);
  });

  it('refuses VARMA on one series', () => {
    rejects({ model: 'varma' }, /VARMA models two or more series jointly/);
  });

  it('throws SyrrocaErrors, which the shells show as they are', () => {
    try {
      forecastDetect(series, { ...base, train: 10 });
    } catch (err) {
      expect(err).toBeInstanceOf(SyrrocaError);
    }
  });
});

describe('forecastDetect', () => {
  const n = 1100;
  const values = spiky(n, 2, [700, 901]);
  const series = { name: 'calls', timestamps: times(n), values };
  const result = forecastDetect(series, base);

  it('reports each window with its selected model, its selection table and the points after the training part', () => {
    expect(result.windows.map((w) => w.window)).toEqual([160, 320]);
    for (const w of result.windows) {
      expect(w.points).toHaveLength(n - 480);
      expect(w.points[0].t).toBe(t0 + 30 * 480);
      expect(w.selection.filter((row) => row.selected)).toHaveLength(1);
      expect(w.step).toBe(w.window);
    }
  });

  it('selects the candidate with the lowest held-back MSE', () => {
    for (const w of result.windows) {
      const scored = w.selection.filter((row) => row.scores !== null);
      const best = Math.min(...scored.map((row) => row.scores!.mse));
      expect(w.selection.find((row) => row.selected)!.scores!.mse).toBe(best);
    }
  });

  it('raises one episode at the onset of each spike, in every window and combined', () => {
    for (const episodes of [...result.windows.map((w) => w.episodes), result.combined.episodes]) {
      const starts = episodes.map((e) => (e.start - t0) / 30);
      expect(starts).toContain(700);
      expect(starts).toContain(901);
    }
  });

  it("raises about as many false alarms as the true model's own errors would against the same threshold", () => {
    // The oracle: one-step errors of the process that made the data, y_t - 50 - 0.7 (y_{t-1} - 50).
    for (const w of result.windows) {
      let oracle = 0;
      for (let t = 481; t < n; t++) {
        const spike = [700, 701, 901, 902].includes(t);
        if (!spike && Math.abs(values[t] - 50 - 0.7 * (values[t - 1] - 50)) > w.fixedThreshold) {
          oracle++;
        }
      }
      const alarms = w.points.filter((p, i) => p.exceeds && ![700, 701, 901, 902].includes(480 + i)).length;
      expect(alarms).toBeLessThanOrEqual(1.5 * oracle + 5);
    }
  });

  it('flags a point exactly when its error exceeds the fixed threshold, which stays put', () => {
    for (const w of result.windows) {
      expect(new Set(w.points.map((p) => p.threshold)).size).toBe(1);
      expect(w.points[0].threshold).toBe(w.fixedThreshold);
      w.points.forEach((p) => expect(p.exceeds).toBe(p.error > p.threshold));
      w.points.forEach((p) => expect(p.error).toBeCloseTo(Math.abs(p.value - p.predicted), 9));
    }
  });

  it('is causal: cutting the future off changes nothing before the cut', () => {
    const cut = 800;
    const early = forecastDetect({ ...series, timestamps: times(cut), values: values.subarray(0, cut) }, base);
    early.windows.forEach((w, i) => {
      expect(w.points).toEqual(result.windows[i].points.slice(0, cut - 480));
    });
  });

  it('computes the dynamic threshold as mean + k sigma of the trailing errors', () => {
    const dynamic = forecastDetect(series, { ...base, windows: [320], threshold: 'dynamic', dynamicWindow: 5, k: 2 });
    const points = dynamic.windows[0].points;
    for (let i = 5; i < 60; i++) {
      const trailing = points.slice(i - 5, i).map((p) => p.error);
      const mean = trailing.reduce((a, b) => a + b) / 5;
      const sigma = Math.sqrt(trailing.reduce((a, b) => a + (b - mean) ** 2, 0) / 5);
      expect(points[i].threshold).toBeCloseTo(mean + 2 * sigma, 9);
    }
  });
});

describe('model families', () => {
  it('selects SARIMA for a seasonal series once the season is found', () => {
    const n = 24 * 40;
    const normal = randomStream(3, 'forecast');
    const noise = simulateArima(n, { ar: [0.5], seasonalAr: [0.6], s: 24 }, normal);
    const values = noise.map((v, i) => 20 + 5 * Math.sin((2 * Math.PI * i) / 24) + v);
    const r = forecastDetect({ name: 'load', timestamps: times(n), values }, { train: 480, windows: [192] });
    const w = r.windows[0];
    expect(w.family).toBe('sarima');
    expect(w.selection.find((row) => row.selected)!.model).toMatch(/^SARIMA\(\d,\d,\d\)\(\d,\d,\d\)\[24\]$/);
  });

  it('selects VARMA for a series driven by the past of another one', () => {
    const [a, b] = simulateVarma(
      800,
      { intercept: [0, 0], ar: [[0.5, 0, 0.9, 0]], choleskyFactor: [1, 0, 0, 0.3] },
      randomStream(4, 'forecast')
    );
    const r = forecastFeatures(
      { timestamps: times(800), features: ['driver', 'driven'], columns: [a, b] },
      { train: 400, windows: [200], season: null }
    );
    const driven = r.features.find((f) => f.feature === 'driven')!.windows[0];
    expect(driven.family).toBe('varma');
    const arima = driven.selection.find((row) => row.family === 'arima')!.scores!.mse;
    const varma = driven.selection.find((row) => row.family === 'varma')!.scores!.mse;
    expect(varma).toBeLessThan(0.5 * arima);
  });

  it('drops correlated and constant features with their reasons and forecasts the rest', () => {
    const a = spiky(600, 5, []);
    const r = forecastFeatures(
      {
        timestamps: times(600),
        features: ['a', 'a_copy', 'flat'],
        columns: [a, a.map((v) => 2 * v), new Float64Array(600).fill(1)],
      },
      { train: 480, windows: [160], season: null }
    );
    expect(r.features.map((f) => f.feature)).toEqual(['a']);
    expect(r.dropped.map((d) => d.name)).toEqual(['a_copy', 'flat']);
  });
});

describe('real series', () => {
  it('sorts, de-duplicates and regularises the input with warnings, and judges nothing in a gap', () => {
    const n = 1000;
    const values = Array.from(spiky(n, 6, []));
    const t = Array.from(times(n));
    // A repeated stretch (a daylight-saving hour), two rows swapped, and a gap of 20 steps.
    const rows = t.map((time, i) => [time, values[i]]).filter((_, i) => i < 800 || i >= 820);
    rows.splice(700, 0, ...rows.slice(690, 700));
    [rows[750], rows[751]] = [rows[751], rows[750]];
    const r = forecastDetect(
      { name: 'x', timestamps: rows.map((row) => row[0]), values: rows.map((row) => row[1]) },
      { ...base, windows: [320] }
    );
    expect(r.warnings.join('\n')).toMatch(/out of order/);
    expect(r.warnings.join('\n')).toMatch(/10 repeated timestamps/);
    expect(r.warnings.join('\n')).toMatch(/20 steps of 30 s had no sample, in 1 gaps/);
    const points = r.windows[0].points;
    expect(points).toHaveLength(n - 480);
    const gap = points.slice(320, 340);
    expect(gap.every((p) => Number.isNaN(p.value) && !p.exceeds && Number.isNaN(p.error))).toBe(true);
    // After a gap longer than maxGap, the first observation is not judged.
    expect(points[340].exceeds).toBe(false);
    expect(Number.isFinite(points[340].predicted)).toBe(true);
  });

  it('selects by MSE, with a warning, when MAPE is undefined on the held-back part (all zeros)', () => {
    const values = spiky(700, 7, []);
    values.fill(0, 160, 480);
    const r = forecastDetect(
      { name: 'idle', timestamps: times(700), values },
      { train: 480, windows: [160], metric: 'mape', season: null }
    );
    expect(r.warnings).toContain(
      'idle (w = 160): MAPE is undefined on the held-back part (every actual value is 0), the model was selected by MSE'
    );
    expect(r.windows[0].selection.some((row) => row.selected)).toBe(true);
  });
});
