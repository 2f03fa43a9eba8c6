import {
  DataSourceApi,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';

import { DEFAULT_QUERY, type RadiographyOptions, type RadiographyQuery } from './types';

export class RadiographyDataSource extends DataSourceApi<RadiographyQuery, RadiographyOptions> {
  private readonly prometheusUid?: string;

  constructor(settings: DataSourceInstanceSettings<RadiographyOptions>) {
    super(settings);
    this.prometheusUid = settings.jsonData.prometheusUid;
  }

  getDefaultQuery(): Partial<RadiographyQuery> {
    return DEFAULT_QUERY;
  }

  async query(_request: DataQueryRequest<RadiographyQuery>): Promise<DataQueryResponse> {
    return { data: [], error: { message: 'Scoring in the browser is not available in this version of the plugin; use `syrroca serve` and its Prometheus series.' } };
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    if (!this.prometheusUid) {
      return { status: 'error', message: 'Choose the Prometheus data source that holds the metrics.' };
    }
    const prometheus = getDataSourceSrv().getInstanceSettings(this.prometheusUid);
    if (!prometheus) {
      return { status: 'error', message: `The Prometheus data source ${this.prometheusUid} no longer exists; choose another.` };
    }
    return { status: 'success', message: `Reads metrics from ${prometheus.name}.` };
  }
}
