/** Test fixtures of the data source's unit tests: manifests, scoring models, a Prometheus client and template variables in memory. Not bundled. */
import type { ScopedVars, TypedVariableModel } from '@grafana/data';
import type { TemplateSrv, VariableInterpolation } from '@grafana/runtime';

import type { ScoringModel } from '../../core/pipeline';
import type { Manifest } from '../../core/types';
import type { BuildInfo, PrometheusClient, PromSeries, TimeRange } from '../../prom/types';

export function manifest(overrides: Partial<Manifest> & Pick<Manifest, 'group'>): Manifest {
  const features = overrides.features ?? [{ name: `${overrides.group}_a`, kind: 'gauge', min: 0, max: 1 }];
  return {
    formatVersion: 1,
    features,
    stepSeconds: 30,
    window: 10,
    stride: 1,
    scaling: 'min-max',
    grouping: { catalog: { rules: [{ group: overrides.group, patterns: ['.'] }], fallback: null }, exclude: null },
    model: { features: features.length, window: overrides.window ?? 10, units: [16, 8, 8, 16], dropout: 0.2 },
    threshold: { method: 'quantile', quantile: 0.99, value: 0.5 },
    training: { from: 0, to: 1, samples: 2, epochs: 1, finalLoss: 0, validationLoss: null, seed: 1 },
    droppedFeatures: [],
    libraries: {},
    contentHash: '',
    ...overrides,
  };
}

/** A scoring model whose reconstruction is `reconstruct` (zeros by default), counting its calls. */
export function fakeModel(
  m: Manifest,
  reconstruct?: (windows: Float32Array, count: number) => Float32Array
): ScoringModel & { calls: number[] } {
  const model = {
    manifest: m,
    source: `models/${m.group}/`,
    input: { window: m.window, features: m.features.length },
    calls: [] as number[],
    reconstruct: async (windows: Float32Array, count: number) => {
      model.calls.push(count);
      return reconstruct ? reconstruct(windows, count) : new Float32Array(windows.length);
    },
  };
  return model;
}

/** Points of a series on a range's grid: `values[i]` at `start + i * step` (NaN = no point). */
export function series(metric: Record<string, string>, range: TimeRange, values: number[]): PromSeries {
  const points = values.map((v, i) => [range.start + i * range.step, v] as const).filter(([, v]) => !Number.isNaN(v));
  return { metric, timestamps: Float64Array.from(points, (p) => p[0]), values: Float64Array.from(points, (p) => p[1]) };
}

/** A Prometheus client that answers each query with `answer(query, range)` and records the queries it got. */
export function fakeClient(
  answer: (query: string, range: TimeRange) => PromSeries[]
): PrometheusClient & { queries: string[] } {
  const queries: string[] = [];
  return {
    url: 'http://prometheus.test',
    queries,
    async queryRange(query, range, options) {
      queries.push(query);
      if (options?.signal?.aborted) {
        throw new Error('aborted');
      }
      return answer(query, range);
    },
    async labelValues() {
      return ['vims'];
    },
    async buildInfo(): Promise<BuildInfo> {
      return { version: '2.42.0' };
    },
  };
}

/**
 * Grafana's template service as a data source sees it, for dashboard variables `vars` (an array is a
 * multi-value selection): `$name` and `${name}` are replaced through the format function, unknown
 * names are left as written and reported as not found.
 */
export function fakeTemplateSrv(vars: Record<string, string | string[]>): TemplateSrv {
  return {
    getVariables: () => Object.keys(vars).map((name) => ({ name }) as TypedVariableModel),
    containsTemplate: (target?: string) => /\$\{?\w+/.test(target ?? ''),
    updateTimeRange: () => undefined,
    replace(
      target = '',
      scopedVars?: ScopedVars,
      format?: string | Function,
      interpolations?: VariableInterpolation[]
    ) {
      return target.replace(/\$(\w+)|\$\{(\w+)(?::\w+)?\}/g, (match, bare, braced) => {
        const name = bare ?? braced;
        const value = scopedVars?.[name]?.value ?? vars[name];
        if (value === undefined) {
          interpolations?.push({ match, variableName: name, value: match, found: false });
          return match;
        }
        const text =
          typeof format === 'function' ? format(value) : Array.isArray(value) ? `{${value.join(',')}}` : String(value);
        interpolations?.push({ match, variableName: name, value: text, found: true });
        return text;
      });
    },
  };
}
