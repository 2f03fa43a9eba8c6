/**
 * The exporter's forecasting detectors (`serve --forecast QUERY`): at every step boundary, read each
 * configured query over its training part and history, run `forecastSeries` of the core (the same
 * pipeline as `syrroca forecast` and the data source's `forecast` query), and publish the newest point
 * of each series. Stateless between steps (the models are selected again on the trailing data, so
 * the exporter follows the series without a training step); a series whose newest value is missing,
 * or that cannot be forecast, is withdrawn, never left at an old value.
 *
 * Cardinality is bounded: at most `maxSeries` series in all (the queries' first series, in order).
 */
import { Gauge, type Registry } from 'prom-client';

import { SyrrocaError } from '../../core/errors';
import {
  checkForecastOptions,
  defaultTrain,
  forecastSeries,
  latestForecast,
  type ForecastModelChoice,
  type LatestForecast,
  type ThresholdKind,
} from '../../core/forecast';
import { seriesToMatrix } from '../../prom';
import type { PromSeries, TimeRange } from '../../prom/types';

export interface ForecasterOptions {
  /** PromQL, one per configured feature (a query may return several series, forecast together). */
  queries: string[];
  /** Reads one query over a range (the exporter's Prometheus client). */
  read: (query: string, range: TimeRange, signal: AbortSignal) => Promise<PromSeries[]>;
  stepSeconds: number;
  windows: number[];
  train?: number;
  model?: ForecastModelChoice;
  threshold?: ThresholdKind;
  /** Most series published (default 10). */
  maxSeries?: number;
  registry: Registry;
  /** Seconds behind now that the newest point lies, so its scrape has landed; default one step. */
  lagSeconds?: number;
  log?: (line: string) => void;
  now?: () => number;
}

export interface ForecastStepOutcome {
  ok: boolean;
  at: number;
  latest: Array<LatestForecast & { feature: string }>;
  errors: string[];
}

export interface Forecaster {
  step(): Promise<ForecastStepOutcome>;
  start(): void;
  stop(): Promise<void>;
}

/** Gives the event loop a turn between series: a scrape of /metrics is answered while a long step runs. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createForecaster(options: ForecasterOptions): Forecaster {
  const now = options.now ?? (() => Date.now() / 1000);
  const log = options.log ?? (() => {});
  const maxSeries = options.maxSeries ?? 10;
  const train = options.train ?? defaultTrain(options.windows);
  // Bad options (st <= w, ...) stop the exporter at start, not at every step.
  checkForecastOptions({ windows: options.windows, train, model: options.model, threshold: options.threshold });
  const step = options.stepSeconds;
  // The training part, then a largest window of judged points so that an episode in progress is seen whole.
  const span = (train + Math.max(...options.windows) + 1) * step;
  const registers = [options.registry];
  const labelNames = ['feature'] as const;
  const error = new Gauge({
    name: 'syrroca_forecast_error',
    help: 'Prediction error |value - one-step forecast| of the feature at the newest step (smallest window).',
    labelNames,
    registers,
  });
  const threshold = new Gauge({
    name: 'syrroca_forecast_threshold',
    help: 'Threshold on the prediction error of the feature at the newest step.',
    labelNames,
    registers,
  });
  const anomalous = new Gauge({
    name: 'syrroca_forecast_anomalous',
    help: '1 while the feature is in an anomalous episode of its forecasting detectors (windows combined), else 0.',
    labelNames,
    registers,
  });
  const up = new Gauge({
    name: 'syrroca_forecast_up',
    help: '1 when the last forecasting step read every query and published every series, else 0.',
    registers,
  });
  up.set(0);

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | null = null;
  let controller: AbortController | null = null;
  let stopped = true;
  let reported: string[] = [];

  async function forecastStep(): Promise<ForecastStepOutcome> {
    const end = Math.floor((now() - (options.lagSeconds ?? step) + 0.05) / step) * step;
    const range = { start: end - span, end, step };
    controller = new AbortController();
    const latest: ForecastStepOutcome['latest'] = [];
    const errors: string[] = [];
    let budget = maxSeries;
    for (const query of options.queries) {
      if (budget <= 0) {
        errors.push(
          `\`${query}\`: not forecast, the exporter publishes at most ${maxSeries} series (--forecast-max-series)`
        );
        continue;
      }
      try {
        const series = await options.read(query, range, controller.signal);
        if (series.length === 0) {
          throw new SyrrocaError('forecast-no-series', 'matched no series');
        }
        if (series.length > budget) {
          errors.push(
            `\`${query}\`: ${series.length - budget} of its ${series.length} series left out (--forecast-max-series ${maxSeries})`
          );
        }
        const matrix = seriesToMatrix(series.slice(0, budget), range);
        budget -= matrix.features.length;
        const features = matrix.features.map((name) => name || query);
        const result = forecastSeries(
          { timestamps: matrix.timestamps, features, columns: matrix.columns },
          { windows: options.windows, train, model: options.model, threshold: options.threshold, stepSeconds: step }
        );
        for (const d of result.dropped) {
          errors.push(`${d.name}: not forecast, ${d.reason}`);
        }
        for (const f of result.features) {
          const last = latestForecast(f);
          if (last === null || last.t !== end || !Number.isFinite(last.error)) {
            errors.push(`${f.feature}: no value or prediction at the newest step (a scrape is late or failing)`);
          } else {
            latest.push({ feature: f.feature, ...last });
          }
        }
      } catch (err) {
        if (controller.signal.aborted) {
          throw err;
        }
        errors.push(`\`${query}\`: ${err instanceof Error ? err.message : String(err)}`);
      }
      await breathe();
    }
    error.reset();
    threshold.reset();
    anomalous.reset();
    for (const l of latest) {
      error.set({ feature: l.feature }, l.error);
      threshold.set({ feature: l.feature }, l.threshold);
      anomalous.set({ feature: l.feature }, l.anomalous ? 1 : 0);
    }
    up.set(errors.length === 0 ? 1 : 0);
    // Each problem is logged when it appears, not at every step.
    for (const e of errors.filter((x) => !reported.includes(x))) {
      log(`forecast: ${e}`);
    }
    reported = errors;
    return { ok: errors.length === 0, at: end, latest, errors };
  }

  function schedule(): void {
    if (stopped) {
      return;
    }
    const t = now();
    const next = (Math.floor(t / step) + 1) * step;
    timer = setTimeout(run, (next - t) * 1000 + 10);
  }

  function run(): void {
    running = forecastStep()
      .catch(() => undefined)
      .finally(() => {
        running = null;
        schedule();
      });
  }

  return {
    step: forecastStep,
    start() {
      stopped = false;
      run();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
      await running;
    },
  };
}
