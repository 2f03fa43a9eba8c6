/**
 * `--prometheus` for train, score and serve: the options, which query set to ask (a file, the one
 * the models were trained with, or one derived from their features), the variables, and fetching
 * with progress and warnings.
 */
import type { Command } from 'commander';

import { SyrrocaError } from '../core/errors';
import type { Manifest, QuerySet } from '../core/types';
import { createPrometheusClient } from '../prom/client';
import { keepFeatures, trainingQuery, type ModelsQuery } from '../prom/derive';
import { fetchQuerySet, parseDuration, parseQuerySet } from '../prom/querySet';
import { parseTemplate, templateVariables } from '../prom/template';
import type { PrometheusClient, PrometheusClientOptions, QuerySetData } from '../prom/types';
import { readText } from './io';
import { nonNegativeInt, time, variable } from './options';
import { createProgress } from './progress';

// The serve command imports these from here, with the rest of --prometheus.
export { keepFeatures, type ModelsQuery };

export interface PrometheusFlags {
  prometheus?: string;
  from?: number;
  to?: number;
  querySet?: string;
  namespace?: string;
  var?: Record<string, string>;
  retries?: number;
}

/**
 * Adds the options that read features from Prometheus. `range` adds --from and --to (not for
 * serve); `trains` says where the query set comes from by default (the default set for training,
 * the models' own for scoring).
 */
export function addPrometheusOptions(
  command: Command,
  { range, trains }: { range: boolean; trains: boolean }
): Command {
  command.option(
    '--prometheus <url>',
    'Prometheus API root, e.g. http://prometheus:9090 (user:password@ for basic auth)'
  );
  if (range) {
    command
      .option('--from <time>', 'start: unix seconds, RFC 3339 or now-<duration> (with --prometheus)', (v) => time(v))
      .option('--to <time>', 'end: unix seconds, RFC 3339 or now (with --prometheus)', (v) => time(v))
      .option(
        '--retries <n>',
        'retries of a Prometheus request that failed (refused, cut, 5xx, timeout) after waits of about ' +
          '0.5 s, 1 s, 2 s, ...; 6 rides out a Prometheus restart of up to ~15 s',
        nonNegativeInt,
        3
      );
  }
  const querySetDefault = trains
    ? 'default: cAdvisor + node-exporter, scoped to --namespace'
    : "default: the models' own, else one derived from their feature names";
  return command
    .option('--query-set <file>', `JSON query set: per group, the PromQL queries of its features (${querySetDefault})`)
    .option('--namespace <ns>', 'value of $namespace in the query set')
    .option('--var <name=value>', 'value of another query set variable (repeatable)', variable);
}

const PROMETHEUS_ONLY: Array<[keyof PrometheusFlags, string]> = [
  ['from', '--from'],
  ['to', '--to'],
  ['querySet', '--query-set'],
  ['namespace', '--namespace'],
  ['var', '--var'],
];

/**
 * Where train and score read their data: exactly one of a CSV file and Prometheus (with a range).
 * Throws a SyrrocaError that says which options to give.
 */
export function dataSource(flags: PrometheusFlags & { csv?: string }): 'csv' | 'prometheus' {
  if (flags.csv !== undefined && flags.prometheus !== undefined) {
    throw new SyrrocaError(
      'source-conflict',
      '--csv and --prometheus are mutually exclusive: read the data from one of them'
    );
  }
  if (flags.csv !== undefined) {
    const misplaced = PROMETHEUS_ONLY.filter(([key]) => flags[key] !== undefined).map(([, option]) => option);
    if (misplaced.length > 0) {
      const verb = misplaced.length === 1 ? 'applies' : 'apply';
      throw new SyrrocaError(
        'source-options',
        `${misplaced.join(', ')} ${verb} only with --prometheus, not with --csv`
      );
    }
    return 'csv';
  }
  if (flags.prometheus === undefined) {
    throw new SyrrocaError('source-missing', 'no data: give --csv FILE, or --prometheus URL --from TIME --to TIME');
  }
  if (flags.from === undefined || flags.to === undefined) {
    throw new SyrrocaError(
      'source-range',
      '--prometheus needs the range too: add --from TIME --to TIME (e.g. --from now-6h --to now)'
    );
  }
  if (flags.to <= flags.from) {
    throw new SyrrocaError(
      'source-range',
      `--to (${new Date(flags.to * 1000).toISOString()}) is not after --from (${new Date(flags.from * 1000).toISOString()})`
    );
  }
  return 'prometheus';
}

/** A client for `--prometheus`, after checking that the URL is one. */
export function prometheusClient(
  url: string,
  options: Omit<PrometheusClientOptions, 'baseUrl'> = {}
): PrometheusClient {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new SyrrocaError(
      'prom-url',
      `--prometheus ${JSON.stringify(url)} is not an http(s) URL; give e.g. http://prometheus:9090`
    );
  }
  return createPrometheusClient({ baseUrl: url, ...options });
}

export async function readQuerySet(path: string): Promise<QuerySet> {
  return parseQuerySet(await readText(path, 'query set'), path);
}

/** Variable values from the flags: `--var`s, and `--namespace` for `$namespace`. */
export function flagVariables(flags: PrometheusFlags): Record<string, string> {
  return { ...flags.var, ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}) };
}

/** Throws when a variable of the query set has no value, naming the option that gives it. */
export function checkVariables(querySet: QuerySet, values: Record<string, string>, source: string): void {
  const known = { ...querySet.variables, ...values };
  const used = new Set(
    Object.values(querySet.groups).flatMap((queries) => queries.flatMap((q) => templateVariables(parseTemplate(q))))
  );
  const missing = [...used].filter((name) => !Object.prototype.hasOwnProperty.call(known, name));
  if (missing.length > 0) {
    const how = missing.map((name) => (name === 'namespace' ? '--namespace NS' : `--var ${name}=VALUE`)).join(' and ');
    throw new SyrrocaError(
      'query-set-variable',
      `the query set (${source}) uses ${missing.map((name) => `$${name}`).join(', ')} without a value: give ${how}`
    );
  }
}

/**
 * The query set for scoring trained models: `--query-set` if given, else the one they were trained
 * with (see `trainingQuery`). Variables: the ones used in training, overridden by the flags.
 */
export async function modelsQuery(
  manifests: Manifest[],
  flags: PrometheusFlags,
  modelsDir: string
): Promise<ModelsQuery> {
  const overrides = flagVariables(flags);
  let query: ModelsQuery;
  if (flags.querySet !== undefined) {
    query = { querySet: await readQuerySet(flags.querySet), variables: overrides, source: flags.querySet };
  } else {
    const trained = trainingQuery(manifests, modelsDir);
    query = { ...trained, variables: { ...trained.variables, ...overrides } };
  }
  checkVariables(query.querySet, query.variables, query.source);
  return query;
}

/** The step of a query set in seconds, or undefined when it has none. */
export function querySetStep(querySet: QuerySet): number | undefined {
  return querySet.step === undefined ? undefined : parseDuration(querySet.step);
}

const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

/**
 * Fetches the query set over the range for a command line: a progress bar on a terminal (one
 * summary line otherwise), a warning for each query that matched nothing, and an error when
 * nothing matched at all.
 */
export async function fetchForCommand(
  client: PrometheusClient,
  query: ModelsQuery,
  range: { start: number; end: number; step: number }
): Promise<QuerySetData> {
  const total = Object.values(query.querySet.groups).reduce((n, q) => n + q.length, 0);
  const progress = process.stderr.isTTY ? createProgress('fetch', total) : undefined;
  const started = Date.now();
  let data: QuerySetData;
  try {
    data = await fetchQuerySet(client, query.querySet, range, query.variables, {
      onProgress: (done) => progress?.update(done),
    });
  } finally {
    progress?.stop();
  }
  if (query.features) {
    data = { ...data, matrix: keepFeatures(data.matrix, query.features) };
  }
  if (!progress) {
    process.stderr.write(
      `fetched ${data.matrix.features.length} series of ${data.matrix.timestamps.length} steps (${total} queries) ` +
        `from ${client.url} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`
    );
  }
  for (const { group, query: q } of data.empty) {
    process.stderr.write(
      `warning: query of group ${group} matched no series from ${iso(range.start)} to ${iso(range.end)}: ${q}\n`
    );
  }
  if (data.matrix.features.length === 0) {
    const namespace = query.variables.namespace !== undefined ? ` (namespace "${query.variables.namespace}")` : '';
    throw new SyrrocaError(
      'prom-no-data',
      `no query of ${query.source} matched any series in ${client.url} from ${iso(range.start)} to ${iso(range.end)}${namespace}: ` +
        'check the range, the variables, and that Prometheus scrapes these metrics'
    );
  }
  return data;
}

/** Grid-aligned range: starts at the first multiple of the step at or after `from`, ends at the last at or before `to`. */
export function alignRange(from: number, to: number, step: number): { start: number; end: number; step: number } {
  const start = Math.ceil(from / step - 1e-9) * step;
  const end = Math.floor(to / step + 1e-9) * step;
  if (end < start) {
    throw new SyrrocaError('source-range', `the range ${iso(from)} to ${iso(to)} holds no step of ${step} s; widen it`);
  }
  return { start, end, step };
}
