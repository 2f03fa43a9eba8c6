/**
 * A query set for models that carry none (trained from CSV): it asks Prometheus for exactly the
 * series the models were trained on, one query per metric rather than one per series.
 */
import { parseSeriesName } from '../core/features';
import type { QuerySet } from '../core/types';
import { escapeRegex } from './template';

/** A PromQL double-quoted string literal of `value`, with `$` doubled so the query set reads it as a dollar, not a variable. */
function literal(value: string): string {
  const escaped = value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`)).replace(/\$/g, '$$$$');
  return `"${escaped}"`;
}

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
    const selector = matchers.length > 0 ? `${metric}{${matchers.join(', ')}}` : metric;
    (querySet.groups[group] ??= []).push(`max by (${['__name__', ...labelNames].join(', ')}) (${selector})`);
  }
  return querySet;
}
