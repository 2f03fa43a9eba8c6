/**
 * Text formats for Prometheus: OpenMetrics 1.0 with timestamps, the input of `promtool tsdb
 * create-blocks-from openmetrics` (backfilling), and the 0.0.4 text exposition format of one live
 * scrape. They differ for counters: OpenMetrics names the family without `_total` (`# TYPE
 * foo_seconds counter`, samples `foo_seconds_total`), 0.0.4 names it with the suffix.
 */
import type { FeatureKind, FeatureMatrix } from '../core/types';
import { kindBySuffix, METRIC_HELP, parseSeriesName } from './series';

export interface TextFormatOptions {
  /** Kind of each metric (by metric name); default: counter when the name ends in `_total`. */
  kind?: (metric: string) => FeatureKind;
  /** HELP text by metric name; default: the texts of the series the simulator emits. */
  help?: Record<string, string>;
}

interface Family {
  metric: string;
  kind: FeatureKind;
  /** Indices of the family's series in the feature list. */
  series: number[];
}

/** Series grouped by metric, families in order of first appearance: each family's lines must be contiguous. */
function families(features: string[], kind: (metric: string) => FeatureKind): Family[] {
  const byMetric = new Map<string, Family>();
  features.forEach((name, j) => {
    const { metric } = parseSeriesName(name);
    let family = byMetric.get(metric);
    if (!family) {
      family = { metric, kind: kind(metric), series: [] };
      byMetric.set(metric, family);
    }
    family.series.push(j);
  });
  return Array.from(byMetric.values());
}

function formatValue(v: number): string {
  if (v === Infinity) {
    return '+Inf';
  }
  if (v === -Infinity) {
    return '-Inf';
  }
  return String(v);
}

function escapeHelp(text: string, openMetrics: boolean): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return openMetrics ? escaped.replace(/"/g, '\\"') : escaped;
}

/**
 * The matrix as OpenMetrics text, chunk by chunk (one series at a time), so that weeks of data can
 * be streamed to a file. Missing values (NaN) are left out. A declared counter whose name lacks
 * `_total` is written as `unknown`, since OpenMetrics would rename its samples.
 */
export function* openMetricsChunks(matrix: FeatureMatrix, options: TextFormatOptions = {}): Generator<string> {
  const help = options.help ?? METRIC_HELP;
  const times = Array.from(matrix.timestamps, (t) => String(t));
  for (const family of families(matrix.features, options.kind ?? kindBySuffix)) {
    const counter = family.kind === 'counter' && family.metric.endsWith('_total');
    const name = counter ? family.metric.slice(0, -'_total'.length) : family.metric;
    const type = counter ? 'counter' : family.kind === 'gauge' ? 'gauge' : 'unknown';
    let head = `# TYPE ${name} ${type}\n`;
    if (help[family.metric] !== undefined) {
      head += `# HELP ${name} ${escapeHelp(help[family.metric], true)}\n`;
    }
    yield head;
    for (const j of family.series) {
      const series = matrix.features[j];
      const column = matrix.columns[j];
      const lines: string[] = [];
      for (let i = 0; i < column.length; i++) {
        if (!Number.isNaN(column[i])) {
          lines.push(`${series} ${formatValue(column[i])} ${times[i]}\n`);
        }
      }
      yield lines.join('');
    }
  }
  yield '# EOF\n';
}

export function toOpenMetrics(matrix: FeatureMatrix, options: TextFormatOptions = {}): string {
  return Array.from(openMetricsChunks(matrix, options)).join('');
}

/** One scrape in the Prometheus text format 0.0.4 (what a live `/metrics` serves); NaN values are left out. */
export function toPrometheusText(
  features: string[],
  values: ArrayLike<number>,
  options: TextFormatOptions = {}
): string {
  const help = options.help ?? METRIC_HELP;
  const out: string[] = [];
  for (const family of families(features, options.kind ?? kindBySuffix)) {
    if (help[family.metric] !== undefined) {
      out.push(`# HELP ${family.metric} ${escapeHelp(help[family.metric], false)}`);
    }
    out.push(`# TYPE ${family.metric} ${family.kind === 'counter' ? 'counter' : 'gauge'}`);
    for (const j of family.series) {
      if (!Number.isNaN(values[j])) {
        out.push(`${features[j]} ${formatValue(values[j])}`);
      }
    }
  }
  return out.join('\n') + '\n';
}
