import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { RadiographyDataSource } from './datasource';
import type { RadiographyOptions, RadiographyQuery } from './types';

export const plugin = new DataSourcePlugin<RadiographyDataSource, RadiographyQuery, RadiographyOptions>(RadiographyDataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
