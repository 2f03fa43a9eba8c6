/**
 * Series names as the rest of syrroca writes them: `metric{label="value",...}` with labels sorted by
 * name and values escaped as in the Prometheus text format (backslash, double quote, newline).
 */
import { SyrrocaError } from '../core/errors';
import type { FeatureKind } from '../core/types';

export type Labels = Record<string, string>;

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** The canonical name of one series: labels sorted, empty labels left out (Prometheus drops them too). */
export function seriesName(metric: string, labels: Labels = {}): string {
  const keys = Object.keys(labels)
    .filter((k) => labels[k] !== '')
    .sort();
  if (keys.length === 0) {
    return metric;
  }
  return `${metric}{${keys.map((k) => `${k}="${escapeLabelValue(labels[k])}"`).join(',')}}`;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

/** Splits a canonical series name into metric and labels; throws on anything that is not one. */
export function parseSeriesName(name: string): { metric: string; labels: Labels } {
  const bad = (why: string) =>
    new SyrrocaError('series-name', `"${name}" is not a series name (${why}); expected metric{label="value",...}`);
  const m = METRIC_NAME.exec(name);
  if (!m) {
    throw bad('the metric name must start with a letter, _ or :');
  }
  const metric = m[0];
  const labels: Labels = {};
  let i = metric.length;
  if (i === name.length) {
    return { metric, labels };
  }
  if (name[i] !== '{' || name[name.length - 1] !== '}') {
    throw bad('labels must be enclosed in {}');
  }
  i++;
  while (name[i] !== '}') {
    const l = LABEL_NAME.exec(name.slice(i));
    if (!l || name[i + l[0].length] !== '=' || name[i + l[0].length + 1] !== '"') {
      throw bad(`expected label="value" at character ${i + 1}`);
    }
    i += l[0].length + 2;
    let value = '';
    for (; i < name.length && name[i] !== '"'; i++) {
      if (name[i] === '\\') {
        i++;
        value += name[i] === 'n' ? '\n' : name[i];
      } else {
        value += name[i];
      }
    }
    if (i >= name.length) {
      throw bad('unterminated label value');
    }
    labels[l[0]] = value;
    i++;
    if (name[i] === ',') {
      i++;
    } else if (name[i] !== '}') {
      throw bad(`expected , or } at character ${i + 1}`);
    }
  }
  if (i !== name.length - 1) {
    throw bad('text after the closing }');
  }
  return { metric, labels };
}

/** Counters by the Prometheus naming convention: the name ends in `_total`. */
export function kindBySuffix(metric: string): FeatureKind {
  return metric.endsWith('_total') ? 'counter' : 'gauge';
}

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
