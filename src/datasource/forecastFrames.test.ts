import { FieldType } from '@grafana/data';

import type { ForecastPoint, ForecastResult } from '../core/forecast';
import { forecastFrames, forecastMeta } from './forecastFrames';

const point = (t: number, value: number, predicted: number, threshold: number): ForecastPoint => {
  const error = Math.abs(value - predicted);
  return { t, value, predicted, error, threshold, exceeds: error > threshold };
};

const result: ForecastResult = {
  stepSeconds: 30,
  train: 80,
  warnings: ['2 repeated timestamps: kept the last value of each'],
  dropped: [{ name: 'flat', reason: 'constant over the training part' }],
  features: [
    {
      feature: 'calls',
      windows: [
        {
          window: 40,
          step: 40,
          family: 'arima',
          selection: [{ family: 'arima', model: 'ARIMA(1,0,0)', scores: null, selected: true }],
          points: [
            point(0, 10, 10.5, 1),
            point(30, 20, 11, 2),
            point(60, 18, 12, 2),
            point(90, NaN, 12, 2),
            point(120, 11, 11, 1),
          ],
          episodes: [],
        } as unknown as ForecastResult['features'][0]['windows'][0],
      ],
      combined: { rule: 'confirm', episodes: [{ start: 30, end: 60, peakError: 9, points: 2 }] },
    },
  ],
};

describe('forecastFrames', () => {
  const [frame] = forecastFrames(result, 'A');
  const field = (name: string) => frame.fields.find((f) => f.name === name)!;

  it('gives each series a frame of time in ms, value, prediction, band, anomalous state and onsets', () => {
    expect(frame.name).toBe('calls');
    expect(frame.refId).toBe('A');
    expect(frame.fields.map((f) => [f.name, f.type])).toEqual([
      ['time', FieldType.time],
      ['value', FieldType.number],
      ['predicted', FieldType.number],
      ['lower', FieldType.number],
      ['upper', FieldType.number],
      ['anomalous', FieldType.number],
      ['onset', FieldType.number],
    ]);
    expect(field('time').values).toEqual([0, 30_000, 60_000, 90_000, 120_000]);
    expect(field('value').values).toEqual([10, 20, 18, null, 11]);
    expect(field('lower').values).toEqual([9.5, 9, 10, 10, 10]);
    expect(field('upper').values).toEqual([11.5, 13, 14, 14, 12]);
    expect(field('anomalous').values).toEqual([0, 1, 1, 0, 0]);
    expect(field('onset').values).toEqual([null, 20, null, null, null]);
  });

  it('fills the band between its edges and keeps the state out of the plot but in the tooltip', () => {
    expect(field('upper').config.custom.fillBelowTo).toBe(field('lower').config.displayName);
    expect(field('anomalous').config.custom.hideFrom).toEqual({ viz: true, legend: false, tooltip: false });
    expect(field('onset').config.custom.drawStyle).toBe('points');
  });
});

describe('forecastMeta', () => {
  it('names the selected model of each window, the episodes, the warnings and what was not forecast', () => {
    const meta = forecastMeta(result, { leftOut: 0, timings: { prometheusMs: 120, forecastMs: 2500 } });
    expect(meta.notices?.map((n) => n.text)).toEqual([
      'calls: w = 40: ARIMA(1,0,0); 1 episode(s) (confirm); band and values of w = 40',
      'forecast at a 30 s step, trained on 80 points, in 2.50 s (Prometheus 0.12 s)',
      '2 repeated timestamps: kept the last value of each',
      'flat not forecast: constant over the training part',
    ]);
  });
});
