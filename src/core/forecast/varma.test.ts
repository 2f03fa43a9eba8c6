import fixtures from './fixtures/statsmodels.json';
import { randomStream } from '../../sim/random';
import { simulateVarma } from './simulate';
import type { VarmaModel } from './types';
import { fitVarma, varmaOneStep } from './varma';

interface VarFixture {
  y: number[][];
  p: number;
  intercept: number[];
  ar: number[][][];
  sigmaMle: number[][];
  llf: number;
  aic: number;
  nobs: number;
}

const fixture = (fixtures as { var: VarFixture }).var;

describe('fitVarma with q = 0 (VAR by least squares) against statsmodels 0.13 VAR', () => {
  const model = fitVarma(
    fixture.y.map((c) => Float64Array.from(c)),
    { p: fixture.p, q: 0 }
  );
  const k = fixture.intercept.length;

  it('finds the same intercepts, coefficient matrices and innovation covariance (within 1e-9)', () => {
    fixture.intercept.forEach((v, i) => expect(model.intercept[i]).toBeCloseTo(v, 9));
    fixture.ar.forEach((matrix, l) =>
      matrix.forEach((row, r) => row.forEach((v, c) => expect(model.ar[l][r * k + c]).toBeCloseTo(v, 9)))
    );
    fixture.sigmaMle.forEach((row, r) => row.forEach((v, c) => expect(model.sigma[r * k + c]).toBeCloseTo(v, 9)));
  });

  it("has the same log-likelihood, and an AIC that ranks orders as statsmodels' per-observation AIC", () => {
    expect(model.nobs).toBe(fixture.nobs);
    expect(model.logLikelihood).toBeCloseTo(fixture.llf, 6);
    // statsmodels: log|Sigma| + 2 (k^2 p + k) / nobs; ours: -2 llf + 2 (k^2 p + k), which differ by
    // nobs k (1 + log 2 pi) after scaling by nobs.
    const perObservation = (model.aic - model.nobs * k * (1 + Math.log(2 * Math.PI))) / model.nobs;
    expect(perObservation).toBeCloseTo(fixture.aic, 9);
  });
});

describe('fitVarma on simulated processes', () => {
  it('recovers the matrices of a VAR(1) of three series within 0.05', () => {
    const ar = [[0.5, 0.1, 0, 0.2, 0.3, -0.1, 0, 0.25, 0.4]];
    const y = simulateVarma(4000, { intercept: [1, -0.5, 0.2], ar }, randomStream(11, 'forecast'));
    const model = fitVarma(y, { p: 1, q: 0 });
    ar[0].forEach((v, i) => expect(Math.abs(model.ar[0][i] - v)).toBeLessThan(0.05));
  });

  it('recovers a bivariate VARMA(1,1) within 0.1 by Hannan-Rissanen', () => {
    const ar = [[0.6, 0.2, -0.1, 0.4]];
    const ma = [[0.3, 0, 0.1, 0.25]];
    const y = simulateVarma(
      6000,
      { intercept: [0, 0], ar, ma, choleskyFactor: [1, 0, 0.3, 0.8] },
      randomStream(12, 'forecast')
    );
    const model = fitVarma(y, { p: 1, q: 1 });
    ar[0].forEach((v, i) => expect(Math.abs(model.ar[0][i] - v)).toBeLessThan(0.1));
    ma[0].forEach((v, i) => expect(Math.abs(model.ma[0][i] - v)).toBeLessThan(0.1));
    // The innovation covariance of the factor [[1, 0], [0.3, 0.8]] is [[1, 0.3], [0.3, 0.73]].
    [1, 0.3, 0.3, 0.73].forEach((v, i) => expect(Math.abs(model.sigma[i] - v)).toBeLessThan(0.06));
  });

  it('differences each series by its own order', () => {
    const [a, b] = simulateVarma(3000, { intercept: [0, 0], ar: [[0.5, 0, 0.2, 0.3]] }, randomStream(13, 'forecast'));
    const walk = Float64Array.from(a);
    for (let i = 1; i < walk.length; i++) {
      walk[i] = walk[i - 1] + a[i];
    }
    const model = fitVarma([walk, b], { p: 1, q: 0, d: [1, 0] });
    expect(model.d).toEqual([1, 0]);
    [0.5, 0, 0.2, 0.3].forEach((v, i) => expect(Math.abs(model.ar[0][i] - v)).toBeLessThan(0.05));
  });

  it('refuses VARMA(0, 0) and a window too short for the regression', () => {
    expect(() => fitVarma([new Float64Array(50), new Float64Array(50)], { p: 0, q: 0 })).toThrow(/need p \+ q >= 1/);
    expect(() => fitVarma([Float64Array.of(1, 2, 3, 4), Float64Array.of(2, 1, 2, 1)], { p: 2, q: 0 })).toThrow(
      /complete rows/
    );
  });
});

describe('varmaOneStep', () => {
  const var1: VarmaModel = {
    family: 'varma',
    p: 1,
    q: 0,
    d: [0, 0],
    intercept: [1, 0],
    ar: [[0.5, 0.1, 0, 0.2]],
    ma: [],
    sigma: [1, 0, 0, 1],
    logLikelihood: 0,
    aic: 0,
    nobs: 0,
  };

  it('predicts c + A y_{t-1} for each series', () => {
    // From (2, 10): first 1 + 0.5*2 + 0.1*10 = 3, second 0 + 0*2 + 0.2*10 = 2.
    const [first, second] = varmaOneStep(var1, [Float64Array.of(2, 5), Float64Array.of(10, 1)], 0, 1, 2);
    expect(first[0]).toBeCloseTo(3, 12);
    expect(second[0]).toBeCloseTo(2, 12);
  });

  it('uses the prediction of a missing value of one series for the next step of both', () => {
    // t1 of the second series is missing: its prediction 2 stands in. t2: first 1 + 0.5*4 + 0.1*2 = 3.2.
    const [first, second] = varmaOneStep(var1, [Float64Array.of(2, 4, 0), Float64Array.of(10, NaN, 0)], 0, 1, 3);
    expect(first[1]).toBeCloseTo(3.2, 12);
    expect(second[1]).toBeCloseTo(0.4, 12);
  });

  it('undifferences a differenced series: a VAR on changes predicts level + predicted change', () => {
    const walk: VarmaModel = { ...var1, d: [1, 0], intercept: [0.5, 0], ar: [[0, 0, 0, 0]] };
    const [level] = varmaOneStep(walk, [Float64Array.of(3, 7, 8), Float64Array.of(0, 0, 0)], 0, 2, 3);
    expect(level[0]).toBeCloseTo(7.5, 12);
  });
});
