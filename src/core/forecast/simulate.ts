/**
 * Sample paths of (S)ARIMA and VAR(MA) processes with known coefficients, for the coefficient-recovery
 * tests and the benchmark. The normal draws come from the caller (a seeded stream such as the
 * simulator's `randomStream`), so paths repeat.
 */

/** A source of standard normal draws. */
export interface NormalSource {
  normal(): number;
}
import { differencingLags, expandArma } from './arma';

export interface ArimaProcess {
  ar?: number[];
  ma?: number[];
  seasonalAr?: number[];
  seasonalMa?: number[];
  /** Seasonal period (needed with seasonal terms). */
  s?: number;
  d?: number;
  D?: number;
  mean?: number;
  sigma?: number;
}

/** n values of the process, after a burn-in long enough for the start to be forgotten. */
export function simulateArima(n: number, process: ArimaProcess, random: NormalSource, burn = 500): Float64Array {
  const s = process.s ?? 0;
  const { a, b } = expandArma(
    process.ar ?? [],
    process.ma ?? [],
    process.seasonalAr ?? [],
    process.seasonalMa ?? [],
    s
  );
  const c = differencingLags(process.d ?? 0, process.D ?? 0, s);
  const sigma = process.sigma ?? 1;
  const mean = process.mean ?? 0;
  const total = n + burn + c.length;
  const w = new Float64Array(total);
  const e = new Float64Array(total);
  for (let t = 0; t < total; t++) {
    e[t] = sigma * random.normal();
    let v = e[t];
    for (let k = 1; k <= a.length && k <= t; k++) {
      v += a[k - 1] * w[t - k];
    }
    for (let k = 1; k <= b.length && k <= t; k++) {
      v += b[k - 1] * e[t - k];
    }
    w[t] = v;
  }
  // Integrate: y_t = w_t + sum c_k y_{t-k}, from zeros.
  const y = new Float64Array(total);
  for (let t = 0; t < total; t++) {
    let v = w[t];
    for (let k = 1; k <= c.length && k <= t; k++) {
      v += c[k - 1] * y[t - k];
    }
    y[t] = v;
  }
  return y.subarray(total - n).map((v) => v + mean);
}

export interface VarmaProcess {
  intercept: number[];
  /** Row-major k x k matrices, as VarmaModel. */
  ar: number[][];
  ma?: number[][];
  /** Lower-triangular factor of the innovation covariance (row-major k x k); identity by default. */
  choleskyFactor?: number[];
}

/** k columns of n values of a VARMA process (k = intercept.length). */
export function simulateVarma(n: number, process: VarmaProcess, random: NormalSource, burn = 500): Float64Array[] {
  const k = process.intercept.length;
  const ma = process.ma ?? [];
  const total = n + burn;
  const y = Array.from({ length: k }, () => new Float64Array(total));
  const e = Array.from({ length: k }, () => new Float64Array(total));
  const z = new Float64Array(k);
  for (let t = 0; t < total; t++) {
    for (let i = 0; i < k; i++) {
      z[i] = random.normal();
    }
    for (let r = 0; r < k; r++) {
      let shock = 0;
      for (let c = 0; c <= r; c++) {
        shock += (process.choleskyFactor ? process.choleskyFactor[r * k + c] : r === c ? 1 : 0) * z[c];
      }
      e[r][t] = shock;
    }
    for (let r = 0; r < k; r++) {
      let v = process.intercept[r] + e[r][t];
      process.ar.forEach((m, l) => {
        if (t - l - 1 >= 0) {
          for (let c = 0; c < k; c++) {
            v += m[r * k + c] * y[c][t - l - 1];
          }
        }
      });
      ma.forEach((m, l) => {
        if (t - l - 1 >= 0) {
          for (let c = 0; c < k; c++) {
            v += m[r * k + c] * e[c][t - l - 1];
          }
        }
      });
      y[r][t] = v;
    }
  }
  return y.map((column) => column.slice(burn));
}
