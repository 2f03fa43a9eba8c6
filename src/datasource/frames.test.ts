import { FieldType } from '@grafana/data';

import type { GroupScore } from '../core/types';
import { characterizationFrame, featuresFrame, radiographyFrames, reconstructionFrames, withMeta } from './frames';

const score = (t: number, group: string, mse: number, features: Array<[string, number]> = []): GroupScore => ({
  t,
  group,
  mse,
  threshold: 1,
  anomalous: mse > 1,
  features: features.map(([name, p]) => ({ name, p })),
});

const scores: GroupScore[] = [
  score(0, 'cpu', 0.5),
  score(0, 'network', 0.2),
  score(30, 'cpu', 2, [
    ['a', 0.7],
    ['b', 0.25],
  ]),
  score(30, 'network', 0.3),
  score(60, 'cpu', 3, [['a', 0.9]]),
  score(60, 'network', 5, [['rx', 1]]),
  score(90, 'cpu', 0.4),
  score(90, 'network', 0.1),
];

describe('reconstructionFrames', () => {
  it('gives each group a frame of time in ms, MSE, threshold and 0/1 anomalous', () => {
    const frames = reconstructionFrames(scores, 'A');
    expect(frames.map((f) => f.name)).toEqual(['cpu', 'network']);
    const cpu = frames[0];
    expect(cpu.refId).toBe('A');
    expect(cpu.fields.map((f) => [f.name, f.type])).toEqual([
      ['time', FieldType.time],
      ['mse', FieldType.number],
      ['threshold', FieldType.number],
      ['anomalous', FieldType.number],
    ]);
    expect(cpu.fields[0].values).toEqual([0, 30000, 60000, 90000]);
    expect(cpu.fields[1].values).toEqual([0.5, 2, 3, 0.4]);
    expect(cpu.fields[3].values).toEqual([0, 1, 1, 0]);
  });

  it('draws the threshold dashed', () => {
    expect(reconstructionFrames(scores)[0].fields[2].config.custom.lineStyle.fill).toBe('dash');
  });
});

describe('featuresFrame', () => {
  it('has one row per contiguous anomalous interval and group, with mean shares', () => {
    const frame = featuresFrame(scores);
    const column = (name: string) => frame.fields.find((f) => f.name === name)!.values;
    expect(frame.length).toBe(2);
    expect(column('group')).toEqual(['cpu', 'network']);
    expect(column('start')).toEqual([30000, 60000]);
    expect(column('end')).toEqual([60000, 60000]);
    expect(column('samples')).toEqual([2, 1]);
    expect(column('peak MSE')).toEqual([3, 5]);
    // a: (0.7 + 0.9) / 2 = 0.8; b: (0.25 + 0) / 2 = 0.125
    expect(column('top share')[0]).toBeCloseTo(0.8, 12);
    expect(column('features')[0]).toBe('a (80%), b (13%)');
  });

  it('links each interval to a zoom of the dashboard on it', () => {
    const start = featuresFrame(scores).fields[0];
    expect(start.config.links?.[0].url).toContain('from=${__data.fields.start}&to=${__data.fields.end}');
  });
});

describe('characterizationFrame', () => {
  it('gives the share of anomalous samples of each group per feature set', () => {
    const frame = characterizationFrame(scores);
    const column = (name: string) => frame.fields.find((f) => f.name === name)!.values;
    expect(column('group')).toEqual(['cpu', 'cpu', 'network']);
    expect(column('share')).toEqual([0.5, 0.5, 1]);
    expect(column('features')).toEqual(['a', 'a, b', 'rx']);
  });
});

describe('radiographyFrames', () => {
  it('keeps only anomalous points that have a KPI value at their time', () => {
    const frames = radiographyFrames(scores, { t: [30, 60, 90], values: [4, NaN, 0], name: 'failed calls' });
    const cpu = frames.find((f) => f.name === 'cpu')!;
    expect(cpu.fields.find((f) => f.name === 'mse')!.values).toEqual([2]);
    expect(cpu.fields.find((f) => f.name === 'kpi')!.values).toEqual([4]);
    expect(frames.find((f) => f.name === 'network')!.length).toBe(0);
  });
});

describe('withMeta', () => {
  const meta = { notices: [{ severity: 'info' as const, text: 'scored on WebGL' }] };

  it('puts the notices on the first frame only, where panels show them once', () => {
    const frames = withMeta(reconstructionFrames(scores, 'A'), meta, 'A');
    expect(frames.map((f) => f.meta?.notices)).toEqual([meta.notices, undefined]);
  });

  it('carries them on an empty frame when there is no data', () => {
    const [frame] = withMeta([], meta, 'A');
    expect(frame).toMatchObject({ refId: 'A', length: 0, meta });
  });
});
