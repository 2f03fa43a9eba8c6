/** Geometry of the panel: the small-multiples grid and the axis ticks. Pure. */
import { scaleLinear, type ScaleContinuousNumeric } from 'd3-scale';

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

/**
 * Tick values for an axis `pixels` long: about one per 70 px. A log axis ticks whole decades (thinned to
 * fit), or falls back to linear ticks when it spans less than two decades.
 */
export function axisTicks(
  scale: ScaleContinuousNumeric<number, number>,
  kind: RadiographyXScale,
  pixels: number
): number[] {
  const count = Math.max(2, Math.floor(pixels / 70));
  const [a, b] = scale.domain();
  if (kind === 'log') {
    const decades: number[] = [];
    for (let e = Math.ceil(Math.log10(a)); e <= Math.floor(Math.log10(b)); e++) {
      decades.push(10 ** e);
    }
    if (decades.length >= 2) {
      const step = Math.ceil(decades.length / count);
      return decades.filter((_, i) => i % step === 0);
    }
    return scaleLinear()
      .domain([a, b])
      .ticks(count)
      .filter((v) => v > 0);
  }
  return scale.ticks(count);
}
