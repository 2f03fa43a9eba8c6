/** Offers the radiography in the panel editor's suggestions when the data fits it. */
import {
  type DataFrame,
  FieldType,
  type PanelDataSummary,
  VisualizationSuggestionScore,
  type VisualizationSuggestionsSupplier,
} from '@grafana/data';

import { NO_POINTS, prepareRadiographyData } from './fields';
import { defaultOptions, type Options } from './types';

export const PANEL_ID = 'syrroca-radiography-panel';

const named = (frame: DataFrame, name: string) => frame.fields.some((f) => f.name.toLowerCase() === name);

/**
 * Best for frames that ask for this panel or carry an error, a KPI and the `anomalous` flag (the data
 * source's radiography query); OK for any pairs of numbers without a time axis; nothing for time series.
 */
export const radiographySuggestionsSupplier: VisualizationSuggestionsSupplier<Options> = (
  summary: PanelDataSummary
) => {
  const frames = summary.rawFrames;
  if (!frames || !summary.hasData || summary.fieldCountByType(FieldType.number) < 2) {
    return;
  }
  const prepared = prepareRadiographyData(frames, defaultOptions);
  if (prepared.empty && prepared.empty.title !== NO_POINTS) {
    return;
  }
  const radiography = frames.some(
    (f) => f.meta?.preferredVisualisationPluginId === PANEL_ID || (named(f, 'mse') && named(f, 'anomalous'))
  );
  if (!radiography && summary.hasFieldType(FieldType.time)) {
    return;
  }
  return [
    {
      name: 'Radiography',
      score: radiography ? VisualizationSuggestionScore.Best : VisualizationSuggestionScore.OK,
      cardOptions: {
        previewModifier: (s) => {
          s.options = { ...s.options, legend: { show: false }, tooltip: { show: false } };
        },
      },
    },
  ];
};
