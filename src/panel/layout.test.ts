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

  it('ticks whole decades on a log axis, thinned to keep labels apart', () => {
    // 0.001 .. 10 are five decades; on 700 px a decade is 700 / log10(20 / 0.0005) = 152 px.
    const x = scaleLog().domain([0.0005, 20]).range([0, 700]);
    expect(axisTicks(x, 'log', 700)).toEqual([0.001, 0.01, 0.1, 1, 10]);
    // On 200 px a decade is 43 px: every other decade.
    expect(axisTicks(x.copy().range([0, 200]), 'log', 200)).toEqual([0.001, 0.1, 10]);
  });

  it('ticks within a decade on a short log axis, dropping the crowded high end', () => {
    // 2 .. 9 on 280 px: v sits at 280 log(v / 2) / log(4.5), so 2, 3, 4, 5, 6, 7, 8, 9 fall at 0, 75.5,
    // 129, 170.6, 204.5, 233.2, 257.4, 280 px; keeping labels 56 px apart leaves 2, 3, 5, 7.
    const ticks = axisTicks(scaleLog().domain([2, 9]).range([0, 280]), 'log', 280);
    expect(ticks).toEqual([2, 3, 5, 7]);
  });
});
