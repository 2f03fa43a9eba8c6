/**
 * The forecasting detectors of seed 004 as one pipeline: regularise the series, filter the features,
 * min-max scale with the training part, then for every window size w:
 * - select a model per feature: the best ARIMA and (with a season) SARIMA orders by AICc, and (with
 *   two or more features) the best VARMA by AIC, each fitted on the first w points and walked forward
 *   over the rest of the training part (refit on the last w points every `step` points, one-step
 *   predictions in between); the candidate with the lowest held-back MSE / RMSE / MAPE wins;
 * - walk the winner forward over the whole series, so every prediction at t uses data before t only;
 * - judge the points after the training part against the dynamic threshold (mean + k sigma of the
 *   trailing errors) or the fixed one (mean + 3 sigma of the held-back errors), and group the
 *   anomalous points into episodes;
 * then combine the windows' episodes by the chosen rule.
 */
import { SyrrocaError } from '../errors';
import { filterFeatures, type FilterOptions } from '../filter';
import { applyMinMax, fitMinMax, type MinMax } from '../scaling';
import { dynamicThreshold, fitThreshold } from '../score';
import { toModelInputs } from '../features';
import type { FeatureKind, FeatureMatrix } from '../types';
import { arimaOneStep, describeOrder, fitArima, minimumLength, selectArimaOrder } from './arima';
import { difference, differencingLags } from './arma';
import { combineEpisodes, findEpisodes } from './episodes';
import { forecastScores, scoreOf } from './metrics';
import { regularize } from './series';
import type {
  ArimaModel,
  CombineRule,
  FeatureForecast,
  ForecastFamily,
  ForecastModel,
  ForecastModelChoice,
  ForecastOptions,
  ForecastPoint,
  ForecastResult,
  OrderBounds,
  SelectionMetric,
  SelectionRow,
  ThresholdKind,
  VarmaModel,
  WindowForecast,
} from './types';
import { chooseDifferencing, chooseSeasonalDifferencing, detectSeason } from './unitroot';
import { fitVarma, varmaOneStep } from './varma';

/** Fewest held-back points (training part after the first window) that select a model and set a threshold. */
export const MIN_HELD_BACK = 10;
/** Shortest window any model is fitted on. */
export const MIN_WINDOW = 10;
/** Most series a VARMA models jointly (seed 004 used four). */
export const MAX_VARMA_FEATURES = 10;

export interface DetectOptions extends ForecastOptions {
  /** Sampling step in seconds (default: the median spacing of the timestamps). */
  stepSeconds?: number;
  /**
   * Feature filtering over the training part (see core/filter). Missing and constant series are always
   * dropped (there is nothing to fit); `maxCorrelation` above 1 keeps correlated pairs.
   */
  filter?: Omit<FilterOptions, 'rows'>;
  /** Called after each (window, feature) model search: a long run can show progress. */
  onProgress?: (done: number, total: number) => void;
}

/** Series on one time axis: a FeatureMatrix, or raw columns whose timestamps may be unsorted, repeated or irregular. */
export interface SeriesSet {
  timestamps: ArrayLike<number>;
  features: string[];
  columns: Array<ArrayLike<number>>;
  /**
   * Kind of each column (default: all gauges). Counters (cumulative, e.g. `_total`) are forecast as
   * per-step increments, resets handled, after the series is on its regular grid.
   */
  kinds?: FeatureKind[];
}

interface Resolved {
  model: ForecastModelChoice;
  train: number;
  windows: number[];
  step: number | undefined;
  season: number | 'auto' | null;
  metric: SelectionMetric;
  threshold: ThresholdKind;
  k: number;
  dynamicWindow: number | undefined;
  combine: CombineRule;
  mergeGap: number;
  maxGap: number;
  bounds: Required<OrderBounds>;
}

function badOption(message: string): SyrrocaError {
  return new SyrrocaError('forecast-bad-option', message);
}

function wholeNumber(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw badOption(`${name} must be a whole number >= ${min}, got ${String(value)}`);
  }
  return value;
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) {
    return fallback;
  }
  if (!allowed.includes(value as T)) {
    throw badOption(`${name} must be one of ${allowed.join(', ')}, got ${String(value)}`);
  }
  return value as T;
}

function resolve(options: ForecastOptions): Resolved {
  const train = wholeNumber('the training size st (train)', options.train, 2);
  if (!Array.isArray(options.windows) || options.windows.length === 0) {
    throw badOption('give at least one window size w (windows)');
  }
  const windows = Array.from(new Set(options.windows.map((w) => wholeNumber('a window size w', w, MIN_WINDOW)))).sort(
    (a, b) => a - b
  );
  for (const w of windows) {
    if (train <= w) {
      throw badOption(
        `the training size st = ${train} must be larger than every window w (st > w), but w = ${w}: ` +
          'raise the training size or lower the window'
      );
    }
    if (train - w < MIN_HELD_BACK) {
      throw badOption(
        `with st = ${train} and w = ${w} only ${train - w} held-back points remain to select a model and set ` +
          `the threshold; need at least ${MIN_HELD_BACK}: raise the training size or lower the window`
      );
    }
  }
  const season = options.season === undefined ? 'auto' : options.season;
  if (season !== 'auto' && season !== null) {
    wholeNumber('the seasonal period (season)', season, 2);
  }
  const k = options.k ?? 3;
  if (typeof k !== 'number' || !(k > 0) || !Number.isFinite(k)) {
    throw badOption(`the threshold coefficient k must be a positive number, got ${String(options.k)}`);
  }
  const bounds = options.bounds ?? {};
  if (options.dynamicWindow !== undefined && options.dynamicWindow > train) {
    throw badOption(
      `the dynamic threshold window (${options.dynamicWindow}) must not exceed the training size st = ${train}: ` +
        'it needs that many errors behind the first judged point'
    );
  }
  return {
    model: oneOf('model', options.model, ['auto', 'arima', 'sarima', 'varma'] as const, 'auto'),
    train,
    windows,
    step: options.step === undefined ? undefined : wholeNumber('the step', options.step, 1),
    season,
    metric: oneOf('metric', options.metric, ['mse', 'rmse', 'mape'] as const, 'mse'),
    threshold: oneOf('threshold', options.threshold, ['fixed', 'dynamic'] as const, 'dynamic'),
    k,
    dynamicWindow:
      options.dynamicWindow === undefined
        ? undefined
        : wholeNumber('the dynamic threshold window', options.dynamicWindow, 2),
    combine: oneOf('combine', options.combine, ['any', 'all', 'confirm'] as const, 'confirm'),
    mergeGap: options.mergeGap === undefined ? 2 : wholeNumber('mergeGap', options.mergeGap, 0),
    maxGap: options.maxGap === undefined ? 5 : wholeNumber('maxGap', options.maxGap, 0),
    bounds: {
      p: wholeNumber('bounds.p', bounds.p ?? 3, 0),
      q: wholeNumber('bounds.q', bounds.q ?? 3, 0),
      P: wholeNumber('bounds.P', bounds.P ?? 1, 0),
      Q: wholeNumber('bounds.Q', bounds.Q ?? 1, 0),
      d: wholeNumber('bounds.d', bounds.d ?? 2, 0),
      varP: wholeNumber('bounds.varP', bounds.varP ?? 2, 1),
      varQ: wholeNumber('bounds.varQ', bounds.varQ ?? 1, 0),
    },
  };
}

/** Throws the SyrrocaError `forecastFeatures` raises for these options (st <= w, a bad k, ...), before any data: for editors. */
export function checkForecastOptions(options: ForecastOptions): void {
  resolve(options);
}

/** Unit-root and seasonal structure of one feature, read from its training part. */
interface Structure {
  d: number;
  s: number | null;
  D: number;
  /** Why there is no seasonal candidate, when there is none. */
  noSeason?: string;
}

function structureOf(train: Float64Array, r: Resolved): Structure {
  const d0 = chooseDifferencing(train, r.bounds.d);
  let s: number | null = null;
  let noSeason: string | undefined;
  if (typeof r.season === 'number') {
    s = r.season;
  } else if (r.season === 'auto') {
    s = detectSeason(difference(train, differencingLags(d0, 0, 1)));
    if (s === null) {
      noSeason = 'no seasonal period found in the training part (autocorrelation peak >= 0.3)';
    }
  } else {
    noSeason = 'no seasonal period given';
  }
  if (s === null) {
    return { d: d0, s: null, D: 0, noSeason };
  }
  const D = chooseSeasonalDifferencing(train, s);
  const d = D === 0 ? d0 : chooseDifferencing(difference(train, differencingLags(0, 1, s)), r.bounds.d);
  return { d, s, D };
}

/** A candidate model of one family on one window size, ready to walk forward. */
interface Candidate {
  family: ForecastFamily;
  label: string;
  /** Indices (into the kept features) it predicts. */
  targets: number[];
  first: ForecastModel;
  refit(from: number, to: number, previous: ForecastModel): ForecastModel;
  /** Scaled one-step predictions of each target for [predictFrom, to). */
  predict(model: ForecastModel, warmFrom: number, predictFrom: number, to: number): Float64Array[];
  /** Observations after a long gap before its predictions are judged again. */
  settle: number;
}

/** A candidate that could not be built, with the reason shown in the selection table. */
interface Unavailable {
  family: ForecastFamily;
  label: string;
  error: string;
}

interface Walk {
  /** Scaled predictions per target, NaN before the first window's end. */
  predictions: Float64Array[];
  refits: number;
  failedRefits: number;
}

/** Fit on the first w points, predict the next `step`, refit on the last w, ... until `to`. */
function walkForward(c: Candidate, n: number, w: number, step: number, to: number): Walk {
  const predictions = c.targets.map(() => new Float64Array(n).fill(NaN));
  let model = c.first;
  let refits = 0;
  let failedRefits = 0;
  for (let tau = w; tau < to; tau += step) {
    if (tau > w) {
      refits++;
      try {
        model = c.refit(tau - w, tau, model);
      } catch (err) {
        if (!(err instanceof SyrrocaError)) {
          throw err;
        }
        // A flat or sparse window: keep the coefficients of the previous one.
        failedRefits++;
      }
    }
    const end = Math.min(tau + step, to);
    c.predict(model, tau - w, tau, end).forEach((segment, i) => predictions[i].set(segment, tau));
  }
  return { predictions, refits, failedRefits };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function arimaCandidates(
  x: Float64Array,
  target: number,
  structure: Structure,
  w: number,
  r: Resolved
): Array<Candidate | Unavailable> {
  const out: Array<Candidate | Unavailable> = [];
  const wantArima = r.model === 'auto' || r.model === 'arima';
  const wantSarima = r.model === 'auto' || r.model === 'sarima';
  const make = (first: ArimaModel): Candidate => ({
    family: first.family,
    label: describeOrder(first.order),
    targets: [target],
    first,
    refit: (from, to, previous) =>
      fitArima(x.subarray(from, to), first.order, { method: first.method, start: previous as ArimaModel }),
    predict: (model, warmFrom, predictFrom, to) => [arimaOneStep(model as ArimaModel, x, warmFrom, predictFrom, to)],
    settle: Math.max(1, first.order.p + first.order.d),
  });
  if (wantArima) {
    try {
      out.push(make(selectArimaOrder(x.subarray(0, w), { d: structure.d, maxP: r.bounds.p, maxQ: r.bounds.q }).model));
    } catch (err) {
      out.push({ family: 'arima', label: `ARIMA(p,${structure.d},q)`, error: message(err) });
    }
  }
  if (!wantSarima) {
    return out;
  }
  const s = structure.s;
  if (s === null) {
    out.push({ family: 'sarima', label: 'SARIMA', error: structure.noSeason ?? 'no seasonal period' });
    return out;
  }
  const smallest = { p: 0, d: structure.d, q: 0, P: 1, D: structure.D, Q: 0, s };
  if (minimumLength(smallest) > w) {
    out.push({
      family: 'sarima',
      label: describeOrder(smallest),
      error: `the seasonal period ${s} needs a window of at least ${minimumLength(smallest)} points, this one has ${w}`,
    });
    return out;
  }
  try {
    const seasonal = selectArimaOrder(x.subarray(0, w), {
      d: structure.d,
      s,
      D: structure.D,
      maxP: r.bounds.p,
      maxQ: r.bounds.q,
      maxSeasonalP: r.bounds.P,
      maxSeasonalQ: r.bounds.Q,
    }).model;
    out.push(make(seasonal));
  } catch (err) {
    out.push({ family: 'sarima', label: describeOrder(smallest), error: message(err) });
  }
  return out;
}

function varmaCandidate(xs: Float64Array[], d: number[], w: number, r: Resolved): Candidate | Unavailable {
  const window = xs.map((x) => x.subarray(0, w));
  let best: VarmaModel | null = null;
  let firstError: unknown = null;
  for (let p = 1; p <= r.bounds.varP; p++) {
    for (let q = 0; q <= r.bounds.varQ; q++) {
      try {
        const model = fitVarma(window, { p, q, d });
        if (best === null || model.aic < best.aic) {
          best = model;
        }
      } catch (err) {
        firstError ??= err;
      }
    }
  }
  if (best === null) {
    return { family: 'varma', label: 'VARMA', error: message(firstError) };
  }
  const first = best;
  return {
    family: 'varma',
    label: `VARMA(${first.p},${first.q})`,
    targets: xs.map((_, i) => i),
    first,
    refit: (from, to) =>
      fitVarma(
        xs.map((x) => x.subarray(from, to)),
        { p: first.p, q: first.q, d }
      ),
    predict: (model, warmFrom, predictFrom, to) => varmaOneStep(model as VarmaModel, xs, warmFrom, predictFrom, to),
    settle: Math.max(1, first.p + Math.max(...d)),
  };
}

/** Points after a long gap that are not judged yet (the model has not seen enough new values). */
function quietAfterGaps(values: Float64Array, from: number, maxGap: number, settle: number): Uint8Array {
  const quiet = new Uint8Array(values.length);
  let run = 0;
  let left = 0;
  for (let t = from; t < values.length; t++) {
    if (!Number.isFinite(values[t])) {
      run++;
      continue;
    }
    if (run > maxGap) {
      left = settle;
    }
    run = 0;
    if (left > 0) {
      quiet[t] = 1;
      left--;
    }
  }
  return quiet;
}

interface Judged {
  window: WindowForecast;
  flags: boolean[];
  errors: Float64Array;
}

function judge(
  timestamps: Float64Array,
  values: Float64Array,
  predicted: Float64Array,
  w: number,
  r: Resolved,
  settle: number
): Omit<Judged, 'window'> & { points: ForecastPoint[]; fixed: number; episodes: WindowForecast['episodes'] } {
  const n = values.length;
  const errors = new Float64Array(n).fill(NaN);
  for (let t = w; t < n; t++) {
    errors[t] = Math.abs(values[t] - predicted[t]);
  }
  const fixed = fitThreshold(errors.subarray(w, r.train), { method: 'mean-k-sigma', k: 3 }).value;
  // Errors before the first window's end are NaN, so a trailing window reaching back there averages fewer errors.
  const thresholds =
    r.threshold === 'fixed'
      ? null
      : dynamicThreshold(errors, { window: r.dynamicWindow ?? w, k: r.k }).subarray(r.train);
  const quiet = quietAfterGaps(values, w, r.maxGap, settle);
  const points: ForecastPoint[] = [];
  const flags: boolean[] = [];
  const detectionErrors = errors.subarray(r.train);
  for (let t = r.train; t < n; t++) {
    const threshold = thresholds === null ? fixed : thresholds[t - r.train];
    const error = errors[t];
    const exceeds = !quiet[t] && Number.isFinite(error) && Number.isFinite(threshold) && error > threshold;
    points.push({ t: timestamps[t], value: values[t], predicted: predicted[t], error, threshold, exceeds });
    flags.push(exceeds);
  }
  const episodes = findEpisodes(timestamps.subarray(r.train), flags, detectionErrors, r.mergeGap);
  return { points, flags, errors: detectionErrors, fixed, episodes };
}

/** The pipeline; `features` may come back empty (every feature dropped, with its reason). */
function run(input: SeriesSet | FeatureMatrix, options: DetectOptions): ForecastResult {
  const r = resolve(options);
  if (input.columns.length !== input.features.length) {
    throw badOption(`${input.features.length} feature names for ${input.columns.length} columns`);
  }
  const regular = regularize(input.timestamps, input.columns, { stepSeconds: options.stepSeconds });
  const warnings = regular.warnings.slice();
  const n = regular.timestamps.length;
  if (n <= r.train) {
    throw new SyrrocaError(
      'forecast-too-few-points',
      `the series has ${n} points after regularisation, but the training part alone takes st = ${r.train}: ` +
        'detection needs points after it (lower the training size or give a longer series)'
    );
  }
  const grid: FeatureMatrix = {
    timestamps: regular.timestamps,
    features: input.features.slice(),
    columns: regular.columns,
  };
  const matrix = 'kinds' in input && input.kinds !== undefined ? toModelInputs(grid, input.kinds) : grid;
  const filtered = filterFeatures(matrix, { ...options.filter, rows: [0, r.train] });
  const dropped = filtered.dropped.slice();
  const kept = filtered.kept;
  if (r.model === 'varma' && kept.length < 2) {
    throw badOption(`VARMA models two or more series jointly; ${kept.length} feature(s) remain after filtering`);
  }
  const tooManyForVarma =
    `VARMA is fitted on at most ${MAX_VARMA_FEATURES} series (its k^2 (p + q) coefficients outgrow the ` +
    `window), ${kept.length} remain after filtering: select features`;
  if (r.model === 'varma' && kept.length > MAX_VARMA_FEATURES) {
    throw badOption(tooManyForVarma);
  }
  if (typeof r.season === 'number' && (r.model === 'auto' || r.model === 'sarima')) {
    const s = r.season;
    const needed = minimumLength({ p: 0, d: 0, q: 0, P: 1, D: 0, Q: 0, s });
    const short = r.windows.find((w) => w < needed);
    if (short !== undefined) {
      throw badOption(
        `the seasonal period ${s} is too long for the window w = ${short}: a window must hold at least two ` +
          `seasons (${needed} points); use a larger window or a shorter season`
      );
    }
  }
  const scalings: MinMax[] = fitMinMax(kept.map((j) => matrix.columns[j].subarray(0, r.train)));
  const scaled = kept.map((j, i) => applyMinMax(matrix.columns[j], scalings[i]));
  const structures = scaled.map((x) => structureOf(x.subarray(0, r.train), r));
  const unscale = (i: number, x: Float64Array) =>
    x.map((v) => v * (scalings[i].max - scalings[i].min) + scalings[i].min);

  // Per kept feature, per window: the judged result.
  const perFeature: Judged[][] = kept.map(() => []);
  const unmodelled = new Map<number, string>();
  let searched = 0;
  for (const w of r.windows) {
    const step = r.step ?? w;
    const candidates: Array<Array<Candidate | Unavailable>> = scaled.map((x, i) => {
      const list = r.model === 'varma' ? [] : arimaCandidates(x, i, structures[i], w, r);
      options.onProgress?.(++searched, r.windows.length * kept.length);
      return list;
    });
    if ((r.model === 'auto' || r.model === 'varma') && kept.length >= 2) {
      const varma =
        kept.length > MAX_VARMA_FEATURES
          ? { family: 'varma' as const, label: 'VARMA', error: tooManyForVarma }
          : varmaCandidate(
              scaled,
              structures.map((s) => s.d),
              w,
              r
            );
      candidates.forEach((list) => list.push(varma));
    }
    // Held-back walk over the training part: the selection scores.
    const heldBack = new Map<Candidate, Walk>();
    const rows: SelectionRow[][] = scaled.map(() => []);
    const choice: Array<{ candidate: Candidate; target: number } | null> = scaled.map(() => null);
    scaled.forEach((_, i) => {
      let bestScore = Infinity;
      let bestMse = Infinity;
      let byMse: { candidate: Candidate; target: number } | null = null;
      for (const c of candidates[i]) {
        if (!('first' in c)) {
          rows[i].push({ family: c.family, model: c.label, scores: null, error: c.error, selected: false });
          continue;
        }
        let walk = heldBack.get(c);
        if (walk === undefined) {
          walk = walkForward(c, n, w, step, r.train);
          heldBack.set(c, walk);
        }
        const target = c.targets.indexOf(i);
        const predictions = unscale(i, walk.predictions[target]);
        const scores = forecastScores(matrix.columns[kept[i]].subarray(w, r.train), predictions.subarray(w, r.train));
        rows[i].push({ family: c.family, model: c.label, scores, selected: false });
        const score = scoreOf(scores, r.metric);
        if (score < bestScore) {
          bestScore = score;
          choice[i] = { candidate: c, target };
        }
        if (scores.mse < bestMse) {
          bestMse = scores.mse;
          byMse = { candidate: c, target };
        }
      }
      if (choice[i] === null && byMse !== null) {
        warnings.push(
          `${matrix.features[kept[i]]} (w = ${w}): ${r.metric.toUpperCase()} is undefined on the held-back part ` +
            '(every actual value is 0), the model was selected by MSE'
        );
        choice[i] = byMse;
      }
    });
    // The winners walk over the whole series (a VARMA chosen by several features walks once).
    const full = new Map<Candidate, Walk>();
    scaled.forEach((x, i) => {
      const chosen = choice[i];
      if (chosen === null) {
        const reasons = rows[i].map((row) => `${row.model}: ${row.error ?? 'no score'}`).join('; ');
        unmodelled.set(i, `no model could be fitted (w = ${w}): ${reasons}`);
        return;
      }
      let walk = full.get(chosen.candidate);
      if (walk === undefined) {
        walk = walkForward(chosen.candidate, n, w, step, n);
        full.set(chosen.candidate, walk);
      }
      rows[i].forEach((row) => {
        row.selected = row.model === chosen.candidate.label && row.family === chosen.candidate.family;
      });
      const values = matrix.columns[kept[i]];
      const predicted = unscale(i, walk.predictions[chosen.target]);
      const judged = judge(matrix.timestamps, values, predicted, w, r, chosen.candidate.settle);
      perFeature[i].push({
        window: {
          window: w,
          step,
          family: chosen.candidate.family,
          model: chosen.candidate.first,
          selection: rows[i],
          thresholdKind: r.threshold,
          fixedThreshold: judged.fixed,
          points: judged.points,
          episodes: judged.episodes,
          refits: walk.refits,
          failedRefits: walk.failedRefits,
        },
        flags: judged.flags,
        errors: judged.errors,
      });
    });
  }
  for (const [i, reason] of unmodelled) {
    dropped.push({ name: matrix.features[kept[i]], reason });
  }
  const t = matrix.timestamps.subarray(r.train);
  const features: FeatureForecast[] = [];
  kept.forEach((j, i) => {
    if (unmodelled.has(i)) {
      return;
    }
    const judged = perFeature[i];
    features.push({
      feature: matrix.features[j],
      windows: judged.map((x) => x.window),
      combined: {
        rule: r.combine,
        episodes: combineEpisodes(
          t,
          judged.map((x) => x.flags),
          judged.map((x) => x.errors),
          r.combine,
          r.mergeGap
        ),
      },
    });
  });
  return { stepSeconds: regular.stepSeconds, train: r.train, features, dropped, warnings };
}

/**
 * Runs the forecasting detectors on every feature of `input` (see the module comment). Throws a
 * SyrrocaError for bad options, too little data, or when no feature can be modelled.
 */
export function forecastFeatures(input: SeriesSet | FeatureMatrix, options: DetectOptions): ForecastResult {
  const result = run(input, options);
  if (result.features.length === 0) {
    const reasons = result.dropped.map((x) => `${x.name}: ${x.reason}`).join('; ');
    throw new SyrrocaError('forecast-no-features', `no feature can be forecast: ${reasons}`);
  }
  return result;
}

/** Input of `forecastDetect`: one series, e.g. a Prometheus range-query result. */
export interface SeriesInput {
  name: string;
  timestamps: ArrayLike<number>;
  values: ArrayLike<number>;
}

/**
 * The detectors on one series (ARIMA and SARIMA compete; VARMA needs several). A series the filter
 * would drop (constant, near-constant, mostly missing) is an error here, not a silent empty result.
 */
export function forecastDetect(
  series: SeriesInput,
  options: Omit<DetectOptions, 'filter'>
): FeatureForecast & Pick<ForecastResult, 'stepSeconds' | 'train' | 'warnings'> {
  if (options.model === 'varma') {
    throw badOption('VARMA models two or more series jointly: use forecastFeatures, or ARIMA / SARIMA for one series');
  }
  const result = run(
    { timestamps: series.timestamps, features: [series.name], columns: [series.values] },
    { ...options, filter: {} }
  );
  if (result.features.length === 0) {
    throw new SyrrocaError(
      'forecast-unusable-series',
      `${series.name} cannot be forecast: ${result.dropped[0].reason}`
    );
  }
  return { ...result.features[0], stepSeconds: result.stepSeconds, train: result.train, warnings: result.warnings };
}
