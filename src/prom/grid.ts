/**
 * The evaluation grid of a range query, in integer milliseconds: Prometheus reads times and steps
 * at millisecond precision and evaluates at start, start + step, ... <= end. Working in integers
 * keeps chunk edges exact (no float drift that would lose or repeat a step).
 */
import { SyrrocaError } from '../core/errors';
import type { TimeRange } from './types';

export interface Grid {
  startMs: number;
  stepMs: number;
  /** Number of evaluation points. */
  steps: number;
}

/** The grid of a range; throws on a range Prometheus would refuse (end before start, step not positive). */
export function gridOf(range: TimeRange): Grid {
  const { start, end, step } = range;
  if (![start, end, step].every(Number.isFinite)) {
    throw new SyrrocaError(
      'prom-bad-range',
      `range start=${start} end=${end} step=${step}: all three must be finite numbers of seconds`
    );
  }
  const startMs = Math.round(start * 1000);
  const endMs = Math.round(end * 1000);
  const stepMs = Math.round(step * 1000);
  if (stepMs < 1) {
    throw new SyrrocaError(
      'prom-bad-range',
      `step ${step} s is not positive (Prometheus reads it to the millisecond); use a step of at least 0.001 s`
    );
  }
  if (endMs < startMs) {
    throw new SyrrocaError('prom-bad-range', `range ends (${end}) before it starts (${start}); swap them`);
  }
  return { startMs, stepMs, steps: Math.floor((endMs - startMs) / stepMs) + 1 };
}

/** Timestamps of the grid points, in unix seconds. */
export function gridTimestamps(grid: Grid): Float64Array {
  return Float64Array.from({ length: grid.steps }, (_, i) => (grid.startMs + i * grid.stepMs) / 1000);
}

/** Consecutive sub-grids of at most `maxPoints` points each: together exactly the points of `grid`, each once. */
export function splitGrid(grid: Grid, maxPoints: number): Grid[] {
  const size = Math.max(1, Math.floor(maxPoints));
  const chunks: Grid[] = [];
  for (let first = 0; first < grid.steps; first += size) {
    chunks.push({
      startMs: grid.startMs + first * grid.stepMs,
      stepMs: grid.stepMs,
      steps: Math.min(size, grid.steps - first),
    });
  }
  return chunks;
}

/** The last point of a grid, in milliseconds. */
export function gridEndMs(grid: Grid): number {
  return grid.startMs + (grid.steps - 1) * grid.stepMs;
}

/** Milliseconds as the decimal seconds Prometheus' API reads, exactly (no float noise such as 0.30000000000000004). */
export function formatSeconds(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  const fraction = abs % 1000;
  return `${sign}${Math.floor(abs / 1000)}${fraction === 0 ? '' : `.${String(fraction).padStart(3, '0').replace(/0+$/, '')}`}`;
}
