import { randomStream } from '../sim/random';
import { filterFeatures } from './filter';
import type { FeatureMatrix } from './types';

function matrix(columns: Record<string, number[]>): FeatureMatrix {
  const features = Object.keys(columns);
  const n = columns[features[0]].length;
  return {
    timestamps: Float64Array.from({ length: n }, (_, i) => 30 * i),
    features,
    columns: features.map((f) => Float64Array.from(columns[f])),
  };
}

const ramp = Array.from({ length: 20 }, (_, i) => i);
const wiggle = ramp.map((i) => Math.sin(i));
// A series whose changes vary (a ramp's changes are all 1 and correlate with nothing).
const drift = ramp.map((i) => 0.1 * i + Math.sin(1.3 * i));

describe('filterFeatures', () => {
  it('keeps features that vary and are not redundant', () => {
    expect(filterFeatures(matrix({ a: ramp, b: wiggle }))).toEqual({ kept: [0, 1], dropped: [] });
  });

  it('drops a constant series, saying its value', () => {
    const r = filterFeatures(matrix({ flat: ramp.map(() => 7), a: ramp }));
    expect(r.kept).toEqual([1]);
    expect(r.dropped).toEqual([{ name: 'flat', reason: 'constant: always 7 in the training rows' }]);
  });

  it('drops a near-constant series: rounding-level jitter around a large value', () => {
    const r = filterFeatures(matrix({ jitter: ramp.map((i) => 1e9 + (i % 2) * 1e-4), a: ramp }));
    expect(r.dropped[0].name).toBe('jitter');
    expect(r.dropped[0].reason).toMatch(
      /^near-constant: standard deviation 0\.0000513\d* is below 0\.000001 of its mean 1000000000$/
    );
  });

  it('keeps a small relative variation that is real (a working set moving by 0.1%)', () => {
    const r = filterFeatures(matrix({ memory: ramp.map((i) => 1e9 + 1e6 * Math.sin(i)), a: ramp }));
    expect(r.kept).toEqual([0, 1]);
  });

  it('drops a series with too few observations', () => {
    const sparse = ramp.map((v, i) => (i % 3 === 0 ? v : NaN));
    const r = filterFeatures(matrix({ sparse, a: ramp }));
    expect(r.dropped).toEqual([
      { name: 'sparse', reason: 'missing: only 7 observed values in the training rows (need 10)' },
    ]);
  });

  it('drops the later of two series whose changes correlate, and names the one kept', () => {
    const r = filterFeatures(matrix({ a: drift, twice: drift.map((v) => 2 * v + 1), other: wiggle }));
    expect(r.kept).toEqual([0, 2]);
    expect(r.dropped).toEqual([
      {
        name: 'twice',
        reason: 'correlated: its changes correlate with those of a at r = 1.000 (|r| >= 0.95), which is kept',
      },
    ]);
  });

  it('counts an anti-correlation as a correlation', () => {
    const r = filterFeatures(matrix({ a: drift, mirror: drift.map((v) => -v) }));
    expect(r.dropped[0].reason).toMatch(/at r = -1\.000/);
  });

  it('keeps two series that share a cycle but not their noise (their levels correlate, their changes do not)', () => {
    const n = 2000;
    const random = randomStream(1, 'filter');
    const day = Array.from({ length: n }, (_, i) => 100 * Math.sin((2 * Math.PI * i) / 500));
    const cpu = day.map((v) => v + 5 * random.normal());
    const calls = day.map((v) => 3 * v + 15 * random.normal());
    expect(filterFeatures(matrix({ cpu, calls })).kept).toEqual([0, 1]);
    expect(filterFeatures(matrix({ cpu, calls }), { correlationOf: 'levels' }).dropped[0].reason).toMatch(
      /^correlated: r = 0\.99\d with cpu/
    );
  });

  it('keeps correlated pairs when maxCorrelation is above 1', () => {
    expect(filterFeatures(matrix({ a: drift, twice: drift.map((v) => 2 * v) }), { maxCorrelation: 1.1 }).kept).toEqual([
      0, 1,
    ]);
  });

  it('looks only at the training rows', () => {
    // Constant over the first 10 rows, varying after: dropped when the training part is rows 0-9.
    const late = ramp.map((i) => (i < 10 ? 5 : i));
    expect(filterFeatures(matrix({ late, a: ramp }), { rows: [0, 10] }).dropped[0].name).toBe('late');
  });

  it('correlates over the rows both series observed', () => {
    const holes = drift.map((v, i) => (i === 3 ? NaN : 3 * v));
    expect(filterFeatures(matrix({ a: drift, holes })).dropped[0].reason).toMatch(/at r = 1\.000/);
  });
});
