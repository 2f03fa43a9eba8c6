/**
 * The one forecasting pipeline the shells call: the CLI on a CSV, the data source and the exporter on
 * Prometheus range queries. It adds to `forecastFeatures` only the defaults every shell shares (the
 * kind of each series read from its name, the training size) and the readings of a result that a
 * panel or a gauge needs (the per-point anomalous state, the newest point).
 */
import { SyrrocaError } from '../errors';
import { featureKind } from '../features';
import { forecastFeatures, type DetectOptions, type SeriesSet } from './detect';
import type { Episode, FeatureForecast, ForecastResult } from './types';

export interface ForecastRunOptions extends Omit<DetectOptions, 'train' | 'windows'> {
  /** Window sizes w in points; default `defaultWindows(rows)`. */
  windows?: number[];
  /** Training size st in points; default `defaultTrain(windows)`. */
  train?: number;
}

/**
 * Windows for a series of `rows` samples when none are given: a large window of an eighth of the
 * series (40 to 360 points: 3 hours at 30 s) to confirm, and a small one of a sixth of that (20 to 60:
 * fewer points leave a differenced ARIMA too little to fit) for real time. With the default training size (two large windows) a quarter of the series trains
 * and three quarters are judged; a long series gets the windows of seed 004's 30 s data (60, 360).
 * Scaled on the length, not tuned to any data set.
 */
export function defaultWindows(rows: number): number[] {
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.floor(v)));
  const large = clamp(rows / 8, 40, 360);
  const small = clamp(large / 6, 20, 60);
  return small < large ? [small, large] : [large];
}

/**
 * Twice the largest window: the model is selected and the threshold set on as many held-back points as
 * the window holds, whatever the data (nothing here is tuned to one kind of series).
 */
export function defaultTrain(windows: number[]): number {
  return 2 * Math.max(...windows);
}

/**
 * The forecasting detectors on the series of `set` (windows and training size scaled on its length when
 * not given): counters (by name, `_total`, unless `set.kinds`
 * says otherwise) are forecast as per-step increments, gauges as they are. Throws a SyrrocaError for
 * bad options, too little data, or when no series can be modelled.
 */
export function forecastSeries(set: SeriesSet, options: ForecastRunOptions): ForecastResult {
  const windows = options.windows ?? defaultWindows(set.timestamps.length);
  if (!Array.isArray(windows) || windows.length === 0) {
    throw new SyrrocaError('forecast-bad-option', 'give at least one window size w (windows)');
  }
  return forecastFeatures(
    { ...set, kinds: set.kinds ?? set.features.map((name) => featureKind(name)) },
    { ...options, windows, train: options.train ?? defaultTrain(windows) }
  );
}

/** 1 at the points (timestamps `t`) inside an episode, onset and end included, else 0. */
export function episodeStates(t: ArrayLike<number>, episodes: Episode[]): Uint8Array {
  const states = new Uint8Array(t.length);
  let e = 0;
  for (let i = 0; i < t.length; i++) {
    while (e < episodes.length && episodes[e].end < t[i]) {
      e++;
    }
    if (e < episodes.length && episodes[e].start <= t[i]) {
      states[i] = 1;
    }
  }
  return states;
}

/** The newest judged point of a feature, as the exporter publishes it. */
export interface LatestForecast {
  t: number;
  value: number;
  predicted: number;
  /** pe of the smallest (real-time) window; NaN when the value or its prediction is missing. */
  error: number;
  threshold: number;
  /** The point lies in an episode of the windows combined by the run's rule. */
  anomalous: boolean;
}

export function latestForecast(feature: FeatureForecast): LatestForecast | null {
  const points = feature.windows[0]?.points ?? [];
  const last = points[points.length - 1];
  if (last === undefined) {
    return null;
  }
  const anomalous = feature.combined.episodes.some((e) => e.start <= last.t && last.t <= e.end);
  return {
    t: last.t,
    value: last.value,
    predicted: last.predicted,
    error: last.error,
    threshold: last.threshold,
    anomalous,
  };
}
