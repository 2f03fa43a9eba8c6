/**
 * Feature filtering (seed 004, step 2 of DESIGN): before a model sees the training data, drop the series
 * that cannot tell an abnormal state from a normal one, and one of each pair that says the same thing.
 * Used by the autoencoder (per group) and the forecasting detectors; what is dropped, and why, goes
 * into the manifest or the forecast output.
 *
 * A feature is dropped, in this order, when over the training rows it
 * 1. has fewer than `minObserved` observed (non-NaN) values: `missing`;
 * 2. never changes: `constant`;
 * 3. varies by less than `minRelativeSpread` of its magnitude (sample standard deviation below
 *    minRelativeSpread x |mean|; default 1e-6, i.e. only rounding-level jitter around a constant):
 *    `near-constant`. Variance is the criterion because a series whose training variance is nil leaves
 *    a model nothing to learn "normal" from: any change at all would be "abnormal", including the noise
 *    of the exporter;
 * 4. has a Pearson correlation |r| >= `maxCorrelation` (default 0.95) with a feature kept before it in
 *    the input order: `correlated` (the earlier one stays, so order the input by preference). By default
 *    the correlation is that of the step-to-step changes: series driven by the same daily traffic all
 *    correlate in level (r = 0.99 between the P-CSCF's CPU and the successful calls in the simulator)
 *    while each still carries its own information (their changes: r = 0.69); a series that is a linear
 *    function of another correlates at 1 either way. `correlationOf: 'levels'` compares the values.
 */
import { pearson } from './stats';
import type { FeatureMatrix } from './types';

export interface FilterOptions {
  /** Rows [from, to) the criteria look at: the training part (default: all rows). */
  rows?: [number, number];
  /** Fewest observed values a feature needs (default 10). */
  minObserved?: number;
  /** Relative standard deviation under which a feature is near-constant (default 1e-6). */
  minRelativeSpread?: number;
  /** |r| at or above which the later of two features is dropped (default 0.95; above 1 keeps every pair). */
  maxCorrelation?: number;
  /** What is correlated: step-to-step changes (default) or the values themselves. */
  correlationOf?: 'changes' | 'levels';
}

export interface FilterResult {
  /** Indices into `matrix.features` of the kept features, in input order. */
  kept: number[];
  dropped: Array<{ name: string; reason: string }>;
}

interface Moments {
  observed: number;
  mean: number;
  sd: number;
  min: number;
  max: number;
}

function moments(column: Float64Array, from: number, to: number): Moments {
  let observed = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = from; i < to; i++) {
    const v = column[i];
    if (Number.isNaN(v)) {
      continue;
    }
    observed++;
    const delta = v - mean;
    mean += delta / observed;
    m2 += delta * (v - mean);
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { observed, mean, sd: observed > 1 ? Math.sqrt(m2 / (observed - 1)) : 0, min, max };
}

/** The training rows of a column as the correlation sees them: values, or changes from the previous row. */
function correlated(column: Float64Array, from: number, to: number, of: 'changes' | 'levels'): Float64Array {
  if (of === 'levels') {
    return column.subarray(from, to);
  }
  const out = new Float64Array(Math.max(0, to - from - 1));
  for (let i = from + 1; i < to; i++) {
    out[i - from - 1] = column[i] - column[i - 1];
  }
  return out;
}

/** Pearson correlation over the positions where both are observed (0 when either is flat there). */
function correlation(x: Float64Array, y: Float64Array): number {
  let complete = true;
  for (let i = 0; i < x.length && complete; i++) {
    complete = !Number.isNaN(x[i]) && !Number.isNaN(y[i]);
  }
  let a: ArrayLike<number> = x;
  let b: ArrayLike<number> = y;
  if (!complete) {
    const both: number[] = [];
    for (let i = 0; i < x.length; i++) {
      if (!Number.isNaN(x[i]) && !Number.isNaN(y[i])) {
        both.push(i);
      }
    }
    a = both.map((i) => x[i]);
    b = both.map((i) => y[i]);
  }
  const r = pearson(a, b);
  return Number.isNaN(r) ? 0 : r;
}

function format(v: number): string {
  return Number(v.toPrecision(6)).toString();
}

export function filterFeatures(matrix: FeatureMatrix, options: FilterOptions = {}): FilterResult {
  const [from, to] = options.rows ?? [0, matrix.timestamps.length];
  const minObserved = options.minObserved ?? 10;
  const minRelativeSpread = options.minRelativeSpread ?? 1e-6;
  const maxCorrelation = options.maxCorrelation ?? 0.95;
  const of = options.correlationOf ?? 'changes';
  const kept: number[] = [];
  const keptSeries: Float64Array[] = [];
  const dropped: Array<{ name: string; reason: string }> = [];
  matrix.columns.forEach((column, j) => {
    const name = matrix.features[j];
    const m = moments(column, from, to);
    if (m.observed < minObserved) {
      dropped.push({
        name,
        reason: `missing: only ${m.observed} observed values in the training rows (need ${minObserved})`,
      });
      return;
    }
    if (m.min === m.max) {
      dropped.push({ name, reason: `constant: always ${format(m.min)} in the training rows` });
      return;
    }
    if (m.sd < minRelativeSpread * Math.abs(m.mean)) {
      dropped.push({
        name,
        reason: `near-constant: standard deviation ${format(m.sd)} is below ${minRelativeSpread} of its mean ${format(m.mean)}`,
      });
      return;
    }
    const series = correlated(column, from, to, of);
    for (let k = 0; k < kept.length; k++) {
      const r = correlation(keptSeries[k], series);
      if (Math.abs(r) >= maxCorrelation) {
        const other = matrix.features[kept[k]];
        dropped.push({
          name,
          reason:
            of === 'changes'
              ? `correlated: its changes correlate with those of ${other} at r = ${r.toFixed(3)} (|r| >= ${maxCorrelation}), which is kept`
              : `correlated: r = ${r.toFixed(3)} with ${other} (|r| >= ${maxCorrelation}), which is kept`,
        });
        return;
      }
    }
    keptSeries.push(series);
    kept.push(j);
  });
  return { kept, dropped };
}
