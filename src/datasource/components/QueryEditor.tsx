import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Combobox, InlineField } from '@grafana/ui';

import type { RadiographyDataSource } from '../datasource';
import type { QueryType, RadiographyOptions, RadiographyQuery } from '../types';

const QUERY_TYPES: Array<{ value: QueryType; label: string; description: string }> = [
  { value: 'reconstruction', label: 'Reconstruction error', description: 'MSE per group with its threshold' },
  { value: 'features', label: 'Anomaly features', description: 'Anomalous intervals and the features that explain them' },
  { value: 'characterization', label: 'Characterization', description: 'Feature sets and their share of anomalous samples' },
  { value: 'radiography', label: 'Radiography', description: 'Anomalous points (MSE, KPI) per group' },
];

export function QueryEditor({ query, onChange, onRunQuery }: QueryEditorProps<RadiographyDataSource, RadiographyQuery, RadiographyOptions>) {
  return (
    <InlineField label="Query type" labelWidth={16}>
      <Combobox
        options={QUERY_TYPES}
        value={query.queryType}
        onChange={(option) => {
          onChange({ ...query, queryType: option.value });
          onRunQuery();
        }}
      />
    </InlineField>
  );
}
