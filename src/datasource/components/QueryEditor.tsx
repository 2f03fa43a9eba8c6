import React, { useEffect, useState } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { Alert, Combobox, InlineField, InlineFieldRow, Input, MultiCombobox, Stack } from '@grafana/ui';

import type { Manifest } from '../../core/types';
import type { RadiographyDataSource } from '../datasource';
import { fitHints, groupOptions, modelExpectations, QUERY_TYPES } from '../editor';
import { ForecastQueryEditor } from './ForecastQueryEditor';
import { DEFAULT_KPI_QUERY, type RadiographyOptions, type RadiographyQuery } from '../types';

type Props = QueryEditorProps<RadiographyDataSource, RadiographyQuery, RadiographyOptions>;

export function QueryEditor({ datasource, query, data, onChange, onRunQuery }: Props) {
  const [manifests, setManifests] = useState<Manifest[]>();
  const [modelsError, setModelsError] = useState<string>();
  useEffect(() => {
    let current = true;
    datasource.modelManifests().then(
      (m) => current && setManifests(m),
      (err: Error) => current && setModelsError(err.message)
    );
    return () => {
      current = false;
    };
  }, [datasource]);

  const variables = getTemplateSrv()
    .getVariables()
    .map((v) => v.name);
  const expectations = manifests ? modelExpectations(manifests) : undefined;
  const hints = fitHints(data, query.refId);
  const update = (patch: Partial<RadiographyQuery>, run = true) => {
    onChange({ ...query, ...patch });
    if (run) {
      onRunQuery();
    }
  };

  return (
    <Stack direction="column" gap={1}>
      <InlineFieldRow>
        <InlineField label="Query type" labelWidth={14}>
          <Combobox
            options={QUERY_TYPES}
            value={query.queryType ?? 'reconstruction'}
            onChange={(option) => update({ queryType: option.value })}
            width={28}
          />
        </InlineField>
        {query.queryType !== 'forecast' && (
          <InlineField
            label="Groups"
            labelWidth={10}
            tooltip="Empty: every group of the models. $variables are expanded."
          >
            <MultiCombobox
              options={groupOptions(manifests, variables, query.groups)}
              value={query.groups ?? []}
              placeholder="all groups"
              onChange={(options) => update({ groups: options.map((o) => o.value) })}
              width="auto"
              minWidth={20}
            />
          </InlineField>
        )}
      </InlineFieldRow>
      {query.queryType === 'forecast' && (
        <ForecastQueryEditor query={query} manifests={manifests} update={update} onRunQuery={onRunQuery} />
      )}
      {query.queryType === 'radiography' && (
        <InlineField
          label="KPI"
          labelWidth={14}
          grow
          tooltip="PromQL of the service KPI drawn against the reconstruction error; empty: the data source's KPI query"
        >
          <Input
            value={query.kpi ?? ''}
            placeholder={datasource.kpiQuery() || DEFAULT_KPI_QUERY}
            onChange={(e) => update({ kpi: e.currentTarget.value }, false)}
            onBlur={onRunQuery}
          />
        </InlineField>
      )}
      {modelsError && query.queryType !== 'forecast' && (
        <Alert severity="error" title="Models">
          {modelsError}
        </Alert>
      )}
      {expectations && <div>{`Models: ${expectations.text}.`}</div>}
      {hints.map((hint) => (
        <Alert key={hint.text} severity={hint.severity} title="The models and the data">
          {hint.text}
        </Alert>
      ))}
    </Stack>
  );
}
