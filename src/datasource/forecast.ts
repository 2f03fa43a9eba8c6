/**
 * The `forecast` query type, Grafana-free: which range to read (the training part before the panel's
 * range, so every point of the range is judged), the series from Prometheus through the same client as
 * the other query types, then `forecastSeries` of the core, the same pipeline as `syrroca forecast`.
 */
import { SyrrocaError } from '../core/errors';
import { defaultTrain, forecastSeries, type ForecastResult } from '../core/forecast';
import { seriesToMatrix } from '../prom';
import type { PrometheusClient } from '../prom/types';
import type { ForecastSettings } from './types';

/** Windows of a query that sets none: one hour and six hours at a 1 min step, a few minutes and 3 h at 30 s. */
export const DEFAULT_WINDOWS = [60, 360];
/** Most series one forecast query models (each is fitted and walked separately; VARMA takes at most 10). */
export const MAX_FORECAST_SERIES = 10;

/** `60, 360` -> [60, 360]; a clear error for anything else. */
export function parseWindows(text: string | undefined): number[] {
  if (text === undefined || text.trim() === '') {
    return DEFAULT_WINDOWS;
  }
  const sizes = text.split(',').map((part) => Number(part.trim()));
  if (!sizes.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new SyrrocaError(
      'forecast-bad-option',
      `windows must be whole numbers of points, comma-separated (e.g. 60,360), got "${text}"`
    );
  }
  return sizes;
}

export interface ForecastPlan {
  expr: string;
  windows: number[];
  train: number;
  /** Seconds between points (the query's step, else the panel's interval). */
  step: number;
  /** Fetch range: the training part (and one step for a counter's first increment) before `first`. */
  start: number;
  end: number;
  /** First judged point: the range's start on the grid. */
  first: number;
  points: number;
}

export interface ForecastPlanOptions {
  expr: string;
  settings: ForecastSettings;
  from: number;
  to: number;
  step: number;
  maxPoints: number;
}

/** What a forecast query reads; refuses an empty query and ranges above the point budget, saying what to change. */
export function planForecast(options: ForecastPlanOptions): ForecastPlan {
  const expr = options.expr.trim();
  if (expr === '') {
    throw new SyrrocaError(
      'forecast-no-series',
      'choose the series to forecast: a PromQL query, or one of the features of the models'
    );
  }
  const windows = parseWindows(options.settings.windows);
  const train = options.settings.train ?? defaultTrain(windows);
  const step = Math.max(1, Math.round(options.step));
  const first = Math.ceil(options.from / step) * step;
  const end = Math.floor(options.to / step) * step;
  const start = first - (train + 1) * step;
  const steps = Math.max(0, Math.round((end - start) / step) + 1);
  const points = steps * MAX_FORECAST_SERIES;
  if (points > options.maxPoints) {
    throw new SyrrocaError(
      'range-too-large',
      `this forecast reads ${steps} steps of ${step} s (the range and a training part of ${train} points) for up to ` +
        `${MAX_FORECAST_SERIES} series, more than the ${options.maxPoints} points this data source handles in a browser tab: ` +
        'narrow the time range, set a longer step, or raise "Point budget" in the data source settings'
    );
  }
  return { expr, windows, train, step, start, end, first, points };
}

export interface ForecastOutcome {
  result: ForecastResult;
  /** Series the query returned beyond MAX_FORECAST_SERIES, left out. */
  leftOut: number;
  timings: { prometheusMs: number; forecastMs: number };
}

/** Reads the plan's series and runs the forecasting detectors; judged points before the range's start are cut. */
export async function runForecast(
  client: PrometheusClient,
  plan: ForecastPlan,
  settings: ForecastSettings,
  options: { signal?: AbortSignal; now?: () => number } = {}
): Promise<ForecastOutcome> {
  const now = options.now ?? (() => performance.now());
  const t0 = now();
  const range = { start: plan.start, end: plan.end, step: plan.step };
  const series = await client.queryRange(plan.expr, range, { signal: options.signal });
  if (series.length === 0) {
    throw new SyrrocaError(
      'forecast-no-series',
      `the query \`${plan.expr}\` returned no series over the range and its training part: check it in Explore`
    );
  }
  const kept = series.slice(0, MAX_FORECAST_SERIES);
  const matrix = seriesToMatrix(kept, range);
  // An aggregation without labels has no name of its own: call it by its query.
  const features = matrix.features.map((name) => name || plan.expr);
  const t1 = now();
  const result = forecastSeries(
    { timestamps: matrix.timestamps, features, columns: matrix.columns },
    {
      model: settings.model,
      windows: plan.windows,
      train: plan.train,
      stepSeconds: plan.step,
      threshold: settings.threshold,
      k: settings.k,
    }
  );
  const t2 = now();
  for (const feature of result.features) {
    for (const w of feature.windows) {
      w.points = w.points.filter((p) => p.t >= plan.first);
    }
  }
  return {
    result,
    leftOut: series.length - kept.length,
    timings: { prometheusMs: t1 - t0, forecastMs: t2 - t1 },
  };
}
