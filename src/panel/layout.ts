/** Geometry of the panel: the small-multiples grid and the axis ticks. Pure. */
import type { ScaleContinuousNumeric } from 'd3-scale';

import type { RadiographyXScale } from '../core/radiography';

export interface Grid {
  cols: number;
  rows: number;
  cellWidth: number;
  cellHeight: number;
}

/** Plots are a little wider than tall, so a density blob reads as it would on paper. */
const ASPECT = 1.4;

/** The number of columns that gives each of `n` plots the largest area of the preferred shape. */
export function smallMultiples(n: number, width: number, height: number): Grid {
  let best: Grid = { cols: 1, rows: Math.max(1, n), cellWidth: width, cellHeight: height / Math.max(1, n) };
  let bestSide = -1;
  for (let cols = 1; cols <= Math.max(1, n); cols++) {
    const rows = Math.ceil(n / cols);
    const cellWidth = width / cols;
    const cellHeight = height / rows;
    // Side of the largest ASPECT-shaped box that fits the cell.
    const side = Math.min(cellWidth / ASPECT, cellHeight);
    if (side > bestSide) {
      bestSide = side;
      best = { cols, rows, cellWidth, cellHeight };
    }
  }
  return best;
}

/** Minimum distance between tick labels on a log axis, in pixels. */
const LOG_TICK_GAP = 56;

/**
 * Tick values for an axis `pixels` long: about one per 70 px. A log axis ticks whole decades when it
 * spans two or more, else d3's 1-2-...-9 ticks; either way thinned so labels keep LOG_TICK_GAP apart.
 */
export function axisTicks(
  scale: ScaleContinuousNumeric<number, number>,
  kind: RadiographyXScale,
  pixels: number
): number[] {
  const count = Math.max(2, Math.floor(pixels / 70));
  if (kind !== 'log') {
    return scale.ticks(count);
  }
  const [a, b] = scale.domain();
  const decades: number[] = [];
  for (let e = Math.ceil(Math.log10(a)); e <= Math.floor(Math.log10(b)); e++) {
    decades.push(10 ** e);
  }
  const kept: number[] = [];
  for (const v of decades.length >= 2 ? decades : scale.ticks(count)) {
    if (!kept.length || scale(v) - scale(kept[kept.length - 1]) >= LOG_TICK_GAP) {
      kept.push(v);
    }
  }
  return kept;
}
