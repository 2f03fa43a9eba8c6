/**
 * The few dense linear-algebra steps the forecasting models need (small matrices: a regression with a
 * few dozen columns, a covariance of a few features). Row-major Float64Arrays; `rows x cols` given.
 */

/**
 * Cholesky factor L (lower, row-major) of a symmetric positive definite n x n matrix, or null when
 * the matrix is not numerically positive definite.
 */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j];
      for (let k = 0; k < j; k++) {
        sum -= l[i * n + k] * l[j * n + k];
      }
      if (i === j) {
        if (!(sum > 0)) {
          return null;
        }
        l[i * n + i] = Math.sqrt(sum);
      } else {
        l[i * n + j] = sum / l[j * n + j];
      }
    }
  }
  return l;
}

/** log |A| of a symmetric positive definite matrix; -Infinity when it is singular. */
export function logDetSymmetric(a: Float64Array, n: number): number {
  const l = cholesky(a, n);
  if (l === null) {
    return -Infinity;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += 2 * Math.log(l[i * n + i]);
  }
  return sum;
}

/** Solves L L' X = B in place of B (n x m, row-major) given the Cholesky factor L. */
function choleskySolve(l: Float64Array, n: number, b: Float64Array, m: number): void {
  for (let c = 0; c < m; c++) {
    for (let i = 0; i < n; i++) {
      let sum = b[i * m + c];
      for (let k = 0; k < i; k++) {
        sum -= l[i * n + k] * b[k * m + c];
      }
      b[i * m + c] = sum / l[i * n + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let sum = b[i * m + c];
      for (let k = i + 1; k < n; k++) {
        sum -= l[k * n + i] * b[k * m + c];
      }
      b[i * m + c] = sum / l[i * n + i];
    }
  }
}

/**
 * Ordinary least squares B = argmin |Y - X B|^2 for X (n x p) and Y (n x m), through the normal
 * equations. A collinear design (a lag of a flat stretch, two identical regressors) gets a ridge
 * of 1e-10 x the mean diagonal, which leaves well-posed fits unchanged to double precision.
 * Returns B (p x m, row-major).
 */
export function leastSquares(x: Float64Array, y: Float64Array, n: number, p: number, m: number): Float64Array {
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p * m);
  for (let r = 0; r < n; r++) {
    const xo = r * p;
    const yo = r * m;
    for (let i = 0; i < p; i++) {
      const xi = x[xo + i];
      if (xi === 0) {
        continue;
      }
      for (let j = 0; j <= i; j++) {
        xtx[i * p + j] += xi * x[xo + j];
      }
      for (let c = 0; c < m; c++) {
        xty[i * m + c] += xi * y[yo + c];
      }
    }
  }
  let trace = 0;
  for (let i = 0; i < p; i++) {
    trace += xtx[i * p + i];
    for (let j = 0; j < i; j++) {
      xtx[j * p + i] = xtx[i * p + j];
    }
  }
  let l = cholesky(xtx, p);
  for (let ridge = 1e-10; l === null && ridge < 1; ridge *= 100) {
    const jittered = xtx.slice();
    const add = (ridge * trace) / p || ridge;
    for (let i = 0; i < p; i++) {
      jittered[i * p + i] += add;
    }
    l = cholesky(jittered, p);
  }
  if (l === null) {
    return new Float64Array(p * m).fill(NaN);
  }
  choleskySolve(l, p, xty, m);
  return xty;
}

/** C = A B for A (n x k) and B (k x m), row-major. */
export function multiply(a: Float64Array, b: Float64Array, n: number, k: number, m: number): Float64Array {
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < k; l++) {
      const ail = a[i * k + l];
      if (ail === 0) {
        continue;
      }
      for (let j = 0; j < m; j++) {
        c[i * m + j] += ail * b[l * m + j];
      }
    }
  }
  return c;
}

/**
 * Spectral radius of a square matrix, estimated as |A^(2^j)|^(1/2^j) after repeated squaring (with
 * renormalisation so nothing overflows). Accurate to a fraction of a percent after 2^12 powers, which
 * is what deciding "inside the unit circle or not" needs.
 */
export function spectralRadius(a: Float64Array, n: number): number {
  let m: Float64Array = a.slice();
  let logScale = 0;
  let power = 1;
  for (let j = 0; j < 12; j++) {
    let norm = 0;
    for (let i = 0; i < m.length; i++) {
      norm = Math.max(norm, Math.abs(m[i]));
    }
    if (norm === 0) {
      return 0;
    }
    for (let i = 0; i < m.length; i++) {
      m[i] /= norm;
    }
    logScale += Math.log(norm) / power;
    m = multiply(m, m, n, n, n);
    power *= 2;
  }
  let norm = 0;
  for (let i = 0; i < m.length; i++) {
    norm = Math.max(norm, Math.abs(m[i]));
  }
  return norm === 0 ? 0 : Math.exp(logScale + Math.log(norm) / power);
}
