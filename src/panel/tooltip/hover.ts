/** What the tooltip says about the pixel under the pointer. Pure. */
import type { Radiography } from '../../core/radiography';

export interface HoverInfo {
  /** Data values under the pointer. */
  mse: number;
  kpi: number;
  /** Density in points per square pixel, and as a share of the group's peak (0 to 1). */
  density: number;
  relative: number;
  /** Points within one bandwidth of the pointer (the dashed circle). */
  near: number;
}

export function hoverAt(radiography: Radiography, px: number, py: number): HoverInfo {
  const density = radiography.densityAt(px, py);
  return {
    mse: radiography.x.invert(px),
    kpi: radiography.y.invert(py),
    density,
    relative: radiography.maxDensity > 0 ? density / radiography.maxDensity : 0,
    near: radiography.countNear(px, py),
  };
}
