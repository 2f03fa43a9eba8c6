/**
 * Types of the forecasting detectors (seed 004), in one place. Series values are in the feature's own
 * units in everything a user sees (points, thresholds, episodes); models are fitted on min-max scaled
 * values, so their coefficients are unit-free.
 */

export type ForecastFamily = 'arima' | 'sarima' | 'varma';

/** Which families compete in the model selection: `auto` = every family that applies to the data. */
export type ForecastModelChoice = 'auto' | ForecastFamily;

export type SelectionMetric = 'mse' | 'rmse' | 'mape';

export type ThresholdKind = 'fixed' | 'dynamic';

/** How the windows' anomalies combine into the reported episodes (see README). */
export type CombineRule = 'any' | 'all' | 'confirm';

/** ARIMA(p, d, q)(P, D, Q, s); s = 0 (and P = D = Q = 0) for a non-seasonal model. */
export interface ArimaOrder {
  p: number;
  d: number;
  q: number;
  P: number;
  D: number;
  Q: number;
  s: number;
}

/** A fitted ARIMA or SARIMA, in statsmodels' sign conventions (phi(L) = 1 - phi_1 L ..., theta(L) = 1 + theta_1 L ...). */
export interface ArimaModel {
  family: 'arima' | 'sarima';
  order: ArimaOrder;
  ar: number[];
  ma: number[];
  seasonalAr: number[];
  seasonalMa: number[];
  /** Mean of the (undifferenced) series when d = D = 0, otherwise 0 (no drift, as statsmodels' default). */
  mean: number;
  /** Innovation variance. */
  sigma2: number;
  logLikelihood: number;
  /** -2 logLikelihood + 2 (p + q + P + Q + [mean] + 1): sigma2 counts, as in statsmodels. */
  aic: number;
  /** AIC + 2k(k + 1) / (nobs - k - 1), k the parameter count of `aic`: what the order search ranks by. */
  aicc: number;
  /** Differenced observations in the likelihood. */
  nobs: number;
  /** `exact`: Kalman-filter likelihood; `css`: conditional sum of squares (long seasonal periods). */
  method: 'exact' | 'css';
  converged: boolean;
}

/** A fitted VARMA(p, q) on k series; VAR when q = 0. Matrices are k x k, row-major (row = equation). */
export interface VarmaModel {
  family: 'varma';
  p: number;
  q: number;
  /** Differencing order of each series before the VARMA. */
  d: number[];
  intercept: number[];
  ar: number[][];
  ma: number[][];
  /** Innovation covariance (k x k, row-major, divided by nobs). */
  sigma: number[];
  logLikelihood: number;
  /** -2 logLikelihood + 2 (k^2 (p + q) + k). */
  aic: number;
  nobs: number;
}

export type ForecastModel = ArimaModel | VarmaModel;

/** Accuracy of one-step predictions over a held-back stretch. */
export interface ForecastScores {
  mse: number;
  rmse: number;
  /** Mean absolute percentage error in percent over the points whose actual value is not 0; NaN when there are none. */
  mape: number;
  /** Points scored (observed value and prediction both present). */
  points: number;
  /** Points left out of MAPE because the actual value is 0. */
  mapeExcluded: number;
}

/** One row of the model-selection table: a candidate, its held-back scores, or why it could not run. */
export interface SelectionRow {
  family: ForecastFamily;
  /** E.g. `ARIMA(1,1,1)`, `SARIMA(1,0,0)(1,1,0)[24]`, `VARMA(2,1)`. */
  model: string;
  scores: ForecastScores | null;
  error?: string;
  selected: boolean;
}

/** One judged point of one window. */
export interface ForecastPoint {
  /** Unix seconds. */
  t: number;
  value: number;
  /** One-step-ahead prediction made with data before t only; NaN where there is none. */
  predicted: number;
  /** pe = |value - predicted|; NaN where either is missing. */
  error: number;
  /** Threshold on pe in force at t (the band is predicted +/- threshold); NaN before detection starts. */
  threshold: number;
  /** error > threshold at a judged point. */
  exceeds: boolean;
}

/** A run of anomalous points, reported once at its onset. */
export interface Episode {
  /** Unix seconds of the onset (the first anomalous point). */
  start: number;
  /** Unix seconds of the last anomalous point. */
  end: number;
  peakError: number;
  /** Anomalous points in the episode (gaps up to `mergeGap` normal points do not split it). */
  points: number;
}

export interface WindowForecast {
  window: number;
  step: number;
  family: ForecastFamily;
  /** The selected model as fitted on the first window (later windows refit its coefficients). */
  model: ForecastModel;
  selection: SelectionRow[];
  thresholdKind: ThresholdKind;
  /** mean + 3 sigma of the held-back errors: the fixed threshold, and the dynamic one's start. */
  fixedThreshold: number;
  points: ForecastPoint[];
  episodes: Episode[];
  refits: number;
  /** Refits that failed (flat or too sparse window): the previous coefficients were kept. */
  failedRefits: number;
}

export interface FeatureForecast {
  feature: string;
  windows: WindowForecast[];
  /** Episodes after combining the windows by `rule` (the windows' own episodes when there is one). */
  combined: { rule: CombineRule; episodes: Episode[] };
}

export interface ForecastResult {
  stepSeconds: number;
  train: number;
  features: FeatureForecast[];
  /** Features left out by the filter, or because no model could be fitted to them. */
  dropped: Array<{ name: string; reason: string }>;
  /** What the input needed (sorting, de-duplication, gaps, ...), in words for the operator. */
  warnings: string[];
}

export interface OrderBounds {
  /** Largest AR / MA orders searched (default 3 / 3). */
  p?: number;
  q?: number;
  /** Largest seasonal AR / MA orders (default 1 / 1). */
  P?: number;
  Q?: number;
  /** Largest differencing order the unit-root test may choose (default 2). */
  d?: number;
  /** VARMA orders searched: p in 1..varP (default 2), q in 0..varQ (default 1). */
  varP?: number;
  varQ?: number;
}

export interface ForecastOptions {
  /** Families that compete (default `auto`: ARIMA, SARIMA when a season is known or found, VARMA when 2+ features). */
  model?: ForecastModelChoice;
  /** Training size st in points: the first st points select the model and calibrate the threshold. */
  train: number;
  /** Window sizes w in points (each < st): every model is fitted on the last w points. */
  windows: number[];
  /** Points between refits (the slide of the window); default: the window itself. */
  step?: number;
  /** Seasonal period in points, `auto` (autocorrelation peak, default) or null for none. */
  season?: number | 'auto' | null;
  metric?: SelectionMetric;
  /**
   * `dynamic` (default): mean + k sigma of the trailing errors, which follows a noise level that changes
   * with load; `fixed`: mean + 3 sigma of the held-back errors (see README for the comparison).
   */
  threshold?: ThresholdKind;
  /** Coefficient of the dynamic threshold mean + k sigma (default 3). */
  k?: number;
  /** Trailing errors the dynamic threshold is computed over (default: the window). */
  dynamicWindow?: number;
  /** Rule combining several windows (default `confirm`). */
  combine?: CombineRule;
  /** Normal points an episode may contain before a new one starts (default 2). */
  mergeGap?: number;
  /** Missing points after which the next observations are not judged until the model has seen `p + d` of them (default 5). */
  maxGap?: number;
  bounds?: OrderBounds;
}
