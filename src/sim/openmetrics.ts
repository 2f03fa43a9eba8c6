/**
 * Text formats for Prometheus: OpenMetrics 1.0 with timestamps, the input of `promtool tsdb
 * create-blocks-from openmetrics` (backfilling), and the 0.0.4 text exposition format of one live
 * scrape. They differ for counters: OpenMetrics names the family without `_total` (`# TYPE
 * foo_seconds counter`, samples `foo_seconds_total`), 0.0.4 names it with the suffix.
 */
import { featureKind, parseSeriesName } from '../core/features';
import type { FeatureKind, FeatureMatrix } from '../core/types';

/** HELP texts of the series the simulator emits, as cAdvisor, node-exporter and the SIPp bridge describe them. */
export const METRIC_HELP: Record<string, string> = {
  container_cpu_usage_seconds_total: 'Cumulative cpu time consumed in seconds.',
  container_cpu_user_seconds_total: 'Cumulative user cpu time consumed in seconds.',
  container_cpu_system_seconds_total: 'Cumulative system cpu time consumed in seconds.',
  container_memory_working_set_bytes: 'Current working set in bytes.',
  container_memory_rss: 'Size of RSS in bytes.',
  container_memory_cache: 'Number of bytes of page cache memory.',
  container_memory_failures_total: 'Cumulative count of memory allocation failures.',
  container_network_receive_bytes_total: 'Cumulative count of bytes received',
  container_network_transmit_bytes_total: 'Cumulative count of bytes transmitted',
  container_network_receive_packets_total: 'Cumulative count of packets received',
  container_network_transmit_packets_total: 'Cumulative count of packets transmitted',
  container_network_receive_packets_dropped_total: 'Cumulative count of packets dropped while receiving',
  container_network_transmit_packets_dropped_total: 'Cumulative count of packets dropped while transmitting',
  container_fs_reads_bytes_total: 'Cumulative count of bytes read',
  container_fs_writes_bytes_total: 'Cumulative count of bytes written',
  container_fs_reads_total: 'Cumulative count of reads completed',
  container_fs_writes_total: 'Cumulative count of writes completed',
  container_fs_usage_bytes: 'Number of bytes that are consumed by the container on this filesystem.',
  node_cpu_seconds_total: 'Seconds the CPUs spent in each mode (summed over the CPUs of the node).',
  node_context_switches_total: 'Total number of context switches.',
  node_load1: '1m load average.',
  node_load5: '5m load average.',
  node_memory_MemAvailable_bytes: 'Memory information field MemAvailable_bytes.',
  node_memory_MemFree_bytes: 'Memory information field MemFree_bytes.',
  node_memory_Cached_bytes: 'Memory information field Cached_bytes.',
  node_memory_Buffers_bytes: 'Memory information field Buffers_bytes.',
  node_network_receive_bytes_total: 'Network device statistic receive_bytes.',
  node_network_transmit_bytes_total: 'Network device statistic transmit_bytes.',
  node_network_receive_packets_total: 'Network device statistic receive_packets.',
  node_network_transmit_packets_total: 'Network device statistic transmit_packets.',
  node_network_receive_drop_total: 'Network device statistic receive_drop.',
  node_network_transmit_drop_total: 'Network device statistic transmit_drop.',
  node_disk_read_bytes_total: 'The total number of bytes read successfully.',
  node_disk_written_bytes_total: 'The total number of bytes written successfully.',
  node_disk_reads_completed_total: 'The total number of reads completed successfully.',
  node_disk_writes_completed_total: 'The total number of writes completed successfully.',
  node_disk_io_time_seconds_total: 'Total seconds spent doing I/Os.',
  node_filesystem_avail_bytes: 'Filesystem space available to non-root users in bytes.',
  sipp_call_attempts: 'Calls created by the SIPp client during the last step.',
  sipp_successful_calls: 'Calls created during the last step that completed successfully.',
  sipp_failed_calls: 'Calls created during the last step that failed.',
};

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
  for (const family of families(matrix.features, options.kind ?? featureKind)) {
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
  for (const family of families(features, options.kind ?? featureKind)) {
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
