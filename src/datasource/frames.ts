/**
 * Scores -> Grafana data frames, one builder per query type. Plain frames that Grafana's own
 * panels understand (time series, state timeline, table, bar gauge cells) and that the
 * radiography panel draws. Pure: no runtime, no fetching.
 */
import {
  createDataFrame,
  FieldType,
  MappingType,
  type DataFrame,
  type DataLink,
  type FieldDTO,
  type QueryResultMeta,
} from '@grafana/data';

import { anomalousIntervals, characterize } from '../core/attribution';
import type { GroupScore } from '../core/types';

function byGroup(scores: GroupScore[]): Map<string, GroupScore[]> {
  const groups = new Map<string, GroupScore[]>();
  for (const s of scores) {
    const list = groups.get(s.group) ?? [];
    list.push(s);
    groups.set(s.group, list);
  }
  return groups;
}

/**
 * The anomalous state (0/1) of one series, with nominal/anomalous mappings for a state timeline; not drawn
 * in a time series (legend and tooltip only). Shared by the reconstruction and forecast frames.
 */
export function anomalousField(values: number[], labels: Record<string, string>, name: string): FieldDTO {
  return {
    name: 'anomalous',
    type: FieldType.number,
    values,
    labels,
    config: {
      displayName: `anomalous ${name}`,
      min: 0,
      max: 1,
      mappings: [
        {
          type: MappingType.ValueToText,
          options: {
            '0': { text: 'nominal', color: 'green', index: 0 },
            '1': { text: 'anomalous', color: 'red', index: 1 },
          },
        },
      ],
      custom: { hideFrom: { viz: true, legend: false, tooltip: false } },
    },
  };
}

/** Per group: time, MSE, threshold (dashed line) and anomalous (0/1 with state mappings). */
export function reconstructionFrames(scores: GroupScore[], refId?: string): DataFrame[] {
  return [...byGroup(scores)].map(([group, list]) =>
    createDataFrame({
      name: group,
      refId,
      fields: [
        { name: 'time', type: FieldType.time, values: list.map((s) => s.t * 1000) },
        {
          name: 'mse',
          type: FieldType.number,
          values: list.map((s) => s.mse),
          labels: { group },
          config: { displayName: `MSE ${group}`, decimals: 4 },
        },
        {
          name: 'threshold',
          type: FieldType.number,
          values: list.map((s) => s.threshold),
          labels: { group },
          config: {
            displayName: `threshold ${group}`,
            custom: { lineStyle: { fill: 'dash', dash: [10, 10] }, lineWidth: 1 },
          },
        },
        anomalousField(
          list.map((s) => (s.anomalous ? 1 : 0)),
          { group },
          group
        ),
      ],
    })
  );
}

/** A data link that zooms the current dashboard to the row's interval. */
const ZOOM: DataLink = {
  title: 'Zoom to this interval',
  url: '/d/${__dashboard.uid}?${__all_variables}&from=${__data.fields.start}&to=${__data.fields.end}',
};

const shareText = (features: Array<{ name: string; p: number }>) =>
  features.map((f) => `${f.name} (${(100 * f.p).toFixed(0)}%)`).join(', ');

/** The anomaly-features table: one row per contiguous anomalous interval and group. */
export function featuresFrame(scores: GroupScore[], refId?: string): DataFrame {
  const intervals = anomalousIntervals(scores, { features: 'mean' });
  return createDataFrame({
    name: 'anomaly features',
    refId,
    fields: [
      { name: 'start', type: FieldType.time, values: intervals.map((i) => i.start * 1000), config: { links: [ZOOM] } },
      { name: 'end', type: FieldType.time, values: intervals.map((i) => i.end * 1000) },
      { name: 'group', type: FieldType.string, values: intervals.map((i) => i.group) },
      { name: 'samples', type: FieldType.number, values: intervals.map((i) => i.samples), config: { decimals: 0 } },
      { name: 'peak MSE', type: FieldType.number, values: intervals.map((i) => i.peakMse), config: { decimals: 4 } },
      {
        name: 'top share',
        type: FieldType.number,
        values: intervals.map((i) => i.features[0]?.p ?? 0),
        config: { unit: 'percentunit', min: 0, max: 1, custom: { cellOptions: { type: 'gauge', mode: 'basic' } } },
      },
      { name: 'features', type: FieldType.string, values: intervals.map((i) => shareText(i.features)) },
    ],
  });
}

/** Sets F and their share of the threshold-crossing samples, per group, over the range. */
export function characterizationFrame(scores: GroupScore[], refId?: string): DataFrame {
  const rows: Array<{ group: string; features: string; share: number; count: number }> = [];
  for (const [group, list] of byGroup(scores)) {
    for (const c of characterize(list.filter((s) => s.anomalous).map((s) => s.features.map((f) => f.name)))) {
      rows.push({ group, features: c.features.join(', '), share: c.share, count: c.count });
    }
  }
  return createDataFrame({
    name: 'characterization',
    refId,
    fields: [
      { name: 'group', type: FieldType.string, values: rows.map((r) => r.group) },
      {
        name: 'share',
        type: FieldType.number,
        values: rows.map((r) => r.share),
        config: { unit: 'percentunit', min: 0, max: 1, custom: { cellOptions: { type: 'gauge', mode: 'basic' } } },
      },
      { name: 'samples', type: FieldType.number, values: rows.map((r) => r.count), config: { decimals: 0 } },
      { name: 'features', type: FieldType.string, values: rows.map((r) => r.features) },
    ],
  });
}

/**
 * The anomalous points (MSE_g, KPI) of each group for the radiography panel: one frame per group,
 * KPI taken at the score's timestamp (points without a KPI value are left out).
 */
export function radiographyFrames(
  scores: GroupScore[],
  kpi: { t: ArrayLike<number>; values: ArrayLike<number>; name: string },
  refId?: string
): DataFrame[] {
  const at = new Map<number, number>();
  for (let i = 0; i < kpi.t.length; i++) {
    if (Number.isFinite(kpi.values[i])) {
      at.set(kpi.t[i], kpi.values[i]);
    }
  }
  return [...byGroup(scores)].map(([group, list]) => {
    const points = list.filter((s) => s.anomalous && at.has(s.t));
    return createDataFrame({
      name: group,
      refId,
      fields: [
        { name: 'time', type: FieldType.time, values: points.map((s) => s.t * 1000) },
        {
          name: 'mse',
          type: FieldType.number,
          values: points.map((s) => s.mse),
          config: { displayName: `MSE ${group}` },
        },
        {
          name: 'kpi',
          type: FieldType.number,
          values: points.map((s) => at.get(s.t)!),
          config: { displayName: kpi.name },
        },
        { name: 'anomalous', type: FieldType.boolean, values: points.map(() => true) },
        { name: 'threshold', type: FieldType.number, values: points.map((s) => s.threshold) },
        { name: 'group', type: FieldType.string, values: points.map(() => group) },
      ],
    });
  });
}

/**
 * Notices (backend, timings, warnings), stats and machine-readable details attached to the first
 * frame of a query, where panels show them; an empty frame carries them when there is no data.
 */
export function withMeta(frames: DataFrame[], meta: QueryResultMeta, refId?: string): DataFrame[] {
  if (frames.length === 0) {
    return [createDataFrame({ refId, fields: [], meta })];
  }
  const [first, ...rest] = frames;
  return [{ ...first, meta: { ...first.meta, ...meta } }, ...rest];
}
