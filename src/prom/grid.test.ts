import fc from 'fast-check';

import { formatSeconds, gridEndMs, gridOf, gridTimestamps, splitGrid } from './grid';

describe('gridOf', () => {
  it('counts the points from start to end by step, end included when on the grid', () => {
    expect(gridOf({ start: 100, end: 400, step: 30 })).toEqual({ startMs: 100_000, stepMs: 30_000, steps: 11 });
    expect(gridOf({ start: 100, end: 409, step: 30 }).steps).toBe(11);
    expect(gridOf({ start: 100, end: 100, step: 30 }).steps).toBe(1);
  });

  it('reads times to the millisecond, as Prometheus does', () => {
    expect(gridOf({ start: 0.1, end: 0.7, step: 0.3 })).toEqual({ startMs: 100, stepMs: 300, steps: 3 });
    expect(Array.from(gridTimestamps(gridOf({ start: 0.1, end: 0.7, step: 0.3 })))).toEqual([0.1, 0.4, 0.7]);
  });

  it('refuses a range that ends before it starts, a step that is not positive, and non-numbers', () => {
    expect(() => gridOf({ start: 10, end: 5, step: 1 })).toThrow(/ends \(5\) before it starts \(10\)/);
    expect(() => gridOf({ start: 0, end: 5, step: 0 })).toThrow(/step 0 s is not positive/);
    expect(() => gridOf({ start: NaN, end: 5, step: 1 })).toThrow(/finite/);
  });
});

describe('splitGrid', () => {
  it('cuts 25 points into chunks of 10, 10 and 5 that continue each other', () => {
    const chunks = splitGrid({ startMs: 0, stepMs: 1000, steps: 25 }, 10);
    expect(chunks).toEqual([
      { startMs: 0, stepMs: 1000, steps: 10 },
      { startMs: 10_000, stepMs: 1000, steps: 10 },
      { startMs: 20_000, stepMs: 1000, steps: 5 },
    ]);
    expect(gridEndMs(chunks[2])).toBe(24_000);
  });

  it('covers every point of any grid exactly once, in order, with no chunk above the limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2e12 }),
        fc.integer({ min: 1, max: 3_600_000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 700 }),
        (startMs, stepMs, steps, maxPoints) => {
          const chunks = splitGrid({ startMs, stepMs, steps }, maxPoints);
          const points = chunks.flatMap((c) => Array.from(gridTimestamps(c), (t) => Math.round(t * 1000)));
          expect(chunks.every((c) => c.steps >= 1 && c.steps <= maxPoints)).toBe(true);
          expect(points).toEqual(Array.from({ length: steps }, (_, i) => startMs + i * stepMs));
        }
      ),
      { numRuns: 200 }
    );
  });
});

describe('formatSeconds', () => {
  it('writes milliseconds as exact decimal seconds', () => {
    expect(formatSeconds(1_700_000_000_000)).toBe('1700000000');
    expect(formatSeconds(1_700_000_000_300)).toBe('1700000000.3');
    expect(formatSeconds(1_700_000_000_050)).toBe('1700000000.05');
    expect(formatSeconds(1)).toBe('0.001');
    expect(formatSeconds(-1500)).toBe('-1.5');
  });
});
