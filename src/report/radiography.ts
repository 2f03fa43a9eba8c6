/**
 * One group's radiography as a static SVG figure: the same `radiographyDensity` as the panel, in
 * the paper's grayscale (dark = dense), with axes, the threshold marker and a density legend.
 */
import { scaleLinear } from 'd3-scale';

import { contourPath, radiographyDensity, radiographyDomain, radiographyGrays } from '../core/radiography';
import { axes, escapeXml, formatNumber, logTicks, MARGINS } from './svg';

export interface RadiographyFigureInput {
  group: string;
  mse: number[];
  kpi: number[];
  threshold?: number;
  kpiTitle: string;
}

const WIDTH = 300;
const HEIGHT = 260;
const LEVELS = 8;

/**
 * The KPI axis of a count (failed calls): from 0, as the paper draws it, to a round value 10% or more
 * above the largest (at least 1), so a scenario without a failed call still has an axis of whole
 * calls and no negative calls; the density of the points at 0 shows as the half above the axis.
 */
function countDomain(kpi: number[]): [number, number] {
  const hi = kpi.reduce((a, v) => (Number.isFinite(v) && v > a ? v : a), 0);
  const [, top] = scaleLinear()
    .domain([0, Math.max(1, hi * 1.1)])
    .nice(5) // the ticks of the axis: it ends on one
    .domain();
  return [0, top];
}

export function radiographyFigure(input: RadiographyFigureInput): string {
  const m = { ...MARGINS, right: 56 };
  const plotW = WIDTH - m.left - m.right;
  const plotH = HEIGHT - m.top - m.bottom;
  const header = `<figcaption><b>${escapeXml(input.group)}</b>: ${input.mse.length} anomalous points</figcaption>`;
  if (input.mse.length === 0) {
    return `<figure class="radiography">${header}<svg width="${WIDTH}" height="${HEIGHT}" role="img"><text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle">no anomalous points</text></svg></figure>`;
  }
  const r = radiographyDensity(
    { x: input.mse, y: input.kpi },
    {
      width: plotW,
      height: plotH,
      xScale: 'log',
      bandwidth: 12,
      cellSize: 4,
      levels: LEVELS,
      xDomain: radiographyDomain(input.mse, 'log', input.threshold === undefined ? [] : [input.threshold]),
      yDomain: countDomain(input.kpi),
    }
  );
  const grays = radiographyGrays(LEVELS);
  const contours = r.contours
    .map((c, i) => `<path d="${contourPath(c.coordinates)}" fill="${grays[i]}" stroke="none"/>`)
    .join('');
  const xTicks = logTicks(r.x).map((v) => ({ at: r.x(v), label: formatNumber(v) }));
  // Calls are whole: no tick between two counts.
  const yTicks = r.y
    .ticks(5)
    .filter(Number.isInteger)
    .map((v) => ({ at: r.y(v), label: formatNumber(v) }));
  const threshold =
    input.threshold !== undefined && input.threshold >= r.xDomain[0] && input.threshold <= r.xDomain[1]
      ? `<line class="threshold" x1="${r.x(input.threshold)}" x2="${r.x(input.threshold)}" y1="0" y2="${plotH}"/>`
      : '';
  const legend = Array.from({ length: LEVELS }, (_, i) => {
    const h = plotH / LEVELS;
    return `<rect x="${plotW + 10}" y="${plotH - (i + 1) * h}" width="10" height="${h}" fill="${grays[i]}"/>`;
  }).join('');
  const svg =
    `<svg width="${WIDTH}" height="${HEIGHT}" role="img"><g transform="translate(${m.left},${m.top})">` +
    // A nested svg clips the density to the plot: the blur spreads it past the frame (below 0 calls).
    `<svg width="${plotW}" height="${plotH}"><rect width="${plotW}" height="${plotH}" fill="#fff"/>${contours}${threshold}</svg>` +
    axes(
      WIDTH,
      HEIGHT,
      { ticks: xTicks, title: `MSE ${input.group} (log)` },
      { ticks: yTicks, title: input.kpiTitle },
      m
    ) +
    `${legend}<text x="${plotW + 4}" y="-6">density</text></g></svg>`;
  return `<figure class="radiography">${header}${svg}</figure>`;
}
