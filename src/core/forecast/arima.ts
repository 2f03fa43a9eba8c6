/**
 * ARIMA(p,d,q) and SARIMA(p,d,q)(P,D,Q,s) by maximum likelihood, order selection by AIC, and one-step
 * predictions of new observations with fitted coefficients (no refit).
 *
 * The series is differenced d times and D times at lag s, then an ARMA with a mean (only when nothing
 * was differenced, as statsmodels' default trend) is fitted by BFGS on the stationarity- and
 * invertibility-enforcing transform. The likelihood is exact (Kalman filter) while the state stays small,
 * and the conditional sum of squares beyond that (a daily season at a 30 s step has 2,880 lags).
 */
import { SyrrocaError } from '../errors';
import {
  ArmaKalman,
  armaConditionalLikelihood,
  armaExactLikelihood,
  carriedOver,
  difference,
  differencingLags,
  expandArma,
  fillStart,
  sparseLags,
  stateSize,
  stationaryFromUnconstrained,
  unconstrainedFromStationary,
} from './arma';
import { minimizeBfgs } from './optimize';
import type { ArimaModel, ArimaOrder } from './types';
import { hannanRissanen } from './varma';

/** Largest Kalman state (lags up to s P + p) fitted by exact likelihood; beyond, CSS. */
export const MAX_EXACT_STATE = 16;

/** Windows shorter than this (observations) get the unit-circle re-search of `fitArima`. */
const SHORT_WINDOW = 500;

export interface ArimaFitOptions {
  /** `auto` (default): exact while the state has at most MAX_EXACT_STATE entries, CSS beyond. */
  method?: 'auto' | 'exact' | 'css';
  /** Previous fit of the same order: its coefficients start the search (sliding-window refits). */
  start?: ArimaModel;
}

/** `ARIMA(1,1,1)` or `SARIMA(1,0,0)(0,1,1)[24]`. */
export function describeOrder(order: ArimaOrder): string {
  const base = `(${order.p},${order.d},${order.q})`;
  return isSeasonal(order) ? `SARIMA${base}(${order.P},${order.D},${order.Q})[${order.s}]` : `ARIMA${base}`;
}

function isSeasonal(order: ArimaOrder): boolean {
  return order.s > 1 && order.P + order.D + order.Q > 0;
}

/**
 * Fewest points a window must hold for the order: the differencing and the AR/MA lags, then at least
 * max(10, 3 x parameters) observations to estimate from; a seasonal model also needs two full seasons.
 */
export function minimumLength(order: ArimaOrder): number {
  const seasonal = isSeasonal(order);
  const s = seasonal ? order.s : 0;
  const lags = Math.max(order.p + s * order.P, order.q + s * order.Q);
  const parameters = order.p + order.q + (seasonal ? order.P + order.Q : 0) + 2;
  const base = order.d + s * order.D + lags + Math.max(10, 3 * parameters);
  return seasonal ? Math.max(base, order.d + s * order.D + 2 * s) : base;
}

function checkOrder(order: ArimaOrder): void {
  const values = [order.p, order.d, order.q, order.P, order.D, order.Q, order.s];
  if (!values.every((v) => Number.isInteger(v) && v >= 0)) {
    throw new SyrrocaError(
      'forecast-bad-order',
      `${describeOrder(order)} is not an order: every term must be a whole number >= 0`
    );
  }
  if (order.P + order.D + order.Q > 0 && order.s < 2) {
    throw new SyrrocaError(
      'forecast-bad-order',
      `${describeOrder(order)} has seasonal terms but a seasonal period of ${order.s}: the period must be at least 2`
    );
  }
}

interface Layout {
  order: ArimaOrder;
  mean: boolean;
  size: number;
}

function layout(order: ArimaOrder): Layout {
  const seasonal = isSeasonal(order);
  const mean = order.d === 0 && (!seasonal || order.D === 0);
  const size = (mean ? 1 : 0) + order.p + order.q + (seasonal ? order.P + order.Q : 0);
  return { order, mean, size };
}

interface Coefficients {
  mean: number;
  ar: Float64Array;
  ma: Float64Array;
  seasonalAr: Float64Array;
  seasonalMa: Float64Array;
}

function decode(x: ArrayLike<number>, l: Layout): Coefficients {
  const { order } = l;
  const seasonal = isSeasonal(order);
  let o = 0;
  const take = (count: number) => {
    const part = Array.prototype.slice.call(x, o, o + count) as number[];
    o += count;
    return part;
  };
  const mean = l.mean ? take(1)[0] : 0;
  const ar = stationaryFromUnconstrained(take(order.p));
  const ma = stationaryFromUnconstrained(take(order.q)).map((v) => -v);
  const seasonalAr = stationaryFromUnconstrained(take(seasonal ? order.P : 0));
  const seasonalMa = stationaryFromUnconstrained(take(seasonal ? order.Q : 0)).map((v) => -v);
  return { mean, ar, ma, seasonalAr, seasonalMa };
}

/** Unconstrained vector for coefficients; a non-stationary or non-invertible part starts at zero. */
function encode(c: Coefficients, l: Layout): Float64Array {
  const parts: number[] = [];
  if (l.mean) {
    parts.push(c.mean);
  }
  const push = (coefficients: ArrayLike<number>, sign: 1 | -1) => {
    const x = unconstrainedFromStationary(Array.from(coefficients, (v) => sign * v));
    parts.push(...(x ?? new Float64Array(coefficients.length)));
  };
  push(c.ar, 1);
  push(c.ma, -1);
  if (isSeasonal(l.order)) {
    push(c.seasonalAr, 1);
    push(c.seasonalMa, -1);
  }
  return Float64Array.from(parts);
}

/**
 * Whether an MA polynomial of the unconstrained vector has a partial autocorrelation beyond 0.99 in
 * magnitude (|x| > 7), i.e. a root on the unit circle for all practical purposes.
 */
function onUnitCircle(x: ArrayLike<number>, l: Layout): boolean {
  const { p, q, P, Q } = l.order;
  const seasonal = isSeasonal(l.order);
  const maFrom = (l.mean ? 1 : 0) + p;
  const seasonalMaFrom = maFrom + q + (seasonal ? P : 0);
  const ranges: Array<[number, number]> = [[maFrom, maFrom + q]];
  if (seasonal) {
    ranges.push([seasonalMaFrom, seasonalMaFrom + Q]);
  }
  return ranges.some(([from, to]) => Array.prototype.slice.call(x, from, to).some((v: number) => Math.abs(v) > 7));
}

/** Start values: the mean of the differenced series and Hannan-Rissanen for the non-seasonal part. */
function startValues(w: Float64Array, l: Layout): Coefficients {
  const { p, q, P, Q } = l.order;
  let mean = 0;
  let count = 0;
  for (let i = 0; i < w.length; i++) {
    if (Number.isFinite(w[i])) {
      mean += w[i];
      count++;
    }
  }
  mean = l.mean && count > 0 ? mean / count : 0;
  let ar = new Float64Array(p);
  let ma = new Float64Array(q);
  if (p + q > 0) {
    try {
      const centred = w.map((v) => v - mean);
      const hr = hannanRissanen([centred], p, q, false);
      ar = Float64Array.from(hr.ar, (m) => m[0]);
      ma = Float64Array.from(hr.ma, (m) => m[0]);
    } catch {
      // Too short for the long autoregression: start from zero.
    }
  }
  const seasonal = isSeasonal(l.order);
  return {
    mean,
    ar,
    ma,
    seasonalAr: new Float64Array(seasonal ? P : 0),
    seasonalMa: new Float64Array(seasonal ? Q : 0),
  };
}

/** AIC with the small-sample correction of Hurvich & Tsai (1989): AIC + 2k(k + 1) / (n - k - 1). */
function aicc(logLikelihood: number, parameters: number, nobs: number): number {
  const aic = -2 * logLikelihood + 2 * parameters;
  return nobs - parameters - 1 > 0 ? aic + (2 * parameters * (parameters + 1)) / (nobs - parameters - 1) : Infinity;
}

function toModel(
  c: Coefficients,
  l: Layout,
  likelihood: { logLikelihood: number; sigma2: number; nobs: number },
  method: 'exact' | 'css',
  converged: boolean
): ArimaModel {
  const seasonal = isSeasonal(l.order);
  const order = seasonal ? l.order : { ...l.order, P: 0, D: 0, Q: 0, s: 0 };
  return {
    family: seasonal ? 'sarima' : 'arima',
    order,
    ar: Array.from(c.ar),
    ma: Array.from(c.ma),
    seasonalAr: Array.from(c.seasonalAr),
    seasonalMa: Array.from(c.seasonalMa),
    mean: c.mean,
    sigma2: likelihood.sigma2,
    logLikelihood: likelihood.logLikelihood,
    aic: -2 * likelihood.logLikelihood + 2 * (l.size + 1),
    aicc: aicc(likelihood.logLikelihood, l.size + 1, likelihood.nobs),
    nobs: likelihood.nobs,
    method,
    converged,
  };
}

/** Exact while the Kalman state stays at most MAX_EXACT_STATE, CSS beyond. */
export function likelihoodMethod(order: ArimaOrder): 'exact' | 'css' {
  const s = isSeasonal(order) ? order.s : 0;
  const a = order.p + s * order.P;
  const b = order.q + s * order.Q;
  return stateSize({ length: a }, { length: b }) <= MAX_EXACT_STATE ? 'exact' : 'css';
}

/**
 * Fits ARIMA/SARIMA of the given order to y (NaN = missing). Throws a SyrrocaError for a bad order, a
 * series too short for it, or a series with no variation after differencing.
 */
export function fitArima(y: ArrayLike<number>, order: ArimaOrder, options: ArimaFitOptions = {}): ArimaModel {
  checkOrder(order);
  const l = layout(order);
  const seasonal = isSeasonal(order);
  const w = difference(y, differencingLags(order.d, seasonal ? order.D : 0, order.s));
  let observed = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < w.length; i++) {
    if (Number.isFinite(w[i])) {
      observed++;
      min = Math.min(min, w[i]);
      max = Math.max(max, w[i]);
    }
  }
  const needed = minimumLength(order);
  if (observed + order.d + (seasonal ? order.D * order.s : 0) < needed) {
    throw new SyrrocaError(
      'forecast-too-few-points',
      `${describeOrder(order)} needs at least ${needed} observed points, the series has ${observed} after differencing`
    );
  }
  if (!(max > min)) {
    throw new SyrrocaError(
      'forecast-constant-series',
      `the series is constant${order.d + order.D > 0 ? ' after differencing' : ''}: there is nothing to forecast`
    );
  }
  const method = options.method === undefined || options.method === 'auto' ? likelihoodMethod(order) : options.method;
  const likelihood = (c: Coefficients) => {
    const { a, b } = expandArma(c.ar, c.ma, c.seasonalAr, c.seasonalMa, order.s);
    const centred = c.mean === 0 ? w : w.map((v) => v - c.mean);
    return method === 'exact' ? armaExactLikelihood(centred, a, b) : armaConditionalLikelihood(centred, a, b);
  };
  const objective = (x: Float64Array) => -likelihood(decode(x, l)).logLikelihood / observed;
  const previous = options.start;
  const sameOrder =
    previous !== undefined &&
    describeOrder(previous.order) === describeOrder(toModelOrder(order)) &&
    previous.method === method;
  const warmStart = sameOrder
    ? encode(
        {
          mean: previous.mean,
          ar: Float64Array.from(previous.ar),
          ma: Float64Array.from(previous.ma),
          seasonalAr: Float64Array.from(previous.seasonalAr),
          seasonalMa: Float64Array.from(previous.seasonalMa),
        },
        l
      )
    : null;
  // An MA root estimated on the unit circle is often spurious in a short window (the "pile-up" of
  // small samples) and genuine in a long one (an over-differenced series): only short ones are re-searched.
  const short = observed < SHORT_WINDOW;
  let result;
  if (warmStart !== null && !(short && onUnitCircle(warmStart, l))) {
    // Next to the optimum of the previous window: a few iterations at statsmodels' tolerance are
    // enough, and a flat ridge (an over-parameterised order) cannot eat the refit budget.
    result = minimizeBfgs(objective, warmStart, { maxIterations: 30, gradientTolerance: 1e-5 });
  } else {
    // Short windows often have a maximum with an MA root on the unit circle (cancelling an AR root) next
    // to an interior one: when the search from Hannan-Rissanen ends there, search again from white
    // noise and keep the better. A warm start from such a fit would stay stuck on it, so it starts afresh.
    const start = encode(startValues(w, l), l);
    result = minimizeBfgs(objective, start);
    if (!Number.isFinite(result.value) || (short && onUnitCircle(result.x, l))) {
      const fromNoise = new Float64Array(l.size);
      fromNoise[0] = l.mean ? start[0] : 0;
      const other = minimizeBfgs(objective, fromNoise);
      if (!(other.value >= result.value)) {
        result = other;
      }
    }
  }
  const coefficients = decode(result.x, l);
  const final = likelihood(coefficients);
  if (!Number.isFinite(final.logLikelihood)) {
    throw new SyrrocaError(
      'forecast-fit-failed',
      `${describeOrder(order)} could not be fitted: the likelihood is not finite`
    );
  }
  return toModel(coefficients, l, final, method, result.converged);
}

function toModelOrder(order: ArimaOrder): ArimaOrder {
  return isSeasonal(order) ? order : { ...order, P: 0, D: 0, Q: 0, s: 0 };
}

export interface ArimaSearch {
  d: number;
  /** Seasonal period and difference; omit (or s = 0) for non-seasonal. */
  s?: number;
  D?: number;
  maxP: number;
  maxQ: number;
  /**
   * Search with the conditional-sum-of-squares AIC and fit only the winner by exact likelihood, as
   * auto.arima's `approximation` (default, as there: more than 150 points or a period above 12).
   */
  approximate?: boolean;
  maxSeasonalP?: number;
  maxSeasonalQ?: number;
}

export interface OrderCandidate {
  order: ArimaOrder;
  aic: number;
  aicc: number;
  error?: string;
}

/**
 * Order selection by AIC within the bounds, with the small-sample correction (AICc, auto.arima's
 * default: on a short sliding window plain AIC over-fits and the refitted models then predict badly;
 * on long series AICc and AIC agree), by the stepwise search of Hyndman & Khandakar (2008), the
 * one of R's auto.arima: fit (2,2), (0,0), (1,0), (0,1) (clipped to the bounds), then move to the best
 * neighbour (p +/- 1, q +/- 1, or both) while one improves the AIC. It fits about half of the grid and
 * skips the over-parameterised corners whose flat likelihoods are the slowest to fit. With a seasonal
 * period it starts from (2,2)(1,1), (0,0)(0,0), (1,0)(1,0), (0,1)(0,1) and moves p, q or P, Q the same way.
 * All candidates use one likelihood method, so their AICs compare: the conditional one on long series
 * (`approximate`), where the winner is then refitted by exact likelihood. Throws the first fit's error
 * when no candidate could be fitted.
 */
export function selectArimaOrder(
  y: ArrayLike<number>,
  search: ArimaSearch
): { model: ArimaModel; candidates: OrderCandidate[] } {
  const s = search.s ?? 0;
  const seasonal = s > 1;
  const D = seasonal ? (search.D ?? 0) : 0;
  const lo = [0, 0, 0, 0];
  const hi = [
    search.maxP,
    search.maxQ,
    seasonal ? (search.maxSeasonalP ?? 1) : 0,
    seasonal ? (search.maxSeasonalQ ?? 1) : 0,
  ];
  const orderOf = ([p, q, P, Q]: number[]): ArimaOrder => ({ p, d: search.d, q, P, D, Q, s: seasonal ? s : 0 });
  const valid = (v: number[]) =>
    v.every((x, i) => x >= lo[i] && x <= hi[i]) &&
    (!seasonal || v[2] + D + v[3] > 0) &&
    minimumLength(orderOf(v)) <= y.length;
  // auto.arima's starting models, clipped to the bounds (the seasonal terms vanish without a season).
  const corners = [
    [2, 2, 1, 1],
    [0, 0, 0, 0],
    [1, 0, 1, 0],
    [0, 1, 0, 1],
  ].map((v) => v.map((x, i) => Math.min(Math.max(x, lo[i]), hi[i])));
  const starts = corners.filter(valid);
  if (starts.length === 0) {
    starts.push(corners[1]);
  }
  const approximate = search.approximate ?? (y.length > 150 || s > 12);
  const method = approximate || [...starts, hi].some((v) => likelihoodMethod(orderOf(v)) === 'css') ? 'css' : 'exact';
  const candidates: OrderCandidate[] = [];
  const seen = new Set<string>();
  let best: ArimaModel | null = null;
  let firstError: unknown = null;
  const tryOrder = (v: number[]): boolean => {
    const key = v.join(',');
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    const order = orderOf(v);
    try {
      const model = fitArima(y, order, { method });
      candidates.push({ order: model.order, aic: model.aic, aicc: model.aicc });
      if (best === null || model.aicc < best.aicc) {
        best = model;
        return true;
      }
    } catch (err) {
      firstError ??= err;
      candidates.push({ order, aic: NaN, aicc: NaN, error: err instanceof Error ? err.message : String(err) });
    }
    return false;
  };
  starts.forEach(tryOrder);
  for (let moved = best !== null; moved;) {
    moved = false;
    const current = best as ArimaModel | null;
    if (current === null) {
      break;
    }
    const o = current.order;
    const at = [o.p, o.q, o.P, o.Q];
    const nonSeasonal = [
      [1, 0],
      [-1, 0],
      [0, 1],
      [0, -1],
      [1, 1],
      [-1, -1],
      [1, -1],
      [-1, 1],
    ];
    const steps = [...nonSeasonal.map((v) => [...v, 0, 0]), ...(seasonal ? nonSeasonal.map((v) => [0, 0, ...v]) : [])];
    for (const step of steps) {
      const next = at.map((x, i) => x + step[i]);
      if (valid(next) && tryOrder(next)) {
        moved = true;
        break;
      }
    }
  }
  const winner = best as ArimaModel | null;
  if (winner === null) {
    throw firstError;
  }
  if (approximate && likelihoodMethod(winner.order) === 'exact') {
    return { model: fitArima(y, winner.order, { method: 'exact' }), candidates };
  }
  return { model: winner, candidates };
}

/**
 * One-step-ahead predictions for t in [predictFrom, to) with the model's coefficients, using y before t
 * only; undifferenced back to y. Missing values get their prediction in their place. From `warmFrom`:
 * - a model fitted by exact likelihood predicts with the same Kalman filter (exact from the first
 *   value, whatever the MA roots: a window's fit often puts one on the unit circle, where a residual
 *   recursion would never forget its start);
 * - a CSS model (long season) with the CSS residual recursion, conditioned on the first d + sD + p + sP values.
 */
export function arimaOneStep(
  model: ArimaModel,
  y: ArrayLike<number>,
  warmFrom: number,
  predictFrom: number,
  to: number
): Float64Array {
  const { order } = model;
  const c = differencingLags(order.d, order.D, order.s);
  const { a, b } = expandArma(model.ar, model.ma, model.seasonalAr, model.seasonalMa, order.s);
  const dl = c.length;
  const length = to - warmFrom;
  const out = new Float64Array(Math.max(0, to - predictFrom)).fill(NaN);
  const mu = model.mean;
  const kalman = model.method === 'exact' ? new ArmaKalman(a, b) : null;
  const ar = sparseLags(a);
  const ma = sparseLags(b);
  // The recursion conditions on the first AR lags; the Kalman filter needs only the differencing's.
  const start = kalman === null ? dl + a.length : dl;
  const ystar = fillStart(y, warmFrom, to, start);
  const wstar = new Float64Array(length);
  const e = new Float64Array(length);
  for (let i = dl; i < Math.min(start, length); i++) {
    wstar[i] = ystar[i] - carriedOver(ystar, c, i) - mu;
  }
  for (let i = start; i < length; i++) {
    let prediction = 0;
    if (kalman !== null) {
      prediction = kalman.prediction;
    } else {
      for (let j = 0; j < ar.lags.length; j++) {
        prediction += ar.values[j] * wstar[i - ar.lags[j]];
      }
      for (let j = 0; j < ma.lags.length; j++) {
        const lag = ma.lags[j];
        if (i - lag >= start) {
          prediction += ma.values[j] * e[i - lag];
        }
      }
    }
    const carried = carriedOver(ystar, c, i);
    const yPrediction = prediction + mu + carried;
    const t = warmFrom + i;
    if (t >= predictFrom) {
      out[t - predictFrom] = yPrediction;
    }
    const observed = y[t];
    if (Number.isFinite(observed)) {
      ystar[i] = observed;
      wstar[i] = observed - carried - mu;
      e[i] = wstar[i] - prediction;
    } else {
      ystar[i] = yPrediction;
      wstar[i] = prediction;
      e[i] = 0;
    }
    kalman?.next(Number.isFinite(observed) ? wstar[i] : NaN);
  }
  return out;
}
