import { createDataFrame, FieldType, getPanelDataSummary, VisualizationSuggestionScore } from '@grafana/data';

import { PANEL_ID, radiographySuggestionsSupplier } from './suggestions';

const suggest = (...frames: Array<Parameters<typeof createDataFrame>[0]>) =>
  radiographySuggestionsSupplier(getPanelDataSummary(frames.map((f) => createDataFrame(f))));

describe('radiographySuggestionsSupplier', () => {
  it('strongly suggests the panel for the data source’s radiography frames', () => {
    const s = suggest({
      fields: [
        { name: 'time', type: FieldType.time, values: [1, 2] },
        { name: 'mse', type: FieldType.number, values: [1, 2] },
        { name: 'kpi', type: FieldType.number, values: [3, 4] },
        { name: 'anomalous', type: FieldType.boolean, values: [true, true] },
      ],
    });
    expect(s).toHaveLength(1);
    expect(s?.[0].score).toBe(VisualizationSuggestionScore.Best);
  });

  it('strongly suggests the panel for frames that ask for it', () => {
    const s = suggest({
      meta: { preferredVisualisationPluginId: PANEL_ID },
      fields: [
        { name: 'time', type: FieldType.time, values: [1] },
        { name: 'a', type: FieldType.number, values: [1] },
        { name: 'b', type: FieldType.number, values: [2] },
      ],
    });
    expect(s?.[0].score).toBe(VisualizationSuggestionScore.Best);
  });

  it('offers the panel for pairs of numbers without a time axis', () => {
    const s = suggest({
      fields: [
        { name: 'error', type: FieldType.number, values: [1, 2] },
        { name: 'calls', type: FieldType.number, values: [3, 4] },
      ],
    });
    expect(s?.[0].score).toBe(VisualizationSuggestionScore.OK);
  });

  it('does not offer the panel for plain time series or a single number', () => {
    expect(
      suggest({
        fields: [
          { name: 'time', type: FieldType.time, values: [1, 2] },
          { name: 'cpu', type: FieldType.number, values: [1, 2] },
          { name: 'memory', type: FieldType.number, values: [1, 2] },
        ],
      })
    ).toBeUndefined();
    expect(suggest({ fields: [{ name: 'mse', type: FieldType.number, values: [1] }] })).toBeUndefined();
  });

  it('hides the legend and tooltip in the small preview', () => {
    const [s] = suggest({
      fields: [
        { name: 'error', type: FieldType.number, values: [1] },
        { name: 'calls', type: FieldType.number, values: [3] },
      ],
    })!;
    const preview = { options: {} };
    s.cardOptions?.previewModifier?.(preview);
    expect(preview.options).toEqual({ legend: { show: false }, tooltip: { show: false } });
  });
});
