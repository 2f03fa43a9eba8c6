import { resample } from './resample';
import type { FeatureMatrix } from './types';

const matrix = (timestamps: number[], ...columns: number[][]): FeatureMatrix => ({
  timestamps: Float64Array.from(timestamps),
  features: columns.map((_, j) => `f${j}`),
  columns: columns.map((c) => Float64Array.from(c)),
});
const values = (column: Float64Array) => Array.from(column);

describe('resample', () => {
  it('puts grid points on multiples of the step, from the first to the last sample', () => {
    const out = resample(matrix([7, 12, 31], [1, 2, 3]), 10);
    // Grid: ceil(7/10)*10 = 10 ... floor(31/10)*10 = 30.
    expect(values(out.timestamps)).toEqual([10, 20, 30]);
    expect(out.features).toEqual(['f0']);
  });

  it('takes the last sample in (T - step, T] for each grid point T', () => {
    // Bucket (0, 10]: 5 and 10 -> last is 10 (value 2); (10, 20]: 11, 15 -> value 4; (20, 30]: 30 -> value 5.
    const out = resample(matrix([5, 10, 11, 15, 30], [1, 2, 3, 4, 5]), 10, { from: 0, to: 30 });
    expect(values(out.timestamps)).toEqual([0, 10, 20, 30]);
    expect(values(out.columns[0])).toEqual([NaN, 2, 4, 5]);
  });

  it('leaves an empty bucket missing instead of carrying the last value forward', () => {
    const out = resample(matrix([10, 40], [1, 4]), 10);
    expect(values(out.timestamps)).toEqual([10, 20, 30, 40]);
    expect(values(out.columns[0])).toEqual([1, NaN, NaN, 4]);
  });

  it('takes the last non-missing sample of each feature in a bucket', () => {
    // Row 18 has a value for f1 only: f0 keeps its sample of row 12.
    const out = resample(matrix([12, 18], [1, NaN], [2, 3]), 10, { from: 20, to: 20 });
    expect(values(out.columns[0])).toEqual([1]);
    expect(values(out.columns[1])).toEqual([3]);
  });

  it('is causal: a sample just after a grid point goes to the next one', () => {
    const out = resample(matrix([20, 20.001], [1, 2]), 10, { from: 20, to: 30 });
    expect(values(out.columns[0])).toEqual([1, 2]);
  });

  it('drops samples outside the requested range', () => {
    // The only grid point in [11, 29] is 20, whose bucket (10, 20] holds the sample at 15.
    const out = resample(matrix([5, 15, 25, 35], [1, 2, 3, 4]), 10, { from: 11, to: 29 });
    expect(values(out.timestamps)).toEqual([20]);
    expect(values(out.columns[0])).toEqual([2]);
  });

  it('handles fractional steps and timestamps', () => {
    const out = resample(matrix([0.2, 0.4, 0.9], [1, 2, 3]), 0.5);
    expect(values(out.timestamps)).toEqual([0.5]);
    expect(values(out.columns[0])).toEqual([2]);
  });

  it('returns an empty matrix for an empty one', () => {
    const out = resample(matrix([], []), 30);
    expect(out.timestamps.length).toBe(0);
    expect(out.columns[0].length).toBe(0);
  });

  it('refuses a step that is not a positive number', () => {
    for (const step of [0, -30, NaN, Infinity]) {
      expect(() => resample(matrix([1], [1]), step)).toThrow(/the step must be a positive number of seconds/);
    }
  });

  it('refuses a range that ends before it starts', () => {
    expect(() => resample(matrix([1], [1]), 10, { from: 50, to: 40 })).toThrow(/from 50 to 40 is empty/);
  });

  it('refuses a grid that only a wrong step could ask for', () => {
    expect(() => resample(matrix([0, 1000], [1, 2]), 1, { maxPoints: 100 })).toThrow(/makes 1001 points/);
  });
});
