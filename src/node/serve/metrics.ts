/**
 * The exporter's series (DESIGN.md, "Exporter series"), on one prom-client registry. Cardinality is
 * bounded: per group three gauges plus the K largest feature shares; label sets of groups and
 * features no longer published are removed, never left behind with old values.
 */
import { Gauge, Histogram, Registry } from 'prom-client';

import type { GroupScore } from '../../core/types';

export interface ExporterMetrics {
  registry: Registry;
  /**
   * The outcome of one scoring step: the latest score of each group that could be scored (the
   * others are withdrawn, not left at their last value); `up` when every group was scored.
   */
  publish(model: string, latest: GroupScore[], up: boolean): void;
  /** Nothing could be scored: syrroca_up 0 and every per-group value withdrawn. */
  markDown(): void;
  observeDuration(seconds: number): void;
  /**
   * The registry's text, rendered once per change: the values change once per scoring step, while
   * many scrapers may ask for them in between (each render would take the event loop from scoring).
   */
  render(): Promise<string>;
}

export function createExporterMetrics(options: { topK: number; now?: () => number }): ExporterMetrics {
  const now = options.now ?? (() => Date.now() / 1000);
  const registry = new Registry();
  const labelNames = ['group', 'model'] as const;
  const reconstructionError = new Gauge({
    name: 'syrroca_reconstruction_error',
    help: 'Reconstruction error MSE of the group (last step of the window ending at the latest scored step).',
    labelNames,
    registers: [registry],
  });
  const threshold = new Gauge({
    name: 'syrroca_threshold',
    help: 'Anomaly threshold of the group model (from its training error).',
    labelNames,
    registers: [registry],
  });
  const anomalous = new Gauge({
    name: 'syrroca_anomalous',
    help: '1 when the reconstruction error of the group is above its threshold, else 0.',
    labelNames,
    registers: [registry],
  });
  const featureShare = new Gauge({
    name: 'syrroca_feature_share',
    help: 'Share of the group reconstruction error explained by the feature (the K largest shares of the latest step).',
    labelNames: ['group', 'model', 'feature'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'syrroca_scoring_duration_seconds',
    help: 'Time of one scoring step: fetching the last window from Prometheus and scoring every group.',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const lastSuccess = new Gauge({
    name: 'syrroca_last_success_timestamp_seconds',
    help: 'Unix time of the last scoring step that scored every group.',
    registers: [registry],
  });
  const up = new Gauge({
    name: 'syrroca_up',
    help: '1 when the last scoring step read Prometheus and scored every group, else 0.',
    registers: [registry],
  });
  up.set(0);

  const withdraw = () => {
    reconstructionError.reset();
    threshold.reset();
    anomalous.reset();
    featureShare.reset();
  };

  let rendered: Promise<string> | undefined;

  return {
    registry,
    publish(model, latest, complete) {
      rendered = undefined;
      withdraw();
      for (const s of latest) {
        const labels = { group: s.group, model };
        reconstructionError.set(labels, s.mse);
        threshold.set(labels, s.threshold);
        anomalous.set(labels, s.anomalous ? 1 : 0);
        const largest = [...s.features].sort((a, b) => b.p - a.p).slice(0, options.topK);
        for (const f of largest) {
          featureShare.set({ ...labels, feature: f.name }, f.p);
        }
      }
      if (complete) {
        lastSuccess.set(now());
      }
      up.set(complete ? 1 : 0);
    },
    markDown() {
      rendered = undefined;
      withdraw();
      up.set(0);
    },
    observeDuration(seconds) {
      rendered = undefined;
      duration.observe(seconds);
    },
    render() {
      rendered ??= registry.metrics();
      return rendered;
    },
  };
}
