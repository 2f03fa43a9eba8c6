import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

export type QueryType = 'reconstruction' | 'features' | 'characterization' | 'radiography';

export interface RadiographyQuery extends DataQuery {
  queryType: QueryType;
  /** Groups to score; empty = every group of the models. */
  groups?: string[];
}

export const DEFAULT_QUERY: Partial<RadiographyQuery> = { queryType: 'reconstruction', groups: [] };

export interface RadiographyOptions extends DataSourceJsonData {
  /** uid of the Prometheus data source that holds the metrics. */
  prometheusUid?: string;
}
