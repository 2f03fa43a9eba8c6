/**
 * Hostile numbers through scoring: whatever the data holds (NaN, ±Infinity from a Prometheus "+Inf",
 * values far outside the training range), every score emitted is a finite number with its verdict,
 * and a time that cannot be scored is counted as skipped, never given an invented or NaN score.
 */
import fc from 'fast-check';

import { fuzz, fuzzAsync } from '../../tests/helpers/fuzz';
import { SINGLE_CATALOG } from './groups';
import { scoreGroups, type ScoringModel } from './pipeline';
import { fitMinMax, MIN_RELATIVE_RANGE } from './scaling';
import type { Manifest } from './types';

const CASES = 300;
const WINDOW = 3;

function manifestFor(features: string[], threshold: number): Manifest {
  return {
    formatVersion: 1,
    group: 'all',
    features: features.map((name) => ({ name, kind: 'gauge', min: 0, max: 10 })),
    stepSeconds: 30,
    window: WINDOW,
    stride: 1,
    scaling: 'min-max',
    grouping: { catalog: SINGLE_CATALOG, exclude: null },
    model: { features: features.length, window: WINDOW, units: [4, 2, 2, 4], dropout: 0 },
    threshold: { method: 'quantile', quantile: 0.99, value: threshold },
    training: { from: 0, to: 1, samples: 1, epochs: 1, finalLoss: 0, validationLoss: null, seed: 0 },
    droppedFeatures: [],
    libraries: {},
    contentHash: '',
  };
}

/** A stand-in autoencoder that reconstructs every value as half of itself (the scoring around it is what is tested). */
function halfModel(manifest: Manifest): ScoringModel {
  return {
    manifest,
    source: 'fuzz',
    input: { window: WINDOW, features: manifest.features.length },
    reconstruct: async (windows) => windows.map((v) => v / 2),
  };
}

const value = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -5, max: 15, noNaN: true }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 1e39, -1e39, 3.4e39, 3.5e39, 1e300, Number.MAX_VALUE, 5e-324),
  }
);

describe('scoring hostile numbers', () => {
  it(`emits only finite scores with a consistent verdict in ${CASES} random matrices holding NaN, ±Inf and huge values`, async () => {
    const data = fc
      .integer({ min: 1, max: 3 })
      .chain((n) =>
        fc.tuple(
          fc.constant(n),
          fc.array(fc.array(value, { minLength: n, maxLength: n }), { minLength: 1, maxLength: 12 }),
          fc.double({ min: 0, max: 5, noNaN: true })
        )
      );
    await fuzzAsync(
      fc.asyncProperty(data, async ([n, rows, threshold]) => {
        const features = Array.from({ length: n }, (_, j) => `f${j}`);
        const raw = {
          timestamps: Float64Array.from(rows, (_, i) => 1_699_999_980 + 30 * i),
          features,
          columns: features.map((_, j) => Float64Array.from(rows, (r) => r[j])),
        };
        const { scores, diagnostics } = await scoreGroups(raw, [halfModel(manifestFor(features, threshold))]);
        const windows = Math.max(0, rows.length - WINDOW + 1);
        expect(diagnostics[0].scored + diagnostics[0].skipped).toBe(windows);
        expect(scores).toHaveLength(diagnostics[0].scored);
        for (const s of scores) {
          expect(Number.isFinite(s.mse)).toBe(true);
          expect(s.mse).toBeGreaterThanOrEqual(0);
          expect(s.anomalous).toBe(s.mse > threshold);
          expect(s.features.every((f) => Number.isFinite(f.p) && f.p >= 0 && f.p <= 1)).toBe(true);
          // The window ending at t holds only finite values: anything else is a gap, not a score.
          const end = (s.t - 1_699_999_980) / 30;
          for (let i = end - WINDOW + 1; i <= end; i++) {
            expect(rows[i].every((v) => Number.isFinite(Math.fround(v / 10)))).toBe(true); // scaled by (v - 0) / 10
          }
        }
      }),
      CASES
    );
  });

  it('fits training bounds that hold every finite value (widened only when nearly constant), and names a feature that has none', () => {
    fuzz(
      fc.property(fc.array(value, { minLength: 1, maxLength: 20 }), (values) => {
        const finite = values.filter((v) => Number.isFinite(v));
        if (finite.length === 0) {
          expect(() => fitMinMax([Float64Array.from(values)], ['x'])).toThrow(/feature "x" has no value/);
          return;
        }
        const [lo, hi] = [Math.min(...finite), Math.max(...finite)];
        const [bounds] = fitMinMax([Float64Array.from(values)]);
        expect(bounds.min).toBeLessThanOrEqual(lo);
        expect(bounds.max).toBeGreaterThanOrEqual(hi);
        if (hi - lo >= MIN_RELATIVE_RANGE * Math.max(Math.abs(lo), Math.abs(hi))) {
          expect(bounds).toEqual({ min: lo, max: hi });
        }
      }),
      CASES
    );
  });
});
