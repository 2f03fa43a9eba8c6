/**
 * Frames -> the radiography panel's own data: per group, the (MSE, KPI) pairs of its anomalous points and
 * its threshold. Pure and independent of the data source: any frame with two numeric fields will do.
 */
import {
  type DataFrame,
  type Field,
  FieldType,
  formattedValueToString,
  getDisplayProcessor,
  getFieldDisplayName,
  type GrafanaTheme2,
} from '@grafana/data';

import type { AxisOptions, Options } from './types';

export interface RadiographyGroup {
  name: string;
  mse: Float64Array;
  kpi: Float64Array;
  /** Display names of the group's MSE and KPI fields (the data source names the error "MSE <group>"). */
  mseName: string;
  kpiName: string;
  /** Last finite value of the `threshold` field over the group's rows. */
  threshold?: number;
  /** Rows of the group before keeping only the anomalous ones. */
  rows: number;
}

/** Why nothing can be drawn, in words for the panel. */
export interface EmptyState {
  title: string;
  detail: string;
}

export interface RadiographyData {
  groups: RadiographyGroup[];
  /** The first MSE and KPI fields found: their units format the axes. */
  mseField?: Field;
  kpiField?: Field;
  empty?: EmptyState;
}

/** Fields with these names carry row metadata, never a plotted value. */
const META = new Set(['anomalous', 'threshold', 'group', 'time', 'timestamp']);

export const NO_POINTS = 'No anomalous points in this range';
export const NO_KPI = 'No KPI field';
export const NO_MSE = 'No MSE field';
const NO_ROWS = 'The query returned no rows in this time range.';

const lower = (s: string) => s.toLowerCase();

function names(field: Field, frame: DataFrame, frames: DataFrame[]): string[] {
  return [field.name, field.config.displayName ?? '', getFieldDisplayName(field, frame, frames)];
}

function byName(fields: Field[], name: string, frame: DataFrame, frames: DataFrame[]): Field | undefined {
  return (
    fields.find((f) => f.name === name) ??
    fields.find((f) => names(f, frame, frames).some((n) => lower(n) === lower(name)))
  );
}

const truthy = (v: unknown) => v === true || v === 1 || v === 'true';
/** A missing value (null, undefined) is NaN, not 0 as `Number(null)` would have it. */
const num = (v: unknown) => (typeof v === 'number' ? v : NaN);

/** Picks the MSE and KPI fields of one frame: by the option's name, else by convention, else by position. */
function pickFields(frame: DataFrame, frames: DataFrame[], options: Pick<Options, 'mseField' | 'kpiField'>) {
  const numeric = frame.fields.filter((f) => f.type === FieldType.number && !META.has(lower(f.name)));
  const mse = options.mseField
    ? byName(numeric, options.mseField, frame, frames)
    : (numeric.find((f) => lower(f.name) === 'mse') ?? numeric[0]);
  const others = numeric.filter((f) => f !== mse);
  const kpi = options.kpiField
    ? byName(others, options.kpiField, frame, frames)
    : (others.find((f) => lower(f.name) === 'kpi') ?? others[0]);
  return { mse, kpi, numeric };
}

function missing(kind: 'MSE' | 'KPI', wanted: string, seen: string[]): EmptyState {
  const found = seen.length
    ? `Numeric fields found: ${seen.map((s) => `"${s}"`).join(', ')}.`
    : 'No numeric field found.';
  const detail = wanted
    ? `No numeric field named "${wanted}". ${found} Pick the ${kind} field in the panel options.`
    : `The radiography needs two numeric fields: the reconstruction error (MSE) and a KPI such as failed calls. ${found}`;
  return { title: kind === 'MSE' ? NO_MSE : NO_KPI, detail };
}

/**
 * Collects, per group, the points whose `anomalous` field is true (every point without such a field).
 * The group of a row is its `group` field, else the MSE field's `group` label, else the frame's name or
 * refId. Rows with a missing MSE or KPI are left out.
 */
export function prepareRadiographyData(
  frames: DataFrame[],
  options: Pick<Options, 'group' | 'mseField' | 'kpiField'>
): RadiographyData {
  const acc = new Map<string, Omit<RadiographyGroup, 'mse' | 'kpi'> & { mse: number[]; kpi: number[] }>();
  let mseField: Field | undefined;
  let kpiField: Field | undefined;
  let lacking: 'MSE' | 'KPI' | undefined;
  const seen = new Set<string>();

  for (const frame of frames) {
    const { mse, kpi, numeric } = pickFields(frame, frames, options);
    if (!mse || !kpi) {
      // An empty frame (a series without samples) says nothing about the fields.
      if (frame.length) {
        numeric.forEach((f) => seen.add(getFieldDisplayName(f, frame, frames)));
        lacking ??= mse ? 'KPI' : 'MSE';
      }
      continue;
    }
    mseField ??= mse;
    kpiField ??= kpi;
    const find = (name: string) => frame.fields.find((f) => lower(f.name) === name);
    const anomalous = find('anomalous');
    const threshold = find('threshold');
    const groupField = find('group');
    const fallback = mse.labels?.group ?? frame.name ?? frame.refId ?? 'all';
    const group = (name: string) => {
      let g = acc.get(name);
      if (!g) {
        const mseName = getFieldDisplayName(mse, frame, frames);
        const kpiName = getFieldDisplayName(kpi, frame, frames);
        g = { name, mse: [], kpi: [], mseName, kpiName, rows: 0 };
        acc.set(name, g);
      }
      return g;
    };
    if (!frame.length) {
      group(fallback); // a group without samples in this range still gets its (empty) plot
    }
    for (let i = 0; i < frame.length; i++) {
      const g = group(groupField ? String(groupField.values[i]) : fallback);
      g.rows++;
      const t = num(threshold?.values[i]);
      if (Number.isFinite(t)) {
        g.threshold = t;
      }
      const x = num(mse.values[i]);
      const y = num(kpi.values[i]);
      if ((!anomalous || truthy(anomalous.values[i])) && Number.isFinite(x) && Number.isFinite(y)) {
        g.mse.push(x);
        g.kpi.push(y);
      }
    }
  }

  if (!mseField || !kpiField) {
    const empty = lacking
      ? missing(lacking, lacking === 'MSE' ? options.mseField : options.kpiField, [...seen])
      : { title: NO_POINTS, detail: NO_ROWS };
    return { groups: [], empty };
  }
  let groups: RadiographyGroup[] = [...acc.values()].map((g) => ({
    ...g,
    mse: Float64Array.from(g.mse),
    kpi: Float64Array.from(g.kpi),
  }));
  if (options.group) {
    const known = groups.map((g) => g.name);
    groups = groups.filter((g) => g.name === options.group);
    if (!groups.length) {
      const detail = `No group "${options.group}" in the data. Groups: ${known.join(', ')}.`;
      return { groups, mseField, kpiField, empty: { title: NO_POINTS, detail } };
    }
  }
  const rows = groups.reduce((s, g) => s + g.rows, 0);
  const empty = groups.every((g) => g.mse.length === 0)
    ? { title: NO_POINTS, detail: rows ? `None of the ${rows} samples is anomalous.` : NO_ROWS }
    : undefined;
  return { groups, mseField, kpiField, empty };
}

/** Formats an axis value with the axis' unit and decimals, else the field's own (Grafana's display processor). */
export function axisFormatter(
  field: Field | undefined,
  axis: AxisOptions,
  theme: GrafanaTheme2
): (v: number) => string {
  const config = { ...field?.config };
  if (axis.unit) {
    config.unit = axis.unit;
  }
  if (axis.decimals !== undefined) {
    config.decimals = axis.decimals;
  }
  const display = getDisplayProcessor({
    field: { type: FieldType.number, config, values: [] },
    theme,
  });
  return (v) => formattedValueToString(display(v));
}
