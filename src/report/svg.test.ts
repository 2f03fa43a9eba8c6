import { scaleLog, scaleUtc } from 'd3-scale';

import { radiographyFigure } from './radiography';
import { logTicks, timeTicks } from './svg';

/** The tick labels of an SVG axis group, in order: the text elements anchored in the middle (x) or at the end (y). */
const labels = (svg: string, anchor: 'middle' | 'end') =>
  Array.from(
    svg.matchAll(new RegExp(`<text x="[^"]+" y="[^"]+" text-anchor="${anchor}">([^<]*)</text>`, 'g')),
    (m) => m[1]
  );

describe('logTicks', () => {
  it('keeps the powers of ten when the axis spans two or more, at most the number asked', () => {
    expect(logTicks(scaleLog().domain([1e-4, 0.05]), 5)).toEqual([1e-4, 1e-3, 1e-2]);
    expect(logTicks(scaleLog().domain([1e-6, 1]), 4)).toEqual([1e-6, 1e-4, 1e-2, 1]);
  });

  it('thins the 1-9 multiples of a range under a decade to at most the number asked', () => {
    const ticks = logTicks(scaleLog().domain([0.012, 0.058]), 4);
    expect(ticks.length).toBeLessThanOrEqual(4);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.every((v) => v >= 0.012 && v <= 0.058)).toBe(true);
  });
});

describe('timeTicks', () => {
  const day = Date.UTC(2026, 0, 9);

  it('labels a day with the time of day, and midnight with the date', () => {
    const ticks = timeTicks(
      scaleUtc()
        .domain([day + 3600_000, day + 24 * 3600_000])
        .range([0, 400])
    );
    expect(ticks.map((t) => t.label)).toEqual(['06:00', '12:00', '18:00', '01-10']);
  });

  it('puts the ticks about the spacing apart, whatever the width', () => {
    for (const width of [200, 400, 800]) {
      const n = timeTicks(
        scaleUtc()
          .domain([day, day + 24 * 3600_000])
          .range([0, width]),
        90
      ).length;
      expect(n).toBeLessThanOrEqual(Math.floor(width / 90) + 2);
      expect(n).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('radiographyFigure', () => {
  it('draws failed calls from 0 in whole calls, even when none failed', () => {
    const svg = radiographyFigure({
      group: 'cpu',
      mse: [0.02, 0.03, 0.025],
      kpi: [0, 0, 0],
      threshold: 0.015,
      kpiTitle: 'failed calls',
    });
    expect(labels(svg, 'end')).toEqual(['0', '1']);
  });

  it('ends the failed-calls axis on a round value above the largest count', () => {
    const svg = radiographyFigure({ group: 'network', mse: [0.02, 0.04], kpi: [180, 251], kpiTitle: 'failed calls' });
    const y = labels(svg, 'end').map(Number);
    expect(y[0]).toBe(0);
    expect(y[y.length - 1]).toBe(300);
    expect(y.every(Number.isInteger)).toBe(true);
  });

  it('clips the density to the plot: the contours sit in a nested svg of the plot size', () => {
    const svg = radiographyFigure({ group: 'cpu', mse: [0.02, 0.03], kpi: [0, 1], kpiTitle: 'failed calls' });
    expect(svg).toMatch(/<svg width="\d+" height="\d+"><rect width="\d+" height="\d+" fill="#fff"\/><path d="M/);
  });
});
