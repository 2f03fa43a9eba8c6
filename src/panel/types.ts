/** Options of the radiography panel, saved in the dashboard JSON (upgraded by `migrations.ts`). */
import type { RadiographyXScale } from '../core/radiography';

/**
 * `paper`: the paper's grayscale, black where dense on a white film, the same in every theme.
 * The others are theme-aware: the densest level has the most contrast with the panel background.
 */
export type PaletteId = 'paper' | 'grays' | 'blues' | 'greens' | 'oranges' | 'purples' | 'reds';

export interface AxisOptions {
  /** Grafana unit id (e.g. `short`, `percentunit`); empty = the field's own unit. */
  unit?: string;
  decimals?: number;
  /** Axis title; empty = the field's display name. */
  label?: string;
}

export interface Options {
  /** Group to draw; empty = every group, as small multiples. */
  group: string;
  /** Name of the reconstruction-error field; empty = a field named `mse`, else the first numeric field. */
  mseField: string;
  /** Name of the KPI field; empty = a field named `kpi`, else the next numeric field. */
  kpiField: string;
  xScale: RadiographyXScale;
  /** Kernel standard deviation, in pixels. */
  bandwidth: number;
  /** Density grid cell, in pixels (rounded down to a power of two). */
  cellSize: number;
  levels: number;
  palette: PaletteId;
  showPoints: boolean;
  showThreshold: boolean;
  legend: { show: boolean };
  tooltip: { show: boolean };
  xAxis: AxisOptions;
  yAxis: AxisOptions;
}

export const defaultOptions: Options = {
  group: '',
  mseField: '',
  kpiField: '',
  xScale: 'linear',
  bandwidth: 20,
  cellSize: 4,
  levels: 10,
  palette: 'paper',
  showPoints: false,
  showThreshold: true,
  legend: { show: true },
  tooltip: { show: true },
  xAxis: {},
  yAxis: {},
};
