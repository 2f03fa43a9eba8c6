/** The radiography panel plugin: wiring only (options editor, migrations, suggestions). */
import { FieldConfigProperty, FieldType, PanelPlugin } from '@grafana/data';

import { prepareRadiographyData } from './fields';
import { radiographyChangedHandler, radiographyMigrationHandler } from './migrations';
import { palettes } from './palettes';
import { RadiographyPanel } from './RadiographyPanel';
import { radiographySuggestionsSupplier } from './suggestions';
import { defaultOptions, type Options } from './types';

const numeric = { filter: (f: { type: FieldType }) => f.type === FieldType.number, placeholderText: 'Auto' };

export const plugin = new PanelPlugin<Options>(RadiographyPanel)
  // Axes carry their own unit options; Grafana's standard field options (thresholds, colours, ...) do not apply.
  .useFieldConfig({ disableStandardOptions: Object.values(FieldConfigProperty) })
  .setMigrationHandler(radiographyMigrationHandler)
  .setPanelChangeHandler(radiographyChangedHandler)
  .setPanelOptions((builder, context) => {
    const groups = prepareRadiographyData(context.data ?? [], defaultOptions).groups.map((g) => g.name);
    let category = ['Data'];
    builder
      .addSelect({
        path: 'group',
        name: 'Group',
        description: 'One resource group, or all of them as small multiples (each with its own error axis)',
        category,
        defaultValue: defaultOptions.group,
        settings: {
          allowCustomValue: true,
          options: [{ value: '', label: 'All groups' }, ...groups.map((g) => ({ value: g, label: g }))],
        },
      })
      .addFieldNamePicker({
        path: 'kpiField',
        name: 'KPI field',
        description: 'Service KPI on the y axis (default: a field named "kpi", else the second numeric field)',
        category,
        defaultValue: defaultOptions.kpiField,
        settings: numeric,
      })
      .addFieldNamePicker({
        path: 'mseField',
        name: 'Error field',
        description:
          'Reconstruction error MSE on the x axis (default: a field named "mse", else the first numeric field)',
        category,
        defaultValue: defaultOptions.mseField,
        settings: numeric,
      });

    category = ['Density'];
    builder
      .addRadio({
        path: 'xScale',
        name: 'Error axis',
        category,
        defaultValue: defaultOptions.xScale,
        settings: {
          options: [
            { value: 'linear', label: 'Linear' },
            { value: 'log', label: 'Log' },
          ],
        },
      })
      .addSliderInput({
        path: 'bandwidth',
        name: 'Bandwidth (px)',
        description: 'Standard deviation of the Gaussian kernel, in pixels',
        category,
        defaultValue: defaultOptions.bandwidth,
        settings: { min: 2, max: 80, step: 1 },
      })
      .addSliderInput({
        path: 'cellSize',
        name: 'Cell size (px)',
        description: 'Resolution of the density grid; rounded down to a power of two',
        category,
        defaultValue: defaultOptions.cellSize,
        settings: { min: 1, max: 16, step: 1 },
      })
      .addSliderInput({
        path: 'levels',
        name: 'Levels',
        description: 'Filled contours, evenly spaced between zero and each group’s peak density',
        category,
        defaultValue: defaultOptions.levels,
        settings: { min: 2, max: 30, step: 1 },
      })
      .addSelect({
        path: 'palette',
        name: 'Palette',
        category,
        defaultValue: defaultOptions.palette,
        settings: { options: palettes },
      });

    category = ['Overlays'];
    builder
      .addBooleanSwitch({
        path: 'showPoints',
        name: 'Show points',
        category,
        defaultValue: defaultOptions.showPoints,
      })
      .addBooleanSwitch({
        path: 'showThreshold',
        name: 'Show threshold',
        description: 'Marks the group’s threshold (from a "threshold" field) on the error axis',
        category,
        defaultValue: defaultOptions.showThreshold,
      });

    for (const [key, label] of [
      ['xAxis', 'Error axis'],
      ['yAxis', 'KPI axis'],
    ] as const) {
      category = [label];
      builder
        .addTextInput({ path: `${key}.label`, name: 'Label', category, settings: { placeholder: 'Field name' } })
        .addUnitPicker({ path: `${key}.unit`, name: 'Unit', category, settings: { isClearable: true } })
        .addNumberInput({ path: `${key}.decimals`, name: 'Decimals', category, settings: { placeholder: 'Auto' } });
    }

    builder
      .addBooleanSwitch({
        path: 'legend.show',
        name: 'Show legend',
        category: ['Legend'],
        defaultValue: defaultOptions.legend.show,
      })
      .addBooleanSwitch({
        path: 'tooltip.show',
        name: 'Show tooltip',
        category: ['Tooltip'],
        defaultValue: defaultOptions.tooltip.show,
      });
  })
  .setSuggestionsSupplier(radiographySuggestionsSupplier);
