import React from 'react';
import { Alert, Combobox, InlineField, InlineFieldRow, Input, Stack } from '@grafana/ui';

import type { Manifest } from '../../core/types';
import { FORECAST_MODELS, forecastProblem, seriesOptions, THRESHOLD_KINDS } from '../forecastEditor';
import type { ForecastSettings, RadiographyQuery } from '../types';

interface Props {
  query: RadiographyQuery;
  manifests?: Manifest[];
  /** `run` false while typing: the query runs on blur. */
  update: (patch: Partial<RadiographyQuery>, run?: boolean) => void;
  onRunQuery: () => void;
}

/** Optional whole number of an input: empty = unset (the default applies). */
const wholeOrUnset = (text: string) => (text.trim() === '' ? undefined : Number(text));

/** The `forecast` query type's fields: the series, model, windows, training size, threshold and step. */
export function ForecastQueryEditor({ query, manifests, update, onRunQuery }: Props) {
  const settings = query.forecast ?? {};
  const set = (patch: Partial<ForecastSettings>, run = true) => update({ forecast: { ...settings, ...patch } }, run);
  const problem = forecastProblem(settings);
  return (
    <Stack direction="column" gap={1}>
      <InlineField
        label="Series"
        labelWidth={14}
        grow
        tooltip="PromQL of the series to forecast, or a feature of the models; $variables are expanded. Counters (_total) are forecast as per-step increments; several series: VARMA competes."
      >
        <Combobox
          options={seriesOptions(manifests, query.expr)}
          value={query.expr ?? null}
          placeholder="e.g. sum(rate(container_cpu_usage_seconds_total[1m]))"
          createCustomValue
          onChange={(option) => update({ expr: option?.value ?? '' })}
        />
      </InlineField>
      <InlineFieldRow>
        <InlineField label="Model" labelWidth={14} tooltip="Families that compete; the lowest held-back MSE wins">
          <Combobox
            options={FORECAST_MODELS}
            value={settings.model ?? 'auto'}
            onChange={(option) => set({ model: option.value })}
            width={16}
          />
        </InlineField>
        <InlineField
          label="Windows"
          labelWidth={10}
          tooltip="Window sizes w in points, comma-separated: a small one for real time, a large one to confirm"
        >
          <Input
            value={settings.windows ?? ''}
            placeholder="60,360"
            width={14}
            onChange={(e) => set({ windows: e.currentTarget.value }, false)}
            onBlur={onRunQuery}
          />
        </InlineField>
        <InlineField
          label="Training"
          labelWidth={10}
          tooltip="Training size st in points (> every window); empty: twice the largest window"
        >
          <Input
            type="number"
            value={settings.train ?? ''}
            placeholder="2 x w"
            width={10}
            onChange={(e) => set({ train: wholeOrUnset(e.currentTarget.value) }, false)}
            onBlur={onRunQuery}
          />
        </InlineField>
        <InlineField
          label="Step"
          labelWidth={8}
          tooltip="Seconds between points, e.g. 30s; empty: the panel's interval (the model then changes with the zoom)"
        >
          <Input
            value={query.step ?? ''}
            placeholder="$__interval"
            width={10}
            onChange={(e) => update({ step: e.currentTarget.value }, false)}
            onBlur={onRunQuery}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        <InlineField label="Threshold" labelWidth={14}>
          <Combobox
            options={THRESHOLD_KINDS}
            value={settings.threshold ?? 'dynamic'}
            onChange={(option) => set({ threshold: option.value })}
            width={16}
          />
        </InlineField>
        {(settings.threshold ?? 'dynamic') === 'dynamic' && (
          <InlineField label="k" labelWidth={10} tooltip="Coefficient of the dynamic threshold mean + k sigma">
            <Input
              type="number"
              value={settings.k ?? ''}
              placeholder="3"
              width={10}
              onChange={(e) => set({ k: wholeOrUnset(e.currentTarget.value) }, false)}
              onBlur={onRunQuery}
            />
          </InlineField>
        )}
      </InlineFieldRow>
      {problem && (
        <Alert severity="error" title="Forecast settings">
          {problem}
        </Alert>
      )}
    </Stack>
  );
}
