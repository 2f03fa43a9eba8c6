import { SyrrocaError } from './errors';
import { applyMinMax, fitMinMax, outOfRange } from './scaling';

const f64 = (...values: number[]) => Float64Array.from(values);

describe('fitMinMax', () => {
  it('takes the smallest and largest value of each column, ignoring missing ones', () => {
    expect(fitMinMax([f64(3, NaN, -1, 7), f64(NaN, 0)])).toEqual([
      { min: -1, max: 7 },
      { min: 0, max: 0 },
    ]);
  });

  it('widens the range of a nearly constant feature to 1% of its level, around its centre', () => {
    // A page cache of 100 MB that moved by 4 KB in training: a range of 1 MB.
    const [cache] = fitMinMax([f64(100e6, 100e6 + 4096)]);
    expect(cache.max - cache.min).toBeCloseTo(0.01 * (100e6 + 4096), 3);
    expect((cache.min + cache.max) / 2).toBeCloseTo(100e6 + 2048, 3);
    // A range of 2% of the level is kept as it is.
    expect(fitMinMax([f64(-100, -98)])).toEqual([{ min: -100, max: -98 }]);
    // Near the largest double, widening would overflow: the bounds stay finite.
    expect(fitMinMax([f64(Number.MAX_VALUE)])).toEqual([{ min: Number.MAX_VALUE, max: Number.MAX_VALUE }]);
    expect(fitMinMax([f64(-Number.MAX_VALUE, -Number.MAX_VALUE)])).toEqual([
      { min: -Number.MAX_VALUE, max: -Number.MAX_VALUE },
    ]);
    const [constant] = fitMinMax([f64(2, 2)]);
    expect(constant.min).toBeCloseTo(1.99, 12);
    expect(constant.max).toBeCloseTo(2.01, 12);
  });

  it('names a feature that has no value at all', () => {
    expect(() => fitMinMax([f64(1), f64(NaN, NaN)], ['cpu', 'memory'])).toThrow(
      new SyrrocaError(
        'scaling-no-data',
        'feature "memory" has no value in the training data: train on a range where it is present, or leave it out'
      )
    );
    expect(() => fitMinMax([f64()])).toThrow(/feature column 1 has no value/);
  });
});

describe('applyMinMax', () => {
  it('maps the training range onto [0, 1]', () => {
    expect(Array.from(applyMinMax(f64(2, 4, 6, 3), { min: 2, max: 6 }))).toEqual([0, 0.5, 1, 0.25]);
  });

  it('keeps values outside the training range outside [0, 1], unclipped', () => {
    expect(Array.from(applyMinMax(f64(0, 10), { min: 2, max: 6 }))).toEqual([-0.5, 2]);
  });

  it('keeps a constant feature at 0 and shows its live offset unscaled', () => {
    expect(Array.from(applyMinMax(f64(5, 5, 7), { min: 5, max: 5 }))).toEqual([0, 0, 2]);
  });

  it('keeps missing values missing', () => {
    expect(Array.from(applyMinMax(f64(NaN, 6), { min: 2, max: 6 }))).toEqual([NaN, 1]);
  });

  it('writes into a given array', () => {
    const out = new Float64Array(2);
    expect(applyMinMax(f64(2, 6), { min: 2, max: 6 }, out)).toBe(out);
    expect(Array.from(out)).toEqual([0, 1]);
  });
});

describe('outOfRange', () => {
  it('counts values that scale below 0 or above 1, not the bounds themselves nor missing values', () => {
    expect(outOfRange(f64(1, 2, 4, 6, 6.5, NaN, -3), { min: 2, max: 6 })).toBe(3);
  });

  it('counts any change of a constant feature', () => {
    expect(outOfRange(f64(5, 5, 5.5, 4), { min: 5, max: 5 })).toBe(1);
  });
});
