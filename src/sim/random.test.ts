import { randomStream } from './random';

function moments(draw: () => number, n: number) {
  const xs = Array.from({ length: n }, draw);
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  return { xs, mean, variance: xs.reduce((a, x) => a + (x - mean) ** 2, 0) / n };
}

describe('randomStream', () => {
  it('repeats the same sequence for the same seed and stream name', () => {
    const a = randomStream(42, 'arrivals');
    const b = randomStream(42, 'arrivals');
    const xs = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xs);
  });

  it('gives different sequences to different seeds and to different stream names', () => {
    const x = randomStream(42, 'arrivals').uniform();
    expect(randomStream(43, 'arrivals').uniform()).not.toBe(x);
    expect(randomStream(42, 'outcomes').uniform()).not.toBe(x);
  });

  it('draws uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
    const r = randomStream(1, 'u');
    const { mean, variance } = moments(() => r.uniform(), 100000);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(variance).toBeCloseTo(1 / 12, 2);
  });

  it('draws standard normals', () => {
    const r = randomStream(2, 'n');
    const { mean, variance } = moments(() => r.normal(), 100000);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
  });

  it.each([0.3, 5, 11.9, 12, 40, 900])('draws Poisson counts with mean and variance %p', (lambda) => {
    const r = randomStream(3, `p${lambda}`);
    const { mean, variance } = moments(() => r.poisson(lambda), 50000);
    expect(Math.abs(mean - lambda)).toBeLessThan(4 * Math.sqrt(lambda / 50000));
    expect(Math.abs(variance / lambda - 1)).toBeLessThan(0.04);
  });

  it.each([
    [20, 0.1],
    [1000, 0.004],
    [1000, 0.5],
    [5000, 0.97],
  ])('draws Binomial(%p, %p) counts with mean np and variance np(1-p)', (n, p) => {
    const r = randomStream(4, `b${n}`);
    const { xs, mean, variance } = moments(() => r.binomial(n, p), 40000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(n);
    expect(Math.abs(mean - n * p)).toBeLessThan(4 * Math.sqrt((n * p * (1 - p)) / 40000));
    expect(Math.abs(variance / (n * p * (1 - p)) - 1)).toBeLessThan(0.05);
  });

  it('returns 0 and n at the edges of the binomial', () => {
    const r = randomStream(5, 'edges');
    expect(r.binomial(0, 0.5)).toBe(0);
    expect(r.binomial(10, 0)).toBe(0);
    expect(r.binomial(10, 1)).toBe(10);
    expect(r.poisson(0)).toBe(0);
  });
});
