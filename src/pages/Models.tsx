import React, { useEffect, useState } from 'react';
import { PluginPage, getBackendSrv } from '@grafana/runtime';
import { Alert, InteractiveTable, LoadingPlaceholder } from '@grafana/ui';
import { lastValueFrom } from 'rxjs';

import { modelRows, type ModelRow } from './modelRows';

const BUNDLED = 'public/plugins/syrroca-radiography-app/models/demo';

/** The models bundled with the plugin: one row per group with its features, window and threshold. */
export function Models() {
  const [rows, setRows] = useState<ModelRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const get = (path: string) => lastValueFrom(getBackendSrv().fetch<unknown>({ url: `${BUNDLED}/${path}` })).then((r) => r.data);
    modelRows(get)
      .then(setRows)
      .catch((err: Error) => setError(err.message));
  }, []);
  return (
    <PluginPage>
      {error && (
        <Alert severity="warning" title="No bundled models">
          {error}
        </Alert>
      )}
      {!error && !rows && <LoadingPlaceholder text="Loading models" />}
      {rows && (
        <InteractiveTable
          getRowId={(r) => r.group}
          data={rows}
          columns={[
            { id: 'group', header: 'Group' },
            { id: 'features', header: 'Features' },
            { id: 'window', header: 'Window (steps)' },
            { id: 'step', header: 'Step (s)' },
            { id: 'threshold', header: 'Threshold (MSE)' },
            { id: 'trained', header: 'Trained on' },
          ]}
        />
      )}
    </PluginPage>
  );
}
