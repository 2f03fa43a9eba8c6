/**
 * The query editor's logic, apart from React: which groups can be chosen, what the models expect,
 * and hints when the last result shows that the models do not fit the data.
 */
import type { PanelData } from '@grafana/data';

import type { Manifest } from '../core/types';
import type { RunDetails } from './meta';
import type { QueryType } from './types';

export interface Option<T extends string = string> {
  value: T;
  label: string;
  description?: string;
}

export const QUERY_TYPES: Array<Option<QueryType>> = [
  {
    value: 'reconstruction',
    label: 'Reconstruction error',
    description: 'Per group: MSE, threshold and anomalous state over time',
  },
  {
    value: 'features',
    label: 'Anomaly features',
    description: 'One row per anomalous interval and group, with the features that explain it',
  },
  {
    value: 'characterization',
    label: 'Characterization',
    description: 'Feature sets F and their share of the threshold-crossing samples',
  },
  {
    value: 'radiography',
    label: 'Radiography',
    description: 'Anomalous points (MSE, KPI) per group, for the radiography panel',
  },
  {
    value: 'forecast',
    label: 'Forecast',
    description: 'ARIMA / SARIMA / VARMA on a series: value, prediction, threshold band and anomalous state',
  },
];

/** Groups of the models, then the dashboard's variables (`$group`), then any chosen value no longer offered. */
export function groupOptions(manifests: Manifest[] | undefined, variables: string[], chosen: string[] = []): Option[] {
  const options: Option[] = (manifests ?? []).map((m) => ({
    value: m.group,
    label: m.group,
    description: `${m.features.length} features, window ${m.window} x ${m.stepSeconds} s`,
  }));
  for (const name of variables) {
    options.push({ value: `$${name}`, label: `$${name}`, description: 'dashboard variable' });
  }
  for (const value of chosen) {
    if (!options.some((o) => o.value === value)) {
      options.push({ value, label: value, description: 'not among the models' });
    }
  }
  return options;
}

export interface Hint {
  severity: 'info' | 'warning' | 'error';
  text: string;
}

/** What the models expect of the data, in one line per distinct step and window. */
export function modelExpectations(manifests: Manifest[]): Hint | undefined {
  if (manifests.length === 0) {
    return undefined;
  }
  const shapes = new Map<string, string[]>();
  for (const m of manifests) {
    const key = `a step of ${m.stepSeconds} s and windows of ${m.window} steps (${(m.window * m.stepSeconds) / 60} min of history)`;
    shapes.set(key, [...(shapes.get(key) ?? []), m.group]);
  }
  return {
    severity: 'info',
    text: [...shapes].map(([shape, groups]) => `${groups.join(', ')}: ${shape}`).join('; '),
  };
}

/** Hints from the last result of this query: errors that say the models do not fit, and warnings about the data's step. */
export function fitHints(data: PanelData | undefined, refId: string): Hint[] {
  const hints: Hint[] = [];
  const errors = data?.errors ?? [];
  for (const error of errors) {
    if (error.refId !== undefined && error.refId !== refId) {
      continue;
    }
    const code = (error.data as { error?: string } | undefined)?.error;
    if (code === 'artifact-mismatch') {
      hints.push({
        severity: 'error',
        text:
          "The models' features do not fit the data. Check the namespace (dashboard variable or data source setting) and " +
          'that the data is the one the models were trained on; when the data only has more series than training saw, ' +
          'enable "Allow extra features" in the data source settings; otherwise train again on this data (syrroca train).',
      });
    } else if (code === 'range-too-large') {
      hints.push({ severity: 'error', text: error.message ?? 'The range is too large to score in the browser.' });
    } else if (code === 'variable-missing' || code === 'variable-multi' || code === 'group-unknown') {
      hints.push({ severity: 'error', text: error.message ?? code });
    }
  }
  for (const frame of data?.series ?? []) {
    const details = frame.meta?.custom?.syrroca as RunDetails | undefined;
    if (frame.refId === refId && details?.dataStep !== undefined) {
      hints.push({
        severity: 'warning',
        text:
          `The data changes every ~${details.dataStep} s, the models' step is ${details.step} s: the models do not fit this ` +
          `Prometheus' scrape interval. Train at ${details.dataStep} s (syrroca train --step ${details.dataStep}) or scrape faster.`,
      });
    }
  }
  return hints;
}
