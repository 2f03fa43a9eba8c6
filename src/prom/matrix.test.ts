import { seriesName, seriesToMatrix } from './matrix';
import type { PromSeries } from './types';

const series = (metric: Record<string, string>, points: Array<[number, number]>): PromSeries => ({
  metric,
  timestamps: Float64Array.from(points, (p) => p[0]),
  values: Float64Array.from(points, (p) => p[1]),
});

describe('canonical series names', () => {
  it('sorts labels by name and leaves __name__ out of the braces', () => {
    expect(seriesName({ metric: { pod: 'b', __name__: 'x_total', container: 'a' } })).toBe(
      'x_total{container="a",pod="b"}'
    );
  });

  it('escapes backslash, double quote and newline in values as Prometheus does', () => {
    expect(seriesName({ metric: { __name__: 'm', path: 'C:\\dir', msg: 'say "hi"\nbye' } })).toBe(
      'm{msg="say \\"hi\\"\\nbye",path="C:\\\\dir"}'
    );
  });

  it('is the bare metric name without labels, and braces only for a series without a name', () => {
    expect(seriesName({ metric: { __name__: 'node_load1' } })).toBe('node_load1');
    expect(seriesName({ metric: { pod: 'a' } })).toBe('{pod="a"}');
  });

  it('orders label names by code unit, so upper case comes before lower case', () => {
    expect(seriesName({ metric: { __name__: 'm', b: '1', B: '2', _a: '3' } })).toBe('m{B="2",_a="3",b="1"}');
  });
});

describe('seriesToMatrix', () => {
  const range = { start: 1000, end: 1120, step: 30 };

  it('puts each series on the grid start..end by step with NaN where a step has no point', () => {
    const m = seriesToMatrix(
      [
        series({ __name__: 'g', pod: 'a' }, [
          [1000, 1],
          [1030, 2],
          [1120, 5],
        ]),
        series({ __name__: 'c_total' }, [
          [1060, 7],
          [1090, Infinity],
        ]),
      ],
      range
    );
    expect(Array.from(m.timestamps)).toEqual([1000, 1030, 1060, 1090, 1120]);
    expect(m.features).toEqual(['g{pod="a"}', 'c_total']);
    expect(Array.from(m.columns[0])).toEqual([1, 2, NaN, NaN, 5]);
    expect(Array.from(m.columns[1])).toEqual([NaN, NaN, 7, Infinity, NaN]);
  });

  it('gives an all-NaN grid and no features for no series', () => {
    const m = seriesToMatrix([], range);
    expect(m.features).toEqual([]);
    expect(m.timestamps.length).toBe(5);
  });

  it('refuses two series with the same canonical name, naming it', () => {
    expect(() =>
      seriesToMatrix([series({ pod: 'a' }, []), series({ pod: 'a' }, []), series({ pod: 'b' }, [])], range)
    ).toThrow(/more than one series is named \{pod="a"\}: give each query a distinct metric name/);
  });

  it('refuses a point off the grid, naming the series and the point', () => {
    expect(() => seriesToMatrix([series({ __name__: 'g' }, [[1015, 1]])], range)).toThrow(
      /series g has a point at 1015, not on the grid 1000\.\.1120 by 30 s/
    );
    expect(() => seriesToMatrix([series({ __name__: 'g' }, [[1150, 1]])], range)).toThrow(/point at 1150/);
  });
});
