/** Query, options and variable types of the data source, in one place. */
import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

import type { ForecastModelChoice, ThresholdKind } from '../core/forecast/types';

export type QueryType = 'reconstruction' | 'features' | 'characterization' | 'radiography' | 'forecast';

export interface RadiographyQuery extends DataQuery {
  queryType: QueryType;
  /** Groups to score, literal names or template variables (`$group`); empty = every group of the models. */
  groups?: string[];
  /** PromQL of the service KPI for this query; the data source's KPI query when empty. */
  kpi?: string;
  /** `forecast`: PromQL of the series to forecast (a model feature's name is one); `$variables` are expanded. */
  expr?: string;
  /** `forecast`: seconds between points, a duration such as `30s`; empty: the panel's interval. */
  step?: string;
  /** `forecast`: model, windows, training size and threshold. */
  forecast?: ForecastSettings;
}

/** The forecast settings of a query (the `forecast` query type). */
export interface ForecastSettings {
  model?: ForecastModelChoice;
  /** Window sizes in points, comma-separated (`60,360`). */
  windows?: string;
  /** Training size st in points; empty: twice the largest window. */
  train?: number;
  threshold?: ThresholdKind;
  /** k of the dynamic threshold. */
  k?: number;
}

export const DEFAULT_QUERY: Partial<RadiographyQuery> = { queryType: 'reconstruction', groups: [] };

/** Where the models come from: the demo models shipped in the plugin, or a URL read through the plugin's route. */
export type ModelSource = 'bundled' | 'url';

/**
 * Where the models run: the project's WebAssembly SIMD kernels, or a tfjs backend; `auto` tries
 * them in the order SIMD kernels, WebGL, wasm, cpu.
 */
export type BackendChoice = 'auto' | 'simd' | 'webgl' | 'wasm' | 'cpu';
export type Backend = Exclude<BackendChoice, 'auto'>;

export interface RadiographyOptions extends DataSourceJsonData {
  /** uid of the Prometheus data source that holds the metrics. */
  prometheusUid?: string;
  modelSource?: ModelSource;
  /** For `url`: the models directory, e.g. the exporter's `http://syrroca:9464/models/` (fetched by Grafana's data proxy). */
  modelsUrl?: string;
  backend?: BackendChoice;
  /** PromQL of the service KPI drawn against the reconstruction error (radiography). */
  kpiQuery?: string;
  /** Value of the query set's `$namespace` when the dashboard has no such variable. */
  namespace?: string;
  /** Points (features x steps) one query may read; above it the query is refused with advice. */
  maxPoints?: number;
  /** Ignore features of a group that the model was not trained on (instead of refusing to score). */
  allowExtraFeatures?: boolean;
}

/**
 * Secrets of the data source, kept by Grafana in secureJsonData: encrypted on its server, never sent
 * to browsers, dashboards or logs. The `models` route adds them to the requests it proxies.
 */
export interface RadiographySecureOptions {
  /** Authorization header value for the models URL, e.g. `Bearer <token>` or `Basic <base64 user:password>`. */
  modelsAuthorization?: string;
}

/** Failed calls over all SIPp instances: the KPI of the paper. */
export const DEFAULT_KPI_QUERY = 'sum(sipp_failed_calls)';
export const DEFAULT_MAX_POINTS = 2_000_000;

/** Query of a template variable: the models' groups, or the values of the `namespace` label. */
export interface VariableQuery extends DataQuery {
  values: 'groups' | 'namespaces';
}
