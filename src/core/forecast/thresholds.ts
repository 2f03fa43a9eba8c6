/**
 * Thresholds on the prediction errors pe = |v - y'| (seed 004): fixed, mean + 3 sigma of the errors a
 * model made on held-back data, and dynamic, mean + k sigma over a trailing window of errors. Sigma is
 * the sample standard deviation (n - 1).
 */

/** mean + k sigma of the finite errors; NaN with fewer than two. */
export function fixedThreshold(errors: ArrayLike<number>, k = 3): number {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i];
    if (Number.isFinite(e)) {
      n++;
      const delta = e - mean;
      mean += delta / n;
      m2 += delta * (e - mean);
    }
  }
  return n >= 2 ? mean + k * Math.sqrt(m2 / (n - 1)) : NaN;
}

/**
 * Causal dynamic threshold: out[i] = mean + k sigma of the last `window` finite errors before index i
 * (errors[i] itself is not included, so a spike does not raise its own bar). NaN until two errors are
 * available.
 */
export function dynamicThresholds(errors: ArrayLike<number>, window: number, k: number): Float64Array {
  const out = new Float64Array(errors.length);
  const ring = new Float64Array(window);
  let count = 0;
  let head = 0;
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < errors.length; i++) {
    if (count >= 2) {
      const mean = sum / count;
      const variance = Math.max(0, (squares - count * mean * mean) / (count - 1));
      out[i] = mean + k * Math.sqrt(variance);
    } else {
      out[i] = NaN;
    }
    const e = errors[i];
    if (!Number.isFinite(e)) {
      continue;
    }
    if (count === window) {
      const old = ring[head];
      sum -= old;
      squares -= old * old;
    } else {
      count++;
    }
    ring[head] = e;
    head = (head + 1) % window;
    sum += e;
    squares += e * e;
  }
  return out;
}
