/**
 * What a query tells the user beside its data: the tfjs backend (and why another was passed over),
 * timings, and warnings about the data (scrape interval coarser than the model's step, windows left
 * out for missing values, values outside the training range); and errors worded for the panel.
 */
import type { DataQueryError, QueryResultMeta, QueryResultMetaNotice } from '@grafana/data';

import { SyrrocaError } from '../core/errors';
import { PrometheusError } from '../prom';
import type { KpiSeries, ScoringOutcome, ScoringPlan } from './scoring';
import { BACKEND_NAMES, type TfRuntime } from './tf';

export interface RunInfo {
  runtime: Pick<TfRuntime, 'backend' | 'fallbacks' | 'workers' | 'workersProblem'>;
  /** False when the model hashes could not be checked (no crypto.subtle). */
  verified: boolean;
  /** Time to load tfjs and the models, when this query waited for it. */
  loadMs?: number;
}

/** Details for tools and the query editor, under `meta.custom.syrroca`. */
export interface RunDetails {
  backend: string;
  fallbacks: string[];
  /** Web Workers per model of the `simd` backend (0: the page's thread). */
  workers?: number;
  step: number;
  groups: string[];
  steps: number;
  timings: { prometheusMs: number; scoringMs: number; loadMs?: number };
  dataStep?: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

function names(list: string[], max = 3): string {
  return list.length > max ? `${list.slice(0, max).join(', ')} and ${list.length - max} more` : list.join(', ');
}

export function runMeta(info: RunInfo, plan: ScoringPlan, outcome: ScoringOutcome, kpi?: KpiSeries): QueryResultMeta {
  const notices: QueryResultMetaNotice[] = [];
  const backend = BACKEND_NAMES[info.runtime.backend];
  for (const reason of info.runtime.fallbacks) {
    notices.push({ severity: 'warning', text: `${reason}; scoring with ${backend} instead` });
  }
  if (info.runtime.workersProblem) {
    notices.push({ severity: 'warning', text: info.runtime.workersProblem });
  }
  const workers = info.runtime.workers ?? 0;
  const groups = plan.models.map((m) => m.manifest.group);
  const steps = Math.max(0, Math.round((plan.end - plan.first) / plan.step) + 1);
  const { prometheusMs, scoringMs } = outcome.timings;
  notices.push({
    severity: 'info',
    text:
      `${groups.join(', ')}: ${steps} steps of ${plan.step} s scored on ${backend}${workers > 0 ? ` (${workers} Web Worker${workers > 1 ? 's' : ''})` : ''} in ${seconds(scoringMs)} ` +
      `(Prometheus ${seconds(prometheusMs)}${info.loadMs !== undefined ? `, loading tfjs and models ${seconds(info.loadMs)}` : ''})`,
  });
  if (!info.verified) {
    notices.push({
      severity: 'warning',
      text: 'the models were not checked against their content hashes: this page is not a secure context (serve Grafana over HTTPS)',
    });
  }
  if (outcome.dataStep !== undefined) {
    notices.push({
      severity: 'warning',
      text:
        `the data changes only every ~${outcome.dataStep} s but the models read it every ${plan.step} s, so counter increments ` +
        `alternate between 0 and bursts the models never saw: train at the scrape interval (--step ${outcome.dataStep}) or scrape faster`,
    });
  }
  for (const { manifest: m } of plan.models) {
    // Steps of the range on this model's grid that got no score: their window holds missing values.
    const expected = Math.floor(plan.end / m.stepSeconds) - Math.ceil(plan.first / m.stepSeconds) + 1;
    const missing = expected - outcome.scores.filter((s) => s.group === m.group).length;
    if (missing > 0) {
      notices.push({
        severity: 'info',
        text: `${m.group}: ${missing} of ${expected} steps not scored, their window holds missing values (gaps are never filled)`,
      });
    }
  }
  for (const { group, features } of outcome.outOfRange) {
    notices.push({
      severity: 'info',
      text: `${group}: ${features.length} feature(s) outside their training range (${names(features)})`,
    });
  }
  if (outcome.empty.length > 0) {
    notices.push({
      severity: 'info',
      text: `${outcome.empty.length} feature quer${outcome.empty.length === 1 ? 'y' : 'ies'} matched no series: ${names(
        outcome.empty.map((e) => `\`${e.query}\``),
        2
      )}`,
    });
  }
  if (kpi?.note) {
    notices.push({ severity: 'warning', text: kpi.note });
  }
  const details: RunDetails = {
    backend: info.runtime.backend,
    fallbacks: info.runtime.fallbacks,
    ...(info.runtime.workers !== undefined ? { workers: info.runtime.workers } : {}),
    step: plan.step,
    groups,
    steps,
    timings: { prometheusMs, scoringMs, loadMs: info.loadMs },
    dataStep: outcome.dataStep,
  };
  return {
    notices,
    stats: [
      { displayName: 'Prometheus', value: prometheusMs, unit: 'ms' },
      { displayName: `Scoring (${info.runtime.backend})`, value: scoringMs, unit: 'ms' },
      ...(info.loadMs !== undefined
        ? [{ displayName: 'Loading tfjs and models', value: info.loadMs, unit: 'ms' }]
        : []),
    ],
    custom: { syrroca: details },
  };
}

/** An error as the panel shows it: the SyrrocaError's message (it says what to do), with its code for the query editor. */
export function queryError(err: unknown, refId: string | undefined, prometheusName: string): DataQueryError {
  let message: string;
  let code = 'internal';
  if (err instanceof PrometheusError) {
    code = err.code;
    message =
      err.status === 502 || err.status === 504
        ? `Grafana cannot reach the Prometheus of data source "${prometheusName}" (HTTP ${err.status} from its data proxy): ` +
          `check that data source's URL with Save & test, and that Prometheus is running`
        : `Prometheus (data source "${prometheusName}"): ${err.message}`;
  } else if (err instanceof SyrrocaError) {
    code = err.code;
    message = err.message;
  } else {
    message = `unexpected error (please report it): ${(err as Error)?.message ?? String(err)}`;
  }
  return { refId, message, data: { message, error: code } };
}
