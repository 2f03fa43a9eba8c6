/**
 * The types of the method, in one place. `src/core` is pure: no DOM, no Node APIs, no global state.
 * Everything here runs the same in the browser (data source, panel) and in Node (CLI, exporter).
 */

/** How a raw series becomes a model input: counters become per-step increments, gauges keep their value. */
export type FeatureKind = 'counter' | 'gauge';

/**
 * Samples aligned on one time axis. Column-major: `columns[j][i]` is feature `features[j]` at
 * `timestamps[i]`. Missing values are NaN and stay NaN through preprocessing (never invented).
 */
export interface FeatureMatrix {
  /** Unix seconds, strictly increasing. */
  timestamps: Float64Array;
  /** Canonical series names: `metric{label="v",...}` (labels sorted) or bare names. */
  features: string[];
  /** One column per feature, each of length `timestamps.length`. */
  columns: Float64Array[];
}

/** A resource group and the regexes (JavaScript syntax, matched against the feature name) that select its features. */
export interface GroupRule {
  group: string;
  patterns: string[];
}

/** Ordered rules: a feature joins the first group whose pattern matches; unmatched features go to `other`. */
export interface GroupCatalog {
  rules: GroupRule[];
  /** Group for unmatched features; `null` drops them. */
  fallback: string | null;
}

/** Training bounds of one feature, stored in the manifest. */
export interface FeatureSpec {
  name: string;
  kind: FeatureKind;
  min: number;
  max: number;
}

export type ThresholdMethod = 'quantile' | 'mean-k-sigma';

export interface Threshold {
  method: ThresholdMethod;
  /** For `quantile` (default 0.99). */
  quantile?: number;
  /** For `mean-k-sigma`. */
  k?: number;
  value: number;
}

/** Hidden sizes of the LSTM autoencoder: encoder [h1 (sequences), h2 (last state)], decoder [h3, h4]. */
export interface AutoencoderShape {
  features: number;
  window: number;
  units: [number, number, number, number];
  dropout: number;
}

/**
 * Which PromQL queries give the features of each group (`src/prom/querySet.ts` reads, expands and
 * fetches it); the same shape in memory, in a query set file and in `Manifest.querySet`. Queries may
 * use variables (`$namespace`, `${namespace}`, `${instance:raw}`).
 */
export interface QuerySet {
  version: 1;
  /** The step the features are meant to be read at, a Prometheus duration (`"30s"`). */
  step?: string;
  /** Default values of variables; the caller's values win. */
  variables?: Record<string, string>;
  /** Group name -> queries, in order. */
  groups: Record<string, string[]>;
}

/** `manifest.json` of one group's artifact (beside tfjs `model.json` and its weight shards). */
export interface Manifest {
  formatVersion: 1;
  group: string;
  features: FeatureSpec[];
  stepSeconds: number;
  window: number;
  stride: number;
  scaling: 'min-max';
  /** How the group's features were chosen, so scoring groups new data exactly as training did. */
  grouping: { catalog: GroupCatalog; exclude: string | null };
  model: AutoencoderShape;
  threshold: Threshold;
  training: {
    from: number;
    to: number;
    samples: number;
    epochs: number;
    finalLoss: number;
    validationLoss: number | null;
    seed: number;
  };
  /** Features seen in training but not used, with why (constant, correlated, ...). */
  droppedFeatures: Array<{ name: string; reason: string }>;
  /**
   * When trained from Prometheus: the query set the features came from (as given, variables not yet
   * substituted) and the variable values used, so scoring asks for exactly what training saw.
   */
  querySet?: { queries: QuerySet; variables: Record<string, string> };
  libraries: Record<string, string>;
  /** sha256 of model.json and the weight shards, hex. */
  contentHash: string;
}

/** One scored time step of one group. */
export interface GroupScore {
  /** Unix seconds of the last step of the window. */
  t: number;
  group: string;
  mse: number;
  threshold: number;
  anomalous: boolean;
  /** Cover set F_t: features by decreasing share p until the shares reach the coverage (90%). */
  features: Array<{ name: string; p: number }>;
}

/** Share of threshold-crossing samples whose cover set equals `features`. */
export interface Characterization {
  features: string[];
  share: number;
  count: number;
}
