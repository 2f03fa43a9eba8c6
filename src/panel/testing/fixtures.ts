/**
 * Test fixtures shared by the jsdom tests and the Chromium test: frames shaped like the data source's
 * radiography query, and complete panel props. Not part of the plugin bundle.
 */
import {
  createDataFrame,
  type DataFrame,
  dateTime,
  EventBusSrv,
  FieldType,
  LoadingState,
  type PanelProps,
} from '@grafana/data';

import { defaultOptions, type Options } from '../types';

/** Deterministic uniform numbers in [0, 1) (mulberry32). */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ClusterSpec {
  group: string;
  threshold: number;
  /** A dense core of anomalous points (mean and spread of MSE and KPI)... */
  core: { n: number; mse: number; kpi: number; mseSd: number; kpiSd: number };
  /** ...and a sparse tail spread uniformly over a box. */
  tail: { n: number; mse: [number, number]; kpi: [number, number] };
  /** Nominal samples (below the threshold, not anomalous) that the panel must leave out. */
  nominal: number;
}

export const CLUSTERS: ClusterSpec[] = [
  {
    group: 'cpu',
    threshold: 0.02,
    core: { n: 160, mse: 0.05, kpi: 40, mseSd: 0.004, kpiSd: 4 },
    tail: { n: 25, mse: [0.025, 0.12], kpi: [0, 120] },
    nominal: 300,
  },
  {
    group: 'memory',
    threshold: 3,
    core: { n: 90, mse: 12, kpi: 80, mseSd: 1.5, kpiSd: 8 },
    tail: { n: 20, mse: [4, 30], kpi: [10, 150] },
    nominal: 300,
  },
];

/**
 * One frame per group with the fields and display names of the data source's radiography query (time,
 * mse "MSE <group>", kpi "failed calls", anomalous, threshold, group). The data source sends only
 * anomalous rows; these frames also hold nominal ones, which the panel must leave out.
 */
export function radiographyFrames(clusters: ClusterSpec[] = CLUSTERS, seed = 7): DataFrame[] {
  const rand = uniform(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const t0 = 1_700_000_000_000;
  return clusters.map((c) => {
    const rows: Array<{ mse: number; kpi: number; anomalous: boolean }> = [];
    for (let i = 0; i < c.core.n; i++) {
      const mse = Math.max(c.threshold * 1.01, c.core.mse + c.core.mseSd * normal());
      rows.push({ mse, kpi: c.core.kpi + c.core.kpiSd * normal(), anomalous: true });
    }
    for (let i = 0; i < c.tail.n; i++) {
      const mse = c.tail.mse[0] + (c.tail.mse[1] - c.tail.mse[0]) * rand();
      rows.push({ mse, kpi: c.tail.kpi[0] + (c.tail.kpi[1] - c.tail.kpi[0]) * rand(), anomalous: true });
    }
    for (let i = 0; i < c.nominal; i++) {
      rows.push({ mse: c.threshold * rand(), kpi: 5 * rand(), anomalous: false });
    }
    return createDataFrame({
      name: c.group,
      refId: 'A',
      fields: [
        { name: 'time', type: FieldType.time, values: rows.map((_, i) => t0 + i * 30_000) },
        {
          name: 'mse',
          type: FieldType.number,
          values: rows.map((r) => r.mse),
          config: { displayName: `MSE ${c.group}` },
        },
        {
          name: 'kpi',
          type: FieldType.number,
          values: rows.map((r) => r.kpi),
          config: { displayName: 'failed calls', unit: 'short' },
        },
        { name: 'anomalous', type: FieldType.boolean, values: rows.map((r) => r.anomalous) },
        { name: 'threshold', type: FieldType.number, values: rows.map(() => c.threshold) },
        { name: 'group', type: FieldType.string, values: rows.map(() => c.group) },
      ],
    });
  });
}

/** Everything Grafana hands a panel, with the given frames and options. */
export function panelProps(series: DataFrame[], options: Partial<Options> = {}, width = 800, height = 400) {
  const timeRange = { from: dateTime(0), to: dateTime(3_600_000), raw: { from: 'now-1h', to: 'now' } };
  const props: PanelProps<Options> = {
    id: 1,
    title: 'Radiography',
    transparent: false,
    renderCounter: 0,
    width,
    height,
    timeZone: 'utc',
    timeRange,
    data: { series, state: LoadingState.Done, timeRange },
    options: { ...defaultOptions, ...options },
    fieldConfig: { defaults: {}, overrides: [] },
    eventBus: new EventBusSrv(),
    replaceVariables: (s: string) => s,
    onOptionsChange: () => {},
    onFieldConfigChange: () => {},
    onChangeTimeRange: () => {},
  };
  return props;
}
