import React from 'react';
import type { DataSourceApi, QueryEditorProps } from '@grafana/data';
import { Combobox, InlineField } from '@grafana/ui';

import type { RadiographyOptions, RadiographyQuery, VariableQuery } from '../types';

const OPTIONS: Array<{ value: VariableQuery['values']; label: string; description: string }> = [
  { value: 'groups', label: 'Groups', description: 'The resource groups of the models (cpu, memory, ...)' },
  {
    value: 'namespaces',
    label: 'Namespaces',
    description: 'Values of the namespace label in Prometheus over the time range',
  },
];

export function VariableQueryEditor({
  query,
  onChange,
}: QueryEditorProps<
  DataSourceApi<RadiographyQuery, RadiographyOptions>,
  RadiographyQuery,
  RadiographyOptions,
  VariableQuery
>) {
  return (
    <InlineField label="Values" labelWidth={16}>
      <Combobox
        options={OPTIONS}
        value={query.values ?? 'groups'}
        onChange={(option) => onChange({ ...query, values: option.value })}
      />
    </InlineField>
  );
}
