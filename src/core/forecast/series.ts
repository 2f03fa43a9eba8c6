/**
 * Real series onto the regular time axis the models need, by a fixed policy that warns about every
 * change it makes:
 * 1. rows whose timestamp is not a number are dropped;
 * 2. out-of-order rows are sorted by time (stable);
 * 3. a repeated timestamp (the doubled hour of a daylight-saving change in a local-time export)
 *    keeps, per column, the last value given for it (an empty cell does not erase one);
 * 4. core `resample` puts the series on multiples of the step (given, or the median spacing): each
 *    step takes the last sample of the step that ends there, so irregular samples land on the next
 *    step and a step with several samples keeps the last one;
 * 5. steps without a sample are missing (NaN): models predict through them, detectors judge nothing there.
 */
import { inferStep } from '../pipeline';
import { resample } from '../resample';

export interface RegularSeries {
  /** Multiples of the step. */
  timestamps: Float64Array;
  columns: Float64Array[];
  stepSeconds: number;
  warnings: string[];
}

function iso(t: number): string {
  return Math.abs(t) < 1e11 ? new Date(t * 1000).toISOString() : String(t);
}

/** Steps 1 to 3: strictly increasing timestamps, with a warning for each kind of repair. */
function ordered(
  timestamps: ArrayLike<number>,
  columns: Array<ArrayLike<number>>,
  warnings: string[]
): { timestamps: Float64Array; columns: Float64Array[] } {
  let rows: number[] = [];
  for (let i = 0; i < timestamps.length; i++) {
    if (Number.isFinite(timestamps[i])) {
      rows.push(i);
    }
  }
  if (rows.length < timestamps.length) {
    warnings.push(`${timestamps.length - rows.length} rows without a valid timestamp were dropped`);
  }
  const late = rows.findIndex((row, r) => r > 0 && timestamps[row] < timestamps[rows[r - 1]]);
  if (late >= 0) {
    const count = rows.filter((row, r) => r > 0 && timestamps[row] < timestamps[rows[r - 1]]).length;
    warnings.push(
      `${count} timestamps were out of order (first at row ${rows[late] + 1}, ${iso(timestamps[rows[late]])}): ` +
        'the rows were sorted by time'
    );
    rows = rows
      .map((row, position) => ({ row, position }))
      .sort((a, b) => timestamps[a.row] - timestamps[b.row] || a.position - b.position)
      .map((x) => x.row);
  }
  const times: number[] = [];
  const values: number[][] = columns.map(() => []);
  let repeated = 0;
  let firstRepeated = 0;
  for (const row of rows) {
    const t = timestamps[row];
    const same = times.length > 0 && times[times.length - 1] === t;
    if (same) {
      firstRepeated = repeated === 0 ? t : firstRepeated;
      repeated++;
    } else {
      times.push(t);
    }
    columns.forEach((column, c) => {
      const v = column[row];
      if (!same) {
        values[c].push(v);
      } else if (!Number.isNaN(v)) {
        values[c][values[c].length - 1] = v;
      }
    });
  }
  if (repeated > 0) {
    warnings.push(
      `${repeated} repeated timestamps (first ${iso(firstRepeated)}; the doubled hour of a daylight-saving ` +
        'change in a local-time export looks like this): kept the last value given for each'
    );
  }
  return { timestamps: Float64Array.from(times), columns: values.map((v) => Float64Array.from(v)) };
}

export function regularize(
  timestamps: ArrayLike<number>,
  columns: Array<ArrayLike<number>>,
  options: { stepSeconds?: number } = {}
): RegularSeries {
  const warnings: string[] = [];
  const clean = ordered(timestamps, columns, warnings);
  const step = options.stepSeconds ?? inferStep(clean.timestamps);
  const features = columns.map((_, i) => String(i));
  // Extend the grid to the step holding the last sample, which resample would otherwise leave out when off-grid.
  const last = clean.timestamps.length > 0 ? clean.timestamps[clean.timestamps.length - 1] : NaN;
  const grid = resample({ timestamps: clean.timestamps, features, columns: clean.columns }, step, {
    to: Math.ceil(last / step) * step,
  });
  const n = grid.timestamps.length;
  const first = n > 0 ? grid.timestamps[0] : 0;
  const taken = new Uint8Array(n);
  let offGrid = 0;
  let shared = 0;
  for (const t of clean.timestamps) {
    const slot = Math.ceil(t / step) - Math.round(first / step);
    if (Math.abs(t - Math.round(t / step) * step) > 1e-9 * step) {
      offGrid++;
    }
    if (slot >= 0 && slot < n) {
      shared += taken[slot];
      taken[slot] = 1;
    }
  }
  if (offGrid > 0) {
    warnings.push(
      `irregular sampling: ${offGrid} samples are not on multiples of the ${step} s step; ` +
        'each step took the last sample of the step ending there'
    );
  }
  if (shared > 0) {
    warnings.push(`${shared} samples shared a step with a later sample, which was kept`);
  }
  let gaps = 0;
  let missing = 0;
  let longest = 0;
  let longestAt = 0;
  for (let i = 0; i < n;) {
    if (taken[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && !taken[j]) {
      j++;
    }
    gaps++;
    missing += j - i;
    if (j - i > longest) {
      longest = j - i;
      longestAt = grid.timestamps[i];
    }
    i = j;
  }
  if (gaps > 0) {
    warnings.push(
      `${missing} steps of ${step} s had no sample, in ${gaps} gaps (longest ${longest} steps from ` +
        `${iso(longestAt)}): they are missing values, predicted through and not judged`
    );
  }
  return { timestamps: grid.timestamps, columns: grid.columns, stepSeconds: step, warnings };
}
