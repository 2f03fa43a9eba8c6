import {
  createDataFrame,
  CustomVariableSupport,
  FieldType,
  type DataQueryRequest,
  type DataSourceApi,
  type DataQueryResponse,
} from '@grafana/data';
import { from, map, type Observable } from 'rxjs';

import { VariableQueryEditor } from './components/VariableQueryEditor';
import type { RadiographyDataSource } from './datasource';
import type { RadiographyOptions, RadiographyQuery, VariableQuery } from './types';

/** Query variables of this data source: `groups` (of the models) or `namespaces` (in Prometheus). */
export class RadiographyVariableSupport extends CustomVariableSupport<
  DataSourceApi<RadiographyQuery, RadiographyOptions>,
  VariableQuery,
  RadiographyQuery,
  RadiographyOptions
> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: RadiographyDataSource) {
    super();
  }

  query(request: DataQueryRequest<VariableQuery>): Observable<DataQueryResponse> {
    const [target] = request.targets;
    return from(this.datasource.variableValues({ ...target, values: target?.values ?? 'groups' }, request.range)).pipe(
      map((values) => ({
        data: [createDataFrame({ refId: target?.refId, fields: [{ name: 'text', type: FieldType.string, values }] })],
      }))
    );
  }
}
