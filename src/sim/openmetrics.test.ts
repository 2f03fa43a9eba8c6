import type { FeatureMatrix } from '../core/types';
import { toOpenMetrics, toPrometheusText } from './openmetrics';

const matrix: FeatureMatrix = {
  timestamps: Float64Array.from([1584316830, 1584316860]),
  features: [
    'container_cpu_usage_seconds_total{container="bono",namespace="vims",pod="bono-0"}',
    'sipp_failed_calls',
    'container_cpu_usage_seconds_total{container="sprout",namespace="vims",pod="sprout-0"}',
    'odd_gauge{path="C:\\\\tmp \\"x\\", y"}',
  ],
  columns: [
    Float64Array.from([10.5, 11.25]),
    Float64Array.from([0, 3]),
    Float64Array.from([NaN, 7]),
    Float64Array.from([1e21, -Infinity]),
  ],
};

describe('toOpenMetrics', () => {
  it('writes counter families without _total and their samples with it, family by family, then # EOF', () => {
    expect(toOpenMetrics(matrix, { help: { sipp_failed_calls: 'Failed "calls"\nper step.' } })).toBe(
      [
        '# TYPE container_cpu_usage_seconds counter',
        'container_cpu_usage_seconds_total{container="bono",namespace="vims",pod="bono-0"} 10.5 1584316830',
        'container_cpu_usage_seconds_total{container="bono",namespace="vims",pod="bono-0"} 11.25 1584316860',
        'container_cpu_usage_seconds_total{container="sprout",namespace="vims",pod="sprout-0"} 7 1584316860',
        '# TYPE sipp_failed_calls gauge',
        '# HELP sipp_failed_calls Failed \\"calls\\"\\nper step.',
        'sipp_failed_calls 0 1584316830',
        'sipp_failed_calls 3 1584316860',
        '# TYPE odd_gauge gauge',
        'odd_gauge{path="C:\\\\tmp \\"x\\", y"} 1e+21 1584316830',
        'odd_gauge{path="C:\\\\tmp \\"x\\", y"} -Inf 1584316860',
        '# EOF',
        '',
      ].join('\n')
    );
  });

  it('writes a declared counter without _total as unknown, keeping its name', () => {
    const m: FeatureMatrix = {
      timestamps: Float64Array.from([1]),
      features: ['node_vmstat_pgfault'],
      columns: [Float64Array.from([5])],
    };
    expect(toOpenMetrics(m, { kind: () => 'counter', help: {} })).toBe(
      '# TYPE node_vmstat_pgfault unknown\nnode_vmstat_pgfault 5 1\n# EOF\n'
    );
  });
});

describe('toPrometheusText', () => {
  it('writes one scrape in the 0.0.4 format: counter families keep _total, no timestamps, NaN left out', () => {
    const values = matrix.columns.map((c) => c[0]);
    expect(toPrometheusText(matrix.features, values)).toBe(
      [
        '# HELP container_cpu_usage_seconds_total Cumulative cpu time consumed in seconds.',
        '# TYPE container_cpu_usage_seconds_total counter',
        'container_cpu_usage_seconds_total{container="bono",namespace="vims",pod="bono-0"} 10.5',
        '# HELP sipp_failed_calls Calls created during the last step that failed.',
        '# TYPE sipp_failed_calls gauge',
        'sipp_failed_calls 0',
        '# TYPE odd_gauge gauge',
        'odd_gauge{path="C:\\\\tmp \\"x\\", y"} 1e+21',
        '',
      ].join('\n')
    );
  });
});
