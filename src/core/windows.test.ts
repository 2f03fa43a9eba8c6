import { slidingWindows } from './windows';

const f64 = (...values: number[]) => Float64Array.from(values);

describe('slidingWindows', () => {
  it('lays windows out row-major [n, window, features] with the row of their last step', () => {
    const { data, ends, skipped } = slidingWindows([f64(1, 2, 3, 4), f64(10, 20, 30, 40)], 3);
    expect(Array.from(ends)).toEqual([2, 3]);
    expect(skipped).toBe(0);
    expect(Array.from(data)).toEqual([
      // window 0: rows 0..2, each row [f0, f1]
      1, 10, 2, 20, 3, 30,
      // window 1: rows 1..3
      2, 20, 3, 30, 4, 40,
    ]);
  });

  it('skips and counts every window that contains a missing value', () => {
    // Row 3 is missing in f1: windows ending at rows 3, 4 (and 5) contain it.
    const { data, ends, skipped } = slidingWindows([f64(1, 2, 3, 4, 5, 6, 7), f64(0, 0, 0, NaN, 0, 0, 0)], 3);
    expect(Array.from(ends)).toEqual([2, 6]);
    expect(skipped).toBe(3);
    expect(Array.from(data)).toEqual([1, 0, 2, 0, 3, 0, 5, 0, 6, 0, 7, 0]);
  });

  it('steps by the stride, starting from the first row', () => {
    const { ends, skipped } = slidingWindows([f64(0, 1, 2, 3, 4, 5, 6)], 2, 2);
    expect(Array.from(ends)).toEqual([1, 3, 5]);
    expect(skipped).toBe(0);
  });

  it('counts only the strided windows it skips', () => {
    const { ends, skipped } = slidingWindows([f64(0, 1, NaN, 3, 4, 5, 6)], 2, 2);
    expect(Array.from(ends)).toEqual([1, 5]);
    expect(skipped).toBe(1);
  });

  it('gives one window per row with a window of 1', () => {
    const { data, ends } = slidingWindows([f64(0.5, 0.25)], 1);
    expect(Array.from(ends)).toEqual([0, 1]);
    expect(Array.from(data)).toEqual([0.5, 0.25]);
  });

  it('gives no window when there are fewer rows than the window', () => {
    const { data, ends, skipped } = slidingWindows([f64(1, 2)], 3);
    expect(data.length).toBe(0);
    expect(ends.length).toBe(0);
    expect(skipped).toBe(0);
  });

  it('refuses a window or stride that is not a whole number >= 1', () => {
    expect(() => slidingWindows([f64(1)], 0)).toThrow(/the window must be a whole number >= 1, got 0/);
    expect(() => slidingWindows([f64(1)], 2.5)).toThrow(/the window must be a whole number >= 1, got 2.5/);
    expect(() => slidingWindows([f64(1)], 1, 0)).toThrow(/the stride must be a whole number >= 1, got 0/);
  });

  it('refuses columns of different lengths', () => {
    expect(() => slidingWindows([f64(1, 2), f64(1)], 1)).toThrow(/same length/);
  });
});
