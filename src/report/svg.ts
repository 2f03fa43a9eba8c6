/**
 * Static SVG figures for the self-contained HTML report: pure string building with d3 scales,
 * no DOM, so the demo can draw them in Node. Every text that comes from data goes through `escapeXml`.
 */
import { scaleLinear, scaleLog, scaleUtc, type ScaleLogarithmic, type ScaleTime } from 'd3-scale';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export const MARGINS: Margins = { top: 24, right: 16, bottom: 40, left: 64 };

export interface Axis {
  /** Pixel position of each tick and its label. */
  ticks: Array<{ at: number; label: string }>;
  title: string;
}

/** Bottom and left axes with tick labels and titles, in the plot area's frame. */
export function axes(width: number, height: number, x: Axis, y: Axis, m: Margins = MARGINS): string {
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const xTicks = x.ticks
    .map(
      (t) =>
        `<line x1="${t.at}" x2="${t.at}" y1="${plotH}" y2="${plotH + 5}" class="tick"/>` +
        `<text x="${t.at}" y="${plotH + 18}" text-anchor="middle">${escapeXml(t.label)}</text>`
    )
    .join('');
  const yTicks = y.ticks
    .map(
      (t) =>
        `<line x1="-5" x2="0" y1="${t.at}" y2="${t.at}" class="tick"/>` +
        `<line x1="0" x2="${plotW}" y1="${t.at}" y2="${t.at}" class="grid"/>` +
        `<text x="-8" y="${t.at + 4}" text-anchor="end">${escapeXml(t.label)}</text>`
    )
    .join('');
  return (
    `<g class="axis"><line x1="0" x2="${plotW}" y1="${plotH}" y2="${plotH}"/><line x1="0" x2="0" y1="0" y2="${plotH}"/>` +
    xTicks +
    yTicks +
    `<text x="${plotW / 2}" y="${plotH + 34}" text-anchor="middle" class="title">${escapeXml(x.title)}</text>` +
    `<text transform="translate(${-m.left + 14},${plotH / 2}) rotate(-90)" text-anchor="middle" class="title">${escapeXml(y.title)}</text></g>`
  );
}

export function formatNumber(v: number): string {
  if (v === 0) {
    return '0';
  }
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-2 ? v.toExponential(1) : Number(v.toPrecision(3)).toString();
}

/** Every k-th value so that at most `max` remain, the first kept. */
function thin<T>(values: T[], max: number): T[] {
  const k = Math.ceil(values.length / max);
  return values.filter((_, i) => i % k === 0);
}

/**
 * Ticks of a log axis, at most `max`: the powers of ten when the axis spans two or more, else d3's ticks
 * thinned. d3 gives every 1-9 multiple of each decade, whose labels overlap on a small figure.
 */
export function logTicks(scale: Pick<ScaleLogarithmic<number, number>, 'ticks'>, max = 4): number[] {
  const all = scale.ticks();
  const decades = all.filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9);
  return thin(decades.length >= 2 ? decades : all, max);
}

/** Ticks of a UTC time axis (milliseconds) about `spacing` pixels apart: the time of day, and the date at midnight. */
export function timeTicks(x: ScaleTime<number, number>, spacing = 90): Array<{ at: number; label: string }> {
  const [from, to] = x.range();
  return x.ticks(Math.max(2, Math.floor(Math.abs(to - from) / spacing))).map((d) => {
    const iso = d.toISOString();
    return { at: x(d), label: iso.slice(11, 16) === '00:00' ? iso.slice(5, 10) : iso.slice(11, 16) };
  });
}

export interface TimeSeriesLine {
  t: ArrayLike<number>;
  y: ArrayLike<number>;
  className: string;
  label: string;
}

export interface TimeChartOptions {
  width: number;
  height: number;
  yTitle: string;
  lines: TimeSeriesLine[];
  /** Horizontal dashed line, e.g. the threshold. */
  hline?: { y: number; label: string };
  /** Time spans to shade, e.g. where the fault was injected. */
  spans?: Array<{ from: number; to: number; label: string }>;
  logY?: boolean;
}

/** A time-series chart (unix seconds on x) with an optional threshold line and shaded spans. */
export function timeChart(o: TimeChartOptions, m: Margins = MARGINS): string {
  const plotW = o.width - m.left - m.right;
  const plotH = o.height - m.top - m.bottom;
  let tMin = Infinity;
  let tMax = -Infinity;
  let yMax = o.hline?.y ?? -Infinity;
  let yMin = o.logY ? Infinity : 0;
  for (const line of o.lines) {
    for (let i = 0; i < line.t.length; i++) {
      tMin = Math.min(tMin, line.t[i]);
      tMax = Math.max(tMax, line.t[i]);
      if (Number.isFinite(line.y[i])) {
        yMax = Math.max(yMax, line.y[i]);
        if (o.logY && line.y[i] > 0) {
          yMin = Math.min(yMin, line.y[i]);
        }
      }
    }
  }
  if (!Number.isFinite(tMin)) {
    return `<svg width="${o.width}" height="${o.height}" class="chart"><text x="${o.width / 2}" y="${o.height / 2}" text-anchor="middle">no data</text></svg>`;
  }
  const x = scaleUtc()
    .domain([tMin * 1000, tMax * 1000])
    .range([0, plotW]);
  const y = o.logY
    ? scaleLog()
        .domain([Math.max(yMin, 1e-12), Math.max(yMax, yMin * 10)])
        .range([plotH, 0])
        .clamp(true)
    : scaleLinear()
        .domain([yMin, yMax > yMin ? yMax : yMin + 1])
        .nice()
        .range([plotH, 0]);
  const spans = (o.spans ?? [])
    .map(
      (s) =>
        `<rect class="span" x="${x(s.from * 1000)}" y="0" width="${Math.max(1, x(s.to * 1000) - x(s.from * 1000))}" height="${plotH}"><title>${escapeXml(s.label)}</title></rect>`
    )
    .join('');
  const paths = o.lines
    .map((line) => {
      let d = '';
      let pen = false;
      for (let i = 0; i < line.t.length; i++) {
        const v = line.y[i];
        if (!Number.isFinite(v) || (o.logY && v <= 0)) {
          pen = false;
          continue;
        }
        d += `${pen ? 'L' : 'M'}${x(line.t[i] * 1000).toFixed(1)},${y(v).toFixed(1)}`;
        pen = true;
      }
      return `<path class="${line.className}" d="${d}"><title>${escapeXml(line.label)}</title></path>`;
    })
    .join('');
  const hline = o.hline
    ? `<line class="threshold" x1="0" x2="${plotW}" y1="${y(o.hline.y)}" y2="${y(o.hline.y)}"/><text class="threshold-label" x="${plotW - 4}" y="${y(o.hline.y) - 4}" text-anchor="end">${escapeXml(o.hline.label)}</text>`
    : '';
  const xTicks = timeTicks(x);
  const yValues = o.logY ? logTicks(y, 5) : y.ticks(5);
  const yTicks = yValues.map((v) => ({ at: y(v), label: formatNumber(v) }));
  const legend = o.lines
    .map(
      (l, i) =>
        `<g transform="translate(${i * 150},-10)"><line class="${l.className}" x1="0" x2="16" y1="0" y2="0"/><text x="20" y="4">${escapeXml(l.label)}</text></g>`
    )
    .join('');
  return (
    `<svg width="${o.width}" height="${o.height}" class="chart" role="img"><g transform="translate(${m.left},${m.top})">` +
    spans +
    axes(
      o.width,
      o.height,
      { ticks: xTicks, title: `time (UTC, from ${new Date(tMin * 1000).toISOString().slice(0, 10)})` },
      { ticks: yTicks, title: o.yTitle },
      m
    ) +
    paths +
    hline +
    legend +
    `</g></svg>`
  );
}
