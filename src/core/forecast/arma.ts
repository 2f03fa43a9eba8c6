/**
 * ARMA building blocks shared by ARIMA and SARIMA: lag polynomials, the stationarity transform the
 * optimiser works in, the exact Gaussian likelihood (Kalman filter) and the conditional one (CSS).
 *
 * Conventions are statsmodels' and R's: phi(L) = 1 - phi_1 L - ..., theta(L) = 1 + theta_1 L + ...,
 * and w_t - mu = sum_k a_k (w_{t-k} - mu) + e_t + sum_k b_k e_{t-k} once the seasonal factors are
 * multiplied out into dense `a` (AR) and `b` (MA) coefficient vectors.
 */

/** Coefficients of the product of two lag polynomials given with their constant term (index 0). */
export function polyMultiply(x: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length + y.length - 1);
  for (let i = 0; i < x.length; i++) {
    if (x[i] === 0) {
      continue;
    }
    for (let j = 0; j < y.length; j++) {
      out[i + j] += x[i] * y[j];
    }
  }
  return out;
}

/** 1 + sign * (c_1 L^period + c_2 L^(2 period) + ...) as a dense coefficient vector. */
function lagPolynomial(coefficients: ArrayLike<number>, sign: 1 | -1, period: number): Float64Array {
  const out = new Float64Array(coefficients.length * period + 1);
  out[0] = 1;
  for (let i = 0; i < coefficients.length; i++) {
    out[(i + 1) * period] = sign * coefficients[i];
  }
  return out;
}

/**
 * Multiplies out phi(L) Phi(L^s) and theta(L) Theta(L^s) into the dense `a` (AR, so that
 * phi(L)Phi(L^s) = 1 - sum a_k L^k) and `b` (MA, theta(L)Theta(L^s) = 1 + sum b_k L^k).
 */
export function expandArma(
  ar: ArrayLike<number>,
  ma: ArrayLike<number>,
  seasonalAr: ArrayLike<number>,
  seasonalMa: ArrayLike<number>,
  period: number
): { a: Float64Array; b: Float64Array } {
  const arPoly = polyMultiply(lagPolynomial(ar, -1, 1), lagPolynomial(seasonalAr, -1, Math.max(period, 1)));
  const maPoly = polyMultiply(lagPolynomial(ma, 1, 1), lagPolynomial(seasonalMa, 1, Math.max(period, 1)));
  return { a: arPoly.subarray(1).map((c) => -c), b: maPoly.subarray(1) };
}

/**
 * The differencing operator (1 - L)^d (1 - L^s)^D written as 1 - sum c_k L^k; returns c (c_k at index k - 1),
 * so that y_t = w_t + sum c_k y_{t-k}.
 */
export function differencingLags(d: number, seasonalD: number, period: number): Float64Array {
  let poly: Float64Array = Float64Array.of(1);
  for (let i = 0; i < d; i++) {
    poly = polyMultiply(poly, [1, -1]);
  }
  for (let i = 0; i < seasonalD; i++) {
    poly = polyMultiply(poly, lagPolynomial([1], -1, period));
  }
  return poly.subarray(1).map((c) => -c);
}

/** sum c_k y_{i-k}: the part of y_i that differencing carries over from the past, so y_i = w_i + carriedOver. */
export function carriedOver(y: ArrayLike<number>, c: ArrayLike<number>, i: number): number {
  let sum = 0;
  for (let k = 1; k <= c.length; k++) {
    if (c[k - 1] !== 0) {
      sum += c[k - 1] * y[i - k];
    }
  }
  return sum;
}

/**
 * The window [from, to) of a series as a working copy whose first `conditioning` values are filled
 * (forward, then backward, from the nearest observed value) so differencing has a start.
 */
export function fillStart(column: ArrayLike<number>, from: number, to: number, conditioning: number): Float64Array {
  const out = new Float64Array(to - from);
  for (let i = 0; i < out.length; i++) {
    out[i] = column[from + i];
  }
  let last = NaN;
  for (let i = 0; i < Math.min(conditioning, out.length); i++) {
    if (Number.isFinite(out[i])) {
      last = out[i];
    } else if (Number.isFinite(last)) {
      out[i] = last;
    }
  }
  let next = NaN;
  for (let i = 0; i < out.length; i++) {
    if (Number.isFinite(out[i])) {
      next = out[i];
      break;
    }
  }
  for (let i = 0; i < Math.min(conditioning, out.length); i++) {
    if (!Number.isFinite(out[i])) {
      out[i] = next;
    }
  }
  return out;
}

/** Applies the differencing operator; a missing value makes every difference it enters missing. */
export function difference(y: ArrayLike<number>, c: ArrayLike<number>): Float64Array {
  const lag = c.length;
  const out = new Float64Array(Math.max(0, y.length - lag));
  for (let t = lag; t < y.length; t++) {
    out[t - lag] = y[t] - carriedOver(y, c, t);
  }
  return out;
}

/**
 * Maps unconstrained reals to the coefficients of a stationary AR polynomial 1 - sum phi_i L^i
 * (Monahan 1984, as statsmodels and R do): each real becomes a partial autocorrelation in (-1, 1)
 * through x / sqrt(1 + x^2), and the Durbin-Levinson recursion turns those into coefficients.
 * For an invertible MA polynomial 1 + sum theta_i L^i use theta = -stationaryFromUnconstrained(x).
 */
export function stationaryFromUnconstrained(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  let phi = new Float64Array(0);
  for (let k = 0; k < n; k++) {
    const r = x[k] / Math.sqrt(1 + x[k] * x[k]);
    const next = new Float64Array(k + 1);
    for (let i = 0; i < k; i++) {
      next[i] = phi[i] - r * phi[k - 1 - i];
    }
    next[k] = r;
    phi = next;
  }
  return phi;
}

/** Inverse of `stationaryFromUnconstrained`; null when the polynomial is not stationary. */
export function unconstrainedFromStationary(phi: ArrayLike<number>): Float64Array | null {
  const n = phi.length;
  const x = new Float64Array(n);
  let current = Float64Array.from(phi);
  for (let k = n - 1; k >= 0; k--) {
    const r = current[k];
    if (!(Math.abs(r) < 1)) {
      return null;
    }
    x[k] = r / Math.sqrt(1 - r * r);
    const previous = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      previous[i] = (current[i] + r * current[k - 1 - i]) / (1 - r * r);
    }
    current = previous;
  }
  return x;
}

/** Size of the state of the Harvey state-space form of an ARMA with dense coefficients a, b. */
export function stateSize(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return Math.max(a.length, b.length + 1, 1);
}

/**
 * Stationary state covariance P solving P = T P T' + R R' (unit innovation variance), by the doubling
 * recursion P <- P + A P A', A <- A A, which sums the series T^k R R' T'^k in log2(steps) squarings.
 */
function stationaryCovariance(a: ArrayLike<number>, b: ArrayLike<number>, r: number): Float64Array {
  const rr = new Float64Array(r);
  rr[0] = 1;
  for (let i = 1; i < r; i++) {
    rr[i] = i - 1 < b.length ? b[i - 1] : 0;
  }
  let p = new Float64Array(r * r);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < r; j++) {
      p[i * r + j] = rr[i] * rr[j];
    }
  }
  let m = new Float64Array(r * r);
  for (let i = 0; i < r; i++) {
    m[i * r] = i < a.length ? a[i] : 0;
    if (i + 1 < r) {
      m[i * r + i + 1] = 1;
    }
  }
  const tmp = new Float64Array(r * r);
  const term = new Float64Array(r * r);
  let squared = new Float64Array(r * r);
  for (let iteration = 0; iteration < 64; iteration++) {
    // term = M P M'
    tmp.fill(0);
    for (let i = 0; i < r; i++) {
      for (let k = 0; k < r; k++) {
        const mik = m[i * r + k];
        if (mik === 0) {
          continue;
        }
        for (let j = 0; j < r; j++) {
          tmp[i * r + j] += mik * p[k * r + j];
        }
      }
    }
    let change = 0;
    let size = 0;
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < r; j++) {
        let sum = 0;
        for (let k = 0; k < r; k++) {
          sum += tmp[i * r + k] * m[j * r + k];
        }
        term[i * r + j] = sum;
        change = Math.max(change, Math.abs(sum));
        size = Math.max(size, Math.abs(p[i * r + j]));
      }
    }
    for (let i = 0; i < r * r; i++) {
      p[i] += term[i];
    }
    if (!Number.isFinite(change)) {
      return p.fill(NaN);
    }
    if (change <= 1e-14 * size) {
      break;
    }
    squared.fill(0);
    for (let i = 0; i < r; i++) {
      for (let k = 0; k < r; k++) {
        const mik = m[i * r + k];
        if (mik === 0) {
          continue;
        }
        for (let j = 0; j < r; j++) {
          squared[i * r + j] += mik * m[k * r + j];
        }
      }
    }
    const swap = m;
    m = squared;
    squared = swap;
  }
  return p;
}

/** Gaussian log-likelihood with the innovation variance concentrated out, and that variance. */
export interface ArmaLikelihood {
  logLikelihood: number;
  sigma2: number;
  /** Observations that entered the likelihood (missing values do not). */
  nobs: number;
}

function concentrated(sumSquares: number, sumLogF: number, nobs: number): ArmaLikelihood {
  const sigma2 = sumSquares / nobs;
  return {
    logLikelihood: -0.5 * nobs * (Math.log(2 * Math.PI) + Math.log(sigma2) + 1) - 0.5 * sumLogF,
    sigma2,
    nobs,
  };
}

/**
 * The Kalman filter of a zero-mean ARMA in Harvey's state-space form (state size r = max(p, q + 1)),
 * started from the stationary covariance, with unit innovation variance. `prediction` is the one-step
 * prediction of the next value, `next(y)` takes that value (NaN = missing: prediction only). Once the
 * predicted covariance stops changing the filter runs on its steady-state gain, O(r) per step, which
 * is what makes week-long windows cheap. It accumulates the sums of the concentrated likelihood.
 */
export class ArmaKalman {
  sumSquares = 0;
  sumLogF = 0;
  nobs = 0;
  /** False when the coefficients have no stationary covariance (the likelihood is then undefined). */
  readonly ok: boolean;
  private readonly r: number;
  private readonly ar: Float64Array;
  private readonly rr: Float64Array;
  private p: Float64Array;
  private next_: Float64Array;
  private readonly m: Float64Array;
  private readonly state: Float64Array;
  private readonly gain: Float64Array;
  private readonly row: Float64Array;
  private steady = false;
  private steadyF = 0;
  private steadySteps = 0;

  constructor(a: ArrayLike<number>, b: ArrayLike<number>) {
    const r = stateSize(a, b);
    this.r = r;
    this.ar = new Float64Array(r);
    this.ar.set(Array.from(a).slice(0, r));
    this.rr = new Float64Array(r);
    this.rr[0] = 1;
    for (let i = 1; i < r; i++) {
      this.rr[i] = i - 1 < b.length ? b[i - 1] : 0;
    }
    this.p = stationaryCovariance(a, b, r);
    this.ok = Number.isFinite(this.p[0]);
    this.next_ = new Float64Array(r * r);
    this.m = new Float64Array(r * r);
    this.state = new Float64Array(r);
    this.gain = new Float64Array(r);
    this.row = new Float64Array(r);
  }

  get prediction(): number {
    return this.state[0];
  }

  next(y: number): void {
    const { r, ar, state, gain } = this;
    const last = r - 1;
    const observed = !Number.isNaN(y);
    if (observed && this.steady) {
      const v = y - state[0];
      this.sumSquares += (v * v) / this.steadyF;
      this.steadySteps++;
      const head = state[0] + gain[0] * v;
      for (let i = 0; i < last; i++) {
        state[i] = ar[i] * head + state[i + 1] + gain[i + 1] * v;
      }
      state[last] = ar[last] * head;
      return;
    }
    if (this.steady) {
      // A missing value after the steady state: back to the full recursion from the steady covariance.
      this.flushSteady();
      this.steady = false;
    }
    const { rr, m, row } = this;
    let p = this.p;
    // The predicted covariance's first column, to tell when the recursion has converged.
    for (let i = 0; i < r; i++) {
      row[i] = p[i];
    }
    if (observed) {
      const f = p[0];
      const v = y - state[0];
      this.sumSquares += (v * v) / f;
      this.sumLogF += Math.log(f);
      this.nobs++;
      for (let i = 0; i < r; i++) {
        gain[i] = p[i * r] / f;
        state[i] += gain[i] * v;
      }
      // Filtered covariance P - P[:,0] P[0,:] / F.
      for (let i = 0; i < r; i++) {
        for (let j = 0; j < r; j++) {
          p[i * r + j] -= gain[i] * row[j];
        }
      }
    }
    // Predict: state <- T state, P <- T P T' + R R'.
    const head = state[0];
    for (let i = 0; i < last; i++) {
      state[i] = ar[i] * head + state[i + 1];
    }
    state[last] = ar[last] * head;
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < r; j++) {
        m[i * r + j] = ar[i] * p[j] + (i < last ? p[(i + 1) * r + j] : 0);
      }
    }
    const next = this.next_;
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < r; j++) {
        next[i * r + j] = m[i * r] * ar[j] + (j < last ? m[i * r + j + 1] : 0) + rr[i] * rr[j];
      }
    }
    this.next_ = p;
    this.p = p = next;
    let change = 0;
    for (let i = 0; i < r; i++) {
      change = Math.max(change, Math.abs(p[i] - row[i]));
    }
    if (observed && change < 1e-12 * p[0]) {
      this.steady = true;
      this.steadyF = p[0];
      for (let i = 0; i < r; i++) {
        gain[i] = p[i * r] / this.steadyF;
      }
    }
  }

  /** The concentrated Gaussian log-likelihood of the values taken so far. */
  likelihood(): ArmaLikelihood {
    this.flushSteady();
    return concentrated(this.sumSquares, this.sumLogF, this.nobs);
  }

  private flushSteady(): void {
    if (this.steadySteps > 0) {
      this.sumLogF += this.steadySteps * Math.log(this.steadyF);
      this.nobs += this.steadySteps;
      this.steadySteps = 0;
    }
  }
}

/**
 * Exact Gaussian likelihood of a zero-mean ARMA series (NaN = missing, skipped by the filter), with the
 * innovation variance concentrated out. Equals statsmodels' ARIMA log-likelihood at the same parameters.
 */
export function armaExactLikelihood(w: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>): ArmaLikelihood {
  const filter = new ArmaKalman(a, b);
  if (!filter.ok) {
    return { logLikelihood: NaN, sigma2: NaN, nobs: 0 };
  }
  for (let t = 0; t < w.length; t++) {
    filter.next(w[t]);
  }
  return filter.likelihood();
}

/**
 * Conditional sum of squares (R's method "CSS"): residuals by the ARMA recursion
 * e_t = w_t - sum a_k w_{t-k} - sum b_k e_{t-k}, conditioned on the first `a.length` values (their
 * residuals are zero). A missing w_t gets its one-step prediction in place of the value and a zero
 * residual, so the recursion runs through gaps. O(n) per evaluation whatever the roots: used where
 * the exact likelihood's state (one entry per lag up to s P + p) is too large, and for the order search
 * on long series (as auto.arima's approximation).
 */
export function armaConditionalLikelihood(
  w: ArrayLike<number>,
  a: ArrayLike<number>,
  b: ArrayLike<number>
): ArmaLikelihood {
  const n = w.length;
  const e = new Float64Array(n);
  const filled = new Float64Array(n);
  const ar = sparseLags(a);
  const ma = sparseLags(b);
  const arCount = ar.lags.length;
  const maCount = ma.lags.length;
  const start = a.length;
  let sumSquares = 0;
  let nobs = 0;
  for (let t = 0; t < n; t++) {
    const y = w[t];
    if (t < start) {
      filled[t] = Number.isNaN(y) ? 0 : y;
      continue;
    }
    let prediction = 0;
    for (let i = 0; i < arCount; i++) {
      prediction += ar.values[i] * filled[t - ar.lags[i]];
    }
    for (let i = 0; i < maCount; i++) {
      const lag = ma.lags[i];
      if (lag <= t) {
        prediction += ma.values[i] * e[t - lag];
      }
    }
    if (Number.isNaN(y)) {
      filled[t] = prediction;
    } else {
      filled[t] = y;
      const residual = y - prediction;
      e[t] = residual;
      sumSquares += residual * residual;
      nobs++;
    }
  }
  return concentrated(sumSquares, 0, nobs);
}

/** Non-zero coefficients as (lag, coefficient) pairs, lag >= 1: seasonal polynomials are mostly zeros. */
export function sparseLags(c: ArrayLike<number>): { lags: Int32Array; values: Float64Array } {
  const lags: number[] = [];
  const values: number[] = [];
  for (let k = 0; k < c.length; k++) {
    if (c[k] !== 0) {
      lags.push(k + 1);
      values.push(c[k]);
    }
  }
  return { lags: Int32Array.from(lags), values: Float64Array.from(values) };
}
