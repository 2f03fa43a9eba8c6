/**
 * Step 3 of the method: min-max scaling to [0, 1] with the bounds seen in training (stored per
 * feature in the manifest). Live values outside the training range stay outside [0, 1]: they are
 * counted by `outOfRange` so the shells can flag them, never clipped silently.
 */
import { SyrrocaError } from './errors';

export interface MinMax {
  min: number;
  max: number;
}

/**
 * Training bounds of each column, ignoring missing values (NaN) and infinite ones (which the
 * windows leave out as missing: one "+Inf" would otherwise stretch the bounds and scale every
 * other value to 0), widened to MIN_RELATIVE_RANGE of the level for nearly constant columns. A column with no finite value cannot be scaled: the error names it (by
 * `names[j]` when given, else by its index).
 */
export function fitMinMax(columns: Float64Array[], names?: string[]): MinMax[] {
  return columns.map((column, j) => {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < column.length; i++) {
      const v = column[i];
      if (v === Infinity || v === -Infinity) {
        continue;
      }
      if (v < min) {
        min = v;
      }
      if (v > max) {
        max = v;
      }
    }
    // NaN compares false both ways, so a column of only NaN leaves min > max.
    if (min > max) {
      const name = names?.[j] !== undefined ? `"${names[j]}"` : `column ${j + 1}`;
      throw new SyrrocaError(
        'scaling-no-data',
        `feature ${name} has no value in the training data: train on a range where it is present, or leave it out`
      );
    }
    return widened(min, max);
  });
}

/**
 * Smallest training range, as a share of the feature's level. Min-max scaling of a nearly constant
 * gauge (a page cache that only grows, a log file rotated daily) would turn a change of a few
 * kilobytes into an error as large as a fault's; such bounds are widened around their centre to 1%
 * of the level, so a change counts once it is a noticeable share of what the feature measures.
 * Features at 0 (a drop counter that never moved) keep their bounds: any change of them counts.
 */
export const MIN_RELATIVE_RANGE = 0.01;

function widened(min: number, max: number): MinMax {
  const least = MIN_RELATIVE_RANGE * Math.max(Math.abs(min), Math.abs(max));
  if (max - min >= least) {
    return { min, max };
  }
  // Halves before sums: near Number.MAX_VALUE a sum overflows; bounds that would are left as they are.
  const centre = min + (max - min) / 2;
  const bounds = { min: centre - least / 2, max: centre + least / 2 };
  return Number.isFinite(bounds.min) && Number.isFinite(bounds.max) ? bounds : { min, max };
}

/** Divisor of the scaling: a constant feature divides by 1, so it is 0 on training data and keeps its offset live. */
const span = ({ min, max }: MinMax) => (max > min ? max - min : 1);

/** (v - min) / (max - min); NaN stays NaN; values outside the training range fall outside [0, 1]. */
export function applyMinMax(column: Float64Array, bounds: MinMax, out = new Float64Array(column.length)): Float64Array {
  const { min } = bounds;
  const width = span(bounds);
  for (let i = 0; i < column.length; i++) {
    out[i] = (column[i] - min) / width;
  }
  return out;
}

/** How many values of `column` scale outside [0, 1] (missing values are not counted). */
export function outOfRange(column: Float64Array, bounds: MinMax): number {
  const { min } = bounds;
  const width = span(bounds);
  let count = 0;
  for (let i = 0; i < column.length; i++) {
    const scaled = (column[i] - min) / width;
    if (scaled < 0 || scaled > 1) {
      count++;
    }
  }
  return count;
}
