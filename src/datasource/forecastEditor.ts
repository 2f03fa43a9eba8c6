/**
 * The forecast query editor's logic, apart from React: the choices it offers (models, threshold kinds,
 * the models' features as ready-made series) and what is wrong with the settings before they run.
 */
import type { ForecastModelChoice, ThresholdKind } from '../core/forecast/types';
import type { Manifest } from '../core/types';
import type { Option } from './editor';
import { checkForecastOptions } from '../core/forecast/detect';
import { defaultTrain } from '../core/forecast/pipeline';
import { parseWindows } from './forecast';
import type { ForecastSettings } from './types';

export const FORECAST_MODELS: Array<Option<ForecastModelChoice>> = [
  { value: 'auto', label: 'auto', description: 'ARIMA, SARIMA when a season is found, VARMA with several series' },
  { value: 'arima', label: 'ARIMA' },
  { value: 'sarima', label: 'SARIMA' },
  { value: 'varma', label: 'VARMA', description: 'needs a query returning two or more series' },
];

export const THRESHOLD_KINDS: Array<Option<ThresholdKind>> = [
  { value: 'dynamic', label: 'dynamic', description: 'mean + k sigma of the trailing errors (follows the load)' },
  { value: 'fixed', label: 'fixed', description: 'mean + 3 sigma of the held-back errors' },
];

/** The models' features (Prometheus series names, so valid PromQL), then the chosen query if it is not one of them. */
export function seriesOptions(manifests: Manifest[] | undefined, chosen?: string): Option[] {
  const options: Option[] = [];
  for (const m of manifests ?? []) {
    for (const f of m.features) {
      if (!options.some((o) => o.value === f.name)) {
        options.push({ value: f.name, label: f.name, description: `${m.group}, ${f.kind}` });
      }
    }
  }
  if (chosen && !options.some((o) => o.value === chosen)) {
    options.unshift({ value: chosen, label: chosen, description: 'PromQL' });
  }
  return options;
}

/** What keeps the settings from running, in the words of the error the query would raise; undefined when nothing. */
export function forecastProblem(settings: ForecastSettings): string | undefined {
  try {
    const windows = parseWindows(settings.windows);
    checkForecastOptions({
      windows,
      train: settings.train ?? defaultTrain(windows),
      model: settings.model,
      threshold: settings.threshold,
      k: settings.k,
    });
  } catch (err) {
    return (err as Error).message;
  }
  return undefined;
}
