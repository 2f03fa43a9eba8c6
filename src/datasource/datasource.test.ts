/**
 * @jest-environment ./src/datasource/testing/environment.js
 *
 * The data source end to end with real tfjs (cpu backend) and the core pipeline; Grafana's runtime is
 * replaced at its boundary: the backend service (data proxy, plugin files), template variables and
 * the data source registry.
 */
import {
  dateTime,
  type DataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type PluginMeta,
} from '@grafana/data';
import type { BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import * as tf from '@tensorflow/tfjs';
import { firstValueFrom, Observable, toArray } from 'rxjs';

import { loadModels } from './models';
import { scoreGroups } from '../core/pipeline';
import type { FeatureMatrix } from '../core/types';
import { RadiographyDataSource } from './datasource';
import { modelsFolder, type Files } from './testing/artifacts';
import { fakeTemplateSrv } from './testing/fixtures';
import { ThreadlessWorker } from './testing/threadlessWorker';
import type { RadiographyOptions, RadiographyQuery } from './types';
import { kernelWorkerCount } from './workers';

// Real tfjs and Grafana's components are slow to start on a busy machine: no test here is about speed.
jest.setTimeout(60_000);

const ROOT = 'public/plugins/syrroca-radiography-app/';
const MODELS = `${ROOT}models/demo/`;
const PROXY = 'api/datasources/proxy/uid/prom/';

/** Gauges of the two groups as functions of time, and the KPI. */
const SIGNALS = new Map<string, (t: number) => number>([
  ['cpu_a{namespace="ims"}', (t) => 0.5 + 0.4 * Math.sin(t / 300)],
  ['cpu_b{namespace="ims"}', (t) => 0.5 + 0.4 * Math.cos(t / 500)],
  ['network_a{namespace="ims"}', (t) => (t % 600) / 600],
  ['network_b{namespace="ims"}', () => 0.3],
  ['sum(failed{namespace="ims"})', (t) => (t / 30) % 7],
  // Calls: a slow wave and deterministic jitter, for the forecast query type.
  ['sum(calls)', (t) => 50 + 10 * Math.sin(t / 900) + ((t * 7919) % 13) / 4],
]);

let grafana: {
  files: Files;
  requests: BackendSrvRequest[];
  cancelled: string[];
  prometheus: 'up' | 'bad-gateway' | 'hang';
};

jest.mock('@grafana/runtime', () => ({
  getBackendSrv: () => ({ fetch: (request: BackendSrvRequest) => answer(request) }),
  getTemplateSrv: () => templateSrv,
  getDataSourceSrv: () => ({
    getInstanceSettings: (uid: string) => (uid === 'prom' ? { uid, name: 'Prometheus' } : undefined),
  }),
  isFetchError: (e: unknown) => typeof e === 'object' && e !== null && 'status' in e && 'data' in e,
}));
let templateSrv = fakeTemplateSrv({ namespace: 'ims', group: ['cpu', 'network'] });

const json = (body: unknown) => new TextEncoder().encode(JSON.stringify(body)).buffer as ArrayBuffer;

/** Grafana's side: plugin files, and the Prometheus data proxy answering the queries above exactly. */
function answer(request: BackendSrvRequest): Observable<FetchResponse<unknown>> {
  grafana.requests.push(request);
  return new Observable((subscriber) => {
    let done = false;
    const respond = (status: number, data: unknown) => {
      done = true;
      if (status >= 400) {
        subscriber.error({ status, statusText: '', data, config: request });
      } else {
        subscriber.next({
          status,
          statusText: 'OK',
          ok: true,
          data,
          headers: new Headers(),
          config: request,
        } as FetchResponse<unknown>);
        subscriber.complete();
      }
    };
    const timer = setTimeout(() => {
      if (!request.url.startsWith(PROXY)) {
        const file = grafana.files[request.url];
        const bytes = typeof file === 'string' ? new TextEncoder().encode(file) : file;
        return file === undefined
          ? respond(404, 'not found')
          : respond(200, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      }
      if (grafana.prometheus === 'bad-gateway') {
        return respond(502, { message: 'Bad Gateway' });
      }
      if (grafana.prometheus === 'hang') {
        return;
      }
      const path = request.url.slice(PROXY.length);
      if (path === 'api/v1/status/buildinfo') {
        return respond(200, json({ status: 'success', data: { version: '2.42.0' } }));
      }
      const params = new URLSearchParams(String(request.data));
      const signal = SIGNALS.get(params.get('query')!);
      const [start, end, step] = ['start', 'end', 'step'].map((k) => Number(params.get(k)));
      const values: Array<[number, string]> = [];
      for (let t = start; signal && t <= end; t += step) {
        values.push([t, String(signal(t))]);
      }
      const name = params.get('query')!.split('{')[0];
      respond(
        200,
        json({
          status: 'success',
          data: {
            resultType: 'matrix',
            result: signal
              ? [{ metric: name.startsWith('sum') ? {} : { __name__: name, namespace: 'ims' }, values }]
              : [],
          },
        })
      );
    }, 0);
    return () => {
      clearTimeout(timer);
      if (!done) {
        grafana.cancelled.push(request.url);
      }
    };
  });
}

/** A group of two gauges read with its own queries, grouped by metric name prefix. */
const group = (name: string) => ({
  group: name,
  features: ['a', 'b'].map((f) => ({ name: `${name}_${f}{namespace="ims"}`, kind: 'gauge' as const, min: 0, max: 1 })),
  grouping: { catalog: { rules: [{ group: name, patterns: [`^${name}_`] }], fallback: null }, exclude: null },
  // Trained from Prometheus: the query set (both groups, one training run) is stored in each manifest.
  querySet: {
    queries: {
      version: 1 as const,
      groups: Object.fromEntries(
        ['cpu', 'network'].map((g) => [g, ['a', 'b'].map((f) => `${g}_${f}{namespace="$namespace"}`)])
      ),
    },
    variables: { namespace: 'training-ns' },
  },
});

function datasource(options: Partial<RadiographyOptions> = {}): RadiographyDataSource {
  return new RadiographyDataSource({
    uid: 'syrroca',
    name: 'Syrroca',
    type: 'syrroca-radiography-datasource',
    meta: { baseUrl: 'public/plugins/syrroca-radiography-datasource' } as PluginMeta,
    jsonData: { prometheusUid: 'prom', backend: 'cpu', ...options },
  } as DataSourceInstanceSettings<RadiographyOptions>);
}

// 20 steps of 30 s after the first one; the window of 3 steps needs 90 s before it.
const FIRST = 1_000_020;
const LAST = FIRST + 20 * 30;

function request(targets: Array<Partial<RadiographyQuery>>): DataQueryRequest<RadiographyQuery> {
  return {
    requestId: 'Q1',
    interval: '30s',
    intervalMs: 30_000,
    range: { from: dateTime(1_000_000_000), to: dateTime(LAST * 1000), raw: { from: '', to: '' } },
    scopedVars: {},
    targets: targets.map(
      (t, i) => ({ refId: String.fromCharCode(65 + i), queryType: 'reconstruction', ...t }) as RadiographyQuery
    ),
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
  };
}

const run = (ds: RadiographyDataSource, r: DataQueryRequest<RadiographyQuery>) =>
  firstValueFrom(ds.query(r) as Observable<DataQueryResponse>);

let files: Files;

beforeAll(async () => {
  // jsdom has no WebGL: keep tfjs from probing it while the fixtures build models.
  await tf.setBackend('cpu');
  files = await modelsFolder(tf, MODELS, ['cpu', 'network'].map(group));
});

beforeEach(() => {
  grafana = {
    files: { ...files },
    requests: [],
    cancelled: [],
    prometheus: 'up',
  };
  templateSrv = fakeTemplateSrv({ namespace: 'ims', group: ['cpu', 'network'] });
});

describe('RadiographyDataSource', () => {
  it('scores the Prometheus data of the range exactly as the core pipeline does', async () => {
    const response = await run(datasource(), request([{ groups: ['$group'] }]));
    expect(response.errors).toBeUndefined();
    expect(response.data.map((f) => f.name)).toEqual(['cpu', 'network']);

    // The same features, computed here on the grid the data source must read, scored by the core directly.
    const timestamps = Float64Array.from({ length: 24 }, (_, i) => FIRST - 90 + 30 * i);
    const names = [
      'cpu_a{namespace="ims"}',
      'cpu_b{namespace="ims"}',
      'network_a{namespace="ims"}',
      'network_b{namespace="ims"}',
    ];
    const matrix: FeatureMatrix = {
      timestamps,
      features: names,
      columns: names.map((n) => timestamps.map(SIGNALS.get(n)!)),
    };
    const fetchFile = (async (url: string) => new Response(grafana.files[url])) as typeof fetch;
    const { models } = await loadModels(tf, fetchFile, MODELS);
    const { scores } = await scoreGroups(matrix, models);
    for (const frame of response.data) {
      const expected = scores.filter((s) => s.group === frame.name && s.t >= FIRST);
      expect(frame.fields[0].values).toEqual(expected.map((s) => s.t * 1000));
      expect(frame.fields[0].values[0]).toBe(FIRST * 1000);
      expect(frame.fields[1].values).toEqual(expected.map((s) => s.mse));
    }
  });

  /** The scores of the cpu and simd backends on the same query, the simd frames checked against the cpu ones within 1e-5 relative. */
  async function simdAgainstCpu(): Promise<DataFrame[]> {
    const [cpu, simd] = await Promise.all(
      (['cpu', 'simd'] as const).map((backend) => run(datasource({ backend }), request([{ groups: ['$group'] }])))
    );
    expect(simd.errors).toBeUndefined();
    (cpu.data as DataFrame[]).forEach((frame, i) => {
      const expected = frame.fields[1].values as number[];
      const actual = (simd.data as DataFrame[])[i].fields[1].values as number[];
      expect(actual).toHaveLength(expected.length);
      actual.forEach((mse, j) => expect(Math.abs(mse - expected[j])).toBeLessThanOrEqual(1e-5 * expected[j] + 1e-9));
    });
    return simd.data as DataFrame[];
  }

  it('scores with the SIMD kernels on Web Workers what tfjs scores, within 1e-5 relative', async () => {
    Object.assign(globalThis, { Worker: ThreadlessWorker });
    ThreadlessWorker.started = [];
    ThreadlessWorker.terminated = 0;
    try {
      const [frame] = await simdAgainstCpu();
      const workers = kernelWorkerCount();
      expect(frame.meta?.notices?.[0].text).toMatch(
        new RegExp(`scored on WebAssembly SIMD kernels \\(${workers} Web Workers?\\) in`)
      );
      // One worker to learn that workers start (stopped at once), then each of the 2 models' own.
      expect(ThreadlessWorker.started).toEqual(Array(1 + 2 * workers).fill(`${ROOT}kernels.worker.js`));
      expect(ThreadlessWorker.terminated).toBe(1);
    } finally {
      delete (globalThis as { Worker?: unknown }).Worker;
    }
  });

  it("scores with the SIMD kernels on the page's thread when Web Workers cannot start, and says so", async () => {
    expect(typeof Worker).toBe('undefined');
    const [frame] = await simdAgainstCpu();
    const notices = frame.meta?.notices?.map((n) => [n.severity, n.text]) ?? [];
    expect(notices[0]).toEqual([
      'warning',
      `Web Workers could not start from ${ROOT}kernels.worker.js (this browser has no Web Workers), so the SIMD ` +
        "kernels score on the page's thread, slower and with the page less responsive: allow workers from the " +
        "plugin's folder (Content-Security-Policy worker-src) or check that the plugin is complete",
    ]);
    expect(notices[1][1]).toMatch(/scored on WebAssembly SIMD kernels in/);
  });

  it('says which backend scored and how long it took', async () => {
    const [first] = (await run(datasource(), request([{}]))).data as DataFrame[];
    const texts = first.meta?.notices?.map((n) => n.text) ?? [];
    expect(texts[0]).toMatch(
      /^cpu, network: 21 steps of 30 s scored on plain JavaScript \(cpu\) in [\d.]+ s \(Prometheus [\d.]+ s, loading tfjs and models [\d.]+ s\)$/
    );
  });

  it('reads each model, tfjs and the data once for queries that need the same scores', async () => {
    const ds = datasource({ kpiQuery: 'sum(failed{namespace="$namespace"})' });
    const response = await run(
      ds,
      request([{ queryType: 'reconstruction' }, { queryType: 'features' }, { queryType: 'radiography' }])
    );
    expect(response.errors).toBeUndefined();
    const urls = grafana.requests.map((r) => r.url);
    expect(urls.filter((u) => u.endsWith('weights.bin'))).toHaveLength(2);
    // Four feature queries for the scores, one KPI query for the radiography.
    expect(urls.filter((u) => u.endsWith('query_range'))).toHaveLength(5);
    const kpi = (response.data as DataFrame[]).find((f) => f.refId === 'C' && f.name === 'cpu')!;
    expect(kpi.fields.find((field) => field.name === 'kpi')?.config.displayName).toBe('sum(failed{namespace="ims"})');
    await run(ds, request([{ queryType: 'characterization' }]));
    expect(grafana.requests.filter((r) => r.url.endsWith('weights.bin'))).toHaveLength(2);
  });

  it("puts the dashboard's namespace into the query set and reads the KPI the query names", async () => {
    await run(
      datasource({ namespace: 'other' }),
      request([{ queryType: 'radiography', kpi: 'sum(failed{namespace="$namespace"})' }])
    );
    const queries = grafana.requests
      .filter((r) => r.url.endsWith('query_range'))
      .map((r) => new URLSearchParams(String(r.data)).get('query'));
    expect(queries).toEqual(expect.arrayContaining(['cpu_a{namespace="ims"}', 'sum(failed{namespace="ims"})']));
  });

  it('stops reading Prometheus when the query is superseded', async () => {
    grafana.prometheus = 'hang';
    const ds = datasource();
    await ds.loadedModels();
    const emitted: DataQueryResponse[] = [];
    const subscription = ds.query(request([{}])).subscribe((r) => emitted.push(r));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(grafana.requests.some((r) => r.url.endsWith('query_range'))).toBe(true);
    subscription.unsubscribe();
    expect(grafana.cancelled.filter((u) => u.endsWith('query_range')).length).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(emitted).toEqual([]);
  });

  it("blames Grafana's data proxy, readably, when Prometheus cannot be reached", async () => {
    grafana.prometheus = 'bad-gateway';
    const response = await run(datasource(), request([{}]));
    expect(response.errors?.[0].message).toBe(
      'Grafana cannot reach the Prometheus of data source "Prometheus" (HTTP 502 from its data proxy): ' +
        "check that data source's URL with Save & test, and that Prometheus is running"
    );
  }, 20_000);

  it('says when the models are not where the data source looks', async () => {
    grafana.files = {};
    const response = await run(datasource(), request([{}]));
    expect(response.errors?.[0].message).toMatch(
      /models\/demo\/models.json answered HTTP 404: no syrroca models there/
    );
  });

  it('reads the namespace training used when neither the dashboard nor the settings name one', async () => {
    templateSrv = fakeTemplateSrv({});
    await run(datasource(), request([{}]));
    const queries = grafana.requests
      .filter((r) => r.url.endsWith('query_range'))
      .map((r) => new URLSearchParams(String(r.data)).get('query'));
    expect(queries).toContain('cpu_a{namespace="training-ns"}');
  });

  it("reports, on Save & test, Prometheus' version, the verified models and the backend", async () => {
    const result = await datasource().testDatasource();
    expect(result.status).toBe('success');
    expect(result.message).toBe(
      'Prometheus 2.42.0 answers through "Prometheus". ' +
        `2 model(s) loaded from ${MODELS} and verified against their manifests: cpu (2 features, window 3 x 30 s), network (2 features, window 3 x 30 s). ` +
        'the models run on plain JavaScript (cpu).'
    );
  });

  it('forecasts a series without loading tfjs or any model, judging every step of the range', async () => {
    grafana.files = {};
    const response = await run(
      datasource(),
      request([{ queryType: 'forecast', expr: 'sum(calls)', step: '30s', forecast: { windows: '10', train: 20 } }])
    );
    expect(response.errors).toBeUndefined();
    const [frame] = response.data as DataFrame[];
    expect(frame.name).toBe('sum(calls)');
    expect(frame.fields.map((f) => f.name)).toEqual([
      'time',
      'value',
      'predicted',
      'lower',
      'upper',
      'anomalous',
      'onset',
    ]);
    expect(frame.fields[0].values[0]).toBe(FIRST * 1000);
    expect(frame.fields[0].values.at(-1)).toBe(LAST * 1000);
    expect(frame.fields[1].values[0]).toBe(SIGNALS.get('sum(calls)')!(FIRST));
    expect(grafana.requests.map((r) => r.url)).toEqual([`${PROXY}api/v1/query_range`]);
  });

  it('lists the groups of the models and the namespaces of Prometheus as variable values', async () => {
    const ds = datasource();
    expect(await ds.variableValues({ refId: 'v', values: 'groups' })).toEqual(['cpu', 'network']);
    const variables = await firstValueFrom(
      (ds.variables as unknown as { query: (r: unknown) => Observable<DataQueryResponse> })
        .query({ ...request([]), targets: [{ refId: 'v', values: 'groups' }] })
        .pipe(toArray())
    );
    expect(variables[0].data[0].fields[0].values).toEqual(['cpu', 'network']);
  });
});
