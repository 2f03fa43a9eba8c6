/** Query, options and variable types of the data source, in one place. */
import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

export type QueryType = 'reconstruction' | 'features' | 'characterization' | 'radiography';

export interface RadiographyQuery extends DataQuery {
  queryType: QueryType;
  /** Groups to score, literal names or template variables (`$group`); empty = every group of the models. */
  groups?: string[];
  /** PromQL of the service KPI for this query; the data source's KPI query when empty. */
  kpi?: string;
}

export const DEFAULT_QUERY: Partial<RadiographyQuery> = { queryType: 'reconstruction', groups: [] };

/** Where the models come from: the demo models shipped in the plugin, or a URL read through the plugin's route. */
export type ModelSource = 'bundled' | 'url';

/** The tfjs backend: `auto` tries WebGL, then wasm, then cpu. */
export type BackendChoice = 'auto' | 'webgl' | 'wasm' | 'cpu';
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
