import { dynamicThreshold, fitThreshold, reconstructionError } from './score';

describe('reconstructionError', () => {
  it('scores only the last step of each window, per feature and as their mean', () => {
    // 2 windows x 2 steps x 2 features. The first step of each window differs wildly and must not count.
    const input = Float32Array.from([0, 0, 1, 2, /* window 1 */ 9, 9, 0.5, 0]);
    const output = Float32Array.from([5, 5, 1.5, 2, /* window 1 */ 0, 0, 0.5, 1]);
    const { mse, squaredErrors } = reconstructionError(input, output, 2, 2, 2);
    expect(Array.from(squaredErrors)).toEqual([0.25, 0, 0, 1]);
    expect(Array.from(mse)).toEqual([0.125, 0.5]);
  });

  it('refuses input and output that do not have the announced shape', () => {
    expect(() => reconstructionError(new Float32Array(8), new Float32Array(6), 2, 2, 2)).toThrow(
      'expected 2 windows x 2 steps x 2 features = 8 values, got 8 inputs and 6 outputs: the model does not match the data'
    );
  });
});

describe('fitThreshold', () => {
  it('takes the 99th percentile by default, interpolating linearly between order statistics', () => {
    // n = 10, position (n - 1) * 0.99 = 8.91: 9 + 0.91 * (10 - 9).
    const threshold = fitThreshold([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], { method: 'quantile' });
    expect(threshold.method).toBe('quantile');
    expect(threshold.quantile).toBe(0.99);
    expect(threshold.value).toBeCloseTo(9.91, 12);
  });

  it('takes any quantile and ignores missing values', () => {
    // Sorted [1, 2, 3, 4], position 3 * 0.5 = 1.5: halfway between 2 and 3.
    expect(fitThreshold(Float64Array.from([3, NaN, 1, 2, 4]), { method: 'quantile', quantile: 0.5 }).value).toBe(2.5);
    expect(fitThreshold([3, 1, 2], { method: 'quantile', quantile: 1 }).value).toBe(3);
  });

  it('takes mean + 3 sigma (population) with the mean-k-sigma method', () => {
    // mean 3, variance (4 + 1 + 0 + 1 + 4) / 5 = 2.
    const threshold = fitThreshold([1, 2, 3, 4, 5], { method: 'mean-k-sigma' });
    expect(threshold).toEqual({ method: 'mean-k-sigma', k: 3, value: 3 + 3 * Math.SQRT2 });
    expect(fitThreshold([1, 2, NaN, 3, 4, 5], { method: 'mean-k-sigma', k: 1 }).value).toBe(3 + Math.SQRT2);
  });

  it('refuses to fit on no data and bad parameters', () => {
    expect(() => fitThreshold([], { method: 'quantile' })).toThrow(/no reconstruction error/);
    expect(() => fitThreshold([NaN], { method: 'mean-k-sigma' })).toThrow(/no reconstruction error/);
    expect(() => fitThreshold([1], { method: 'quantile', quantile: 99 })).toThrow(/between 0 and 1, got 99/);
    expect(() => fitThreshold([1], { method: 'mean-k-sigma', k: -1 })).toThrow(/k must be a number >= 0, got -1/);
  });
});

describe('dynamicThreshold', () => {
  it('takes mean + k sigma of the previous window of scores, excluding the current one', () => {
    // t = 2: [1, 3] -> 2 + 1; t = 3: [3, 1] -> 3; t = 4: [1, 3] -> 3, although 10 is the score at t = 4.
    expect(Array.from(dynamicThreshold([1, 3, 1, 3, 10], { window: 2, k: 1 }))).toEqual([NaN, NaN, 3, 3, 3]);
  });

  it('uses k = 3 by default', () => {
    expect(dynamicThreshold([1, 3, 0], { window: 2 })[2]).toBe(5);
  });

  it('skips missing scores in the history, and has no threshold without any', () => {
    expect(Array.from(dynamicThreshold([1, NaN, 3, 5], { window: 2, k: 1 }))).toEqual([NaN, NaN, 1, 3]);
    expect(Array.from(dynamicThreshold([NaN, NaN, 1], { window: 2 }))).toEqual([NaN, NaN, NaN]);
  });

  it('refuses a window that is not a whole number >= 1', () => {
    expect(() => dynamicThreshold([1], { window: 0 })).toThrow(/whole number >= 1, got 0/);
  });
});
