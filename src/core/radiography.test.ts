import {
  contourPath,
  radiographyDensity,
  radiographyDomain,
  radiographyGrays,
  type RadiographyDensityOptions,
} from './radiography';

const base: RadiographyDensityOptions = {
  width: 200,
  height: 100,
  xScale: 'linear',
  bandwidth: 10,
  cellSize: 1,
  levels: 4,
  xDomain: [0, 200],
  yDomain: [0, 100],
};

/** Sum of the density over every pixel of a box around the plot: the number of points it represents. */
function integrate(density: (x: number, y: number) => number, x0: number, x1: number, y0: number, y1: number) {
  let sum = 0;
  for (let x = x0 + 0.5; x < x1; x++) {
    for (let y = y0 + 0.5; y < y1; y++) {
      sum += density(x, y);
    }
  }
  return sum;
}

describe('radiographyDensity', () => {
  it('puts the peak of the density at the centre of a single cluster', () => {
    // A symmetric cluster around (120, 40) in data units = pixel (120, 60), since y points up.
    const offsets = [-4, -2, 0, 2, 4];
    const x = offsets.flatMap((dx) => offsets.map(() => 120 + dx));
    const y = offsets.flatMap(() => offsets.map((dy) => 40 + dy));
    const r = radiographyDensity({ x, y }, base);
    let best = { x: 0, y: 0, d: -1 };
    for (let px = 0; px <= 200; px++) {
      for (let py = 0; py <= 100; py++) {
        const d = r.densityAt(px, py);
        if (d > best.d) {
          best = { x: px, y: py, d };
        }
      }
    }
    expect(Math.abs(best.x - 120)).toBeLessThanOrEqual(1);
    expect(Math.abs(best.y - 60)).toBeLessThanOrEqual(1);
    expect(best.d / r.maxDensity).toBeCloseTo(1, 2);
    expect(r.count).toBe(25);
    // The densest contour is a small region around the centre.
    const top = r.contours[r.contours.length - 1].coordinates.flat(2);
    for (const [px, py] of top) {
      expect(Math.hypot(px - 120, py - 60)).toBeLessThan(12);
    }
  });

  it('spreads each point over a Gaussian whose standard deviation is the bandwidth in pixels', () => {
    const r = radiographyDensity({ x: [100], y: [50] }, base);
    const peak = r.densityAt(100, 50);
    // One point integrates to one point, whatever the bandwidth.
    expect(integrate(r.densityAt, 0, 200, 0, 100)).toBeCloseTo(1, 2);
    // Its spread along each axis has variance bandwidth^2 = 100 square pixels (d3 approximates the
    // Gaussian with three box blurs of that variance).
    let mass = 0;
    let xx = 0;
    let yy = 0;
    for (let px = 0.5; px < 200; px++) {
      for (let py = 0.5; py < 100; py++) {
        const d = r.densityAt(px, py);
        mass += d;
        xx += d * (px - 100) ** 2;
        yy += d * (py - 50) ** 2;
      }
    }
    expect(xx / mass / 100).toBeCloseTo(1, 1);
    expect(yy / mass / 100).toBeCloseTo(1, 1);
    // Twice the bandwidth spreads the same point over four times the area: a quarter of the peak.
    const wide = radiographyDensity({ x: [100], y: [50] }, { ...base, bandwidth: 20 });
    expect(wide.densityAt(100, 50) / peak).toBeCloseTo(0.25, 1);
  });

  it('counts several points as their number of points in the integral of the density', () => {
    const r = radiographyDensity({ x: [60, 100, 140], y: [50, 50, 50] }, base);
    expect(integrate(r.densityAt, -40, 240, -40, 140)).toBeCloseTo(3, 1);
  });

  it('traces each contour exactly where densityAt equals its value', () => {
    const r = radiographyDensity({ x: [50, 58, 61, 150], y: [50, 55, 40, 20] }, { ...base, cellSize: 4 });
    expect(r.cellSize).toBe(4);
    for (const c of r.contours) {
      for (const [px, py] of c.coordinates.flat(2)) {
        expect(r.densityAt(px, py)).toBeCloseTo(c.value, 10);
      }
    }
  });

  it('spaces the levels evenly between zero and the peak', () => {
    const r = radiographyDensity({ x: [100, 104], y: [50, 52] }, { ...base, levels: 4 });
    expect(r.contours.map((c) => c.value / r.maxDensity)).toEqual(
      [0.2, 0.4, 0.6, 0.8].map((v) => expect.closeTo(v, 12) as unknown as number)
    );
    for (const c of r.contours) {
      expect(c.coordinates.length).toBeGreaterThan(0);
    }
  });

  it('maps the domain onto the plot area with the KPI axis pointing up', () => {
    const r = radiographyDensity({ x: [50], y: [25] }, base);
    expect(r.x(0)).toBe(0);
    expect(r.x(200)).toBe(200);
    expect(r.y(0)).toBe(100);
    expect(r.y(100)).toBe(0);
    expect([r.px[0], r.py[0]]).toEqual([50, 75]);
  });

  it('spaces decades evenly on a log x axis and leaves out non-positive errors', () => {
    const r = radiographyDensity(
      { x: [0.01, 1, 100, 0, -1], y: [10, 10, 10, 10, 10] },
      { ...base, xScale: 'log', xDomain: [0.0001, 10000] }
    );
    expect(Array.from(r.px)).toEqual([50, 100, 150].map((v) => expect.closeTo(v, 9) as unknown as number));
    expect(r.count).toBe(3);
    expect(r.dropped).toBe(2);
    expect(r.x.invert(100)).toBeCloseTo(1, 9);
  });

  it('returns no contours, zero density and default domains without points', () => {
    const r = radiographyDensity({ x: [], y: [] }, { ...base, xDomain: undefined, yDomain: undefined });
    expect(r.contours).toEqual([]);
    expect(r.maxDensity).toBe(0);
    expect(r.count).toBe(0);
    expect(r.densityAt(100, 50)).toBe(0);
    expect(r.countNear(100, 50)).toBe(0);
    expect(r.xDomain).toEqual([0, 1]);
    expect(r.yDomain).toEqual([0, 1]);
  });

  it('leaves out points with a missing error or KPI', () => {
    const r = radiographyDensity({ x: [1, NaN, 3, 4], y: [1, 2, Infinity, 4] }, base);
    expect(r.count).toBe(2);
    expect(r.dropped).toBe(2);
  });

  it('centres a constant error in the middle of the x axis', () => {
    const r = radiographyDensity(
      { x: [0.3, 0.3, 0.3, 0.3], y: [1, 2, 3, 4] },
      { ...base, xDomain: undefined, yDomain: undefined }
    );
    expect(r.xDomain[0]).toBeCloseTo(0.27, 12);
    expect(r.xDomain[1]).toBeCloseTo(0.33, 12);
    expect(Array.from(r.px)).toEqual([100, 100, 100, 100].map((v) => expect.closeTo(v, 9) as unknown as number));
    expect(r.contours.length).toBe(4);
    expect(r.densityAt(100, 50)).toBeGreaterThan(r.densityAt(60, 50));
  });

  it('counts the points within a radius of a pixel', () => {
    const r = radiographyDensity({ x: [100, 105, 130], y: [50, 50, 50] }, base);
    expect(r.countNear(100, 50)).toBe(2);
    expect(r.countNear(100, 50, 30)).toBe(3);
    expect(r.countNear(100, 50, 1)).toBe(1);
  });

  it('rejects a plot without area, a non-positive bandwidth and a cell smaller than a pixel', () => {
    expect(() => radiographyDensity({ x: [1], y: [1] }, { ...base, width: 0 })).toThrow(/width and height/);
    expect(() => radiographyDensity({ x: [1], y: [1] }, { ...base, bandwidth: 0 })).toThrow(/bandwidth/);
    expect(() => radiographyDensity({ x: [1], y: [1] }, { ...base, cellSize: 0.5 })).toThrow(/cellSize/);
  });
});

describe('radiographyDomain', () => {
  it('widens the extent by 5% on each side', () => {
    expect(radiographyDomain([10, 30, 20])).toEqual([9, 31]);
  });

  it('includes extra values such as the threshold', () => {
    expect(radiographyDomain([10, 30], 'linear', [0])).toEqual([-1.5, 31.5]);
  });

  it('widens a log extent in decades and ignores non-positive values', () => {
    const [lo, hi] = radiographyDomain([0.01, 100, 0, -5], 'log');
    expect(Math.log10(lo)).toBeCloseTo(-2.2, 12);
    expect(Math.log10(hi)).toBeCloseTo(2.2, 12);
  });

  it('gives a constant value a neighbourhood: 10% of it, half a unit at zero, a decade on a log axis', () => {
    expect(radiographyDomain([5, 5])).toEqual([4.5, 5.5]);
    expect(radiographyDomain([0])).toEqual([-0.5, 0.5]);
    const [lo, hi] = radiographyDomain([10], 'log');
    expect([Math.log10(lo), Math.log10(hi)]).toEqual([0.5, 1.5]);
  });

  it('falls back to a unit extent without values', () => {
    expect(radiographyDomain([NaN])).toEqual([0, 1]);
    expect(radiographyDomain([], 'log')).toEqual([1, 10]);
  });
});

describe('radiographyGrays', () => {
  it('runs from light gray for the sparsest level to black for the densest', () => {
    expect(radiographyGrays(4)).toEqual([
      'rgb(191, 191, 191)',
      'rgb(128, 128, 128)',
      'rgb(64, 64, 64)',
      'rgb(0, 0, 0)',
    ]);
  });

  it('gives at least one level', () => {
    expect(radiographyGrays(0)).toEqual(['rgb(0, 0, 0)']);
  });
});

describe('contourPath', () => {
  it('draws each ring as a closed subpath', () => {
    const square = [
      [0, 0],
      [10, 0],
      [10, 10],
      [0, 10],
      [0, 0],
    ];
    expect(contourPath([[square]])).toBe('M0,0L10,0L10,10L0,10L0,0Z');
  });

  it('keeps holes and separate polygons as further subpaths, rounded to a hundredth of a pixel', () => {
    const outer = [
      [0, 0],
      [9, 0],
      [9, 9],
    ];
    const hole = [
      [1.234, 1.006],
      [2, 2],
      [3.3333, 1],
    ];
    const other = [
      [20, 20],
      [21, 20],
      [21, 21],
    ];
    expect(contourPath([[outer, hole], [other]])).toBe('M0,0L9,0L9,9ZM1.23,1.01L2,2L3.33,1ZM20,20L21,20L21,21Z');
  });

  it('draws nothing for an empty multipolygon', () => {
    expect(contourPath([])).toBe('');
  });
});
