/**
 * One group's radiography as a static SVG figure: the same `radiographyDensity` as the panel, in
 * the paper's grayscale (dark = dense), with axes, the threshold marker and a density legend.
 */
import { contourPath, radiographyDensity, radiographyDomain, radiographyGrays } from '../core/radiography';
import { axes, escapeXml, formatNumber, MARGINS } from './svg';

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
    }
  );
  const grays = radiographyGrays(LEVELS);
  const contours = r.contours
    .map((c, i) => `<path d="${contourPath(c.coordinates)}" fill="${grays[i]}" stroke="none"/>`)
    .join('');
  // A log axis over less than a decade gets many ticks from d3: keep at most four, evenly.
  const all = r.x.ticks(4);
  const xTicks = all.filter((_, i) => i % Math.ceil(all.length / 4) === 0).map((v) => ({ at: r.x(v), label: formatNumber(v) }));
  const yTicks = r.y.ticks(5).map((v) => ({ at: r.y(v), label: formatNumber(v) }));
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
    `<rect width="${plotW}" height="${plotH}" fill="#fff"/>${contours}${threshold}` +
    axes(WIDTH, HEIGHT, { ticks: xTicks, title: `MSE ${input.group} (log)` }, { ticks: yTicks, title: input.kpiTitle }, m) +
    `${legend}<text x="${plotW + 4}" y="-6">density</text></g></svg>`;
  return `<figure class="radiography">${header}${svg}</figure>`;
}
