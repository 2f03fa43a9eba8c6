/**
 * The query set of trained models: the one stored in their manifests, or, for models that carry none
 * (trained from CSV), one that asks Prometheus for exactly the series the models were trained on,
 * one query per metric rather than one per series. Pure: the CLI, the exporter and the data source share it.
 */
import { SyrrocaError } from '../core/errors';
import { parseSeriesName } from '../core/features';
import type { FeatureMatrix, Manifest, QuerySet } from '../core/types';
import { parseQuerySet } from './querySet';
import { escapeRegex } from './template';

/** A PromQL double-quoted string literal of `value`, with `$` doubled so the query set reads it as a dollar, not a variable. */
function literal(value: string): string {
  const escaped = value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`)).replace(/\$/g, '$$$$');
  return `"${escaped}"`;
}

const METRIC_NAME = /^[A-Za-z_:][A-Za-z0-9_:]*$/;

/**
 * Per metric: a label whose value is the same in every feature becomes `label="value"`, one whose
 * value differs becomes `label=~"v1|v2"` (a feature without the label contributes the empty
 * alternative, which matches its absence). The selector is wrapped in `max by (__name__, <the
 * features' labels>)`: a scrape adds `job` and `instance` (and cAdvisor `id`, `image`, ...), and
 * aggregating them away gives back the names training saw. Each metric's query goes to the group
 * of its first feature; queries never overlap, since each selects its own metric. A selector may
 * also match combinations of label values no feature has: the caller keeps only the features it
 * asked for.
 */
export function featureQuerySet(groups: Record<string, string[]>, step?: string): QuerySet {
  const metrics = new Map<string, { group: string; features: Array<Record<string, string>> }>();
  for (const [group, names] of Object.entries(groups)) {
    for (const name of names) {
      const { metric, labels } = parseSeriesName(name);
      let entry = metrics.get(metric);
      if (!entry) {
        entry = { group, features: [] };
        metrics.set(metric, entry);
      }
      entry.features.push(labels);
    }
  }
  const querySet: QuerySet = { version: 1, ...(step !== undefined ? { step } : {}), groups: {} };
  for (const [metric, { group, features }] of metrics) {
    const labelNames = [...new Set(features.flatMap((labels) => Object.keys(labels)))].sort();
    const matchers = labelNames.map((label) => {
      const values = [...new Set(features.map((labels) => labels[label] ?? ''))].sort();
      return values.length === 1
        ? `${label}=${literal(values[0])}`
        : `${label}=~${literal(values.map(escapeRegex).join('|'))}`;
    });
    // A name that is not a plain metric name (it came from a CSV header or a manifest: it may hold
    // `or vector(1)` or a brace) is matched as a string, so it can never change the query's structure.
    const plain = METRIC_NAME.test(metric) || metric === '';
    const all = plain ? matchers : [`__name__=${literal(metric)}`, ...matchers];
    const selector = all.length > 0 ? `${plain ? metric : ''}{${all.join(', ')}}` : metric;
    (querySet.groups[group] ??= []).push(`max by (${['__name__', ...labelNames].join(', ')}) (${selector})`);
  }
  return querySet;
}

/** What to ask Prometheus for trained models: a query set, its variable values, and which features to keep. */
export interface ModelsQuery {
  querySet: QuerySet;
  /** The values training used (stored query sets); callers override them. */
  variables: Record<string, string>;
  /** Where the query set comes from, for messages. */
  source: string;
  /** Derived query sets may select more series than the models have: keep only these. */
  features?: Set<string>;
}

/**
 * The query set that reads what the models were trained on: the one stored in their manifests
 * (trained from Prometheus; all the same, one training run), else one derived from their features
 * (trained from CSV). `source` names the models in messages.
 */
export function trainingQuery(manifests: Manifest[], source: string): ModelsQuery {
  if (manifests.some((m) => m.querySet)) {
    const stored = manifests.map((m) => m.querySet);
    const first = JSON.stringify(stored[0]);
    const odd = manifests.find((m, i) => JSON.stringify(stored[i]) !== first);
    if (odd) {
      throw new SyrrocaError(
        'query-set-mismatch',
        `${source}: the models of groups ${manifests[0].group} and ${odd.group} were trained with different query sets ` +
          '(or one from CSV); train them together, or give the query set explicitly'
      );
    }
    const from = `${source} (the query set of its training)`;
    return { querySet: parseQuerySet(stored[0]!.queries, from), variables: { ...stored[0]!.variables }, source: from };
  }
  const groups = Object.fromEntries(manifests.map((m) => [m.group, m.features.map((f) => f.name)]));
  return {
    querySet: featureQuerySet(groups),
    variables: {},
    source: `${source} (its feature names)`,
    features: new Set(manifests.flatMap((m) => m.features.map((f) => f.name))),
  };
}

/** Only the named features of a matrix, in its order. */
export function keepFeatures(matrix: FeatureMatrix, names: Set<string>): FeatureMatrix {
  const kept = matrix.features.map((f, j) => j).filter((j) => names.has(matrix.features[j]));
  return {
    timestamps: matrix.timestamps,
    features: kept.map((j) => matrix.features[j]),
    columns: kept.map((j) => matrix.columns[j]),
  };
}
