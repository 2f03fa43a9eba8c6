/**
 * The data source: reads an existing Prometheus through Grafana, scores it with pre-trained
 * autoencoders in the browser (tfjs, loaded on first use) and returns plain data frames. Every step
 * of the method is the core's; this class only wires Grafana to it: settings, template variables,
 * the data proxy, caching of tfjs and models, cancellation, and readable errors.
 */
import {
  DataSourceApi,
  LoadingState,
  rangeUtil,
  type DataFrame,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type TestDataSourceResponse,
  type TimeRange,
} from '@grafana/data';
import { getDataSourceSrv, getTemplateSrv } from '@grafana/runtime';
import { Observable } from 'rxjs';

import { SyrrocaError } from '../core/errors';
import type { Manifest } from '../core/types';
import { createPrometheusClient } from '../prom';
import type { PrometheusClient } from '../prom/types';
import {
  appRoot,
  bundledModelsUrl,
  dataProxyUrl,
  DATASOURCE_ID,
  kernelsWorkerUrl,
  modelsRouteUrl,
  wasmPath,
} from './assets';
import { grafanaFetch } from './fetch';
import { planForecast, runForecast } from './forecast';
import { forecastFrames, forecastMeta } from './forecastFrames';
import { characterizationFrame, featuresFrame, radiographyFrames, reconstructionFrames, withMeta } from './frames';
import { createSharedJobs } from './jobs';
import { queryError, runMeta, type RunInfo } from './meta';
import { fetchManifests, loadModels, type LoadedModels } from './models';
import { fetchKpi, planScoring, planVariables, runScoring, type KpiSeries, type ScoringOutcome } from './scoring';
import { BACKEND_NAMES, loadTf, reactivate, SCORING_CHUNK, type TfRuntime } from './tf';
import {
  DEFAULT_KPI_QUERY,
  DEFAULT_MAX_POINTS,
  DEFAULT_QUERY,
  type RadiographyOptions,
  type RadiographyQuery,
  type VariableQuery,
} from './types';
import { RadiographyVariableSupport } from './variableSupport';
import { interpolateKpi, resolveGroups, resolveQuerySetVars } from './variables';

export class RadiographyDataSource extends DataSourceApi<RadiographyQuery, RadiographyOptions> {
  private readonly options: RadiographyOptions;
  /** The app plugin's public root, where the wasm binaries and the demo models are. */
  private readonly root: string;
  private readonly jobs = createSharedJobs<ScoringOutcome>();
  private runtime?: Promise<TfRuntime>;
  private models?: Promise<LoadedModels>;
  private manifests?: Promise<Manifest[]>;
  private client?: PrometheusClient;

  constructor(settings: DataSourceInstanceSettings<RadiographyOptions>) {
    super(settings);
    this.options = settings.jsonData ?? {};
    this.root = appRoot(settings.meta?.baseUrl ?? `public/plugins/${DATASOURCE_ID}`);
    this.variables = new RadiographyVariableSupport(this);
  }

  getDefaultQuery(): Partial<RadiographyQuery> {
    return DEFAULT_QUERY;
  }

  filterQuery(query: RadiographyQuery): boolean {
    return !query.hide;
  }

  /** The data source's KPI query (empty when it uses the default). */
  kpiQuery(): string {
    return this.options.kpiQuery ?? '';
  }

  /** The models' folder: the bundled demo models, or the configured URL through this data source's `models` route. */
  modelsUrl(): string {
    if (this.options.modelSource === 'url') {
      if (!this.options.modelsUrl) {
        throw new SyrrocaError(
          'models-url-missing',
          'the data source reads models from a URL but none is set: set "Models URL" in its settings'
        );
      }
      return modelsRouteUrl(this.uid);
    }
    return bundledModelsUrl(this.root);
  }

  private prometheusName(): string {
    const uid = this.options.prometheusUid;
    return (uid && getDataSourceSrv().getInstanceSettings(uid)?.name) || uid || 'not chosen';
  }

  private prometheus(): PrometheusClient {
    const uid = this.options.prometheusUid;
    if (!uid) {
      throw new SyrrocaError(
        'prometheus-missing',
        "choose the Prometheus data source that holds the metrics in this data source's settings"
      );
    }
    const maxPoints = this.options.maxPoints ?? DEFAULT_MAX_POINTS;
    this.client ??= createPrometheusClient({
      baseUrl: dataProxyUrl(uid),
      fetch: grafanaFetch(),
      maxSamples: 2 * maxPoints,
    });
    return this.client;
  }

  /** tfjs with its backend, loaded once per data source instance (a failed load is tried again next time). */
  tfRuntime(): Promise<TfRuntime> {
    this.runtime ??= loadTf(this.options.backend ?? 'auto', wasmPath(this.root), kernelsWorkerUrl(this.root)).catch(
      (err) => {
        this.runtime = undefined;
        throw err;
      }
    );
    return this.runtime;
  }

  /** The models as tfjs models, loaded once and reused by every query. */
  loadedModels(): Promise<LoadedModels> {
    this.models ??= this.tfRuntime()
      .then((runtime) => loadModels(runtime.tf, grafanaFetch(), this.modelsUrl(), { fast: runtime.fast }))
      .catch((err) => {
        this.models = undefined;
        throw err;
      });
    return this.models;
  }

  /** The models' manifests, without tfjs: for the query editor and the variables. */
  modelManifests(): Promise<Manifest[]> {
    this.manifests ??= Promise.resolve()
      .then(() => fetchManifests(grafanaFetch(), this.modelsUrl()))
      .catch((err) => {
        this.manifests = undefined;
        throw err;
      });
    return this.manifests;
  }

  /**
   * Runs the queries. The returned observable is what Grafana unsubscribes from when a newer query
   * supersedes this one: that aborts the Prometheus requests and stops scoring at its next chunk.
   */
  query(request: DataQueryRequest<RadiographyQuery>): Observable<DataQueryResponse> {
    return new Observable<DataQueryResponse>((subscriber) => {
      const controller = new AbortController();
      this.run(request, controller.signal).then(
        (response) => {
          subscriber.next(response);
          subscriber.complete();
        },
        (err) => {
          if (!controller.signal.aborted) {
            const error = queryError(err, undefined, this.prometheusName());
            subscriber.next({ data: [], errors: [error], state: LoadingState.Error });
          }
          subscriber.complete();
        }
      );
      return () => controller.abort();
    });
  }

  private async run(request: DataQueryRequest<RadiographyQuery>, signal: AbortSignal): Promise<DataQueryResponse> {
    const targets = request.targets.filter((t) => !t.hide);
    if (targets.length === 0) {
      return { data: [], state: LoadingState.Done };
    }
    // Forecasts need neither tfjs nor the models.
    const models = targets.some((t) => t.queryType !== 'forecast') ? await this.modelsRun() : undefined;
    const data: DataFrame[] = [];
    const errors: DataQueryError[] = [];
    for (const target of targets) {
      try {
        data.push(
          ...(target.queryType === 'forecast'
            ? await this.runForecastTarget(target, request, signal)
            : await this.runTarget(target, request, models!.info, models!.loaded, signal))
        );
      } catch (err) {
        if (signal.aborted) {
          throw err;
        }
        errors.push(queryError(err, target.refId, this.prometheusName()));
      }
    }
    return {
      data,
      ...(errors.length > 0 ? { errors } : {}),
      state: errors.length > 0 ? LoadingState.Error : LoadingState.Done,
    };
  }

  /** tfjs and the models, loaded (once) and active, with what the query notices say about them. */
  private async modelsRun(): Promise<{ info: RunInfo; loaded: LoadedModels }> {
    const started = performance.now();
    const waited = this.models === undefined;
    const [runtime, loaded] = await Promise.all([this.tfRuntime(), this.loadedModels()]);
    await reactivate(runtime);
    return {
      info: { runtime, verified: loaded.verified, loadMs: waited ? performance.now() - started : undefined },
      loaded,
    };
  }

  /** A `forecast` query: the series read through the same Prometheus client, forecast by the core (forecast.ts). */
  private async runForecastTarget(
    target: RadiographyQuery,
    request: DataQueryRequest<RadiographyQuery>,
    signal: AbortSignal
  ): Promise<DataFrame[]> {
    const templateSrv = getTemplateSrv();
    const step = target.step
      ? rangeUtil.intervalToSeconds(templateSrv.replace(target.step, request.scopedVars))
      : request.intervalMs / 1000;
    const settings = target.forecast ?? {};
    const plan = planForecast({
      expr: interpolateKpi(templateSrv, target.expr ?? '', request.scopedVars),
      settings,
      from: request.range.from.valueOf() / 1000,
      to: request.range.to.valueOf() / 1000,
      step,
      maxPoints: this.options.maxPoints ?? DEFAULT_MAX_POINTS,
    });
    const outcome = await runForecast(this.prometheus(), plan, settings, { signal });
    return withMeta(forecastFrames(outcome.result, target.refId), forecastMeta(outcome.result, outcome), target.refId);
  }

  private async runTarget(
    target: RadiographyQuery,
    request: DataQueryRequest<RadiographyQuery>,
    info: RunInfo,
    loaded: LoadedModels,
    signal: AbortSignal
  ): Promise<DataFrame[]> {
    const templateSrv = getTemplateSrv();
    const { scopedVars } = request;
    const plan = planScoring(loaded.models, {
      source: loaded.url,
      groups: resolveGroups(templateSrv, target.groups, scopedVars),
      from: request.range.from.valueOf() / 1000,
      to: request.range.to.valueOf() / 1000,
      maxPoints: this.options.maxPoints ?? DEFAULT_MAX_POINTS,
    });
    // Dashboard variables first, then this data source's namespace, then the values training used.
    const defaults = {
      ...plan.query.variables,
      ...(this.options.namespace ? { namespace: this.options.namespace } : {}),
    };
    const vars = resolveQuerySetVars(templateSrv, plan.query.querySet, planVariables(plan), defaults, scopedVars);
    const client = this.prometheus();
    const key = JSON.stringify([plan.models.map((m) => m.manifest.group), plan.start, plan.end, plan.step, vars]);
    const [outcome, kpi] = await Promise.all([
      this.jobs.run(
        key,
        (jobSignal) =>
          runScoring(client, plan, {
            vars,
            chunk: SCORING_CHUNK[info.runtime.backend],
            allowExtraFeatures: this.options.allowExtraFeatures,
            signal: jobSignal,
          }),
        signal
      ),
      target.queryType === 'radiography'
        ? fetchKpi(
            client,
            interpolateKpi(templateSrv, target.kpi || this.options.kpiQuery || DEFAULT_KPI_QUERY, scopedVars),
            plan,
            signal
          )
        : Promise.resolve(undefined),
    ]);
    return withMeta(framesOf(target, outcome, kpi), runMeta(info, plan, outcome, kpi), target.refId);
  }

  /** Values of a template variable: the models' groups, or the namespaces Prometheus knows over the range. */
  async variableValues(query: VariableQuery, range?: TimeRange): Promise<string[]> {
    if (query.values === 'namespaces') {
      return this.prometheus().labelValues('namespace', {
        match: ['container_cpu_usage_seconds_total'],
        start: range ? Math.floor(range.from.valueOf() / 1000) : undefined,
        end: range ? Math.ceil(range.to.valueOf() / 1000) : undefined,
      });
    }
    return (await this.modelManifests()).map((m) => m.group);
  }

  /** Save & test: Prometheus answers through Grafana, the models load and match their manifests, and which backend runs. */
  async testDatasource(): Promise<TestDataSourceResponse> {
    const uid = this.options.prometheusUid;
    if (!uid) {
      return { status: 'error', message: 'Choose the Prometheus data source that holds the metrics.' };
    }
    const prometheus = getDataSourceSrv().getInstanceSettings(uid);
    if (!prometheus) {
      return { status: 'error', message: `The Prometheus data source ${uid} no longer exists; choose another.` };
    }
    const steps: string[] = [];
    try {
      const build = await this.prometheus().buildInfo();
      steps.push(`Prometheus ${build.version} answers through "${prometheus.name}"`);
    } catch (err) {
      return { status: 'error', message: queryError(err, undefined, prometheus.name).message ?? String(err) };
    }
    try {
      const [runtime, loaded] = await Promise.all([this.tfRuntime(), this.loadedModels()]);
      const groups = loaded.models.map(
        ({ manifest: m }) => `${m.group} (${m.features.length} features, window ${m.window} x ${m.stepSeconds} s)`
      );
      steps.push(
        `${loaded.models.length} model(s) loaded from ${loaded.url} and ${loaded.verified ? 'verified' : 'NOT verified (no HTTPS)'} against their manifests: ${groups.join(', ')}`
      );
      const fallbacks = runtime.fallbacks.length > 0 ? `, because ${runtime.fallbacks.join('; and ')}` : '';
      steps.push(`the models run on ${BACKEND_NAMES[runtime.backend]}${fallbacks}`);
    } catch (err) {
      return { status: 'error', message: [...steps, queryError(err, undefined, prometheus.name).message].join('. ') };
    }
    return { status: 'success', message: `${steps.join('. ')}.` };
  }
}

function framesOf(target: RadiographyQuery, outcome: ScoringOutcome, kpi?: KpiSeries): DataFrame[] {
  switch (target.queryType) {
    case 'features':
      return [featuresFrame(outcome.scores, target.refId)];
    case 'characterization':
      return [characterizationFrame(outcome.scores, target.refId)];
    case 'radiography':
      return radiographyFrames(outcome.scores, kpi!, target.refId);
    default:
      return reconstructionFrames(outcome.scores, target.refId);
  }
}
