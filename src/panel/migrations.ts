/**
 * Saved options -> current options, so dashboards keep working: provisioned JSON with numbers as strings,
 * values out of range, names this version does not know, and panels switched over from a heatmap.
 */
import type { PanelModel, PanelTypeChangedHandler } from '@grafana/data';

import { palettes } from './palettes';
import { defaultOptions, type AxisOptions, type Options, type PaletteId } from './types';

type Saved = Record<string, unknown>;

const isObject = (v: unknown): v is Saved => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A finite number (also from a numeric string) within [min, max], else the default. */
function number(v: unknown, fallback: number, min: number, max: number): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

const bool = (v: unknown, fallback: boolean) =>
  typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : fallback;

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

function axis(v: unknown): AxisOptions {
  const a = isObject(v) ? v : {};
  const out: AxisOptions = {};
  if (text(a.unit)) {
    out.unit = text(a.unit);
  }
  if (a.decimals !== undefined && a.decimals !== null && a.decimals !== '') {
    out.decimals = number(a.decimals, 0, 0, 10);
  }
  if (text(a.label)) {
    out.label = text(a.label);
  }
  return out;
}

/** Options as the panel uses them, whatever was saved: every field present and within range. */
export function normalizeOptions(saved: unknown): Options {
  const o = isObject(saved) ? saved : {};
  const d = defaultOptions;
  const palette = palettes.some((p) => p.value === o.palette) ? (o.palette as PaletteId) : d.palette;
  return {
    group: text(o.group),
    mseField: text(o.mseField),
    kpiField: text(o.kpiField),
    xScale: o.xScale === 'log' ? 'log' : 'linear',
    bandwidth: number(o.bandwidth, d.bandwidth, 1, 200),
    cellSize: number(o.cellSize, d.cellSize, 1, 32),
    levels: Math.round(number(o.levels, d.levels, 1, 50)),
    palette,
    showPoints: bool(o.showPoints, d.showPoints),
    showThreshold: bool(o.showThreshold, d.showThreshold),
    legend: { show: bool(isObject(o.legend) ? o.legend.show : undefined, d.legend.show) },
    tooltip: { show: bool(isObject(o.tooltip) ? o.tooltip.show : undefined, d.tooltip.show) },
    xAxis: axis(o.xAxis),
    yAxis: axis(o.yAxis),
  };
}

/** Called by Grafana when the saved plugin version differs from the running one. */
export const radiographyMigrationHandler = (panel: PanelModel<Partial<Options>>): Options =>
  normalizeOptions(panel.options);

/** Heatmap colour schemes with a counterpart here. */
const FROM_HEATMAP_SCHEME: Record<string, PaletteId> = {
  Greys: 'grays',
  Blues: 'blues',
  Greens: 'greens',
  Oranges: 'oranges',
  Purples: 'purples',
  Reds: 'reds',
};

/** Called when a panel is switched to this one: keep what carries over from a heatmap. */
export const radiographyChangedHandler: PanelTypeChangedHandler = (_panel, prevPluginId, prevOptions) => {
  if (prevPluginId !== 'heatmap' || !isObject(prevOptions)) {
    return {};
  }
  const color = isObject(prevOptions.color) ? prevOptions.color : {};
  const scheme = typeof color.scheme === 'string' ? FROM_HEATMAP_SCHEME[color.scheme] : undefined;
  // The heatmap's colour steps become density levels (clamped to this panel's range).
  return normalizeOptions({
    legend: prevOptions.legend,
    tooltip: prevOptions.tooltip,
    palette: scheme,
    levels: color.steps,
  });
};
