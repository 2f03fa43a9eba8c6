import React from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { DataSourcePicker } from '@grafana/runtime';
import { Field, FieldSet, Input, RadioButtonGroup, SecretInput, Switch } from '@grafana/ui';

import {
  DEFAULT_KPI_QUERY,
  DEFAULT_MAX_POINTS,
  type BackendChoice,
  type ModelSource,
  type RadiographyOptions,
  type RadiographySecureOptions,
} from '../types';

type Props = DataSourcePluginOptionsEditorProps<RadiographyOptions, RadiographySecureOptions>;

/** True when a URL carries a user or password: jsonData is plain text, readable by every viewer of the data source. */
function hasCredentials(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false;
  }
}

const MODEL_SOURCES: Array<{ value: ModelSource; label: string; description: string }> = [
  {
    value: 'bundled',
    label: 'Bundled demo models',
    description: 'Trained on the vIMS simulator, shipped with the plugin',
  },
  {
    value: 'url',
    label: 'URL',
    description: "A models folder, e.g. the exporter's /models/, read by Grafana's server",
  },
];

const BACKENDS: Array<{ value: BackendChoice; label: string; description: string }> = [
  { value: 'auto', label: 'Auto', description: 'SIMD kernels, else WebGL, else WebAssembly, else plain JavaScript' },
  { value: 'simd', label: 'SIMD kernels', description: "syrroca's WebAssembly SIMD LSTM kernels: fastest on CPU" },
  { value: 'webgl', label: 'WebGL', description: 'GPU; falls back to WebAssembly, then cpu' },
  { value: 'wasm', label: 'WebAssembly', description: 'CPU with SIMD; falls back to cpu' },
  { value: 'cpu', label: 'cpu', description: 'Plain JavaScript: slowest, works everywhere' },
];

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData } = options;
  const set = <K extends keyof RadiographyOptions>(key: K, value: RadiographyOptions[K]) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, [key]: value } });
  const modelSource = jsonData.modelSource ?? 'bundled';

  return (
    <>
      <FieldSet label="Metrics">
        <Field
          label="Prometheus"
          description="The Prometheus data source that holds the cAdvisor and node-exporter metrics; it is read through Grafana's data proxy"
        >
          <DataSourcePicker
            type="prometheus"
            current={jsonData.prometheusUid}
            noDefault
            width={40}
            onChange={(ds) => set('prometheusUid', ds.uid)}
          />
        </Field>
        <Field
          label="Namespace"
          description="Kubernetes namespace of the service, used when a dashboard has no $namespace variable"
        >
          <Input
            width={40}
            value={jsonData.namespace ?? ''}
            placeholder="e.g. vims"
            onChange={(e) => set('namespace', e.currentTarget.value || undefined)}
          />
        </Field>
        <Field
          label="KPI query"
          description="PromQL of the service KPI that the radiography draws against the reconstruction error"
        >
          <Input
            width={60}
            value={jsonData.kpiQuery ?? ''}
            placeholder={DEFAULT_KPI_QUERY}
            onChange={(e) => set('kpiQuery', e.currentTarget.value || undefined)}
          />
        </Field>
      </FieldSet>
      <FieldSet label="Models">
        <Field label="Source">
          <RadioButtonGroup options={MODEL_SOURCES} value={modelSource} onChange={(v) => set('modelSource', v)} />
        </Field>
        {modelSource === 'url' && (
          <Field
            label="Models URL"
            invalid={hasCredentials(jsonData.modelsUrl ?? '')}
            error="This URL holds a user or password, which would be stored in plain text: remove them from the URL and put them in the authorization field below"
            description="Folder holding models.json (written by syrroca train), e.g. http://syrroca-exporter:9464/models/. Grafana's server fetches it through this data source's route, so no CORS setup is needed."
          >
            <Input
              width={60}
              value={jsonData.modelsUrl ?? ''}
              placeholder="http://syrroca-exporter:9464/models/"
              onChange={(e) => set('modelsUrl', e.currentTarget.value || undefined)}
            />
          </Field>
        )}
        {modelSource === 'url' && (
          <Field
            label="Models URL authorization"
            description="Authorization header for the models URL (e.g. Bearer <token>), if it needs one. Stored encrypted by Grafana and added by its server: never sent to browsers or kept in dashboards."
          >
            <SecretInput
              width={60}
              isConfigured={Boolean(options.secureJsonFields?.modelsAuthorization)}
              value={options.secureJsonData?.modelsAuthorization ?? ''}
              placeholder="Bearer <token>"
              onChange={(e) =>
                onOptionsChange({
                  ...options,
                  secureJsonData: { ...options.secureJsonData, modelsAuthorization: e.currentTarget.value },
                })
              }
              onReset={() =>
                onOptionsChange({
                  ...options,
                  secureJsonFields: { ...options.secureJsonFields, modelsAuthorization: false },
                  secureJsonData: { ...options.secureJsonData, modelsAuthorization: '' },
                })
              }
            />
          </Field>
        )}
        <Field
          label="Allow extra features"
          description="Score when the data has series of a group the model was not trained on (they are ignored)"
        >
          <Switch
            value={jsonData.allowExtraFeatures ?? false}
            onChange={(e) => set('allowExtraFeatures', e.currentTarget.checked)}
          />
        </Field>
      </FieldSet>
      <FieldSet label="Scoring in the browser">
        <Field label="Compute backend" description="Where the models run in each viewer's browser">
          <RadioButtonGroup options={BACKENDS} value={jsonData.backend ?? 'auto'} onChange={(v) => set('backend', v)} />
        </Field>
        <Field
          label="Point budget"
          description="Most features x steps one query may read and score; larger ranges are refused with advice"
        >
          <Input
            type="number"
            width={20}
            min={1000}
            value={jsonData.maxPoints ?? ''}
            placeholder={String(DEFAULT_MAX_POINTS)}
            onChange={(e) => set('maxPoints', e.currentTarget.value ? Number(e.currentTarget.value) : undefined)}
          />
        </Field>
      </FieldSet>
    </>
  );
}
