/**
 * One scoring run of the data source, Grafana-free: which range and groups to read (the plan), the
 * features from Prometheus through the query set, then `scoreGroups` of the core, run in bounded
 * chunks so that a long range never freezes the tab and a superseded query stops between chunks.
 */
import { SyrrocaError } from '../core/errors';
import { featureKind } from '../core/features';
import { scoreGroups, type ScoringModel } from '../core/pipeline';
import type { FeatureMatrix, GroupScore } from '../core/types';
import { fetchQuerySet, seriesName } from '../prom';
import { keepFeatures, trainingQuery, type ModelsQuery } from '../prom/derive';
import { parseTemplate, templateVariables } from '../prom/template';
import type { PrometheusClient } from '../prom/types';

export interface ScoringPlan {
  models: ScoringModel[];
  /** The grid Prometheus is read on: the finest step of the models. */
  step: number;
  /** Fetch range: `first` minus the history the first window needs (counters need one step more). */
  start: number;
  end: number;
  /** First reported score: the range's start on the grid. */
  first: number;
  /** Features x steps scored. */
  points: number;
  /** What to read: the query set training used, or one derived from the models' features (see `trainingQuery`). */
  query: ModelsQuery;
}

export interface PlanOptions {
  /** The models' folder, for messages. */
  source: string;
  /** Selected groups; empty = all groups of the models. */
  groups: string[];
  /** Unix seconds. */
  from: number;
  to: number;
  maxPoints: number;
}

const list = (names: string[]) => names.join(', ');

function duration(seconds: number): string {
  if (seconds >= 7200) {
    return `${Math.floor(seconds / 3600)} h`;
  }
  if (seconds >= 120) {
    return `${Math.floor(seconds / 60)} min`;
  }
  return `${Math.floor(seconds)} s`;
}

/** Which models, range and queries a query needs; refuses ranges above the point budget, saying how far to narrow. */
export function planScoring(all: ScoringModel[], options: PlanOptions): ScoringPlan {
  const byGroup = new Map(all.map((m) => [m.manifest.group, m]));
  const unknown = options.groups.filter((g) => !byGroup.has(g));
  if (unknown.length > 0) {
    throw new SyrrocaError(
      'group-unknown',
      `no model for group(s) ${list(unknown)}; the models have ${list([...byGroup.keys()])}: choose among them in the query`
    );
  }
  const models = options.groups.length > 0 ? options.groups.map((g) => byGroup.get(g)!) : all;
  const step = Math.min(...models.map((m) => m.manifest.stepSeconds));
  const history = Math.max(...models.map((m) => m.manifest.window * m.manifest.stepSeconds));
  const first = Math.ceil(options.from / step) * step;
  const end = Math.floor(options.to / step) * step;
  const start = first - history;
  const features = models.reduce((n, m) => n + m.manifest.features.length, 0);
  const steps = Math.max(0, Math.round((end - start) / step) + 1);
  const points = steps * features;
  if (points > options.maxPoints) {
    const fit = Math.max(0, Math.floor(options.maxPoints / features) - 1) * step - history;
    throw new SyrrocaError(
      'range-too-large',
      `this range needs ${steps} steps x ${features} features = ${points} points, more than the ${options.maxPoints} ` +
        `this data source scores in a browser tab: ` +
        (fit > 0 ? `narrow the time range to at most ${duration(fit)}, ` : '') +
        `select fewer groups, or raise "Point budget" in the data source settings`
    );
  }
  return {
    models,
    step,
    start,
    end,
    first,
    points,
    query: trainingQuery(
      models.map((m) => m.manifest),
      options.source
    ),
  };
}

/** The variables the plan's queries use (`namespace`, `instance`, ...), once each. */
export function planVariables(plan: ScoringPlan): string[] {
  const names = Object.values(plan.query.querySet.groups).flatMap((queries) =>
    queries.flatMap((q) => templateVariables(parseTemplate(q)))
  );
  return [...new Set(names)];
}

/** Lets the browser paint and handle input between chunks. */
const yieldToBrowser = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export class ScoringCancelled extends SyrrocaError {
  constructor() {
    super('cancelled', 'the query was cancelled');
  }
}

/**
 * `work`, or ScoringCancelled as soon as `signal` aborts: a chunk already handed to Web Workers
 * finishes there, unseen, instead of holding the cancelled query until it does.
 */
function unlessAborted<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) {
    return work;
  }
  return new Promise((resolve, reject) => {
    const stop = () => reject(new ScoringCancelled());
    if (signal.aborted) {
      stop();
    }
    signal.addEventListener('abort', stop, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

/**
 * The model with its reconstruction cut into chunks of `chunk` windows, yielding to the browser in
 * between and stopping when `signal` aborts, without waiting for the chunk under way. Rows are
 * independent, so chunks change no result.
 */
export function inChunks(model: ScoringModel, chunk: number, signal?: AbortSignal): ScoringModel {
  return {
    ...model,
    reconstruct: async (windows, count) => {
      const stride = model.input.window * model.input.features;
      const out = new Float32Array(count * stride);
      for (let start = 0; start < count; start += chunk) {
        if (signal?.aborted) {
          throw new ScoringCancelled();
        }
        const size = Math.min(chunk, count - start);
        out.set(
          await unlessAborted(
            model.reconstruct(windows.subarray(start * stride, (start + size) * stride), size),
            signal
          ),
          start * stride
        );
        await yieldToBrowser();
      }
      return out;
    },
  };
}

export interface ScoringOutcome {
  scores: GroupScore[];
  /** Per group, the features with values outside their training range. */
  outOfRange: Array<{ group: string; features: string[] }>;
  /** Queries that matched no series over the range. */
  empty: Array<{ group: string; query: string }>;
  /** Seconds between changes of the data, when coarser than the step (see `dataStepHint`). */
  dataStep?: number;
  timings: { prometheusMs: number; scoringMs: number };
}

export interface RunOptions {
  vars: Record<string, string>;
  /** Windows per chunk of reconstruction. */
  chunk: number;
  /** Points (steps x features) per slice of the range scored at once (default 50,000): bounds each stretch of work between turns of the event loop. */
  slicePoints?: number;
  allowExtraFeatures?: boolean;
  signal?: AbortSignal;
  now?: () => number;
}

/**
 * How often the data really changes, when that is coarser than the step it is read at: the median,
 * over counters that move, of the mean run of repeated values, times the step. A scrape interval
 * longer than the model's step makes counter increments alternate between 0 and a multiple, which
 * the model never saw. Undefined when the data changes at (about) every step.
 */
export function dataStepHint(matrix: FeatureMatrix, step: number): number | undefined {
  const runs: number[] = [];
  matrix.columns.forEach((column, j) => {
    if (featureKind(matrix.features[j]) !== 'counter') {
      return;
    }
    let changes = 0;
    let valid = 0;
    for (let i = 1; i < column.length; i++) {
      if (!Number.isNaN(column[i]) && !Number.isNaN(column[i - 1])) {
        valid++;
        if (column[i] !== column[i - 1]) {
          changes++;
        }
      }
    }
    if (changes >= 2) {
      runs.push(valid / changes);
    }
  });
  if (runs.length === 0) {
    return undefined;
  }
  runs.sort((a, b) => a - b);
  const median = runs[Math.floor(runs.length / 2)];
  return median >= 1.5 ? Math.round(median) * step : undefined;
}

const rows = (matrix: FeatureMatrix, from: number, to: number): FeatureMatrix => ({
  timestamps: matrix.timestamps.subarray(from, to),
  features: matrix.features,
  columns: matrix.columns.map((c) => c.subarray(from, to)),
});

/**
 * `scoreGroups` over consecutive slices of the range, yielding to the browser between them: every
 * stage of scoring (resampling, windows, attribution) works on one slice at a time, so no stretch
 * of work grows with the range. Each slice starts with enough earlier rows for its first window
 * (and that window's first counter increment, on the coarsest model's grid); the scores of those
 * rows come from the slice before. Scores are the same as over the whole range at once.
 */
async function scoreInSlices(
  matrix: FeatureMatrix,
  plan: ScoringPlan,
  options: RunOptions
): Promise<{ scores: GroupScore[]; outOfRange: ScoringOutcome['outOfRange'] }> {
  const n = matrix.timestamps.length;
  const history = Math.max(
    ...plan.models.map((m) => Math.ceil(((m.manifest.window + 2) * m.manifest.stepSeconds) / plan.step))
  );
  const features = Math.max(1, matrix.features.length);
  const slice = Math.max(history, Math.floor((options.slicePoints ?? 50_000) / features));
  const models = plan.models.map((m) => inChunks(m, options.chunk, options.signal));
  const scores: GroupScore[] = [];
  const outOfRange = new Map(plan.models.map((m) => [m.manifest.group, new Set<string>()]));
  for (let first = 0; first < n || first === 0; first += slice) {
    const from = Math.max(0, first - history);
    const result = await scoreGroups(rows(matrix, from, Math.min(n, first + slice)), models, {
      allowExtraFeatures: options.allowExtraFeatures,
    });
    const start = first === 0 ? -Infinity : matrix.timestamps[first];
    for (const score of result.scores) {
      if (score.t >= start) {
        scores.push(score);
      }
    }
    for (const d of result.diagnostics) {
      d.outOfRange.forEach((o) => outOfRange.get(d.group)?.add(o.name));
    }
    if (first + slice < n) {
      if (options.signal?.aborted) {
        throw new ScoringCancelled();
      }
      await yieldToBrowser();
    }
  }
  return {
    scores,
    outOfRange: [...outOfRange.entries()]
      .filter(([, names]) => names.size > 0)
      .map(([group, names]) => ({ group, features: [...names] })),
  };
}

/** Reads the plan's features from Prometheus and scores them with the core pipeline. */
export async function runScoring(
  client: PrometheusClient,
  plan: ScoringPlan,
  options: RunOptions
): Promise<ScoringOutcome> {
  const now = options.now ?? (() => performance.now());
  if (plan.end < plan.first) {
    // The range holds no step of the grid (shorter than one step): nothing to read or score.
    return { scores: [], outOfRange: [], empty: [], timings: { prometheusMs: 0, scoringMs: 0 } };
  }
  const t0 = now();
  const data = await fetchQuerySet(
    client,
    plan.query.querySet,
    { start: plan.start, end: plan.end, step: plan.step },
    options.vars,
    { signal: options.signal }
  );
  const matrix = plan.query.features ? keepFeatures(data.matrix, plan.query.features) : data.matrix;
  const t1 = now();
  let result;
  try {
    result = await scoreInSlices(matrix, plan, options);
  } catch (err) {
    if (err instanceof SyrrocaError && err.code === 'artifact-mismatch' && data.empty.length > 0) {
      const values = Object.entries(options.vars).map(([k, v]) => `${k}="${v}"`);
      throw new SyrrocaError(
        err.code,
        `${err.message}. ${data.empty.length} quer${data.empty.length === 1 ? 'y' : 'ies'} matched no series in the range` +
          (values.length ? ` (with ${values.join(', ')})` : '') +
          `: ${data.empty
            .slice(0, 3)
            .map((e) => `\`${e.query}\``)
            .join(', ')}${data.empty.length > 3 ? ` and ${data.empty.length - 3} more` : ''}; ` +
          'check the namespace and that Prometheus scrapes cAdvisor and node-exporter'
      );
    }
    throw err;
  }
  const t2 = now();
  return {
    scores: result.scores.filter((s) => s.t >= plan.first),
    outOfRange: result.outOfRange,
    empty: data.empty,
    dataStep: dataStepHint(matrix, plan.step),
    timings: { prometheusMs: t1 - t0, scoringMs: t2 - t1 },
  };
}

export interface KpiSeries {
  name: string;
  t: Float64Array;
  values: Float64Array;
  /** Why the KPI is partial or missing, for a notice. */
  note?: string;
}

/** The KPI on the plan's grid (scores' timestamps); the first series when the query returns several, saying so. */
export async function fetchKpi(
  client: PrometheusClient,
  query: string,
  plan: ScoringPlan,
  signal?: AbortSignal
): Promise<KpiSeries> {
  const series = await client.queryRange(query, { start: plan.first, end: plan.end, step: plan.step }, { signal });
  if (series.length === 0) {
    return {
      name: query,
      t: new Float64Array(0),
      values: new Float64Array(0),
      note: `the KPI query \`${query}\` returned no series in the range: check it in Explore`,
    };
  }
  const [s] = series;
  const name = seriesName(s) || query;
  return {
    name,
    t: s.timestamps,
    values: s.values,
    note:
      series.length > 1
        ? `the KPI query \`${query}\` returns ${series.length} series; the radiography uses ${name}: aggregate the query (e.g. sum(...)) to get one`
        : undefined,
  };
}
