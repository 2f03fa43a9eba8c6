import fixtures from './fixtures/statsmodels.json';
import { randomStream } from '../../sim/random';
import { arimaOneStep, describeOrder, fitArima, minimumLength, selectArimaOrder } from './arima';
import { simulateArima } from './simulate';
import type { ArimaModel, ArimaOrder } from './types';

interface ArimaFixture {
  name: string;
  y: number[];
  split: number;
  order: number[];
  seasonalOrder: number[];
  paramNames: string[];
  params: number[];
  llf: number;
  aic: number;
  oneStep: number[];
}

const orderOf = (f: ArimaFixture): ArimaOrder => {
  const [p, d, q] = f.order;
  const [P, D, Q, s] = f.seasonalOrder;
  return { p, d, q, P, D, Q, s };
};

/** Our coefficients under statsmodels' parameter names (`const`, `ar.L1`, `ma.S.L12`, ...). */
function named(model: ArimaModel): Record<string, number> {
  const out: Record<string, number> = { const: model.mean, sigma2: model.sigma2 };
  model.ar.forEach((v, i) => (out[`ar.L${i + 1}`] = v));
  model.ma.forEach((v, i) => (out[`ma.L${i + 1}`] = v));
  model.seasonalAr.forEach((v, i) => (out[`ar.S.L${(i + 1) * model.order.s}`] = v));
  model.seasonalMa.forEach((v, i) => (out[`ma.S.L${(i + 1) * model.order.s}`] = v));
  return out;
}

const arimaFixtures = (fixtures as { arima: ArimaFixture[] }).arima;

describe('fitArima against statsmodels 0.13 ARIMA on the same series', () => {
  it.each(arimaFixtures.map((f) => [f.name, f] as const))(
    '%s: coefficients within 0.005, log-likelihood within 0.001, AIC within 0.002',
    (_, f) => {
      const y = Float64Array.from(f.y);
      const model = fitArima(y.subarray(0, f.split), orderOf(f));
      const ours = named(model);
      f.paramNames.forEach((name, i) => {
        // sigma2 is relative: the series have different scales.
        const tolerance = name === 'sigma2' ? 0.005 * f.params[i] : 0.005;
        expect(Math.abs(ours[name] - f.params[i])).toBeLessThan(tolerance);
      });
      expect(Math.abs(model.logLikelihood - f.llf)).toBeLessThan(1e-3);
      expect(Math.abs(model.aic - f.aic)).toBeLessThan(2e-3);
      expect(model.method).toBe('exact');
    }
  );

  it.each(arimaFixtures.map((f) => [f.name, f] as const))(
    '%s: one-step forecasts of the held-out data without refitting agree within 0.1% of the series spread',
    (_, f) => {
      const y = Float64Array.from(f.y);
      const model = fitArima(y.subarray(0, f.split), orderOf(f));
      const predicted = arimaOneStep(model, y, 0, f.split, y.length);
      let min = Infinity;
      let max = -Infinity;
      y.forEach((v) => {
        min = Math.min(min, v);
        max = Math.max(max, v);
      });
      f.oneStep.forEach((expected, i) => {
        expect(Math.abs(predicted[i] - expected)).toBeLessThan(1e-3 * (max - min));
      });
    }
  );

  it("finds the order of lowest AIC in statsmodels' table over p, q <= 2, and the same AIC for every order", () => {
    const table = (fixtures as { aicTable: { y: number[]; rows: Array<{ p: number; q: number; aic: number }> } })
      .aicTable;
    const y = Float64Array.from(table.y);
    for (const row of table.rows) {
      const model = fitArima(y, { p: row.p, d: 0, q: row.q, P: 0, D: 0, Q: 0, s: 0 });
      expect(Math.abs(model.aic - row.aic)).toBeLessThan(0.01);
    }
    const best = table.rows.reduce((a, b) => (b.aic < a.aic ? b : a));
    const exact = selectArimaOrder(y, { d: 0, maxP: 2, maxQ: 2, approximate: false });
    expect([exact.model.order.p, exact.model.order.q]).toEqual([best.p, best.q]);
    // The conditional-sum-of-squares search of long series lands on the same order here.
    const approximate = selectArimaOrder(y, { d: 0, maxP: 2, maxQ: 2, approximate: true });
    expect([approximate.model.order.p, approximate.model.order.q]).toEqual([best.p, best.q]);
    expect(approximate.model.method).toBe('exact');
  });
});

describe('fitArima on simulated processes', () => {
  // Tolerances are about 3.5 asymptotic standard errors, e.g. for ARMA(1,1) with n = 2000:
  // se(phi) = sqrt((1 - phi^2)(1 + phi theta)^2 / (phi + theta)^2 / n) = 0.023, se(theta) = 0.028.
  it('recovers phi = 0.6, theta = 0.3 and the mean of an ARMA(1,1) within 0.08', () => {
    const y = simulateArima(2000, { ar: [0.6], ma: [0.3], mean: 5 }, randomStream(1, 'forecast'));
    const model = fitArima(y, { p: 1, d: 0, q: 1, P: 0, D: 0, Q: 0, s: 0 });
    expect(Math.abs(model.ar[0] - 0.6)).toBeLessThan(0.08);
    expect(Math.abs(model.ma[0] - 0.3)).toBeLessThan(0.08);
    expect(Math.abs(model.mean - 5)).toBeLessThan(0.2);
    expect(Math.abs(model.sigma2 - 1)).toBeLessThan(0.1);
  });

  it('recovers an AR(2) and an MA(2) within 0.07', () => {
    const ar = fitArima(simulateArima(2000, { ar: [0.5, 0.3] }, randomStream(2, 'forecast')), {
      p: 2,
      d: 0,
      q: 0,
      P: 0,
      D: 0,
      Q: 0,
      s: 0,
    });
    expect(Math.abs(ar.ar[0] - 0.5)).toBeLessThan(0.07);
    expect(Math.abs(ar.ar[1] - 0.3)).toBeLessThan(0.07);
    const ma = fitArima(simulateArima(2000, { ma: [0.4, -0.3] }, randomStream(3, 'forecast')), {
      p: 0,
      d: 0,
      q: 2,
      P: 0,
      D: 0,
      Q: 0,
      s: 0,
    });
    expect(Math.abs(ma.ma[0] - 0.4)).toBeLessThan(0.07);
    expect(Math.abs(ma.ma[1] + 0.3)).toBeLessThan(0.07);
  });

  it('recovers an ARIMA(1,1,1) on the integrated series within 0.08', () => {
    const y = simulateArima(2000, { ar: [0.5], ma: [-0.3], d: 1 }, randomStream(4, 'forecast'));
    const model = fitArima(y, { p: 1, d: 1, q: 1, P: 0, D: 0, Q: 0, s: 0 });
    expect(Math.abs(model.ar[0] - 0.5)).toBeLessThan(0.08);
    expect(Math.abs(model.ma[0] + 0.3)).toBeLessThan(0.08);
  });

  it('recovers a seasonal AR (phi = 0.5, Phi = 0.6, s = 12) within 0.06 by exact likelihood', () => {
    const y = simulateArima(1500, { ar: [0.5], seasonalAr: [0.6], s: 12 }, randomStream(5, 'forecast'));
    const model = fitArima(y, { p: 1, d: 0, q: 0, P: 1, D: 0, Q: 0, s: 12 });
    expect(model.family).toBe('sarima');
    expect(model.method).toBe('exact');
    expect(Math.abs(model.ar[0] - 0.5)).toBeLessThan(0.06);
    expect(Math.abs(model.seasonalAr[0] - 0.6)).toBeLessThan(0.06);
  });

  it('recovers the airline model (theta = -0.4, Theta = -0.6, s = 12, d = D = 1) within 0.08', () => {
    const y = simulateArima(1500, { ma: [-0.4], seasonalMa: [-0.6], s: 12, d: 1, D: 1 }, randomStream(6, 'forecast'));
    const model = fitArima(y, { p: 0, d: 1, q: 1, P: 0, D: 1, Q: 1, s: 12 });
    expect(Math.abs(model.ma[0] + 0.4)).toBeLessThan(0.08);
    expect(Math.abs(model.seasonalMa[0] + 0.6)).toBeLessThan(0.08);
  });

  it('fits a long season (s = 60) by conditional sum of squares and still recovers Phi = 0.7 within 0.08', () => {
    const y = simulateArima(3000, { ar: [0.3], seasonalAr: [0.7], s: 60 }, randomStream(7, 'forecast'));
    const model = fitArima(y, { p: 1, d: 0, q: 0, P: 1, D: 0, Q: 0, s: 60 });
    expect(model.method).toBe('css');
    expect(Math.abs(model.ar[0] - 0.3)).toBeLessThan(0.08);
    expect(Math.abs(model.seasonalAr[0] - 0.7)).toBeLessThan(0.08);
  });

  it('finds the seasonal and non-seasonal orders of a SARIMA(1,0,0)(1,0,0)[12] by stepwise AICc on the exact likelihood', () => {
    const y = simulateArima(1200, { ar: [0.5], seasonalAr: [0.6], s: 12 }, randomStream(8, 'forecast'));
    const { model, candidates } = selectArimaOrder(y, { d: 0, s: 12, D: 0, maxP: 2, maxQ: 2, approximate: false });
    expect(describeOrder(model.order)).toBe('SARIMA(1,0,0)(1,0,0)[12]');
    // Stepwise: fewer fits than the 9 x 3 seasonal grid, every one with a seasonal term.
    expect(candidates.length).toBeLessThan(27);
    expect(candidates.every((c) => c.order.P + c.order.Q > 0)).toBe(true);
  });
});

describe('arimaOneStep', () => {
  const ar1: ArimaModel = {
    family: 'arima',
    order: { p: 1, d: 0, q: 0, P: 0, D: 0, Q: 0, s: 0 },
    ar: [0.5],
    ma: [],
    seasonalAr: [],
    seasonalMa: [],
    mean: 10,
    sigma2: 1,
    logLikelihood: 0,
    aic: 0,
    aicc: 0,
    nobs: 0,
    method: 'exact',
    converged: true,
  };

  it('predicts mean + phi (previous - mean) with an AR(1)', () => {
    // 10 + 0.5 (12 - 10) = 11; 10 + 0.5 (8 - 10) = 9.
    expect(Array.from(arimaOneStep(ar1, [12, 8, 13], 0, 1, 3))).toEqual([11, 9]);
  });

  it('puts the prediction in place of a missing value and predicts on from it', () => {
    // t1 missing: predicted 11 stands in, so t2 is predicted 10 + 0.5 (11 - 10) = 10.5.
    expect(Array.from(arimaOneStep(ar1, [12, NaN, 13, 9], 0, 1, 4))).toEqual([11, 10.5, 11.5]);
  });

  it('predicts the previous value with a random walk, ARIMA(0,1,0)', () => {
    const walk: ArimaModel = { ...ar1, order: { ...ar1.order, p: 0, d: 1 }, ar: [], mean: 0 };
    expect(Array.from(arimaOneStep(walk, [1, 4, 2, 7], 0, 1, 4))).toEqual([1, 4, 2]);
  });

  it('predicts an exactly fitted MA(1) with the Kalman filter (the innovations algorithm by hand)', () => {
    // theta = 0.5, unit variance: v0 = 1 + theta^2 = 1.25, so the prediction after y1 = 3 is
    // (theta / v0) 3 = 1.2; v1 = 1.25 - 0.4^2 * 1.25 = 1.05, then (theta / v1)(1 - 1.2) = -0.0952381.
    const ma1: ArimaModel = { ...ar1, order: { ...ar1.order, p: 0, q: 1 }, ar: [], ma: [0.5], mean: 0 };
    const predicted = arimaOneStep(ma1, [3, 1, 0], 0, 0, 3);
    expect(predicted[0]).toBe(0);
    expect(predicted[1]).toBeCloseTo(1.2, 12);
    expect(predicted[2]).toBeCloseTo(-0.2 / 2.1, 12);
  });

  it('predicts a CSS-fitted MA(1) with the residual recursion, from a zero residual', () => {
    // e1 = 3, prediction 0.5 * 3 = 1.5, e2 = 1 - 1.5 = -0.5, prediction 0.5 * -0.5 = -0.25.
    const ma1: ArimaModel = { ...ar1, order: { ...ar1.order, p: 0, q: 1 }, ar: [], ma: [0.5], mean: 0, method: 'css' };
    expect(Array.from(arimaOneStep(ma1, [3, 1, 0], 0, 0, 3))).toEqual([0, 1.5, -0.25]);
  });
});

describe('bad orders and data', () => {
  const order: ArimaOrder = { p: 1, d: 0, q: 1, P: 0, D: 0, Q: 0, s: 0 };

  it('rejects a negative or fractional order', () => {
    expect(() => fitArima(new Float64Array(100), { ...order, p: -1 })).toThrow(/whole number >= 0/);
    expect(() => fitArima(new Float64Array(100), { ...order, q: 1.5 })).toThrow(/whole number >= 0/);
  });

  it('rejects seasonal terms without a seasonal period', () => {
    expect(() => fitArima(new Float64Array(100), { ...order, P: 1, s: 0 })).toThrow(/seasonal period of 0/);
  });

  it('says how many points the order needs when the series is too short', () => {
    expect(minimumLength(order)).toBe(13);
    expect(() => fitArima([1, 2, 3, 4, 5], order)).toThrow(/needs at least 13 observed points, the series has 5/);
    expect(minimumLength({ ...order, P: 1, s: 24 })).toBe(48);
  });

  it('refuses a constant series: there is nothing to forecast', () => {
    expect(() => fitArima(new Float64Array(50).fill(3), order)).toThrow(/constant/);
    expect(() =>
      fitArima(
        Float64Array.from({ length: 50 }, (_, i) => 2 * i),
        { ...order, d: 1 }
      )
    ).toThrow(/constant after differencing/);
  });

  it('fits around missing values (NaN), which the Kalman filter skips', () => {
    const y = simulateArima(800, { ar: [0.6] }, randomStream(9, 'forecast'));
    for (let i = 100; i < 800; i += 37) {
      y[i] = NaN;
    }
    const model = fitArima(y, { ...order, q: 0 });
    expect(Math.abs(model.ar[0] - 0.6)).toBeLessThan(0.1);
    expect(model.nobs).toBe(800 - 19);
  });
});
