import fc from 'fast-check';

import { SyrrocaError } from './errors';
import {
  canonicalSeriesName,
  counterIncrements,
  featureKind,
  metricName,
  parseSeriesName,
  toModelInputs,
} from './features';

const f64 = (...values: number[]) => Float64Array.from(values);

describe('metricName', () => {
  it('is the part before the labels', () => {
    expect(metricName('container_cpu_usage_seconds_total{container="bono",pod="bono-0"}')).toBe(
      'container_cpu_usage_seconds_total'
    );
  });

  it('is the whole name of a bare metric', () => {
    expect(metricName('node_load1')).toBe('node_load1');
  });
});

describe('featureKind', () => {
  it('calls a metric ending in _total a counter', () => {
    expect(featureKind('container_network_receive_bytes_total{pod="hss-0"}')).toBe('counter');
  });

  it('calls anything else a gauge', () => {
    expect(featureKind('container_memory_working_set_bytes{pod="hss-0"}')).toBe('gauge');
    expect(featureKind('node_load1')).toBe('gauge');
  });

  it('looks only at the metric name, not at label values ending in _total', () => {
    expect(featureKind('node_memory_free{kind="x_total"}')).toBe('gauge');
  });

  it('lets a declared gauge override the _total convention, by metric or series name', () => {
    expect(featureKind('weird_total{a="1"}', { gauges: ['weird_total'] })).toBe('gauge');
    expect(featureKind('weird_total{a="1"}', { gauges: ['weird_total{a="1"}'] })).toBe('gauge');
    expect(featureKind('weird_total{a="2"}', { gauges: ['weird_total{a="1"}'] })).toBe('counter');
  });

  it('lets a declared counter override the convention', () => {
    expect(featureKind('sipp_failed_calls', { counters: ['sipp_failed_calls'] })).toBe('counter');
  });

  it('refuses a feature declared both ways', () => {
    expect(() => featureKind('x_total', { counters: ['x_total'], gauges: ['x_total'] })).toThrow(
      /declared both a counter and a gauge/
    );
  });
});

describe('canonicalSeriesName', () => {
  it('sorts labels by name and writes them without spaces', () => {
    expect(canonicalSeriesName('container_cpu_usage_seconds_total', { pod: 'bono-0', container: 'bono' })).toBe(
      'container_cpu_usage_seconds_total{container="bono",pod="bono-0"}'
    );
  });

  it('escapes backslash, double quote and newline in values as Prometheus does', () => {
    expect(canonicalSeriesName('m', { a: 'x\\y"z\nw' })).toBe('m{a="x\\\\y\\"z\\nw"}');
  });

  it('writes a bare name when there are no labels, leaving out __name__', () => {
    expect(canonicalSeriesName('up', {})).toBe('up');
    expect(canonicalSeriesName('up', { __name__: 'up', job: 'node' })).toBe('up{job="node"}');
  });
});

describe('parseSeriesName', () => {
  it('reads a canonical name', () => {
    expect(parseSeriesName('m{container="bono",pod="bono-0"}')).toEqual({
      metric: 'm',
      labels: { container: 'bono', pod: 'bono-0' },
    });
  });

  it("reads Prometheus' own spacing, any label order and a trailing comma", () => {
    expect(parseSeriesName('m{pod="p", container="c",}')).toEqual({
      metric: 'm',
      labels: { pod: 'p', container: 'c' },
    });
  });

  it('unescapes values', () => {
    expect(parseSeriesName('m{a="x\\\\y\\"z\\nw"}').labels.a).toBe('x\\y"z\nw');
  });

  it('reads commas and braces inside values', () => {
    expect(parseSeriesName('m{a="1,2}",b="{"}').labels).toEqual({ a: '1,2}', b: '{' });
  });

  it('reads a bare name and an empty label set', () => {
    expect(parseSeriesName('node_load1')).toEqual({ metric: 'node_load1', labels: {} });
    expect(parseSeriesName('node_load1{}')).toEqual({ metric: 'node_load1', labels: {} });
  });

  it.each([
    ['m{a="1"', 8, 'expected "," or "}" after a label value'],
    ['m{a="1",', 9, 'expected a label name or "}"'],
    ['m{a=1}', 5, 'expected a double-quoted value'],
    ['m{a="1}', 8, 'the value of label "a" has no closing quote'],
    ['m{a="1" b="2"}', 9, 'expected "," or "}"'],
    ['m{a="1",a="2"}', 9, 'label "a" appears twice'],
    ['m{a="\\t"}', 6, 'unknown escape'],
    ['m{a="1"} x', 10, 'unexpected text after "}"'],
    ['m{1a="1"}', 3, 'expected a label name'],
  ])('refuses %s, pointing at character %i', (name, at, what) => {
    let error: unknown;
    try {
      parseSeriesName(name);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SyrrocaError);
    expect((error as SyrrocaError).code).toBe('series-name');
    expect((error as Error).message).toContain(`at character ${at}: ${what}`);
  });

  it('inverts canonicalSeriesName for any label values', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/), fc.string({ unit: 'binary' })),
        (labels) => {
          delete labels.__name__;
          const parsed = parseSeriesName(canonicalSeriesName('metric_total', labels));
          expect(parsed.metric).toBe('metric_total');
          expect(parsed.labels).toEqual(labels);
        }
      )
    );
  });
});

describe('counterIncrements', () => {
  it('takes the difference between consecutive steps, the first one unknown', () => {
    expect(Array.from(counterIncrements(f64(10, 12, 15, 15)))).toEqual([NaN, 2, 3, 0]);
  });

  it('takes the new value as the increment after a counter reset', () => {
    // 100 -> 4: the process restarted and has counted 4 since.
    expect(Array.from(counterIncrements(f64(90, 100, 4, 7)))).toEqual([NaN, 10, 4, 3]);
  });

  it('leaves NaN on both sides of a gap instead of bridging it', () => {
    expect(Array.from(counterIncrements(f64(1, 2, NaN, 5, 6)))).toEqual([NaN, 1, NaN, NaN, 1]);
  });

  it('returns an empty column for an empty column', () => {
    expect(counterIncrements(f64()).length).toBe(0);
  });
});

describe('toModelInputs', () => {
  it('turns counters into increments and keeps gauges as they are', () => {
    const gauge = f64(0.5, 0.7, 0.6);
    const matrix = {
      timestamps: f64(30, 60, 90),
      features: ['requests_total', 'memory_bytes'],
      columns: [f64(5, 8, 2), gauge],
    };
    const inputs = toModelInputs(matrix, ['counter', 'gauge']);
    expect(inputs.features).toEqual(['requests_total', 'memory_bytes']);
    expect(inputs.timestamps).toBe(matrix.timestamps);
    expect(Array.from(inputs.columns[0])).toEqual([NaN, 3, 2]);
    expect(inputs.columns[1]).toBe(gauge);
  });

  it('refuses a kind list that does not match the features', () => {
    const matrix = { timestamps: f64(1), features: ['a', 'b'], columns: [f64(1), f64(2)] };
    expect(() => toModelInputs(matrix, ['gauge'])).toThrow(/got 1 feature kinds for 2 features/);
  });
});
