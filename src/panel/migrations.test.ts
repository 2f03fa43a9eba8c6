import type { PanelModel } from '@grafana/data';

import { normalizeOptions, radiographyChangedHandler, radiographyMigrationHandler } from './migrations';
import { defaultOptions, type Options } from './types';

const fieldConfig = { defaults: {}, overrides: [] };
/** A saved panel; its options come from JSON, so they may hold anything. */
const panel = (options: object): PanelModel<Partial<Options>> => ({
  id: 1,
  type: 'syrroca-radiography-panel',
  options: options as Partial<Options>,
  fieldConfig,
});

describe('normalizeOptions', () => {
  it('gives a panel saved without options the defaults', () => {
    expect(normalizeOptions(undefined)).toEqual(defaultOptions);
    expect(normalizeOptions({})).toEqual(defaultOptions);
  });

  it('keeps options that are already valid', () => {
    const saved: Options = {
      ...defaultOptions,
      group: 'cpu',
      kpiField: 'failed calls',
      xScale: 'log',
      bandwidth: 12,
      cellSize: 2,
      levels: 6,
      palette: 'blues',
      showPoints: true,
      xAxis: { unit: 'short', decimals: 3, label: 'MSE' },
    };
    expect(normalizeOptions(saved)).toEqual(saved);
  });

  it('reads numbers and booleans written as strings in provisioned dashboards', () => {
    const o = normalizeOptions({ bandwidth: '15', levels: '7', showPoints: 'true', legend: { show: 'false' } });
    expect([o.bandwidth, o.levels, o.showPoints, o.legend.show]).toEqual([15, 7, true, false]);
  });

  it('brings values back into range and drops unknown names', () => {
    const o = normalizeOptions({ bandwidth: 0, cellSize: 0.2, levels: 500, palette: 'sepia', xScale: 'sqrt' });
    expect([o.bandwidth, o.cellSize, o.levels, o.palette, o.xScale]).toEqual([1, 1, 50, 'paper', 'linear']);
  });

  it('falls back to the default for an emptied number input', () => {
    expect(normalizeOptions({ bandwidth: '', levels: null }).bandwidth).toBe(defaultOptions.bandwidth);
  });
});

describe('radiographyMigrationHandler', () => {
  it('upgrades saved options to complete current ones', () => {
    expect(radiographyMigrationHandler(panel({ palette: 'reds', levels: '4' }))).toEqual({
      ...defaultOptions,
      palette: 'reds',
      levels: 4,
    });
  });
});

describe('radiographyChangedHandler', () => {
  it('carries a heatmap’s legend, tooltip and sequential scheme over', () => {
    const prev = { color: { scheme: 'Greys', steps: 64 }, legend: { show: false }, tooltip: { show: true } };
    const o = radiographyChangedHandler(panel({}), 'heatmap', prev, fieldConfig);
    expect(o).toEqual({ ...defaultOptions, palette: 'grays', levels: 50, legend: { show: false } });
  });

  it('keeps the paper palette for a heatmap scheme without a counterpart', () => {
    expect(
      radiographyChangedHandler(panel({}), 'heatmap', { color: { scheme: 'Spectral' } }, fieldConfig)
    ).toMatchObject({
      palette: 'paper',
    });
  });

  it('starts from the defaults when switching from another panel', () => {
    expect(radiographyChangedHandler(panel({}), 'timeseries', { legend: { show: false } }, fieldConfig)).toEqual({});
  });
});
