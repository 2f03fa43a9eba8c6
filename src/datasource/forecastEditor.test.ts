import { forecastProblem, seriesOptions } from './forecastEditor';
import { manifest } from './testing/fixtures';

describe('seriesOptions', () => {
  it("offers the models' features once each, with a typed query that is not one of them first", () => {
    const cpu = manifest({ group: 'cpu', features: [{ name: 'cpu_total', kind: 'counter', min: 0, max: 1 }] });
    const again = manifest({ group: 'all', features: [{ name: 'cpu_total', kind: 'counter', min: 0, max: 1 }] });
    expect(seriesOptions([cpu, again], 'sum(x)')).toEqual([
      { value: 'sum(x)', label: 'sum(x)', description: 'PromQL' },
      { value: 'cpu_total', label: 'cpu_total', description: 'cpu, counter' },
    ]);
    expect(seriesOptions(undefined, 'cpu_total')).toHaveLength(1);
  });
});

describe('forecastProblem', () => {
  it('accepts the defaults', () => {
    expect(forecastProblem({})).toBeUndefined();
  });

  it('says that the training size must exceed every window, as the query would', () => {
    expect(forecastProblem({ windows: '60,360', train: 360 })).toBe(
      'the training size st = 360 must be larger than every window w (st > w), but w = 360: raise the training size or lower the window'
    );
  });

  it('rejects windows that are not numbers and a k that is not positive', () => {
    expect(forecastProblem({ windows: 'abc' })).toMatch(/^windows must be whole numbers/);
    expect(forecastProblem({ k: -1 })).toBe('the threshold coefficient k must be a positive number, got -1');
  });
});
