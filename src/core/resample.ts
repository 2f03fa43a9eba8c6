/**
 * Resampling to a fixed step (step 1 of the method: the paper scrapes every 5 s and uses 30 s).
 * Grid points are the multiples of the step; point T takes, per feature, the last sample in
 * (T - step, T]. That is causal (T never sees a sample after T), like a Prometheus range query whose
 * lookback is one step. A feature with no sample in a bucket is NaN at T: no forward fill, so a
 * gap stays a gap and later steps never score invented data.
 */
import { SyrrocaError } from './errors';
import type { FeatureMatrix } from './types';

export interface ResampleOptions {
  /** First time of interest, unix seconds (default: the first timestamp). The grid starts at the first multiple of the step >= from. */
  from?: number;
  /** Last time of interest (default: the last timestamp). The grid ends at the last multiple of the step <= to. */
  to?: number;
  /** Refuse grids larger than this many points (default 10,000,000), which only a wrong step or range produces. */
  maxPoints?: number;
}

export function resample(matrix: FeatureMatrix, stepSeconds: number, options: ResampleOptions = {}): FeatureMatrix {
  if (!(stepSeconds > 0) || !Number.isFinite(stepSeconds)) {
    throw new SyrrocaError('resample-step', `the step must be a positive number of seconds, got ${stepSeconds}`);
  }
  const { timestamps, features, columns } = matrix;
  const n = timestamps.length;
  const from = options.from ?? (n > 0 ? timestamps[0] : NaN);
  const to = options.to ?? (n > 0 ? timestamps[n - 1] : NaN);
  if (n === 0 && (options.from === undefined || options.to === undefined)) {
    return { timestamps: new Float64Array(0), features, columns: features.map(() => new Float64Array(0)) };
  }
  if (!Number.isFinite(from) || !Number.isFinite(to) || from > to) {
    throw new SyrrocaError(
      'resample-range',
      `the range from ${from} to ${to} is empty: give from <= to, in unix seconds`
    );
  }

  // Sample t belongs to grid point T = k * step with T - step < t <= T, i.e. k = ceil(t / step).
  const first = Math.ceil(from / stepSeconds);
  const last = Math.floor(to / stepSeconds);
  const points = Math.max(0, last - first + 1);
  const maxPoints = options.maxPoints ?? 10_000_000;
  if (points > maxPoints) {
    throw new SyrrocaError(
      'resample-too-many-points',
      `a step of ${stepSeconds} s from ${from} to ${to} makes ${points} points (more than ${maxPoints}): ` +
        'use a larger step or a shorter range'
    );
  }

  const grid = new Float64Array(points);
  for (let p = 0; p < points; p++) {
    grid[p] = (first + p) * stepSeconds;
  }
  const bucket = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = Math.ceil(timestamps[i] / stepSeconds) - first;
    bucket[i] = p >= 0 && p < points ? p : -1;
  }
  const out = columns.map((column) => {
    const values = new Float64Array(points).fill(NaN);
    // Rows are in time order, so a later non-missing sample of a bucket overwrites an earlier one.
    for (let i = 0; i < n; i++) {
      if (bucket[i] >= 0 && !Number.isNaN(column[i])) {
        values[bucket[i]] = column[i];
      }
    }
    return values;
  });
  return { timestamps: grid, features, columns: out };
}
