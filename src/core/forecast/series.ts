/**
 * Real series onto a regular time axis, by a fixed policy that warns about every change it makes:
 * 1. rows whose timestamp is not a number are dropped;
 * 2. out-of-order rows are sorted by time (stable);
 * 3. a repeated timestamp (the doubled hour of a daylight-saving change in local-time exports) keeps,
 *    per column, the last value given for it;
 * 4. the step is the one given, or the median spacing; every sample moves to the nearest step of the
 *    grid starting at the first timestamp, and when two land on the same step the later one wins;
 * 5. steps without a sample are missing (NaN): models predict through them, detectors judge nothing there.
 */
import { SyrrocaError } from '../errors';

export interface RegularSeries {
  /** t0 + i * stepSeconds. */
  timestamps: Float64Array;
  columns: Float64Array[];
  stepSeconds: number;
  warnings: string[];
}

function iso(t: number): string {
  return Number.isFinite(t) && Math.abs(t) < 1e11 ? new Date(t * 1000).toISOString() : String(t);
}

function medianSpacing(t: Float64Array): number {
  const gaps: number[] = [];
  for (let i = 1; i < t.length; i++) {
    if (t[i] > t[i - 1]) {
      gaps.push(t[i] - t[i - 1]);
    }
  }
  gaps.sort((a, b) => a - b);
  return gaps.length === 0 ? NaN : gaps[Math.floor((gaps.length - 1) / 2)];
}

/** Largest grid the policy builds: a longer one means the step or the time unit is wrong. */
const MAX_STEPS = 50_000_000;

export function regularize(
  timestamps: ArrayLike<number>,
  columns: ArrayLike<number>[],
  options: { stepSeconds?: number } = {}
): RegularSeries {
  const warnings: string[] = [];
  let rows: number[] = [];
  for (let i = 0; i < timestamps.length; i++) {
    if (Number.isFinite(timestamps[i])) {
      rows.push(i);
    }
  }
  if (rows.length < timestamps.length) {
    warnings.push(`${timestamps.length - rows.length} rows without a valid timestamp were dropped`);
  }
  let outOfOrder = 0;
  let firstOutOfOrder = -1;
  for (let r = 1; r < rows.length; r++) {
    if (timestamps[rows[r]] < timestamps[rows[r - 1]]) {
      outOfOrder++;
      if (firstOutOfOrder < 0) {
        firstOutOfOrder = rows[r];
      }
    }
  }
  if (outOfOrder > 0) {
    rows = rows
      .map((row, position) => ({ row, position }))
      .sort((a, b) => timestamps[a.row] - timestamps[b.row] || a.position - b.position)
      .map((x) => x.row);
    warnings.push(
      `${outOfOrder} timestamps were out of order (first at row ${firstOutOfOrder + 1}, ` +
        `${iso(timestamps[firstOutOfOrder])}): the rows were sorted by time`
    );
  }
  // Collapse repeated timestamps: per column, the last value given (an empty cell does not erase one).
  const times: number[] = [];
  const values: number[][] = columns.map(() => []);
  let repeated = 0;
  let firstRepeated = NaN;
  for (const row of rows) {
    const t = timestamps[row];
    const same = times.length > 0 && times[times.length - 1] === t;
    if (same) {
      repeated++;
      if (Number.isNaN(firstRepeated)) {
        firstRepeated = t;
      }
    } else {
      times.push(t);
    }
    columns.forEach((column, c) => {
      const v = column[row];
      if (!same) {
        values[c].push(v);
      } else if (Number.isFinite(v)) {
        values[c][values[c].length - 1] = v;
      }
    });
  }
  if (repeated > 0) {
    warnings.push(
      `${repeated} repeated timestamps (first ${iso(firstRepeated)}; a daylight-saving hour in a ` +
        'local-time export repeats like this): kept the last value given for each'
    );
  }
  const t = Float64Array.from(times);
  const step = options.stepSeconds ?? medianSpacing(t);
  if (!(step > 0)) {
    throw new SyrrocaError(
      'forecast-no-step',
      t.length < 2
        ? `a series needs at least two timestamps to be forecast, this one has ${t.length}`
        : `the step ${step} is not a positive number of seconds: pass the sampling step explicitly`
    );
  }
  const t0 = t.length > 0 ? t[0] : 0;
  const steps = t.length > 0 ? Math.round((t[t.length - 1] - t0) / step) + 1 : 0;
  if (steps > MAX_STEPS) {
    throw new SyrrocaError(
      'forecast-grid-too-large',
      `the timestamps span ${t[t.length - 1] - t0} s, ${steps} steps of ${step} s: ` +
        'check the step and that timestamps are in seconds (not milliseconds)'
    );
  }
  const grid = new Float64Array(steps);
  for (let i = 0; i < steps; i++) {
    grid[i] = t0 + i * step;
  }
  const out = columns.map(() => new Float64Array(steps).fill(NaN));
  const filled = new Uint8Array(steps);
  let moved = 0;
  let largestShift = 0;
  let collided = 0;
  for (let i = 0; i < t.length; i++) {
    const slot = Math.round((t[i] - t0) / step);
    const shift = Math.abs(t[i] - (t0 + slot * step));
    if (shift > 1e-6 * step) {
      moved++;
      largestShift = Math.max(largestShift, shift);
    }
    if (filled[slot]) {
      collided++;
    }
    filled[slot] = 1;
    values.forEach((column, c) => {
      if (Number.isFinite(column[i]) || !Number.isFinite(out[c][slot])) {
        out[c][slot] = column[i];
      }
    });
  }
  if (moved > 0) {
    warnings.push(
      `irregular sampling: ${moved} samples were off the ${step} s grid and moved to the nearest step ` +
        `(by up to ${Number(largestShift.toPrecision(3))} s)`
    );
  }
  if (collided > 0) {
    warnings.push(`${collided} samples fell on a step already taken by an earlier sample: the later one was kept`);
  }
  let gaps = 0;
  let missing = 0;
  let longest = 0;
  let longestAt = 0;
  for (let i = 0; i < steps; ) {
    if (filled[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j < steps && !filled[j]) {
      j++;
    }
    gaps++;
    missing += j - i;
    if (j - i > longest) {
      longest = j - i;
      longestAt = grid[i];
    }
    i = j;
  }
  if (gaps > 0) {
    warnings.push(
      `${missing} steps of ${step} s had no sample, in ${gaps} gaps (longest ${longest} steps from ` +
        `${iso(longestAt)}): they are missing values, predicted through and not judged`
    );
  }
  return { timestamps: grid, columns: out, stepSeconds: step, warnings };
}
