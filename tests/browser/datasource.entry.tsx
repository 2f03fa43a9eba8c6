/**
 * Test page for the data source in real Chromium: the data source built from its sources, with
 * Grafana's runtime services set at their boundary (setBackendSrv & co.): the backend service is
 * `fetch` to this page's server, which stands in for Grafana's data proxy in front of a real
 * Prometheus and serves the plugin's files (bundled models, tfjs wasm) where Grafana would.
 * `window.syrrocaRun` runs Save & test and the four query types and returns plain data; the page
 * then shows the configuration, the query editor and what each query returned, for the README.
 */
import './grafana-boot';

import {
  createTheme,
  dateTime,
  ThemeContext,
  type DataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type PluginMeta,
  type TestDataSourceResponse,
} from '@grafana/data';
import {
  setBackendSrv,
  setDataSourceSrv,
  setTemplateSrv,
  type BackendSrv,
  type BackendSrvRequest,
  type DataSourceSrv,
  type FetchResponse,
} from '@grafana/runtime';
import React from 'react';
import { createRoot } from 'react-dom/client';
import { lastValueFrom, Observable } from 'rxjs';

import { ConfigEditor } from '../../src/datasource/components/ConfigEditor';
import { QueryEditor } from '../../src/datasource/components/QueryEditor';
import { RadiographyDataSource } from '../../src/datasource/datasource';
import { fakeTemplateSrv } from '../../src/datasource/testing/fixtures';
import type { BackendChoice, RadiographyOptions, RadiographyQuery } from '../../src/datasource/types';
import { RadiographyPanel } from '../../src/panel/RadiographyPanel';
import { panelProps } from '../../src/panel/testing/fixtures';

export interface RunRequest {
  backend: BackendChoice;
  /** Unix seconds. */
  from: number;
  to: number;
  namespace: string;
}

export interface PlainFrame {
  refId?: string;
  name?: string;
  fields: Array<{ name: string; values: unknown[]; config: Record<string, unknown> }>;
  notices: Array<{ severity: string; text: string }>;
  custom?: Record<string, unknown>;
}

export interface RunResult {
  test: TestDataSourceResponse;
  frames: PlainFrame[];
  errors: string[];
}

declare global {
  interface Window {
    syrrocaRun(request: RunRequest): Promise<RunResult>;
  }
}

/** Grafana's backend service reduced to what data sources use: `fetch`, as an observable, errors as FetchError. */
const backendSrv = {
  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return new Observable((subscriber) => {
      const controller = new AbortController();
      fetch(options.url, {
        method: options.method,
        headers: options.headers,
        body: options.data,
        signal: controller.signal,
      }).then(
        async (response) => {
          const data = await response.arrayBuffer();
          if (response.ok) {
            const { status, statusText, ok, headers, redirected, type, url } = response;
            subscriber.next({
              data: data as T,
              status,
              statusText,
              ok,
              headers,
              redirected,
              type,
              url,
              config: options,
            });
            subscriber.complete();
          } else {
            subscriber.error({
              status: response.status,
              statusText: response.statusText,
              data: new TextDecoder().decode(data),
              config: options,
            });
          }
        },
        (err: Error) => subscriber.error({ status: -1, data: { message: err.message }, config: options })
      );
      return () => controller.abort();
    });
  },
} as unknown as BackendSrv;

const prometheus = {
  uid: 'prom',
  name: 'Prometheus',
  type: 'prometheus',
  meta: { id: 'prometheus', name: 'Prometheus', type: 'datasource', info: { logos: { small: '', large: '' } } },
} as unknown as DataSourceInstanceSettings;

const dataSourceSrv = {
  getInstanceSettings: (uid?: string) => (uid === 'prom' ? prometheus : undefined),
  getList: () => [prometheus],
  get: () => Promise.reject(new Error('not in this page')),
  reload: () => undefined,
  registerRuntimeDataSource: () => undefined,
} as unknown as DataSourceSrv;

function plain(frame: DataFrame): PlainFrame {
  return {
    refId: frame.refId,
    name: frame.name,
    fields: frame.fields.map((f) => ({ name: f.name, values: Array.from(f.values), config: { ...f.config } })),
    notices: (frame.meta?.notices ?? []).map((n) => ({ severity: n.severity, text: n.text })),
    custom: frame.meta?.custom,
  };
}

const QUERIES: Array<Partial<RadiographyQuery>> = [
  { refId: 'reconstruction', queryType: 'reconstruction', groups: ['$group'] },
  { refId: 'features', queryType: 'features', groups: ['$group'] },
  { refId: 'characterization', queryType: 'characterization', groups: ['$group'] },
  { refId: 'radiography', queryType: 'radiography', groups: ['$group'] },
];

window.syrrocaRun = async ({ backend, from, to, namespace }) => {
  setBackendSrv(backendSrv);
  setDataSourceSrv(dataSourceSrv);
  const groups = ['cpu', 'memory', 'network', 'filesystem'];
  setTemplateSrv(fakeTemplateSrv({ group: groups, namespace }));
  const jsonData: RadiographyOptions = { prometheusUid: 'prom', modelSource: 'bundled', backend };
  const settings = {
    uid: 'syrroca',
    name: 'Syrroca radiography',
    type: 'syrroca-radiography-datasource',
    meta: { baseUrl: 'public/plugins/syrroca-radiography-datasource' } as PluginMeta,
    jsonData,
  } as DataSourceInstanceSettings<RadiographyOptions>;
  const datasource = new RadiographyDataSource(settings);
  const test = await datasource.testDatasource();
  const request = {
    requestId: 'browser-test',
    interval: '30s',
    intervalMs: 30_000,
    range: { from: dateTime(from * 1000), to: dateTime(to * 1000), raw: { from: '', to: '' } },
    scopedVars: {},
    targets: QUERIES as RadiographyQuery[],
    timezone: 'utc',
    app: 'dashboard',
    startTime: Date.now(),
  } as DataQueryRequest<RadiographyQuery>;
  const response = (await lastValueFrom(
    datasource.query(request) as Observable<DataQueryResponse>
  )) as DataQueryResponse;
  const frames = response.data as DataFrame[];
  show(datasource, settings, test, frames);
  return { test, frames: frames.map(plain), errors: (response.errors ?? []).map((e) => e.message ?? '') };
};

// ---------------------------------------------------------------------------------------------
// What the page shows: Grafana's own editors, then each query type's result.

const theme = createTheme({ colors: { mode: 'light' } });

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section
      style={{ margin: '12px 0', padding: 12, border: `1px solid ${theme.colors.border.weak}`, borderRadius: 4 }}
    >
      <h3 style={{ margin: '0 0 8px', fontSize: 15 }}>{title}</h3>
      {children}
    </section>
  );
}

/** MSE (line) and threshold (dashed) of one group over time, as a time-series panel draws them. */
function Reconstruction({ frame }: { frame: DataFrame }) {
  const [time, mse, threshold, anomalous] = frame.fields;
  const w = 440;
  const h = 90;
  const t0 = time.values[0];
  const t1 = time.values[time.values.length - 1];
  const top = Math.max(...mse.values, threshold.values[0]) * 1.05;
  const x = (t: number) => ((t - t0) / (t1 - t0 || 1)) * w;
  const y = (v: number) => h - (v / top) * h;
  const line = mse.values
    .map((v: number, i: number) => `${i ? 'L' : 'M'}${x(time.values[i]).toFixed(1)},${y(v).toFixed(1)}`)
    .join('');
  return (
    <svg width={w} height={h + 14} style={{ display: 'block', marginBottom: 4 }}>
      {anomalous.values.map((a: number, i: number) =>
        a ? (
          <rect
            key={i}
            x={x(time.values[i])}
            y={0}
            width={Math.max(1, w / time.values.length)}
            height={h}
            fill="#f2495c33"
          />
        ) : null
      )}
      <path d={line} fill="none" stroke={theme.visualization.getColorByName('blue')} strokeWidth={1.2} />
      <line
        x1={0}
        x2={w}
        y1={y(threshold.values[0])}
        y2={y(threshold.values[0])}
        stroke="#e02f44"
        strokeDasharray="6 4"
      />
      <text x={2} y={h + 12} fontSize={11}>{`${frame.name}: MSE (blue), threshold (dashed), anomalous (shaded)`}</text>
    </svg>
  );
}

function Table({ frame, rows = 6 }: { frame: DataFrame; rows?: number }) {
  const cell = (name: string, v: unknown) =>
    typeof v === 'number'
      ? name === 'start' || name === 'end'
        ? new Date(v).toISOString().slice(11, 16)
        : name === 'share' || name === 'top share'
          ? `${(100 * v).toFixed(1)}%`
          : Number.isInteger(v)
            ? String(v)
            : v.toFixed(4)
      : String(v);
  return (
    <table style={{ borderCollapse: 'collapse', fontSize: 12 }}>
      <thead>
        <tr>
          {frame.fields.map((f) => (
            <th
              key={f.name}
              style={{ textAlign: 'left', padding: '2px 8px', borderBottom: `1px solid ${theme.colors.border.medium}` }}
            >
              {f.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {Array.from({ length: Math.min(rows, frame.length) }, (_, i) => (
          <tr key={i}>
            {frame.fields.map((f) => (
              <td
                key={f.name}
                style={{
                  padding: '2px 8px',
                  maxWidth: 380,
                  overflow: 'hidden',
                  whiteSpace: 'nowrap',
                  textOverflow: 'ellipsis',
                }}
              >
                {cell(f.name, f.values[i])}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function show(
  datasource: RadiographyDataSource,
  settings: DataSourceInstanceSettings<RadiographyOptions>,
  test: TestDataSourceResponse,
  frames: DataFrame[]
) {
  const of = (refId: string) => frames.filter((f) => f.refId === refId);
  // Every query of the run shares one scoring, and so its notices: show them once.
  const notices = [...new Set(frames.flatMap((f) => f.meta?.notices ?? []).map((n) => `${n.severity}: ${n.text}`))];
  const options = { ...settings, jsonData: settings.jsonData, secureJsonFields: {} } as never;
  const radiography = of('radiography').filter((f) => f.length > 0);
  document.body.style.background = theme.colors.background.primary;
  document.body.style.color = theme.colors.text.primary;
  document.body.style.fontFamily = theme.typography.fontFamily;
  createRoot(document.getElementById('root')!).render(
    <ThemeContext.Provider value={theme}>
      <div style={{ padding: 12, width: 1180 }}>
        <div style={{ display: 'flex', gap: 12 }}>
          <div style={{ flex: 1 }}>
            <Section title="1. Connections > Data sources > Add: Syrroca radiography data source">
              <ConfigEditor options={options} onOptionsChange={() => undefined} />
              <div style={{ fontSize: 12 }}>
                <b>Save &amp; test:</b> {test.message}
              </div>
            </Section>
          </div>
          <div style={{ flex: 1 }}>
            <Section title="2. In a panel: query type, groups ($group), KPI">
              <QueryEditor
                datasource={datasource}
                query={{ refId: 'A', queryType: 'radiography', groups: ['$group'] }}
                onChange={() => undefined}
                onRunQuery={() => undefined}
              />
            </Section>
            <Section title="reconstruction: per group, time / MSE / threshold / anomalous">
              {of('reconstruction').map((f) => (
                <Reconstruction key={f.name} frame={f} />
              ))}
            </Section>
          </div>
        </div>
        <Section title="features: one row per anomalous interval and group (Table panel)">
          <Table frame={of('features')[0]} />
        </Section>
        <Section title="characterization: feature sets F and their share of threshold-crossing samples">
          <Table frame={of('characterization')[0]} />
        </Section>
        <Section title="radiography: anomalous (MSE, KPI) points per group, drawn by the radiography panel">
          <div style={{ width: 1150, height: 260 }}>
            <RadiographyPanel {...panelProps(radiography, {}, 1150, 260)} />
          </div>
        </Section>
        <div style={{ fontSize: 12 }}>
          {notices.map((n) => (
            <div key={n}>{n}</div>
          ))}
        </div>
      </div>
    </ThemeContext.Provider>
  );
}
