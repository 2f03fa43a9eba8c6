import fixtures from './fixtures/statsmodels.json';
import { randomStream } from '../../sim/random';
import { simulateArima } from './simulate';
import { chooseDifferencing, chooseSeasonalDifferencing, detectSeason, kpss, seasonalStrength } from './unitroot';

interface KpssFixture {
  name: string;
  y: number[];
  lags: number;
  statistic: number;
  pValue: number;
}

describe('kpss', () => {
  it.each((fixtures as { kpss: KpssFixture[] }).kpss.map((f) => [f.name, f] as const))(
    '%s: same statistic (1e-9 relative), lag and p-value as statsmodels kpss(x, "c", nlags = trunc(3 sqrt(n) / 13))',
    (_, f) => {
      const result = kpss(f.y);
      expect(result.lags).toBe(f.lags);
      expect(Math.abs(result.statistic / f.statistic - 1)).toBeLessThan(1e-9);
      expect(result.pValue).toBeCloseTo(f.pValue, 9);
    }
  );

  it('computes the hand-worked statistic of a short series with lag 1', () => {
    // x = [1, 3, 2, 6]: e = [-2, 0, -1, 3], partial sums [-2, -2, -3, 0], eta = 17 / 16;
    // s = (14 + 2 * (0 + 0 - 3) * (1 - 1/2)) / 4 = 11 / 4; statistic = (17 / 16) / (11 / 4) = 17 / 44.
    expect(kpss([1, 3, 2, 6], 1).statistic).toBeCloseTo(17 / 44, 12);
  });
});

describe('chooseDifferencing', () => {
  it('leaves a stationary AR(1) alone, differences a random walk once and an I(2) series twice', () => {
    expect(chooseDifferencing(simulateArima(1000, { ar: [0.5] }, randomStream(21, 'forecast')))).toBe(0);
    expect(chooseDifferencing(simulateArima(1000, { d: 1 }, randomStream(22, 'forecast')))).toBe(1);
    expect(chooseDifferencing(simulateArima(1000, { d: 2 }, randomStream(23, 'forecast')))).toBe(2);
  });

  it('stops at the bound', () => {
    expect(chooseDifferencing(simulateArima(1000, { d: 2 }, randomStream(23, 'forecast')), 1)).toBe(1);
  });
});

describe('seasonality', () => {
  const normal = randomStream(24, 'forecast');
  const seasonal = Float64Array.from(
    { length: 960 },
    (_, i) => 10 * Math.sin((2 * Math.PI * i) / 24) + normal.normal()
  );
  const noise = Float64Array.from({ length: 960 }, () => normal.normal());

  it('measures a strong season near 1 and none near 0', () => {
    expect(seasonalStrength(seasonal, 24)).toBeGreaterThan(0.95);
    expect(seasonalStrength(noise, 24)).toBeLessThan(0.1);
    expect(chooseSeasonalDifferencing(seasonal, 24)).toBe(1);
    expect(chooseSeasonalDifferencing(noise, 24)).toBe(0);
  });

  it('finds the period of a daily cycle and none in a persistent aseasonal series', () => {
    expect(detectSeason(seasonal)).toBe(24);
    expect(detectSeason(simulateArima(960, { ar: [0.95] }, randomStream(25, 'forecast')))).toBeNull();
    expect(detectSeason(noise)).toBeNull();
  });

  it('finds a long period (a day at 5 minutes, 288 steps) within 3 lags, however flat its autocorrelation peak', () => {
    const random = randomStream(26, 'forecast');
    const day = Float64Array.from(
      { length: 2016 },
      (_, i) => Math.sin((2 * Math.PI * i) / 288 + 1) + 0.3 * random.normal()
    );
    expect(Math.abs(detectSeason(day)! - 288)).toBeLessThanOrEqual(3);
  });

  it('prefers the period to its multiples', () => {
    expect(detectSeason(seasonal, 100)).toBe(24);
  });
});
