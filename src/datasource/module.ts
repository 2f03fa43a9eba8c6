import { DataSourcePlugin } from '@grafana/data';

import { appRoot } from './assets';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { RadiographyDataSource } from './datasource';
import type { RadiographyOptions, RadiographyQuery } from './types';

declare let __webpack_public_path__: string;

// create-plugin points the public path at this module's folder, but webpack writes the lazy tfjs
// chunk at the app's root (dist/), beside the wasm files: load chunks from there (see assets.ts).
__webpack_public_path__ = appRoot(__webpack_public_path__);

export const plugin = new DataSourcePlugin<RadiographyDataSource, RadiographyQuery, RadiographyOptions>(
  RadiographyDataSource
)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
