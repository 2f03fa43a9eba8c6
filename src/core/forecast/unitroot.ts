/**
 * How much differencing a series needs and whether it has a season: the KPSS level-stationarity test
 * (Kwiatkowski et al. 1992) for d, the seasonal-strength measure of Wang, Smith & Hyndman (2006) for D,
 * and an autocorrelation peak for the period itself. Missing values (NaN) are skipped.
 */
import { difference, differencingLags } from './arma';

function finite(x: ArrayLike<number>): Float64Array {
  return Float64Array.from(Array.prototype.filter.call(x, (v: number) => Number.isFinite(v)) as number[]);
}

export interface KpssResult {
  statistic: number;
  lags: number;
  /** Interpolated in the table of Kwiatkowski et al. (1992); clamped to [0.01, 0.1] outside it. */
  pValue: number;
}

/** Critical values of the level-stationarity statistic at 10%, 5%, 2.5% and 1% (Kwiatkowski et al. 1992, table 1). */
const KPSS_CRITICAL = [0.347, 0.463, 0.574, 0.739];
const KPSS_LEVELS = [0.1, 0.05, 0.025, 0.01];

/**
 * KPSS statistic for level stationarity, with the Newey-West long-run variance (Bartlett weights).
 * The default truncation lag is trunc(3 sqrt(n) / 13), the choice of R's forecast::ndiffs
 * (Hyndman & Khandakar 2008); the statistic equals statsmodels' `kpss(x, 'c', nlags=lags)`.
 */
export function kpss(x: ArrayLike<number>, lags?: number): KpssResult {
  const v = finite(x);
  const n = v.length;
  const l = Math.min(lags ?? Math.trunc((3 * Math.sqrt(n)) / 13), n - 1);
  let mean = 0;
  for (let i = 0; i < n; i++) {
    mean += v[i];
  }
  mean /= n;
  const e = v.map((value) => value - mean);
  let partial = 0;
  let eta = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    partial += e[i];
    eta += partial * partial;
    s += e[i] * e[i];
  }
  for (let lag = 1; lag <= l; lag++) {
    let product = 0;
    for (let i = lag; i < n; i++) {
      product += e[i] * e[i - lag];
    }
    s += 2 * product * (1 - lag / (l + 1));
  }
  const statistic = eta / (n * n) / (s / n);
  return { statistic, lags: l, pValue: interpolatePValue(statistic) };
}

function interpolatePValue(statistic: number): number {
  if (!(statistic > KPSS_CRITICAL[0])) {
    return KPSS_LEVELS[0];
  }
  for (let i = 1; i < KPSS_CRITICAL.length; i++) {
    if (statistic <= KPSS_CRITICAL[i]) {
      const f = (statistic - KPSS_CRITICAL[i - 1]) / (KPSS_CRITICAL[i] - KPSS_CRITICAL[i - 1]);
      return KPSS_LEVELS[i - 1] + f * (KPSS_LEVELS[i] - KPSS_LEVELS[i - 1]);
    }
  }
  return KPSS_LEVELS[KPSS_LEVELS.length - 1];
}

function isConstant(v: Float64Array): boolean {
  for (let i = 1; i < v.length; i++) {
    if (v[i] !== v[0]) {
      return false;
    }
  }
  return true;
}

/**
 * Number of first differences (0 to maxD) after which KPSS no longer rejects level stationarity at
 * the 5% level, as auto.arima decides d.
 */
export function chooseDifferencing(x: ArrayLike<number>, maxD = 2): number {
  let series = finite(x);
  for (let d = 0; d < maxD; d++) {
    if (series.length < 8 || isConstant(series) || kpss(series).statistic <= KPSS_CRITICAL[1]) {
      return d;
    }
    series = difference(series, differencingLags(1, 0, 1));
  }
  return maxD;
}

/**
 * Seasonal strength max(0, 1 - Var(remainder) / Var(season + remainder)) after removing a centred
 * moving-average trend (classical decomposition). Close to 1 for a clean season, 0 for none.
 */
export function seasonalStrength(x: ArrayLike<number>, period: number): number {
  const n = x.length;
  const half = Math.floor(period / 2);
  const detrended = new Float64Array(n).fill(NaN);
  // Centred moving average of length `period` (2 x period when even, so it stays centred).
  for (let t = half; t < n - half; t++) {
    let sum = 0;
    let weight = 0;
    for (let j = -half; j <= half; j++) {
      const w = period % 2 === 0 && Math.abs(j) === half ? 0.5 : 1;
      const v = x[t + j];
      if (Number.isFinite(v)) {
        sum += w * v;
        weight += w;
      }
    }
    if (weight > 0 && Number.isFinite(x[t])) {
      detrended[t] = x[t] - sum / weight;
    }
  }
  const phaseSum = new Float64Array(period);
  const phaseCount = new Float64Array(period);
  for (let t = 0; t < n; t++) {
    if (Number.isFinite(detrended[t])) {
      phaseSum[t % period] += detrended[t];
      phaseCount[t % period]++;
    }
  }
  const remainder: number[] = [];
  const detrendedValues: number[] = [];
  for (let t = 0; t < n; t++) {
    if (Number.isFinite(detrended[t])) {
      detrendedValues.push(detrended[t]);
      remainder.push(detrended[t] - phaseSum[t % period] / phaseCount[t % period]);
    }
  }
  const total = variance(detrendedValues);
  return total > 0 ? Math.max(0, 1 - variance(remainder) / total) : 0;
}

function variance(v: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < v.length; i++) {
    mean += v[i];
  }
  mean /= v.length;
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    sum += (v[i] - mean) ** 2;
  }
  return v.length > 1 ? sum / (v.length - 1) : 0;
}

/** One seasonal difference when the seasonal strength exceeds 0.64 (forecast::nsdiffs' default test). */
export function chooseSeasonalDifferencing(x: ArrayLike<number>, period: number): number {
  return x.length >= 2 * period && seasonalStrength(x, period) > 0.64 ? 1 : 0;
}

/**
 * Sample autocorrelations at lags 0..maxLag, each lag's products averaged over the pairs it has
 * (sum / (n - lag), over the variance): the usual estimator divides by n, which tapers with the lag
 * and moves a seasonal peak one or two lags early. Missing values count as the mean, so add nothing.
 */
export function autocorrelation(x: ArrayLike<number>, maxLag: number): Float64Array {
  const n = x.length;
  let mean = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(x[i])) {
      mean += x[i];
      count++;
    }
  }
  mean /= count || 1;
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    c[i] = Number.isFinite(x[i]) ? x[i] - mean : 0;
  }
  const out = new Float64Array(maxLag + 1);
  for (let lag = 0; lag <= maxLag && lag < n; lag++) {
    let sum = 0;
    for (let i = lag; i < n; i++) {
      sum += c[i] * c[i - lag];
    }
    out[lag] = sum / (n - lag);
  }
  const c0 = out[0];
  return out.map((v) => (c0 > 0 ? v / c0 : 0));
}

/**
 * The vertex of the parabola fitted by least squares to acf over [lag - h, lag + h]: near its top a
 * seasonal autocorrelation is flat (cos(2 pi delta / s) changes by 2e-4 per lag at s = 288), so the
 * highest single lag is at the mercy of the noise, while the fitted curvature is not.
 */
function refinePeak(acf: Float64Array, lag: number, h: number): number {
  let sxy = 0;
  let sxx = 0;
  let sy = 0;
  let sx2y = 0;
  let sx4 = 0;
  let count = 0;
  for (let x = -h; x <= h; x++) {
    const y = acf[lag + x];
    sxy += x * y;
    sxx += x * x;
    sy += y;
    sx2y += x * x * y;
    sx4 += x ** 4;
    count++;
  }
  const b = sxy / sxx;
  const a = (count * sx2y - sxx * sy) / (count * sx4 - sxx * sxx);
  return a < 0 ? lag + Math.max(-h, Math.min(h, Math.round(-b / (2 * a)))) : lag;
}

/**
 * The seasonal period of a series, or null. Candidates are the local maxima of the autocorrelation
 * after it first turns negative (so the slow decay of a persistent but aseasonal series does not count)
 * that reach 0.3, up to a third of the series (three cycles to learn from). Multiples of a period peak
 * too, about as high: the shortest lag within 10% of the highest peak wins, and its position is refined
 * on the shape of the peak around it. Run it on the series differenced as the model will see it, so a
 * trend does not mask the season.
 */
export function detectSeason(x: ArrayLike<number>, maxPeriod = Math.floor(x.length / 3)): number | null {
  const limit = Math.min(maxPeriod, Math.floor(x.length / 3));
  if (limit < 2) {
    return null;
  }
  const acf = autocorrelation(x, Math.min(x.length - 1, limit + Math.ceil(limit / 12) + 1));
  // A season's autocorrelation turns negative within the period (it averages to zero over one), a
  // persistent aseasonal one decays slowly and noise wiggles on the way: start after the first negative value.
  let lag = 1;
  while (lag < limit && acf[lag] >= 0) {
    lag++;
  }
  const peaks: number[] = [];
  for (let l = Math.max(lag + 1, 2); l <= limit; l++) {
    if (acf[l] >= acf[l - 1] && acf[l] >= acf[l + 1] && acf[l] >= 0.3) {
      peaks.push(l);
    }
  }
  if (peaks.length === 0) {
    return null;
  }
  const highest = Math.max(...peaks.map((l) => acf[l]));
  const period = peaks.find((l) => acf[l] >= 0.9 * highest)!;
  const h = Math.floor(period / 12);
  return h >= 2 && period + h < acf.length ? Math.max(2, refinePeak(acf, period, h)) : period;
}
