import React from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { DataSourcePicker } from '@grafana/runtime';
import { Field } from '@grafana/ui';

import type { RadiographyOptions } from '../types';

export function ConfigEditor({ options, onOptionsChange }: DataSourcePluginOptionsEditorProps<RadiographyOptions>) {
  return (
    <Field label="Prometheus" description="The Prometheus data source that holds the cAdvisor and node-exporter metrics">
      <DataSourcePicker
        type="prometheus"
        current={options.jsonData.prometheusUid}
        noDefault
        onChange={(ds) => onOptionsChange({ ...options, jsonData: { ...options.jsonData, prometheusUid: ds.uid } })}
      />
    </Field>
  );
}
