/**
 * Radiography (method step 7): the 2-D kernel density of (MSE_g, KPI) over the anomalous points of one
 * group, as filled contours in pixel space. Pure: the panel draws the result with React and the HTML
 * report draws the same figure as static SVG with `contourPath`.
 *
 * The density is estimated where it is seen, in pixel space, so the bandwidth and cell size are in pixels
 * and a log x axis is handled by mapping points through the log scale first (d3-contour's own model).
 */
import { contourDensity } from 'd3-contour';
import { scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3-scale';

export type RadiographyXScale = 'linear' | 'log';

export interface RadiographyPoints {
  /** Reconstruction error MSE_g of each point. */
  x: ArrayLike<number>;
  /** Service KPI (failed calls by default) at the same time steps. */
  y: ArrayLike<number>;
}

export interface RadiographyDensityOptions {
  /** Plot area in pixels; y grows downwards as in SVG, so the KPI axis points up. */
  width: number;
  height: number;
  xScale: RadiographyXScale;
  /** Standard deviation of the Gaussian kernel, in pixels. */
  bandwidth: number;
  /** Side of the density grid's cells, in pixels; d3-contour rounds it down to a power of two. */
  cellSize: number;
  /** Number of filled contour levels, evenly spaced between zero and the peak density. */
  levels: number;
  /** Data extents of the axes; default: the points' extent with a margin (see `radiographyDomain`). */
  xDomain?: [number, number];
  yDomain?: [number, number];
}

/** GeoJSON MultiPolygon coordinates: polygons of rings of [x, y] points, here in pixels. */
export type MultiPolygon = number[][][][];

export interface RadiographyContour {
  /** Density at the contour's boundary, in points per square pixel; the polygon covers density >= value. */
  value: number;
  coordinates: MultiPolygon;
}

export interface Radiography {
  /** From the lowest level to the highest: paint in this order so denser areas land on top. */
  contours: RadiographyContour[];
  xDomain: [number, number];
  yDomain: [number, number];
  /** Data value -> pixel, and back with `.invert`. */
  x: ScaleContinuousNumeric<number, number>;
  y: ScaleContinuousNumeric<number, number>;
  /** Peak of the gridded density, in points per square pixel (0 without points). */
  maxDensity: number;
  /** Points used: finite x and y, and x > 0 on a log scale. */
  count: number;
  /** Points left out for being non-finite, or non-positive on a log x axis. */
  dropped: number;
  /** Effective grid cell size (a power of two). */
  cellSize: number;
  /** Pixel positions of the points used, for overlays. */
  px: Float64Array;
  py: Float64Array;
  /** Density at a pixel, in points per square pixel: the surface the contours were traced on. */
  densityAt(px: number, py: number): number;
  /** Number of points within `radius` pixels of a pixel (default: one bandwidth). */
  countNear(px: number, py: number, radius?: number): number;
}

/** Relative margin added on each side of a data extent, so clusters at the edge are not cut by the frame. */
const MARGIN = 0.05;

/**
 * The axis extent for a set of values: their extent (plus `include`, e.g. the threshold) widened by 5% on
 * each side (in log space for a log axis). A single value gets a neighbourhood around it; no value gets
 * [0, 1] (linear) or [1, 10] (log). Non-finite values, and non-positive ones on a log axis, are ignored.
 */
export function radiographyDomain(
  values: ArrayLike<number>,
  scale: RadiographyXScale = 'linear',
  include: number[] = []
): [number, number] {
  const log = scale === 'log';
  // One pass without intermediate arrays: panels call this on every anomalous point of a range.
  let lo = Infinity;
  let hi = -Infinity;
  const see = (v: number) => {
    if (Number.isFinite(v) && (!log || v > 0)) {
      const u = log ? Math.log10(v) : v;
      lo = u < lo ? u : lo;
      hi = u > hi ? u : hi;
    }
  };
  for (let i = 0; i < values.length; i++) {
    see(values[i]);
  }
  include.forEach(see);
  if (lo > hi) {
    return log ? [1, 10] : [0, 1];
  }
  // A constant axis still needs a width: one decade on a log axis, 10% of the value (or 1) otherwise.
  const pad = hi > lo ? (hi - lo) * MARGIN : log ? 0.5 : Math.abs(lo) * 0.1 || 0.5;
  const ends: [number, number] = [lo - pad, hi + pad];
  return log ? [10 ** ends[0], 10 ** ends[1]] : ends;
}

/** The density of the points and its filled contours (d3-contour `contourDensity`), in pixel space. */
export function radiographyDensity(points: RadiographyPoints, options: RadiographyDensityOptions): Radiography {
  const { width, height, bandwidth } = options;
  const levels = Math.round(options.levels);
  if (!(width > 0 && height > 0)) {
    throw new RangeError(`radiography: width and height must be positive, got ${width} x ${height}`);
  }
  if (!(bandwidth > 0) || !(options.cellSize >= 1) || !(levels >= 1)) {
    throw new RangeError(
      `radiography: bandwidth must be > 0, cellSize >= 1 and levels >= 1, got ${bandwidth}, ${options.cellSize}, ${levels}`
    );
  }
  const log = options.xScale === 'log';
  const xDomain = options.xDomain ?? radiographyDomain(points.x, options.xScale);
  const yDomain = options.yDomain ?? radiographyDomain(points.y, 'linear');
  const x = (log ? scaleLog() : scaleLinear()).domain(xDomain).range([0, width]);
  const y = scaleLinear().domain(yDomain).range([height, 0]);

  const n = Math.min(points.x.length, points.y.length);
  const allX = new Float64Array(n);
  const allY = new Float64Array(n);
  let used = 0;
  for (let i = 0; i < n; i++) {
    const xi = points.x[i];
    const yi = points.y[i];
    if (Number.isFinite(xi) && Number.isFinite(yi) && (!log || xi > 0)) {
      allX[used] = x(xi);
      allY[used] = y(yi);
      used++;
    }
  }
  const px = used === n ? allX : allX.slice(0, used);
  const py = used === n ? allY : allY.slice(0, used);
  const count = px.length;

  // Levels evenly spaced strictly between 0 and the peak (the top one still encloses an area). The
  // threshold function is handed d3's grid (points per cell, after the blur): keep it for `densityAt`.
  let grid: ArrayLike<number> = [];
  let maxDensity = 0;
  const estimator = contourDensity<number>()
    .x((i) => px[i])
    .y((i) => py[i])
    .size([width, height])
    .cellSize(options.cellSize)
    .bandwidth(bandwidth);
  const cellSize = estimator.cellSize();
  const cellArea = cellSize * cellSize;
  estimator.thresholds((values) => {
    grid = values;
    let peak = 0;
    for (let i = 0; i < values.length; i++) {
      peak = Math.max(peak, values[i]);
    }
    maxDensity = peak / cellArea;
    return maxDensity > 0 ? Array.from({ length: levels }, (_, i) => (maxDensity * (i + 1)) / (levels + 1)) : [];
  });
  // d3 only iterates the data: a typed array of indices, not 100,000 boxed numbers.
  const index = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    index[i] = i;
  }
  const contours: RadiographyContour[] = estimator(index as unknown as number[]).map((c) => ({
    value: c.value,
    coordinates: c.coordinates,
  }));

  // d3-contour 4 blurs with three box passes of radius r (variance r(r + 1) = bandwidth^2) on a grid padded
  // by 3r pixels on each side; cell (i, j) holds the density at pixel ((i + 0.5) * cellSize - pad, ...).
  // Reading that grid bilinearly gives exactly the density the contours were traced on (tested).
  const r = (Math.sqrt(4 * bandwidth * bandwidth + 1) - 1) / 2;
  const pad = 3 * r;
  const cols = Math.floor((width + 2 * pad) / cellSize);
  const rows = Math.floor((height + 2 * pad) / cellSize);
  const cell = (i: number, j: number) => (i >= 0 && i < cols && j >= 0 && j < rows ? grid[i + j * cols] : 0);
  const densityAt = (qx: number, qy: number) => {
    if (!count) {
      return 0;
    }
    const gx = (qx + pad) / cellSize - 0.5;
    const gy = (qy + pad) / cellSize - 0.5;
    const i = Math.floor(gx);
    const j = Math.floor(gy);
    const fx = gx - i;
    const fy = gy - j;
    const top = cell(i, j) * (1 - fx) + cell(i + 1, j) * fx;
    const bottom = cell(i, j + 1) * (1 - fx) + cell(i + 1, j + 1) * fx;
    return (top * (1 - fy) + bottom * fy) / cellArea;
  };
  const countNear = (qx: number, qy: number, radius = bandwidth) => {
    const r2 = radius * radius;
    let k = 0;
    for (let i = 0; i < count; i++) {
      const dx = px[i] - qx;
      const dy = py[i] - qy;
      if (dx * dx + dy * dy <= r2) {
        k++;
      }
    }
    return k;
  };

  return {
    contours,
    xDomain: [xDomain[0], xDomain[1]],
    yDomain: [yDomain[0], yDomain[1]],
    x,
    y,
    maxDensity,
    count,
    dropped: n - count,
    cellSize,
    px,
    py,
    densityAt,
    countNear,
  };
}

/**
 * The paper's palette for `levels` contour levels: gray (255 * (1 - (i + 1) / levels)) for level i, so the
 * densest level is black and the area below the first level stays white. Shared by the panel and the report.
 */
export function radiographyGrays(levels: number): string[] {
  const n = Math.max(1, Math.round(levels));
  return Array.from({ length: n }, (_, i) => {
    const v = Math.round(255 * (1 - (i + 1) / n));
    return `rgb(${v}, ${v}, ${v})`;
  });
}

/** Pixel coordinates to two decimals: finer than any screen, and the report's SVG stays small. */
const coord = (v: number) => String(Math.round(v * 100) / 100);

/**
 * SVG path data for a MultiPolygon, without a DOM: one closed subpath per ring. Holes wind opposite to
 * their outer ring in d3-contour's output, so the default `fill-rule: nonzero` leaves them empty.
 */
export function contourPath(coordinates: MultiPolygon): string {
  let d = '';
  for (const polygon of coordinates) {
    for (const ring of polygon) {
      ring.forEach(([px, py], i) => {
        d += `${i ? 'L' : 'M'}${coord(px)},${coord(py)}`;
      });
      if (ring.length) {
        d += 'Z';
      }
    }
  }
  return d;
}
