import { getPanelDataSummary, PanelOptionsEditorBuilder, standardEditorsRegistry } from '@grafana/data';

import { plugin } from './module';
import { radiographyFrames } from './testing/fixtures';
import { defaultOptions, type Options } from './types';

// Grafana registers its option editor components at start-up; the builder only needs them to exist.
standardEditorsRegistry.setInit(() =>
  ['number', 'slider', 'text', 'select', 'radio', 'boolean', 'unit', 'field-name'].map((id) => ({
    id,
    name: id,
    editor: () => null,
  }))
);

/** The options editor as Grafana builds it for the given data. */
function editor(data = radiographyFrames()) {
  const builder = new PanelOptionsEditorBuilder<Options>();
  plugin.getPanelOptionsSupplier()(builder, { data, options: defaultOptions });
  return builder.getItems();
}

describe('radiography panel plugin', () => {
  it('offers every group of the data, and all of them, in the group option', () => {
    const group = editor().find((item) => item.path === 'group');
    expect(group?.settings.options.map((o: { value: string }) => o.value)).toEqual(['', 'cpu', 'memory']);
  });

  it('edits every option of the panel, with the defaults of types.ts', () => {
    const items = editor([]);
    const paths = items.map((item) => item.path);
    for (const key of ['group', 'kpiField', 'mseField', 'xScale', 'bandwidth', 'cellSize', 'levels', 'palette']) {
      expect(paths).toContain(key);
      expect(items.find((item) => item.path === key)?.defaultValue).toEqual(defaultOptions[key as keyof Options]);
    }
    expect(paths).toEqual(
      expect.arrayContaining([
        'showPoints',
        'showThreshold',
        'legend.show',
        'tooltip.show',
        'xAxis.unit',
        'yAxis.label',
      ])
    );
  });

  it('suggests itself for the data source’s radiography frames', () => {
    expect(plugin.getSuggestions(getPanelDataSummary(radiographyFrames()))?.[0]?.name).toBe('Radiography');
  });
});
