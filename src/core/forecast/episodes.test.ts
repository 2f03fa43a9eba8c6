import { anomalousRuns, combineEpisodes, findEpisodes } from './episodes';

const f = (s: string) => Array.from(s, (c) => c === 'x');
const t = Array.from({ length: 20 }, (_, i) => 1000 + 30 * i);

describe('anomalousRuns', () => {
  it('cuts at every normal point with mergeGap 0', () => {
    expect(anomalousRuns(f('.xx.x...x'), 0)).toEqual([
      [1, 2],
      [4, 4],
      [8, 8],
    ]);
  });

  it('bridges up to mergeGap normal points', () => {
    expect(anomalousRuns(f('.xx.x...x'), 1)).toEqual([
      [1, 4],
      [8, 8],
    ]);
    expect(anomalousRuns(f('.xx.x...x'), 3)).toEqual([[1, 8]]);
  });
});

describe('findEpisodes', () => {
  it('reports the onset, the last anomalous point, the peak error and the count', () => {
    const errors = [0, 5, 7, 1, 6, 0, 0, 0, 9];
    expect(findEpisodes(t, f('.xx.x...x'), errors, 1)).toEqual([
      { start: 1030, end: 1120, peakError: 7, points: 3 },
      { start: 1240, end: 1240, peakError: 9, points: 1 },
    ]);
  });
});

describe('combineEpisodes', () => {
  const small = f('.xx.....x...');
  const large = f('..xxx.......');
  const errors = [Array.from({ length: 12 }, (_, i) => i), Array.from({ length: 12 }, (_, i) => 100 + i)];

  it('any: the union of the windows', () => {
    expect(combineEpisodes(t, [small, large], errors, 'any', 0).map((e) => [e.start, e.end, e.points])).toEqual([
      [1030, 1120, 4],
      [1240, 1240, 1],
    ]);
  });

  it('all: only where every window flags the same point', () => {
    expect(combineEpisodes(t, [small, large], errors, 'all', 0).map((e) => [e.start, e.end])).toEqual([[1060, 1060]]);
  });

  it('confirm: an episode of the union from the point every window has flagged, unconfirmed ones dropped', () => {
    // Union run [1, 4]: the small window flags at 1, the large at 2, so it is confirmed at index 2.
    // The small window's lone point 8 is never confirmed by the large one.
    expect(combineEpisodes(t, [small, large], errors, 'confirm', 0)).toEqual([
      { start: 1060, end: 1120, peakError: 104, points: 3 },
    ]);
  });

  it("is the window's own episodes when there is one window", () => {
    expect(combineEpisodes(t, [small], [errors[0]], 'confirm', 0)).toEqual(findEpisodes(t, small, errors[0], 0));
  });
});
