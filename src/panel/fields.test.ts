import { createDataFrame, createTheme, FieldType, type DataFrame } from '@grafana/data';

import { axisFormatter, NO_KPI, NO_MSE, NO_POINTS, prepareRadiographyData } from './fields';

const auto = { group: '', mseField: '', kpiField: '' };

/** A frame shaped like the data source's radiography query. */
function radiographyFrame(): DataFrame {
  return createDataFrame({
    refId: 'A',
    fields: [
      { name: 'time', type: FieldType.time, values: [1, 2, 3, 4, 5, 6] },
      { name: 'group', type: FieldType.string, values: ['cpu', 'cpu', 'memory', 'cpu', 'memory', 'memory'] },
      { name: 'kpi', type: FieldType.number, values: [10, 20, 30, 40, 50, 60] },
      { name: 'mse', type: FieldType.number, values: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6] },
      { name: 'threshold', type: FieldType.number, values: [0.05, 0.06, 0.2, 0.07, null, 0.25] },
      { name: 'anomalous', type: FieldType.boolean, values: [true, false, true, true, true, false] },
    ],
  });
}

describe('prepareRadiographyData', () => {
  it('keeps the anomalous points of each group with the group’s last threshold', () => {
    const data = prepareRadiographyData([radiographyFrame()], auto);
    expect(data.empty).toBeUndefined();
    expect(data.groups.map((g) => g.name)).toEqual(['cpu', 'memory']);
    const [cpu, memory] = data.groups;
    expect(Array.from(cpu.mse)).toEqual([0.1, 0.4]);
    expect(Array.from(cpu.kpi)).toEqual([10, 40]);
    expect(cpu.threshold).toBe(0.07);
    expect(cpu.rows).toBe(3);
    expect(Array.from(memory.mse)).toEqual([0.3, 0.5]);
    expect(Array.from(memory.kpi)).toEqual([30, 50]);
    // The last finite threshold, also from a row that is not anomalous.
    expect(memory.threshold).toBe(0.25);
  });

  it('takes the first two numeric fields as MSE and KPI when neither is named by convention', () => {
    const frame = createDataFrame({
      name: 'network',
      fields: [
        { name: 'timestamp', type: FieldType.number, values: [1, 2] },
        { name: 'anomalous', type: FieldType.number, values: [1, 0] },
        { name: 'reconstruction error', type: FieldType.number, values: [3, 4] },
        { name: 'label', type: FieldType.string, values: ['a', 'b'] },
        { name: 'failed calls', type: FieldType.number, values: [7, 8] },
        { name: 'latency', type: FieldType.number, values: [9, 9] },
      ],
    });
    const data = prepareRadiographyData([frame], auto);
    expect(data.groups).toEqual([
      {
        name: 'network',
        mse: Float64Array.from([3]),
        kpi: Float64Array.from([7]),
        mseName: 'reconstruction error',
        kpiName: 'failed calls',
        rows: 2,
      },
    ]);
  });

  it('uses the KPI and MSE fields named in the options, by name or display name', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'mse', type: FieldType.number, values: [1, 2] },
        { name: 'kpi', type: FieldType.number, values: [3, 4] },
        { name: 'x', type: FieldType.number, values: [5, 6], config: { displayName: 'Rejected calls' } },
      ],
    });
    const data = prepareRadiographyData([frame], { ...auto, kpiField: 'rejected calls' });
    expect(data.groups[0].kpiName).toBe('Rejected calls');
    expect(Array.from(data.groups[0].kpi)).toEqual([5, 6]);
    const swapped = prepareRadiographyData([frame], { ...auto, mseField: 'kpi', kpiField: 'mse' });
    expect(Array.from(swapped.groups[0].mse)).toEqual([3, 4]);
  });

  it('says there is no KPI field when a frame has a single numeric field', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1] },
        { name: 'mse', type: FieldType.number, values: [1] },
      ],
    });
    const data = prepareRadiographyData([frame], auto);
    expect(data.groups).toEqual([]);
    expect(data.empty?.title).toBe(NO_KPI);
    expect(data.empty?.detail).toContain('two numeric fields');
    expect(data.empty?.detail).toContain('"mse"');
  });

  it('says which KPI field it did not find when the option names a missing one', () => {
    const data = prepareRadiographyData([radiographyFrame()], { ...auto, kpiField: 'dropped calls' });
    expect(data.empty?.title).toBe(NO_KPI);
    expect(data.empty?.detail).toContain('No numeric field named "dropped calls"');
    expect(data.empty?.detail).toContain('"kpi"');
  });

  it('says which MSE field it did not find when the option names a missing one', () => {
    const data = prepareRadiographyData([radiographyFrame()], { ...auto, mseField: 'error' });
    expect(data.empty?.title).toBe(NO_MSE);
  });

  it('says there are no anomalous points when no sample crossed its threshold', () => {
    const frame = radiographyFrame();
    frame.fields[5].values = frame.fields[5].values.map(() => false);
    const data = prepareRadiographyData([frame], auto);
    expect(data.groups).toHaveLength(2);
    expect(data.empty).toEqual({ title: NO_POINTS, detail: 'None of the 6 samples is anomalous.' });
  });

  it('says there are no anomalous points when the query returned no rows', () => {
    const frame = createDataFrame({ fields: [{ name: 'mse', type: FieldType.number, values: [] }] });
    expect(prepareRadiographyData([frame], auto).empty?.title).toBe(NO_POINTS);
    expect(prepareRadiographyData([], auto).empty?.title).toBe(NO_POINTS);
  });

  it('groups by frame name, then refId, merging frames of the same group', () => {
    const frame = (name: string | undefined, refId: string, x: number) =>
      createDataFrame({
        name,
        refId,
        fields: [
          { name: 'mse', type: FieldType.number, values: [x] },
          { name: 'kpi', type: FieldType.number, values: [x * 10] },
        ],
      });
    const data = prepareRadiographyData([frame('cpu', 'A', 1), frame(undefined, 'B', 2), frame('cpu', 'C', 3)], auto);
    expect(data.groups.map((g) => [g.name, Array.from(g.mse)])).toEqual([
      ['cpu', [1, 3]],
      ['B', [2]],
    ]);
  });

  it('reads one frame per group as the data source returns them, names included, empty groups kept', () => {
    const frame = (group: string, mse: number[]) =>
      createDataFrame({
        name: group,
        fields: [
          { name: 'time', type: FieldType.time, values: mse.map((_, i) => i) },
          { name: 'mse', type: FieldType.number, values: mse, config: { displayName: `MSE ${group}` } },
          { name: 'kpi', type: FieldType.number, values: mse.map(() => 5), config: { displayName: 'failed calls' } },
          { name: 'anomalous', type: FieldType.boolean, values: mse.map(() => true) },
          { name: 'threshold', type: FieldType.number, values: mse.map(() => 0.5) },
          { name: 'group', type: FieldType.string, values: mse.map(() => group) },
        ],
      });
    const data = prepareRadiographyData([frame('cpu', [1, 2]), frame('network', []), frame('memory', [3])], auto);
    expect(data.groups.map((g) => [g.name, g.mseName, g.kpiName, g.mse.length])).toEqual([
      ['cpu', 'MSE cpu', 'failed calls', 2],
      ['network', 'MSE network', 'failed calls', 0],
      ['memory', 'MSE memory', 'failed calls', 1],
    ]);
    expect(data.empty).toBeUndefined();
  });

  it('groups Prometheus-style frames by the group label of the MSE field', () => {
    const frame = createDataFrame({
      refId: 'A',
      fields: [
        { name: 'syrroca_reconstruction_error', type: FieldType.number, values: [1], labels: { group: 'filesystem' } },
        { name: 'failed', type: FieldType.number, values: [2] },
      ],
    });
    expect(prepareRadiographyData([frame], auto).groups[0].name).toBe('filesystem');
  });

  it('draws only the group chosen in the options, and names the groups there are when it is absent', () => {
    const one = prepareRadiographyData([radiographyFrame()], { ...auto, group: 'memory' });
    expect(one.groups.map((g) => g.name)).toEqual(['memory']);
    const none = prepareRadiographyData([radiographyFrame()], { ...auto, group: 'disk' });
    expect(none.empty).toEqual({ title: NO_POINTS, detail: 'No group "disk" in the data. Groups: cpu, memory.' });
  });

  it('leaves out points with a missing MSE or KPI', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'mse', type: FieldType.number, values: [1, null, 3, NaN] },
        { name: 'kpi', type: FieldType.number, values: [1, 2, null, 4] },
      ],
    });
    const [g] = prepareRadiographyData([frame], auto).groups;
    expect(Array.from(g.mse)).toEqual([1]);
    expect(g.rows).toBe(4);
  });
});

describe('axisFormatter', () => {
  const theme = createTheme();
  const field = createDataFrame({
    fields: [{ name: 'kpi', type: FieldType.number, values: [1], config: { unit: 'percent' } }],
  }).fields[0];

  it('formats with the field’s own unit by default', () => {
    expect(axisFormatter(field, {}, theme)(42)).toBe('42%');
  });

  it('prefers the axis unit and decimals from the options', () => {
    expect(axisFormatter(field, { unit: 'ms', decimals: 1 }, theme)(1500)).toBe('1.5 s');
    expect(axisFormatter(undefined, { decimals: 2 }, theme)(0.12345)).toBe('0.12');
  });
});
