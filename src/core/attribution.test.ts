import fc from 'fast-check';

import { anomalousIntervals, characterize, coverSet, featureShares } from './attribution';
import type { GroupScore } from './types';

describe('featureShares', () => {
  it('divides each squared error by their sum', () => {
    expect(Array.from(featureShares([1, 3, 0, 4]))).toEqual([0.125, 0.375, 0, 0.5]);
  });

  it('gives every feature a zero share when there is no error at all', () => {
    expect(Array.from(featureShares(Float64Array.from([0, 0, 0])))).toEqual([0, 0, 0]);
  });

  it('gives shares that sum to 1 whenever there is some error', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }), (errors) => {
        fc.pre(errors.some((e) => e > 0));
        const sum = featureShares(errors).reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(1, 12);
      })
    );
  });
});

describe('coverSet', () => {
  it('takes features by decreasing share until they explain 90%', () => {
    expect(coverSet([0.1, 0.5, 0.4])).toEqual([1, 2]);
    expect(coverSet([0.05, 0.2, 0.3, 0.45])).toEqual([3, 2, 1]);
  });

  it('is a single feature when one dominates', () => {
    expect(coverSet([0.02, 0.95, 0.03])).toEqual([1]);
  });

  it('breaks ties by the lower index', () => {
    expect(coverSet([0.05, 0.3, 0.3, 0.3, 0.05], 0.6)).toEqual([1, 2]);
    expect(coverSet([0.25, 0.25, 0.25, 0.25], 0.5)).toEqual([0, 1]);
  });

  it('stops at exactly 90%, even when the sum rounds to just below it', () => {
    // 0.6 + 0.3 = 0.8999999999999999 in doubles; 0.3 + 0.3 + 0.3 too.
    expect(0.6 + 0.3).toBeLessThan(0.9);
    expect(coverSet([0.6, 0.3, 0.1])).toEqual([0, 1]);
    expect(coverSet([0.3, 0.3, 0.3, 0.1])).toEqual([0, 1, 2]);
    // Float32 shares: 0.45f + 0.45f = 0.89999998.
    expect(coverSet(Float32Array.from([0.45, 0.45, 0.1]))).toEqual([0, 1]);
  });

  it('takes one more feature when the shares fall really short of 90%', () => {
    expect(coverSet([0.5, 0.3999, 0.1001])).toEqual([0, 1, 2]);
  });

  it('is empty when there is no error', () => {
    expect(coverSet([0, 0, 0])).toEqual([]);
  });

  it('leaves out features with a zero share, even if the coverage is never reached', () => {
    expect(coverSet([0.5, 0, 0.4999999], 1)).toEqual([0, 2]);
  });
});

describe('characterize', () => {
  it('gives the share of samples whose cover set equals each distinct set, largest first', () => {
    const result = characterize([['a', 'b'], ['b', 'a'], ['c'], ['a', 'b'], ['c'], ['d']]);
    expect(result).toEqual([
      { features: ['a', 'b'], share: 0.5, count: 3 },
      { features: ['c'], share: 2 / 6, count: 2 },
      { features: ['d'], share: 1 / 6, count: 1 },
    ]);
  });

  it('orders sets with the same share by their sorted names', () => {
    expect(characterize([['b'], ['a', 'c'], ['a']]).map((c) => c.features)).toEqual([['a'], ['a', 'c'], ['b']]);
  });

  it('keeps samples without a culprit as the empty set', () => {
    expect(characterize([[], ['a']])).toEqual([
      { features: [], share: 0.5, count: 1 },
      { features: ['a'], share: 0.5, count: 1 },
    ]);
  });

  it('is empty for no samples', () => {
    expect(characterize([])).toEqual([]);
  });
});

describe('anomalousIntervals', () => {
  const score = (group: string, t: number, mse: number, anomalous: boolean, features: GroupScore['features'] = []) => ({
    t,
    group,
    mse,
    threshold: 1,
    anomalous,
    features,
  });
  const scores: GroupScore[] = [
    score('cpu', 0, 0.5, false),
    score('cpu', 30, 2, true, [
      { name: 'a', p: 0.6 },
      { name: 'b', p: 0.35 },
    ]),
    score('memory', 30, 4, true, [{ name: 'm', p: 0.9 }]),
    score('cpu', 60, 5, true, [{ name: 'a', p: 0.95 }]),
    score('cpu', 90, 0.7, false),
    score('cpu', 120, 3, true, [{ name: 'c', p: 1 }]),
  ];

  it('finds runs of consecutive anomalous steps per group, with peak and mean feature shares', () => {
    expect(anomalousIntervals(scores)).toEqual([
      {
        group: 'cpu',
        start: 30,
        end: 60,
        peakMse: 5,
        peakT: 60,
        samples: 2,
        // a: (0.6 + 0.95) / 2; b: (0.35 + 0) / 2, absent from F_t at t = 60.
        features: [
          { name: 'a', p: expect.closeTo(0.775, 12) },
          { name: 'b', p: 0.175 },
        ],
      },
      { group: 'memory', start: 30, end: 30, peakMse: 4, peakT: 30, samples: 1, features: [{ name: 'm', p: 0.9 }] },
      { group: 'cpu', start: 120, end: 120, peakMse: 3, peakT: 120, samples: 1, features: [{ name: 'c', p: 1 }] },
    ]);
  });

  it('can report the cover set at the peak instead', () => {
    expect(anomalousIntervals(scores, { features: 'peak' })[0].features).toEqual([{ name: 'a', p: 0.95 }]);
  });

  it('joins consecutive scored steps across unscored time unless the gap exceeds maxGapSeconds', () => {
    const gappy = [score('cpu', 30, 2, true), score('cpu', 60, 3, true), score('cpu', 150, 2.5, true)];
    expect(anomalousIntervals(gappy).map((i) => [i.start, i.end, i.samples])).toEqual([[30, 150, 3]]);
    expect(anomalousIntervals(gappy, { maxGapSeconds: 30 }).map((i) => [i.start, i.end, i.samples])).toEqual([
      [30, 60, 2],
      [150, 150, 1],
    ]);
  });

  it('takes the first of equal peaks and orders scores of a group by time', () => {
    const shuffled = [score('cpu', 90, 4, true), score('cpu', 30, 4, true), score('cpu', 60, 1, true)];
    const [interval] = anomalousIntervals(shuffled);
    expect([interval.start, interval.end, interval.peakT]).toEqual([30, 90, 30]);
  });

  it('finds nothing when nothing is anomalous', () => {
    expect(anomalousIntervals([score('cpu', 0, 0.1, false)])).toEqual([]);
  });
});
