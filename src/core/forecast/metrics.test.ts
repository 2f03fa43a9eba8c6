import { forecastScores } from './metrics';

describe('forecastScores', () => {
  it('computes MSE, RMSE and MAPE by hand', () => {
    // errors 1, -2, 2: MSE = 9 / 3 = 3; MAPE = (1/2 + 2/4 + 2/8) / 3 * 100 = 41.666...
    const s = forecastScores([2, 4, 8], [1, 6, 6]);
    expect(s.mse).toBe(3);
    expect(s.rmse).toBeCloseTo(Math.sqrt(3), 12);
    expect(s.mape).toBeCloseTo(125 / 3, 10);
    expect(s.points).toBe(3);
    expect(s.mapeExcluded).toBe(0);
  });

  it('leaves zeros out of MAPE (no percentage of zero) and counts them', () => {
    const s = forecastScores([0, 4, 0], [1, 5, 2]);
    expect(s.mape).toBe(25);
    expect(s.mapeExcluded).toBe(2);
    expect(s.mse).toBe(2);
  });

  it('says MAPE is undefined (NaN) when every actual value is zero', () => {
    expect(forecastScores([0, 0], [1, 2]).mape).toBeNaN();
  });

  it('skips points where the value or the prediction is missing', () => {
    const s = forecastScores([1, NaN, 3, 4], [1, 2, NaN, 6]);
    expect(s.points).toBe(2);
    expect(s.mse).toBe(2);
  });
});
