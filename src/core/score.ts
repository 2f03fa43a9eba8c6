/**
 * Step 5 of the method: reconstruction error and thresholds.
 *
 * MSE_g(t) uses only the last step of the window that ends at t: a score at t depends on nothing
 * after t, so live scoring (exporter) and offline scoring (dashboards, reports) give the same value.
 */
import { quantile } from 'd3-array';

import { SyrrocaError } from './errors';
import type { Threshold } from './types';

export interface ReconstructionError {
  /** MSE_g(t) per window: the mean over features of the squared errors. */
  mse: Float64Array;
  /** SE(i, t), row-major [windows, features]: the input of the attribution. */
  squaredErrors: Float64Array;
}

/**
 * Squared errors between the autoencoder's input and output at the last step of each window.
 * `input` and `output` are row-major [windows, window, features] (tfjs `dataSync()` order).
 */
export function reconstructionError(
  input: Float32Array,
  output: Float32Array,
  windows: number,
  window: number,
  features: number
): ReconstructionError {
  const size = windows * window * features;
  if (input.length !== size || output.length !== size) {
    throw new SyrrocaError(
      'score-shape',
      `expected ${windows} windows x ${window} steps x ${features} features = ${size} values, ` +
        `got ${input.length} inputs and ${output.length} outputs: the model does not match the data`
    );
  }
  const mse = new Float64Array(windows);
  const squaredErrors = new Float64Array(windows * features);
  for (let k = 0; k < windows; k++) {
    const last = (k * window + window - 1) * features;
    let sum = 0;
    for (let j = 0; j < features; j++) {
      const error = output[last + j] - input[last + j];
      const squared = error * error;
      squaredErrors[k * features + j] = squared;
      sum += squared;
    }
    mse[k] = features > 0 ? sum / features : NaN;
  }
  return { mse, squaredErrors };
}

export type ThresholdOptions = { method: 'quantile'; quantile?: number } | { method: 'mean-k-sigma'; k?: number };

/** Mean and population standard deviation (divide by n) of the non-missing values. */
function meanAndSigma(values: ArrayLike<number>): { mean: number; sigma: number; count: number } {
  let count = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isNaN(values[i])) {
      sum += values[i];
      count++;
    }
  }
  const mean = sum / count;
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isNaN(values[i])) {
      squares += (values[i] - mean) ** 2;
    }
  }
  return { mean, sigma: Math.sqrt(squares / count), count };
}

/**
 * Threshold of a group from its training MSE (missing values ignored).
 * - `quantile` (paper: the 99th percentile, default 0.99): d3-array's `quantile`, which interpolates
 *   linearly between order statistics at position (n - 1) * q (R-7, numpy's default `linear`).
 * - `mean-k-sigma` (seed 004's three-sigma rule, default k = 3): mean + k x population standard deviation.
 */
export function fitThreshold(mse: ArrayLike<number>, options: ThresholdOptions): Threshold {
  if (options.method === 'quantile') {
    const q = options.quantile ?? 0.99;
    if (!(q >= 0 && q <= 1)) {
      throw new SyrrocaError('threshold-quantile', `the threshold quantile must be between 0 and 1, got ${q}`);
    }
    const value = quantile(Float64Array.from(mse), q);
    if (value === undefined) {
      throw new SyrrocaError('threshold-no-data', 'no reconstruction error to fit a threshold on: train on more data');
    }
    return { method: 'quantile', quantile: q, value };
  }
  const k = options.k ?? 3;
  if (!Number.isFinite(k) || k < 0) {
    throw new SyrrocaError('threshold-k', `the threshold coefficient k must be a number >= 0, got ${k}`);
  }
  const { mean, sigma, count } = meanAndSigma(mse);
  if (count === 0) {
    throw new SyrrocaError('threshold-no-data', 'no reconstruction error to fit a threshold on: train on more data');
  }
  return { method: 'mean-k-sigma', k, value: mean + k * sigma };
}

export interface DynamicThresholdOptions {
  /** Number of previous scores the threshold is computed over. */
  window: number;
  /** Coefficient of the standard deviation (default 3). */
  k?: number;
}

/**
 * Seed 004's dynamic threshold: at step t, mean + k sigma of the `window` scores before t (not t
 * itself, so an anomaly does not raise its own bar; causal). NaN for the first `window` steps, which
 * have no full history, and when the history holds only missing values: such steps are not flagged.
 */
export function dynamicThreshold(mse: ArrayLike<number>, options: DynamicThresholdOptions): Float64Array {
  const { window } = options;
  const k = options.k ?? 3;
  if (!Number.isInteger(window) || window < 1) {
    throw new SyrrocaError(
      'threshold-window',
      `the dynamic threshold window must be a whole number >= 1, got ${window}`
    );
  }
  const out = new Float64Array(mse.length).fill(NaN);
  // Running sums over the trailing window; the variance is clamped at 0 against rounding.
  let sum = 0;
  let squares = 0;
  let count = 0;
  for (let t = 0; t < mse.length; t++) {
    if (t >= window && count > 0) {
      const mean = sum / count;
      out[t] = mean + k * Math.sqrt(Math.max(0, squares / count - mean * mean));
    }
    const entering = mse[t];
    if (!Number.isNaN(entering)) {
      sum += entering;
      squares += entering * entering;
      count++;
    }
    if (t >= window) {
      const leaving = mse[t - window];
      if (!Number.isNaN(leaving)) {
        sum -= leaving;
        squares -= leaving * leaving;
        count--;
      }
    }
  }
  return out;
}
