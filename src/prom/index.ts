/** The Prometheus source: a fetch-based API client, series -> feature matrix, and query sets. */
export { createPrometheusClient, parseSampleValue, PrometheusError, type PrometheusErrorCode } from './client';
export { seriesName, seriesToMatrix } from './matrix';
export { featureQuerySet } from './derive';
export {
  DEFAULT_QUERY_SET,
  expandQuerySet,
  fetchQuerySet,
  parseDuration,
  parseQuerySet,
  querySetCatalog,
} from './querySet';
export type * from './types';
