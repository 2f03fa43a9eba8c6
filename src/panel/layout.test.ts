import { scaleLinear, scaleLog } from 'd3-scale';

import { axisTicks, smallMultiples } from './layout';

describe('smallMultiples', () => {
  it('lays four groups out two by two in a panel of the plots’ own shape', () => {
    expect(smallMultiples(4, 560, 400)).toEqual({ cols: 2, rows: 2, cellWidth: 280, cellHeight: 200 });
  });

  it('puts the groups side by side in a wide panel and stacks them in a tall one', () => {
    expect(smallMultiples(4, 2000, 300).cols).toBe(4);
    expect(smallMultiples(4, 300, 2000).cols).toBe(1);
  });

  it('gives a single group the whole panel', () => {
    expect(smallMultiples(1, 500, 300)).toEqual({ cols: 1, rows: 1, cellWidth: 500, cellHeight: 300 });
  });
});

describe('axisTicks', () => {
  it('ticks a linear axis at round values, about one per 70 pixels', () => {
    expect(axisTicks(scaleLinear().domain([0, 1]), 'linear', 350)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('ticks whole decades on a log axis, thinned to fit', () => {
    const x = scaleLog().domain([0.0005, 20]);
    expect(axisTicks(x, 'log', 700)).toEqual([0.001, 0.01, 0.1, 1, 10]);
    expect(axisTicks(x, 'log', 210)).toEqual([0.001, 0.1, 10]);
  });

  it('falls back to linear ticks on a log axis spanning less than two decades', () => {
    expect(axisTicks(scaleLog().domain([2, 9]), 'log', 280)).toEqual([2, 4, 6, 8]);
  });
});
