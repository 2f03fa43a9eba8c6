/**
 * Seeded randomness for the simulator: sfc32 (a small, fast 32-bit generator that passes PractRand)
 * seeded through splitmix32. Each part of the model draws from its own named stream, so a fault that
 * draws more numbers in one part (e.g. call outcomes) leaves the others (arrivals, noise, restarts)
 * exactly as in the nominal run with the same seed: scenarios are paired, like the paper's
 * degraded day replayed on the nominal call distribution.
 */

export interface Random {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Poisson with mean `mean` (inversion below 12, PTRS above). */
  poisson(mean: number): number;
  /** Binomial(n, p): inversion when the smaller tail is light, normal approximation otherwise. */
  binomial(n: number, p: number): number;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a of the stream name, to derive independent streams from one seed. */
function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  }
  return h;
}

function logFactorial(k: number): number {
  if (k < 2) {
    return 0;
  }
  // Stirling series: exact enough (1e-10) from k = 2 on for rejection tests.
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
}

/** The stream `name` of the simulation seeded with `seed`. */
export function randomStream(seed: number, name: string): Random {
  const mix = splitmix32((Math.floor(seed) ^ hashName(name)) >>> 0);
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) {
    next();
  }

  let spare = NaN;
  const normal = (): number => {
    if (!Number.isNaN(spare)) {
      const s = spare;
      spare = NaN;
      return s;
    }
    const u = 1 - next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };

  const poisson = (mean: number): number => {
    if (!(mean > 0)) {
      return 0;
    }
    if (mean < 12) {
      let k = 0;
      let p = Math.exp(-mean);
      let cdf = p;
      const u = next();
      while (u > cdf && k < 1000) {
        k++;
        p *= mean / k;
        cdf += p;
      }
      return k;
    }
    // Hörmann's PTRS (transformed rejection with squeeze), exact for mean >= 10.
    const slam = Math.sqrt(mean);
    const loglam = Math.log(mean);
    const b = 0.931 + 2.53 * slam;
    const aa = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = next() - 0.5;
      const v = next();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * aa) / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) {
        return k;
      }
      if (k < 0 || (us < 0.013 && v > us)) {
        continue;
      }
      if (Math.log(v) + Math.log(invalpha) - Math.log(aa / (us * us) + b) <= -mean + k * loglam - logFactorial(k)) {
        return k;
      }
    }
  };

  const binomial = (n: number, p: number): number => {
    if (n <= 0 || p <= 0) {
      return 0;
    }
    if (p >= 1) {
      return n;
    }
    if (p > 0.5) {
      return n - binomial(n, 1 - p);
    }
    if (n * p < 10) {
      const q = 1 - p;
      let k = 0;
      let pk = Math.pow(q, n);
      let cdf = pk;
      const u = next();
      while (u > cdf && k < n) {
        pk *= ((n - k) / (k + 1)) * (p / q);
        k++;
        cdf += pk;
      }
      return k;
    }
    const k = Math.round(n * p + Math.sqrt(n * p * (1 - p)) * normal());
    return Math.min(n, Math.max(0, k));
  };

  return { uniform: next, normal, poisson, binomial };
}
