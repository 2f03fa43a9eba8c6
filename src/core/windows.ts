/**
 * Step 4 of the method, input side: sliding windows of W consecutive steps, the autoencoder's input.
 *
 * Gap policy: a window that contains any missing value (NaN) is skipped, so no score is emitted for
 * a time whose window has missing data; the model never sees invented values. A value the model
 * cannot take is missing too: ±Infinity (Prometheus writes "+Inf" for a ratio divided by zero) and
 * a scaled value beyond the 32-bit float range (it would become Infinity in the model's input and
 * NaN in its output, a score that silently reads "not anomalous"). The shells still flag such a
 * value, as out of the training range.
 */
import { SyrrocaError } from './errors';

export interface Windows {
  /** Row-major [n, window, features], as tfjs `tensor3d` wants it. */
  data: Float32Array;
  /** `ends[k]`: row index of the last step of window k (the time its score belongs to). */
  ends: Int32Array;
  /** Windows left out because they contained a missing (or infinite) value. */
  skipped: number;
}

function checkCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new SyrrocaError(`windows-${what}`, `the ${what} must be a whole number >= 1, got ${value}`);
  }
}

/**
 * Windows ending at rows window-1, window-1+stride, ... (the first window starts at row 0).
 * `columns` are the scaled features of one group, all of the same length.
 */
export function slidingWindows(columns: Float64Array[], window: number, stride = 1): Windows {
  checkCount(window, 'window');
  checkCount(stride, 'stride');
  const features = columns.length;
  const rows = features > 0 ? columns[0].length : 0;
  if (columns.some((column) => column.length !== rows)) {
    throw new SyrrocaError('windows-length', 'the columns of a group must all have the same length');
  }

  // lastMissing[i]: the latest row <= i where any feature is missing (-1 if none), so a window
  // [start, end] is complete when lastMissing[end] < start: one pass instead of a scan per window.
  const lastMissing = new Int32Array(rows).fill(-1);
  for (const column of columns) {
    for (let i = 0; i < rows; i++) {
      // NaN and Infinity both fail the comparison; fround finds what overflows in Float32Array.
      if (!(Math.abs(Math.fround(column[i])) < Infinity)) {
        lastMissing[i] = i;
      }
    }
  }
  for (let i = 1; i < rows; i++) {
    if (lastMissing[i] < lastMissing[i - 1]) {
      lastMissing[i] = lastMissing[i - 1];
    }
  }

  let complete = 0;
  let skipped = 0;
  for (let end = window - 1; end < rows; end += stride) {
    if (lastMissing[end] < end - window + 1) {
      complete++;
    } else {
      skipped++;
    }
  }

  const data = new Float32Array(complete * window * features);
  const ends = new Int32Array(complete);
  let k = 0;
  for (let end = window - 1; end < rows; end += stride) {
    const start = end - window + 1;
    if (lastMissing[end] >= start) {
      continue;
    }
    ends[k] = end;
    const base = k * window * features;
    for (let j = 0; j < features; j++) {
      const column = columns[j];
      for (let s = 0; s < window; s++) {
        data[base + s * features + j] = column[start + s];
      }
    }
    k++;
  }
  return { data, ends, skipped };
}
