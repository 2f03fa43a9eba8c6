/**
 * Quasi-Newton minimisation (BFGS with an Armijo backtracking line search and central-difference
 * gradients), enough for the handful of unconstrained ARMA parameters a likelihood has. The stopping
 * rules are scipy's L-BFGS-B defaults as statsmodels uses them: 50 iterations, a relative decrease
 * below 2.2e-9 (factr 1e7), or a small gradient.
 */

export interface MinimizeOptions {
  /** Stop when the largest gradient component is below this (default 1e-6). */
  gradientTolerance?: number;
  /** Stop when an iteration decreases f by less than this times max(|f|, 1) (default 2.2e-9). */
  relativeTolerance?: number;
  /** Default 50. */
  maxIterations?: number;
}

export interface MinimizeResult {
  x: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
}

function gradient(f: (x: Float64Array) => number, x: Float64Array, fx: number): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const h = 1e-6 * Math.max(1, Math.abs(x[i]));
    const xi = x[i];
    x[i] = xi + h;
    const up = f(x);
    x[i] = xi - h;
    const down = f(x);
    x[i] = xi;
    // At the edge of the feasible region one side may be non-finite: fall back to a one-sided difference.
    if (Number.isFinite(up) && Number.isFinite(down)) {
      g[i] = (up - down) / (2 * h);
    } else if (Number.isFinite(up)) {
      g[i] = (up - fx) / h;
    } else if (Number.isFinite(down)) {
      g[i] = (fx - down) / h;
    } else {
      g[i] = 0;
    }
  }
  return g;
}

/** Minimises f from x0. f may return NaN or Infinity for infeasible points: the line search backs off. */
export function minimizeBfgs(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  options: MinimizeOptions = {}
): MinimizeResult {
  const tolerance = options.gradientTolerance ?? 1e-6;
  const maxIterations = options.maxIterations ?? 50;
  const relativeTolerance = options.relativeTolerance ?? 2.2e-9;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let fx = f(x);
  if (n === 0 || !Number.isFinite(fx)) {
    return { x, value: fx, iterations: 0, converged: n === 0 && Number.isFinite(fx) };
  }
  let g = gradient(f, x, fx);
  // Inverse Hessian approximation, identity until the first step sets its scale.
  const h = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    h[i * n + i] = 1;
  }
  const direction = new Float64Array(n);
  const trial = new Float64Array(n);
  let iteration = 0;
  for (; iteration < maxIterations; iteration++) {
    let gmax = 0;
    for (let i = 0; i < n; i++) {
      gmax = Math.max(gmax, Math.abs(g[i]));
    }
    if (gmax < tolerance) {
      return { x, value: fx, iterations: iteration, converged: true };
    }
    let slope = 0;
    for (let i = 0; i < n; i++) {
      let d = 0;
      for (let j = 0; j < n; j++) {
        d -= h[i * n + j] * g[j];
      }
      direction[i] = d;
      slope += d * g[i];
    }
    if (!(slope < 0)) {
      // Not a descent direction (curvature information went stale): restart from steepest descent.
      h.fill(0);
      slope = 0;
      for (let i = 0; i < n; i++) {
        h[i * n + i] = 1;
        direction[i] = -g[i];
        slope -= g[i] * g[i];
      }
    }
    let step = 1;
    let ftrial = NaN;
    for (let k = 0; k < 40; k++) {
      for (let i = 0; i < n; i++) {
        trial[i] = x[i] + step * direction[i];
      }
      ftrial = f(trial);
      if (Number.isFinite(ftrial) && ftrial <= fx + 1e-4 * step * slope) {
        break;
      }
      step *= 0.5;
    }
    if (!(Number.isFinite(ftrial) && ftrial <= fx + 1e-4 * step * slope)) {
      // No decrease along the direction at any step length: as converged as the objective's precision allows.
      return { x, value: fx, iterations: iteration, converged: gmax < 1e3 * tolerance };
    }
    if (step === 1) {
      // Extrapolate while it keeps paying: near a saddle (an ARMA with cancelling AR and MA roots has one)
      // the curvature is negative, BFGS learns nothing from it and full steps alone would crawl.
      const longer = new Float64Array(n);
      for (let k = 0; k < 20; k++) {
        for (let i = 0; i < n; i++) {
          longer[i] = x[i] + 2 * step * direction[i];
        }
        const flonger = f(longer);
        if (!(Number.isFinite(flonger) && flonger < ftrial)) {
          break;
        }
        step *= 2;
        ftrial = flonger;
        trial.set(longer);
      }
    }
    const xNew = Float64Array.from(trial);
    const gNew = gradient(f, xNew, ftrial);
    const s = new Float64Array(n);
    const yv = new Float64Array(n);
    let sy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      yv[i] = gNew[i] - g[i];
      sy += s[i] * yv[i];
    }
    const previous = fx;
    x = xNew;
    fx = ftrial;
    g = gNew;
    if (sy > 1e-12) {
      if (iteration === 0) {
        let yy = 0;
        for (let i = 0; i < n; i++) {
          yy += yv[i] * yv[i];
        }
        for (let i = 0; i < n; i++) {
          h[i * n + i] = sy / yy;
        }
      }
      // H <- (I - rho s y') H (I - rho y s') + rho s s'
      const rho = 1 / sy;
      const hy = new Float64Array(n);
      let yhy = 0;
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (let j = 0; j < n; j++) {
          sum += h[i * n + j] * yv[j];
        }
        hy[i] = sum;
        yhy += yv[i] * sum;
      }
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          h[i * n + j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
        }
      }
    }
    if (previous - fx <= relativeTolerance * Math.max(1, Math.abs(fx), Math.abs(previous))) {
      return { x, value: fx, iterations: iteration + 1, converged: true };
    }
  }
  return { x, value: fx, iterations: iteration, converged: false };
}
