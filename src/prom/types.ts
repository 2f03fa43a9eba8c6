/**
 * The types of the Prometheus source, in one place. Everything in `src/prom` runs in Node 20 and in
 * the browser: it uses only `fetch`, `AbortController` and timers.
 */
import type { FeatureMatrix } from '../core/types';

/** A `query_range` evaluation grid in unix seconds: start, start + step, ... up to end (inclusive). */
export interface TimeRange {
  start: number;
  end: number;
  /** Seconds between points (millisecond precision, as Prometheus reads it). */
  step: number;
}

/** One series of a range query: its labels (with `__name__` when the expression keeps it) and its points. */
export interface PromSeries {
  metric: Record<string, string>;
  /** Unix seconds, strictly increasing, on the query's grid. Steps without a value are absent. */
  timestamps: Float64Array;
  /** `"NaN"`, `"+Inf"` and `"-Inf"` are read as NaN, Infinity and -Infinity. */
  values: Float64Array;
}

/** `/api/v1/status/buildinfo`: what answers at the URL, for a health check. */
export interface BuildInfo {
  version: string;
  revision?: string;
  branch?: string;
  goVersion?: string;
}

export interface PrometheusClientOptions {
  /** The API root: `http://prometheus:9090`, a path prefix (`.../prometheus`) or Grafana's proxy URL. */
  baseUrl: string;
  /** Injectable so the data source can pass Grafana's proxy fetch; the global `fetch` by default. */
  fetch?: typeof fetch;
  headers?: Record<string, string>;
  /** Per request, including reading the body (default 30,000). */
  timeoutMs?: number;
  /** Further attempts after a timeout, a 5xx, a 429 or a lost connection (default 3). 4xx are never retried. */
  retries?: number;
  /** First wait before a retry, doubled each time, with jitter (default 500). */
  backoffMs?: number;
  /** Requests in flight at once, over all the queries of this client (default 4). */
  concurrency?: number;
  /** Points per series of one request: Prometheus refuses more than 11,000 (default 11,000). */
  maxPointsPerSeries?: number;
  /** Steps of one range: a longer range is refused before any request (default 1,000,000). */
  maxSteps?: number;
  /** Points (series x steps) one query may return before it is stopped (default 20,000,000, ~320 MB). */
  maxSamples?: number;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface PrometheusClient {
  /** The base URL with any credentials removed, as error messages show it. */
  readonly url: string;
  /**
   * `query_range` over the whole range, split into requests of at most `maxPointsPerSeries` points,
   * merged per series in time order. Series are ordered by canonical name.
   */
  queryRange(query: string, range: TimeRange, options?: RequestOptions): Promise<PromSeries[]>;
  /** Values of a label (e.g. the namespaces), optionally among the series matching selectors. */
  labelValues(
    label: string,
    options?: RequestOptions & { match?: string[]; start?: number; end?: number }
  ): Promise<string[]>;
  /** What runs at the URL; use it as the health check (it fails with the same errors as a query). */
  buildInfo(options?: RequestOptions): Promise<BuildInfo>;
}

/** Defined with the manifest that stores it; see `src/core/types.ts`. */
export type { QuerySet } from '../core/types';

/** The features of a query set on one grid, and where each came from. */
export interface QuerySetData {
  matrix: FeatureMatrix;
  /** Parallel to `matrix.features`: the group of the query the feature came from. */
  groups: string[];
  /** Parallel to `matrix.features`: the expanded query it came from. */
  queries: string[];
  /** Queries that matched no series in the range, for the caller to report. */
  empty: Array<{ group: string; query: string }>;
}

export interface FetchQuerySetOptions extends RequestOptions {
  /** After each query completes: how many are done out of how many. */
  onProgress?: (done: number, total: number) => void;
}
