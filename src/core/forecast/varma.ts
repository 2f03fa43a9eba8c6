/**
 * VARMA(p, q) by the Hannan-Rissanen two-stage method (VAR is the q = 0 case, where it is plain OLS):
 * (1) a long VAR(m) by least squares estimates the innovations; (2) least squares of w_t on a constant,
 * p lags of w and q lags of the estimated innovations gives the AR and MA matrices. No library on npm
 * fits VARMA; this is two regressions, cheap enough to refit on every sliding window.
 *
 * Each column may be differenced (its own d, from the unit-root test) before the VARMA is fitted;
 * predictions are undifferenced back to the column's own units.
 */
import { SyrrocaError } from '../errors';
import { carriedOver, difference, differencingLags, fillStart } from './arma';
import { leastSquares, logDetSymmetric, spectralRadius } from './linalg';
import type { VarmaModel } from './types';

export interface HannanRissanenResult {
  intercept: Float64Array;
  /** p matrices k x k, row-major: ar[i][r * k + c] multiplies w_{t-i-1}[c] in equation r. */
  ar: Float64Array[];
  ma: Float64Array[];
  /** Residual covariance (divided by the number of rows used, the MLE). */
  sigma: Float64Array;
  /** Rows that entered the second-stage regression. */
  nobs: number;
}

function finiteRow(columns: Array<ArrayLike<number>>, t: number): boolean {
  for (const column of columns) {
    if (!Number.isFinite(column[t])) {
      return false;
    }
  }
  return true;
}

/**
 * Least squares of w_t (all k columns) on [1, w_{t-1..t-p}, e_{t-1..t-q}] over the rows from `first` where
 * every regressor and target is observed. `e` may be null when q = 0.
 */
function regress(
  w: Array<ArrayLike<number>>,
  e: Float64Array[] | null,
  p: number,
  q: number,
  first: number,
  intercept: boolean
): { coefficients: Float64Array; rows: number[]; width: number } {
  const k = w.length;
  const n = w[0].length;
  const width = (intercept ? 1 : 0) + k * (p + q);
  const rows: number[] = [];
  for (let t = first; t < n; t++) {
    let ok = finiteRow(w, t);
    for (let i = 1; ok && i <= p; i++) {
      ok = finiteRow(w, t - i);
    }
    for (let j = 1; ok && j <= q; j++) {
      ok = e !== null && finiteRow(e, t - j);
    }
    if (ok) {
      rows.push(t);
    }
  }
  const x = new Float64Array(rows.length * width);
  const y = new Float64Array(rows.length * k);
  rows.forEach((t, r) => {
    let o = r * width;
    if (intercept) {
      x[o++] = 1;
    }
    for (let i = 1; i <= p; i++) {
      for (let c = 0; c < k; c++) {
        x[o++] = w[c][t - i];
      }
    }
    for (let j = 1; j <= q; j++) {
      for (let c = 0; c < k; c++) {
        x[o++] = e![c][t - j];
      }
    }
    for (let c = 0; c < k; c++) {
      y[r * k + c] = w[c][t];
    }
  });
  return { coefficients: leastSquares(x, y, rows.length, width, k), rows, width };
}

/** Residuals of a regression (NaN where the row was not used). */
function residualsOf(
  w: Array<ArrayLike<number>>,
  e: Float64Array[] | null,
  p: number,
  q: number,
  intercept: boolean,
  fit: { coefficients: Float64Array; rows: number[]; width: number }
): Float64Array[] {
  const k = w.length;
  const n = w[0].length;
  const out = w.map(() => new Float64Array(n).fill(NaN));
  const b = fit.coefficients;
  for (const t of fit.rows) {
    for (let c = 0; c < k; c++) {
      let o = 0;
      let prediction = intercept ? b[o++ * k + c] : 0;
      for (let i = 1; i <= p; i++) {
        for (let cc = 0; cc < k; cc++) {
          prediction += b[o++ * k + c] * w[cc][t - i];
        }
      }
      for (let j = 1; j <= q; j++) {
        for (let cc = 0; cc < k; cc++) {
          prediction += b[o++ * k + c] * e![cc][t - j];
        }
      }
      out[c][t] = w[c][t] - prediction;
    }
  }
  return out;
}

/** Order of the long autoregression of stage one: about 2 ln n lags, fewer when the window is short. */
function longArOrder(n: number, k: number, p: number, q: number): number {
  const affordable = Math.floor((n / 3 - 1) / k);
  return Math.max(p + q, Math.min(Math.round(2 * Math.log(n)), affordable));
}

/**
 * Hannan-Rissanen estimates for the columns w (already differenced, aligned, NaN = missing).
 * Throws a SyrrocaError when too few complete rows remain.
 */
export function hannanRissanen(
  w: Array<ArrayLike<number>>,
  p: number,
  q: number,
  intercept = true
): HannanRissanenResult {
  const k = w.length;
  const n = w[0].length;
  let e: Float64Array[] | null = null;
  let first = p;
  if (q > 0) {
    const m = longArOrder(n, k, p, q);
    const long = regress(w, null, m, 0, m, intercept);
    if (long.rows.length <= long.width) {
      throw tooFew(long.rows.length, long.width + 1);
    }
    e = residualsOf(w, null, m, 0, intercept, long);
    first = Math.max(p, m + q);
  }
  const fit = regress(w, e, p, q, first, intercept);
  if (fit.rows.length <= fit.width) {
    throw tooFew(fit.rows.length, fit.width + 1);
  }
  const residuals = residualsOf(w, e, p, q, intercept, fit);
  const b = fit.coefficients;
  let o = 0;
  const interceptOut = new Float64Array(k);
  if (intercept) {
    for (let c = 0; c < k; c++) {
      interceptOut[c] = b[c];
    }
    o = 1;
  }
  const matrix = () => {
    const a = new Float64Array(k * k);
    for (let cc = 0; cc < k; cc++) {
      for (let c = 0; c < k; c++) {
        a[c * k + cc] = b[(o + cc) * k + c];
      }
    }
    o += k;
    return a;
  };
  const ar = Array.from({ length: p }, matrix);
  const ma = Array.from({ length: q }, matrix);
  const sigma = new Float64Array(k * k);
  for (const t of fit.rows) {
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        sigma[i * k + j] += residuals[i][t] * residuals[j][t];
      }
    }
  }
  for (let i = 0; i < k * k; i++) {
    sigma[i] /= fit.rows.length;
  }
  return { intercept: interceptOut, ar, ma, sigma, nobs: fit.rows.length };
}

function tooFew(rows: number, needed: number): SyrrocaError {
  return new SyrrocaError(
    'forecast-too-few-points',
    `only ${rows} complete rows are available for a regression that needs at least ${needed}: ` +
      'use a longer window or lower orders'
  );
}

/**
 * Companion matrix of the MA part, whose spectral radius must stay below 1 for the innovations
 * recursion to forget its start (invertibility).
 */
function maCompanion(ma: Float64Array[], k: number): Float64Array {
  const q = ma.length;
  const size = k * q;
  const c = new Float64Array(size * size);
  for (let j = 0; j < q; j++) {
    for (let r = 0; r < k; r++) {
      for (let cc = 0; cc < k; cc++) {
        // e_t = w_t - ... - sum M_j e_{t-j}: the recursion's matrix carries -M_j.
        c[r * size + j * k + cc] = -ma[j][r * k + cc];
      }
    }
  }
  for (let i = k; i < size; i++) {
    c[i * size + i - k] = 1;
  }
  return c;
}

/** Differences each column by its own order and aligns them (rows before the largest order are dropped). */
export function differenceColumns(columns: Array<ArrayLike<number>>, d: number[]): Float64Array[] {
  const lag = Math.max(0, ...d);
  return columns.map((column, c) => difference(column, differencingLags(d[c], 0, 1)).subarray(lag - d[c]));
}

export interface VarmaFitOptions {
  p: number;
  q: number;
  /** Differencing order of each column (default 0). */
  d?: number[];
}

/** Fits a VARMA(p, q) to the columns (one per feature, same length, NaN = missing). */
export function fitVarma(columns: Array<ArrayLike<number>>, options: VarmaFitOptions): VarmaModel {
  const k = columns.length;
  const { p, q } = options;
  const d = options.d ?? columns.map(() => 0);
  if (k === 0 || p < 0 || q < 0 || p + q === 0) {
    throw new SyrrocaError('forecast-bad-order', `VARMA(${p}, ${q}) of ${k} series is not a model: need p + q >= 1`);
  }
  const w = differenceColumns(columns, d);
  const hr = hannanRissanen(w, p, q, true);
  let ma = hr.ma;
  if (q > 0) {
    // Hannan-Rissanen does not constrain the MA part: pull a non-invertible one just inside the unit circle.
    const radius = spectralRadius(maCompanion(ma, k), k * q);
    if (radius >= 0.99) {
      const lambda = 0.99 / radius;
      ma = ma.map((m, j) => m.map((v) => v * Math.pow(lambda, j + 1)));
    }
  }
  const logDet = logDetSymmetric(hr.sigma, k);
  const logLikelihood = -0.5 * hr.nobs * (k * Math.log(2 * Math.PI) + logDet + k);
  const parameters = k * k * (p + q) + k;
  return {
    family: 'varma',
    p,
    q,
    d: d.slice(),
    intercept: Array.from(hr.intercept),
    ar: hr.ar.map((m) => Array.from(m)),
    ma: ma.map((m) => Array.from(m)),
    sigma: Array.from(hr.sigma),
    logLikelihood,
    aic: -2 * logLikelihood + 2 * parameters,
    nobs: hr.nobs,
  };
}

/**
 * One-step-ahead predictions of every column for t in [predictFrom, to), using data before t only.
 * The recursion starts at `warmFrom` (conditioning on the first values, as the fit did) and runs through
 * missing values by putting predictions in their place.
 */
export function varmaOneStep(
  model: VarmaModel,
  columns: Array<ArrayLike<number>>,
  warmFrom: number,
  predictFrom: number,
  to: number
): Float64Array[] {
  const k = columns.length;
  const { p, q } = model;
  const lags = model.d.map((d) => differencingLags(d, 0, 1));
  const dl = Math.max(0, ...model.d);
  const length = to - warmFrom;
  const start = dl + p;
  // The conditioning rows are filled from the nearest observation so the recursion has a start.
  const ystar = columns.map((column) => fillStart(column, warmFrom, to, start));
  const wstar = columns.map(() => new Float64Array(length));
  const e = columns.map(() => new Float64Array(length));
  const out = columns.map(() => new Float64Array(Math.max(0, to - predictFrom)).fill(NaN));
  for (let c = 0; c < k; c++) {
    for (let i = dl; i < Math.min(start, length); i++) {
      wstar[c][i] = ystar[c][i] - carriedOver(ystar[c], lags[c], i);
    }
  }
  const wPrediction = new Float64Array(k);
  for (let i = start; i < length; i++) {
    for (let c = 0; c < k; c++) {
      let prediction = model.intercept[c];
      for (let l = 0; l < p; l++) {
        const a = model.ar[l];
        for (let cc = 0; cc < k; cc++) {
          prediction += a[c * k + cc] * wstar[cc][i - l - 1];
        }
      }
      for (let l = 0; l < q; l++) {
        if (i - l - 1 < start) {
          break;
        }
        const m = model.ma[l];
        for (let cc = 0; cc < k; cc++) {
          prediction += m[c * k + cc] * e[cc][i - l - 1];
        }
      }
      wPrediction[c] = prediction;
    }
    const t = warmFrom + i;
    for (let c = 0; c < k; c++) {
      const yPrediction = wPrediction[c] + carriedOver(ystar[c], lags[c], i);
      if (t >= predictFrom) {
        out[c][t - predictFrom] = yPrediction;
      }
      const observed = columns[c][t];
      if (Number.isFinite(observed)) {
        ystar[c][i] = observed;
        wstar[c][i] = observed - carriedOver(ystar[c], lags[c], i);
        e[c][i] = wstar[c][i] - wPrediction[c];
      } else {
        ystar[c][i] = yPrediction;
        wstar[c][i] = wPrediction[c];
        e[c][i] = 0;
      }
    }
  }
  return out;
}
