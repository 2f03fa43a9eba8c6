/**
 * The query set: per resource group, the PromQL queries whose series are that group's features.
 * Training stores it in the artifact's manifest (`Manifest.querySet`: the set and the variable
 * values used) so that scoring asks Prometheus for exactly what training saw.
 *
 * File format (JSON):
 * ```json
 * { "version": 1, "step": "30s", "variables": { "instance": ".+" },
 *   "groups": { "cpu": ["container_cpu_usage_seconds_total{namespace=\"$namespace\"}"], ... } }
 * ```
 * Counters are fetched raw: the core turns them into per-step increments with resets handled. To
 * fetch a rate instead, write it and keep a metric name that does not end in `_total` (the core
 * would take it for a counter), e.g. `label_replace(rate(x_total{...}[2m]), "__name__", "x:rate2m", "", "")`.
 */
import { InputError, SyrrocaError } from '../core/errors';
import { metricName } from '../core/features';
import type { GroupCatalog } from '../core/types';
import { seriesName, seriesToMatrix } from './matrix';
import { allOrFirstError } from './tasks';
import { expandTemplate, parseTemplate, TemplateError } from './template';
import type { FetchQuerySetOptions, PrometheusClient, PromSeries, QuerySet, QuerySetData, TimeRange } from './types';

/** cAdvisor per container, keeping only labels that survive a container restart (not id, image, name). */
const container = (metric: string, extra: string[] = []) =>
  `max by (${['__name__', 'namespace', 'pod', 'container', ...extra].join(', ')}) ` +
  `(${metric}{namespace="$namespace", container!="", container!="POD"})`;

/** cAdvisor's network series belong to the pod (its sandbox), not to a container. */
const pod = (metric: string) => `max by (__name__, namespace, pod, interface) (${metric}{namespace="$namespace"})`;

/** node-exporter on the instances matching the regex `$instance` (all by default). */
const node = (metric: string, by: string[] = [], filter = '', aggregate = 'max') =>
  `${aggregate} by (${['__name__', 'instance', ...by].join(', ')}) (${metric}{instance=~"\${instance:raw}"${filter}})`;

const PHYSICAL_NIC =
  ', device!~"lo|veth.*|cali.*|cni.*|flannel.*|docker.*|br-.*|vxlan.*|tunl.*|kube-.*|cilium.*|lxc.*"';
const PHYSICAL_DISK = ', device!~"dm-.*|loop.*|sr.*|ram.*"';

/**
 * cAdvisor (containers of `$namespace`) and node-exporter (instances matching `$instance`), in the
 * paper's four groups. Each query aggregates `by (__name__, <stable labels>)`: feature names then
 * survive container restarts (cAdvisor's id/name/image labels change) and scrape relabeling, and
 * `max` follows the restarted container once the old one goes stale (its counter drop reads as a
 * reset). Node CPU seconds are summed over the CPUs, per mode.
 */
export const DEFAULT_QUERY_SET: QuerySet = {
  version: 1,
  step: '30s',
  variables: { instance: '.+' },
  groups: {
    cpu: [
      container('container_cpu_usage_seconds_total'),
      container('container_cpu_user_seconds_total'),
      container('container_cpu_system_seconds_total'),
      node('node_cpu_seconds_total', ['mode'], '', 'sum'),
      node('node_load1'),
      node('node_load5'),
    ],
    memory: [
      container('container_memory_working_set_bytes'),
      container('container_memory_rss'),
      container('container_memory_cache'),
      container('container_memory_failures_total', ['failure_type', 'scope']),
      node('node_memory_MemAvailable_bytes'),
      node('node_memory_MemFree_bytes'),
      node('node_memory_Cached_bytes'),
      node('node_memory_Buffers_bytes'),
    ],
    network: [
      pod('container_network_receive_bytes_total'),
      pod('container_network_transmit_bytes_total'),
      pod('container_network_receive_packets_total'),
      pod('container_network_transmit_packets_total'),
      pod('container_network_receive_packets_dropped_total'),
      pod('container_network_transmit_packets_dropped_total'),
      node('node_network_receive_bytes_total', ['device'], PHYSICAL_NIC),
      node('node_network_transmit_bytes_total', ['device'], PHYSICAL_NIC),
      node('node_network_receive_packets_total', ['device'], PHYSICAL_NIC),
      node('node_network_transmit_packets_total', ['device'], PHYSICAL_NIC),
      node('node_network_receive_drop_total', ['device'], PHYSICAL_NIC),
      node('node_network_transmit_drop_total', ['device'], PHYSICAL_NIC),
    ],
    filesystem: [
      container('container_fs_reads_bytes_total', ['device']),
      container('container_fs_writes_bytes_total', ['device']),
      container('container_fs_reads_total', ['device']),
      container('container_fs_writes_total', ['device']),
      container('container_fs_usage_bytes', ['device']),
      node('node_disk_read_bytes_total', ['device'], PHYSICAL_DISK),
      node('node_disk_written_bytes_total', ['device'], PHYSICAL_DISK),
      node('node_disk_reads_completed_total', ['device'], PHYSICAL_DISK),
      node('node_disk_writes_completed_total', ['device'], PHYSICAL_DISK),
      node('node_disk_io_time_seconds_total', ['device'], PHYSICAL_DISK),
      node('node_filesystem_avail_bytes', ['device', 'fstype', 'mountpoint'], ', mountpoint="/"'),
    ],
  },
};

const UNITS: Record<string, number> = { y: 365 * 86400, w: 7 * 86400, d: 86400, h: 3600, m: 60, s: 1, ms: 0.001 };

/** A Prometheus duration (`30s`, `1m30s`, `500ms`) in seconds; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(text);
  if (!match || text === '') {
    return undefined;
  }
  return ['y', 'w', 'd', 'h', 'm', 's', 'ms'].reduce(
    (sum, unit, i) => sum + Number(match[i + 1] ?? 0) * UNITS[unit],
    0
  );
}

const GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** 1-based line and column of a character offset. */
function locate(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/**
 * Reads a query set from JSON text or an already parsed value. Errors are InputErrors naming the
 * source and the offending key (`groups.cpu[2]`), and saying what is expected.
 */
export function parseQuerySet(json: unknown, source: string): QuerySet {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (err) {
      const message = (err as Error).message;
      const position = /position (\d+)/.exec(message);
      throw new InputError(
        'query-set-json',
        { source, ...(position ? locate(json, Number(position[1])) : {}) },
        `not valid JSON (${message})`
      );
    }
  }
  const fail = (key: string, what: string): never => {
    throw new InputError('query-set-invalid', { source }, `${key}: ${what}`);
  };
  if (!isObject(value)) {
    return fail('(top level)', 'expected an object {"version": 1, "groups": {...}}');
  }
  for (const key of Object.keys(value)) {
    if (!['version', 'step', 'variables', 'groups'].includes(key)) {
      fail(key, 'unknown key; a query set has version, step, variables and groups');
    }
  }
  if (value.version !== 1) {
    fail('version', `expected 1, got ${JSON.stringify(value.version)}`);
  }
  const querySet: QuerySet = { version: 1, groups: {} };
  if (value.step !== undefined) {
    const seconds = typeof value.step === 'string' ? parseDuration(value.step) : undefined;
    if (seconds === undefined || seconds <= 0) {
      fail('step', `expected a positive Prometheus duration such as "30s" or "1m", got ${JSON.stringify(value.step)}`);
    }
    querySet.step = value.step as string;
  }
  if (value.variables !== undefined) {
    if (!isObject(value.variables)) {
      fail('variables', 'expected an object of variable name -> default value');
    }
    for (const [name, v] of Object.entries(value.variables as Record<string, unknown>)) {
      if (!VARIABLE_NAME.test(name)) {
        fail(`variables.${name}`, 'a variable name is letters, digits and _, not starting with a digit');
      }
      if (typeof v !== 'string') {
        fail(`variables.${name}`, `expected a string, got ${JSON.stringify(v)}`);
      }
    }
    querySet.variables = value.variables as Record<string, string>;
  }
  if (!isObject(value.groups) || Object.keys(value.groups).length === 0) {
    return fail('groups', 'expected a non-empty object of group name -> list of PromQL queries');
  }
  const seen = new Map<string, string>();
  for (const [group, queries] of Object.entries(value.groups)) {
    if (!GROUP_NAME.test(group)) {
      fail(`groups.${group}`, 'a group name is letters, digits, _ and -, not starting with a digit or -');
    }
    // It would set the prototype of `groups` instead of adding a group: the group would vanish.
    if (group === '__proto__') {
      fail(`groups.${group}`, 'this name is reserved; choose another group name');
    }
    if (!Array.isArray(queries) || queries.length === 0) {
      fail(`groups.${group}`, 'expected a non-empty list of PromQL queries');
    }
    (queries as unknown[]).forEach((query, i) => {
      const key = `groups.${group}[${i}]`;
      if (typeof query !== 'string' || query.trim() === '') {
        fail(key, `expected a PromQL query string, got ${JSON.stringify(query)}`);
      }
      try {
        parseTemplate(query as string);
      } catch (err) {
        fail(key, (err as Error).message);
      }
      if (seen.has(query as string)) {
        fail(key, `the same query as ${seen.get(query as string)}; each query belongs to one group`);
      }
      seen.set(query as string, key);
    });
    querySet.groups[group] = queries as string[];
  }
  return querySet;
}

/**
 * The query set with its variables replaced: the caller's `vars` win over the set's defaults.
 * Values are escaped for where they stand (see template.ts), so no value can add a selector or
 * close a matcher; an empty value is refused (it would select series that lack the label).
 */
export function expandQuerySet(querySet: QuerySet, vars: Record<string, string>): QuerySet {
  const values = { ...querySet.variables, ...vars };
  for (const [name, value] of Object.entries(values)) {
    if (value === '') {
      throw new SyrrocaError(
        'query-set-variable',
        `variable ${name} is empty; give it a value (an empty matcher selects series without the label)`
      );
    }
  }
  const groups = Object.fromEntries(
    Object.entries(querySet.groups).map(([group, queries]) => [
      group,
      queries.map((query, i) => {
        try {
          return expandTemplate(parseTemplate(query), values);
        } catch (err) {
          if (err instanceof TemplateError) {
            throw new SyrrocaError(
              'query-set-variable',
              `query ${i + 1} of group ${group} (\`${query}\`): ${err.message}`
            );
          }
          throw err;
        }
      }),
    ])
  );
  return { version: 1, ...(querySet.step !== undefined ? { step: querySet.step } : {}), groups };
}

/**
 * Every query of the set over one range (the step defaults to the set's), as one feature matrix in
 * group order, then query order, then series name. The client bounds the requests in flight; the
 * first failure cancels the rest. Queries that match nothing are listed in `empty`, not an error:
 * the caller decides whether a missing source matters.
 */
export async function fetchQuerySet(
  client: PrometheusClient,
  querySet: QuerySet,
  range: Omit<TimeRange, 'step'> & { step?: number },
  vars: Record<string, string>,
  { signal, onProgress }: FetchQuerySetOptions = {}
): Promise<QuerySetData> {
  const step = range.step ?? (querySet.step === undefined ? undefined : parseDuration(querySet.step));
  if (step === undefined) {
    throw new SyrrocaError('query-set-step', 'no step: give the range a step or the query set a "step" (e.g. "30s")');
  }
  const grid: TimeRange = { start: range.start, end: range.end, step };
  const expanded = expandQuerySet(querySet, vars);
  const jobs = Object.entries(expanded.groups).flatMap(([group, queries]) =>
    queries.map((query) => ({ group, query }))
  );
  let done = 0;
  onProgress?.(0, jobs.length);
  const results = await allOrFirstError(
    signal,
    jobs.map(({ query }) => async (jobSignal) => {
      const series = await client.queryRange(query, grid, { signal: jobSignal });
      onProgress?.(++done, jobs.length);
      return series;
    })
  );
  const origin = new Map<string, { group: string; query: string }>();
  const all: PromSeries[] = [];
  const data: Omit<QuerySetData, 'matrix'> = { groups: [], queries: [], empty: [] };
  results.forEach((series, k) => {
    const { group, query } = jobs[k];
    if (series.length === 0) {
      data.empty.push({ group, query });
    }
    for (const s of series) {
      const name = seriesName(s);
      const first = origin.get(name);
      if (first) {
        throw new SyrrocaError(
          'duplicate-series',
          `series ${name} comes from two queries: \`${first.query}\` (group ${first.group}) and \`${query}\` (group ${group}); ` +
            'make the queries select disjoint series'
        );
      }
      origin.set(name, { group, query });
      all.push(s);
      data.groups.push(group);
      data.queries.push(query);
    }
  });
  return { matrix: seriesToMatrix(all, grid), ...data };
}

const escapeJsRegex = (text: string) => text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

/**
 * The groups of fetched features as the catalog the core groups by (and stores in the manifest), so
 * a model's group is the query set's group. A metric whose series all came from one group joins it
 * by metric name (`^metric(\{|$)`: a new pod of the same metric joins the same group); a metric
 * split over groups joins by exact series name. Groups keep the query set's order; nothing falls
 * back to another group.
 */
export function querySetCatalog(data: Pick<QuerySetData, 'matrix' | 'groups'>): GroupCatalog {
  const groupsOfMetric = new Map<string, Set<string>>();
  data.matrix.features.forEach((name, j) => {
    const metric = metricName(name);
    groupsOfMetric.set(metric, (groupsOfMetric.get(metric) ?? new Set()).add(data.groups[j]));
  });
  const patterns = new Map<string, string[]>();
  data.matrix.features.forEach((name, j) => {
    const metric = metricName(name);
    const split = groupsOfMetric.get(metric)!.size > 1;
    const pattern = split ? `^${escapeJsRegex(name)}$` : `^${escapeJsRegex(metric)}(?:\\{|$)`;
    const list = patterns.get(data.groups[j]) ?? [];
    if (!list.includes(pattern)) {
      list.push(pattern);
    }
    patterns.set(data.groups[j], list);
  });
  return { rules: Array.from(patterns, ([group, list]) => ({ group, patterns: list })), fallback: null };
}
