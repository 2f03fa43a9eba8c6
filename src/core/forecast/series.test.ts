import { regularize } from './series';

describe('regularize', () => {
  it('leaves a regular series as it is, without warnings', () => {
    const r = regularize([30, 60, 90], [[1, 2, 3]]);
    expect(Array.from(r.timestamps)).toEqual([30, 60, 90]);
    expect(Array.from(r.columns[0])).toEqual([1, 2, 3]);
    expect(r.stepSeconds).toBe(30);
    expect(r.warnings).toEqual([]);
  });

  it('sorts out-of-order rows and says where the first one was', () => {
    const r = regularize([30, 90, 60, 120], [[1, 3, 2, 4]]);
    expect(Array.from(r.columns[0])).toEqual([1, 2, 3, 4]);
    expect(r.warnings).toEqual([
      '1 timestamps were out of order (first at row 3, 1970-01-01T00:01:00.000Z): the rows were sorted by time',
    ]);
  });

  it('keeps the last value given for a repeated timestamp (a daylight-saving hour), per column', () => {
    // The repeat of 60 brings a new value for the first column and an empty cell for the second.
    const r = regularize(
      [30, 60, 60, 90],
      [
        [1, 2, 5, 3],
        [10, 20, NaN, 30],
      ]
    );
    expect(Array.from(r.columns[0])).toEqual([1, 5, 3]);
    expect(Array.from(r.columns[1])).toEqual([10, 20, 30]);
    expect(r.warnings[0]).toMatch(/^1 repeated timestamps \(first 1970-01-01T00:01:00.000Z; .*daylight-saving/);
  });

  it('marks the steps of a gap missing and reports the longest gap', () => {
    const r = regularize([30, 60, 150, 180, 270], [[1, 2, 5, 6, 9]], { stepSeconds: 30 });
    expect(Array.from(r.timestamps)).toEqual([30, 60, 90, 120, 150, 180, 210, 240, 270]);
    expect(Array.from(r.columns[0])).toEqual([1, 2, NaN, NaN, 5, 6, NaN, NaN, 9]);
    expect(r.warnings).toEqual([
      '4 steps of 30 s had no sample, in 2 gaps (longest 2 steps from 1970-01-01T00:01:30.000Z): ' +
        'they are missing values, predicted through and not judged',
    ]);
  });

  it('puts irregular samples on the next multiple of the step, the later of two sharing a step winning', () => {
    const r = regularize([30, 62, 88, 121], [[1, 2, 3, 4]], { stepSeconds: 30 });
    expect(Array.from(r.timestamps)).toEqual([30, 60, 90, 120, 150]);
    // 62 and 88 both belong to the step ending at 90; 121 to the one ending at 150.
    expect(Array.from(r.columns[0])).toEqual([1, NaN, 3, NaN, 4]);
    expect(r.warnings).toContain(
      'irregular sampling: 3 samples are not on multiples of the 30 s step; each step took the last sample of the step ending there'
    );
    expect(r.warnings).toContain('1 samples shared a step with a later sample, which was kept');
  });

  it('drops rows without a valid timestamp', () => {
    const r = regularize([30, NaN, 60], [[1, 2, 3]]);
    expect(Array.from(r.columns[0])).toEqual([1, 3]);
    expect(r.warnings).toEqual(['1 rows without a valid timestamp were dropped']);
  });
});
