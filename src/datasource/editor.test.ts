import { LoadingState, createDataFrame, dateTime, type PanelData } from '@grafana/data';

import { fitHints, groupOptions, modelExpectations } from './editor';
import { manifest } from './testing/fixtures';

const cpu = manifest({ group: 'cpu' });
const memory = manifest({ group: 'memory', stepSeconds: 60, window: 5 });

const panelData = (patch: Partial<PanelData>): PanelData => ({
  state: LoadingState.Done,
  series: [],
  timeRange: { from: dateTime(0), to: dateTime(1), raw: { from: 'now-1h', to: 'now' } },
  ...patch,
});

describe('groupOptions', () => {
  it("offers the models' groups with their shape, then the dashboard's variables", () => {
    expect(groupOptions([cpu], ['group'])).toEqual([
      { value: 'cpu', label: 'cpu', description: '1 features, window 10 x 30 s' },
      { value: '$group', label: '$group', description: 'dashboard variable' },
    ]);
  });

  it('keeps a chosen group that the models no longer have, marked as such', () => {
    expect(groupOptions([cpu], [], ['disk']).pop()).toEqual({
      value: 'disk',
      label: 'disk',
      description: 'not among the models',
    });
  });
});

describe('modelExpectations', () => {
  it('states the step and window the models read, grouped by shape', () => {
    expect(modelExpectations([cpu, memory])?.text).toBe(
      'cpu: a step of 30 s and windows of 10 steps (5 min of history); memory: a step of 60 s and windows of 5 steps (5 min of history)'
    );
  });
});

describe('fitHints', () => {
  it("explains a features mismatch of this query's last run", () => {
    const data = panelData({
      errors: [
        { refId: 'A', message: 'models/cpu/: the data lacks 2 feature(s)', data: { error: 'artifact-mismatch' } },
        { refId: 'B', message: 'other query', data: { error: 'artifact-mismatch' } },
      ],
    });
    const hints = fitHints(data, 'A');
    expect(hints).toHaveLength(1);
    expect(hints[0].severity).toBe('error');
    expect(hints[0].text).toMatch(/features do not fit the data.*namespace.*Allow extra features/);
  });

  it('warns when the data changes more slowly than the models read it', () => {
    const frame = createDataFrame({
      refId: 'A',
      fields: [],
      meta: { custom: { syrroca: { dataStep: 60, step: 30 } } },
    });
    expect(fitHints(panelData({ series: [frame] }), 'A')).toEqual([
      {
        severity: 'warning',
        text:
          "The data changes every ~60 s, the models' step is 30 s: the models do not fit this Prometheus' scrape interval. " +
          'Train at 60 s (syrroca train --step 60) or scrape faster.',
      },
    ]);
  });

  it('has nothing to say before the first run', () => {
    expect(fitHints(undefined, 'A')).toEqual([]);
  });
});
