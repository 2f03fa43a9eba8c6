/**
 * The exporter's series (DESIGN.md, "Exporter series"), on one prom-client registry. Cardinality is
 * bounded: per group three gauges, plus the top K feature shares, whose previous label sets are
 * removed when the top K changes.
 */
import { Gauge, Histogram, Registry } from 'prom-client';

import type { GroupScore } from '../../core/types';

export interface ExporterMetrics {
  registry: Registry;
  /** Publishes the latest score of each group. */
  publish(model: string, latest: GroupScore[]): void;
  /** Scoring failed: syrroca_up 0, and the per-group values are withdrawn rather than re-reported as fresh. */
  markDown(): void;
  observeDuration(seconds: number): void;
}

export function createExporterMetrics(options: { topK: number }): ExporterMetrics {
  const registry = new Registry();
  const labelNames = ['group', 'model'] as const;
  const reconstructionError = new Gauge({
    name: 'syrroca_reconstruction_error',
    help: 'Reconstruction error (MSE over the group features, last step of the window) of the latest scored step.',
    labelNames,
    registers: [registry],
  });
  const threshold = new Gauge({
    name: 'syrroca_threshold',
    help: 'Anomaly threshold of the group model (quantile of its training error).',
    labelNames,
    registers: [registry],
  });
  const anomalous = new Gauge({
    name: 'syrroca_anomalous',
    help: '1 when the reconstruction error is above the threshold, else 0.',
    labelNames,
    registers: [registry],
  });
  const featureShare = new Gauge({
    name: 'syrroca_feature_share',
    help: 'Share of the group reconstruction error explained by the feature (top K features of the latest step only).',
    labelNames: ['group', 'model', 'feature'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'syrroca_scoring_duration_seconds',
    help: 'Time to fetch the last window and score every group.',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const lastSuccess = new Gauge({
    name: 'syrroca_last_success_timestamp_seconds',
    help: 'Unix time of the last successful scoring step.',
    registers: [registry],
  });
  const up = new Gauge({
    name: 'syrroca_up',
    help: '1 when the last scoring step could read Prometheus and score every group, else 0.',
    registers: [registry],
  });
  up.set(0);

  return {
    registry,
    publish(model, latest) {
      reconstructionError.reset();
      threshold.reset();
      anomalous.reset();
      featureShare.reset();
      for (const s of latest) {
        const labels = { group: s.group, model };
        reconstructionError.set(labels, s.mse);
        threshold.set(labels, s.threshold);
        anomalous.set(labels, s.anomalous ? 1 : 0);
        for (const f of s.features.slice(0, options.topK)) {
          featureShare.set({ ...labels, feature: f.name }, f.p);
        }
      }
      lastSuccess.set(Date.now() / 1000);
      up.set(1);
    },
    markDown() {
      reconstructionError.reset();
      threshold.reset();
      anomalous.reset();
      featureShare.reset();
      up.set(0);
    },
    observeDuration(seconds) {
      duration.observe(seconds);
    },
  };
}
