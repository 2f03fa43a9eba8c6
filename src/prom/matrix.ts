/**
 * Range-query series -> the feature matrix of `core`: one column per series, named by its canonical
 * series name, on the query's grid, with NaN where Prometheus returned no point (a gap, a stale or
 * not yet existing series).
 */
import { SyrrocaError } from '../core/errors';
import { canonicalSeriesName } from '../core/features';
import type { FeatureMatrix } from '../core/types';
import { gridOf, gridTimestamps } from './grid';
import type { PromSeries, TimeRange } from './types';

/** The canonical name of a series as the Prometheus API returns it (`__name__` among the labels). */
export function seriesName(series: Pick<PromSeries, 'metric'>): string {
  return canonicalSeriesName(series.metric.__name__ ?? '', series.metric);
}

/**
 * One column per series on the grid start..end by step, in the order given. Points off the grid are
 * a caller's bug (the series came from another range) and throw; two series with the same canonical
 * name throw, naming it, because one column would silently overwrite the other.
 */
export function seriesToMatrix(series: PromSeries[], range: TimeRange): FeatureMatrix {
  const grid = gridOf(range);
  const features = series.map(seriesName);
  const seen = new Set<string>();
  const duplicates = new Set(features.filter((name) => seen.size === seen.add(name).size));
  if (duplicates.size > 0) {
    throw new SyrrocaError(
      'duplicate-series',
      `more than one series is named ${[...duplicates].join(', ')}: give each query a distinct metric name or labels ` +
        '(an expression such as rate() or sum() drops the metric name; keep it with `by (__name__, ...)` or label_replace)'
    );
  }
  const columns = series.map((s, j) => {
    const column = new Float64Array(grid.steps).fill(NaN);
    for (let i = 0; i < s.timestamps.length; i++) {
      const offset = Math.round(s.timestamps[i] * 1000) - grid.startMs;
      const index = offset / grid.stepMs;
      if (!Number.isInteger(index) || index < 0 || index >= grid.steps) {
        throw new SyrrocaError(
          'prom-off-grid',
          `series ${features[j]} has a point at ${s.timestamps[i]}, not on the grid ${range.start}..${range.end} by ${range.step} s: ` +
            'convert series with the range they were queried with'
        );
      }
      column[index] = s.values[i];
    }
    return column;
  });
  return { timestamps: gridTimestamps(grid), features, columns };
}
