import { pearson, ranks, spearman } from './stats';

describe('ranks', () => {
  it('gives tied values their mean rank', () => {
    expect(Array.from(ranks([10, 20, 20, 5]))).toEqual([2, 3.5, 3.5, 1]);
  });
});

describe('spearman', () => {
  it('is 1 for any increasing relation, however non-linear', () => {
    expect(spearman([1, 2, 3, 4, 5], [1, 8, 27, 64, 1000])).toBeCloseTo(1, 12);
  });

  it('is -1 for a decreasing relation', () => {
    expect(spearman([1, 2, 3], [9, 4, 1])).toBeCloseTo(-1, 12);
  });

  it('matches the hand-computed value with a tie', () => {
    // ranks a = [1, 2, 3, 4], ranks b = [1, 2.5, 2.5, 4]: Pearson of the ranks = 4.5 / sqrt(5 * 4.5)
    expect(spearman([1, 2, 3, 4], [1, 5, 5, 9])).toBeCloseTo(4.5 / Math.sqrt(5 * 4.5), 12);
  });

  it('is NaN when a side is constant', () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
  });
});
