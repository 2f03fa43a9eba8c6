// @ts-nocheck: AssemblyScript (compiled by `asc`, see src/node/kernels/build.ts), not TypeScript for tsc.
/*
 * Backward kernels and Adam, on the layouts of forward.ts: sequences [t][row][lane], LSTM weights
 * [unit][k][gate] (dense weights [group][k][4], the same shape with four output rows per group),
 * gate gradients dz [t][unit][gate][lane] (for a dense layer, its output gradient [t][row][lane]).
 */
import { madd } from './simd';

@inline
function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/**
 * dy = scale (y - x) on the first `features` rows and `n` lanes, 0 elsewhere (padding must not
 * train); returns the sum of squared errors there. y: [t][rows][lane], x: [t][features][lane].
 */
export function mseGrad(y: usize, x: usize, rows: i32, features: i32, lanes: i32, n: i32, steps: i32, scale: f32): f64 {
  let sum: f64 = 0;
  for (let t = 0; t < steps; t++) {
    for (let r = 0; r < rows; r++) {
      const yp = y + ((<usize>t * rows + r) * lanes << 2);
      const xp = x + ((<usize>t * features + r) * lanes << 2);
      for (let l = 0; l < lanes; l++) {
        let d: f32 = 0;
        if (r < features && l < n) {
          d = load<f32>(yp + (<usize>l << 2)) - load<f32>(xp + (<usize>l << 2));
          sum += <f64>d * d;
        }
        store<f32>(yp + (<usize>l << 2), d * scale);
      }
    }
  }
  return sum;
}

/**
 * out[t][k][lane] (+)= sum over groups j and gates g of w[j][rowOff + k][g] * dz[t][j][g][lane],
 * for k < rows (a multiple of 4): a layer's weights applied backwards.
 */
export function matmulT(
  dz: usize,
  dzStep: usize,
  groups: i32,
  w: usize,
  rowOff: i32,
  kTotal: i32,
  rows: i32,
  out: usize,
  outStep: usize,
  steps: i32,
  lanes: i32,
  accumulate: bool
): void {
  const row = <usize>lanes << 2;
  const wGroup = <usize>kTotal << 4;
  for (let t = 0; t < steps; t++) {
    const zt = dz + <usize>t * dzStep;
    const ot = out + <usize>t * outStep;
    for (let l = 0; l < lanes; l += 8) {
      const lo = <usize>l << 2;
      for (let k = 0; k < rows; k += 4) {
        const op = ot + <usize>k * row + lo;
        let a0 = f32x4.splat(0);
        let a1 = a0;
        let b0 = a0;
        let b1 = a0;
        let c0 = a0;
        let c1 = a0;
        let d0 = a0;
        let d1 = a0;
        if (accumulate) {
          a0 = v128.load(op);
          a1 = v128.load(op, 16);
          b0 = v128.load(op + row);
          b1 = v128.load(op + row, 16);
          c0 = v128.load(op + 2 * row);
          c1 = v128.load(op + 2 * row, 16);
          d0 = v128.load(op + 3 * row);
          d1 = v128.load(op + 3 * row, 16);
        }
        let zp = zt + lo;
        let wp = w + (<usize>(rowOff + k) << 4);
        for (let j = 0; j < groups; j++) {
          for (let g = 0; g < 4; g++) {
            const z0 = v128.load(zp);
            const z1 = v128.load(zp, 16);
            const wg = wp + (<usize>g << 2);
            let s = v128.load32_splat(wg);
            a0 = madd(s, z0, a0);
            a1 = madd(s, z1, a1);
            s = v128.load32_splat(wg, 16);
            b0 = madd(s, z0, b0);
            b1 = madd(s, z1, b1);
            s = v128.load32_splat(wg, 32);
            c0 = madd(s, z0, c0);
            c1 = madd(s, z1, c1);
            s = v128.load32_splat(wg, 48);
            d0 = madd(s, z0, d0);
            d1 = madd(s, z1, d1);
            zp += row;
          }
          wp += wGroup;
        }
        v128.store(op, a0);
        v128.store(op, a1, 16);
        v128.store(op + row, b0);
        v128.store(op + row, b1, 16);
        v128.store(op + 2 * row, c0);
        v128.store(op + 2 * row, c1, 16);
        v128.store(op + 3 * row, d0);
        v128.store(op + 3 * row, d1, 16);
      }
    }
  }
}

/**
 * dw[j][rowOff + k][g] += sum over steps t >= tStart and lanes of x[t][k][lane] * dz[t][j][g][lane]
 * for k < rows: the weight gradient of a layer whose input at step t is x[t].
 */
export function weightGrad(
  x: usize,
  xStep: usize,
  rows: i32,
  dz: usize,
  dzStep: usize,
  groups: i32,
  steps: i32,
  tStart: i32,
  lanes: i32,
  dw: usize,
  rowOff: i32,
  kTotal: i32
): void {
  const row = <usize>lanes << 2;
  for (let j = 0; j < groups; j++) {
    const zj = dz + (<usize>j << 2) * row;
    const dwj = dw + ((<usize>j * kTotal + rowOff) << 4);
    let k = 0;
    for (; k + 1 < rows; k += 2) {
      let a0 = f32x4.splat(0);
      let a1 = a0;
      let a2 = a0;
      let a3 = a0;
      let b0 = a0;
      let b1 = a0;
      let b2 = a0;
      let b3 = a0;
      for (let t = tStart; t < steps; t++) {
        const xp = x + <usize>t * xStep + <usize>k * row;
        const zp = zj + <usize>t * dzStep;
        for (let l: usize = 0; l < row; l += 16) {
          const x0 = v128.load(xp + l);
          const x1 = v128.load(xp + row + l);
          let z = v128.load(zp + l);
          a0 = madd(x0, z, a0);
          b0 = madd(x1, z, b0);
          z = v128.load(zp + row + l);
          a1 = madd(x0, z, a1);
          b1 = madd(x1, z, b1);
          z = v128.load(zp + 2 * row + l);
          a2 = madd(x0, z, a2);
          b2 = madd(x1, z, b2);
          z = v128.load(zp + 3 * row + l);
          a3 = madd(x0, z, a3);
          b3 = madd(x1, z, b3);
        }
      }
      const p = dwj + (<usize>k << 4);
      store<f32>(p, load<f32>(p) + hsum(a0));
      store<f32>(p, load<f32>(p, 4) + hsum(a1), 4);
      store<f32>(p, load<f32>(p, 8) + hsum(a2), 8);
      store<f32>(p, load<f32>(p, 12) + hsum(a3), 12);
      store<f32>(p, load<f32>(p, 16) + hsum(b0), 16);
      store<f32>(p, load<f32>(p, 20) + hsum(b1), 20);
      store<f32>(p, load<f32>(p, 24) + hsum(b2), 24);
      store<f32>(p, load<f32>(p, 28) + hsum(b3), 28);
    }
    if (k < rows) {
      let a0 = f32x4.splat(0);
      let a1 = a0;
      let a2 = a0;
      let a3 = a0;
      for (let t = tStart; t < steps; t++) {
        const xp = x + <usize>t * xStep + <usize>k * row;
        const zp = zj + <usize>t * dzStep;
        for (let l: usize = 0; l < row; l += 16) {
          const x0 = v128.load(xp + l);
          a0 = madd(x0, v128.load(zp + l), a0);
          a1 = madd(x0, v128.load(zp + row + l), a1);
          a2 = madd(x0, v128.load(zp + 2 * row + l), a2);
          a3 = madd(x0, v128.load(zp + 3 * row + l), a3);
        }
      }
      const p = dwj + (<usize>k << 4);
      store<f32>(p, load<f32>(p) + hsum(a0));
      store<f32>(p, load<f32>(p, 4) + hsum(a1), 4);
      store<f32>(p, load<f32>(p, 8) + hsum(a2), 8);
      store<f32>(p, load<f32>(p, 12) + hsum(a3), 12);
    }
  }
}

/** db[r] += sum over steps and lanes of dz[t][r][lane], for r < rows. */
export function biasGrad(dz: usize, dzStep: usize, rows: i32, steps: i32, lanes: i32, db: usize): void {
  const row = <usize>lanes << 2;
  for (let r = 0; r < rows; r++) {
    let a = f32x4.splat(0);
    for (let t = 0; t < steps; t++) {
      const zp = dz + <usize>t * dzStep + <usize>r * row;
      for (let l: usize = 0; l < row; l += 16) {
        a = f32x4.add(a, v128.load(zp + l));
      }
    }
    const p = db + (<usize>r << 2);
    store<f32>(p, load<f32>(p) + hsum(a));
  }
}

/**
 * Backpropagation through time of one LSTM layer (forward.ts's lstm with `gates` and `tanhC`
 * kept and cStep = one step). dh: [t][unit][lane] gradient of the outputs, overwritten: the
 * recurrent part is added into dh[t - 1] as the pass goes back. dz: out, gate pre-activation
 * gradients [t][unit][gate][lane]; db: the bias gradient [unit][gate] is added to it on the way.
 * dc: scratch [unit][lane].
 */
export function lstmBackward(
  units: i32,
  gates: usize,
  c: usize,
  tanhC: usize,
  dh: usize,
  dz: usize,
  dc: usize,
  db: usize,
  w: usize,
  kIn: i32,
  steps: i32,
  lanes: i32
): void {
  const row = <usize>lanes << 2;
  const hStep = <usize>units * row;
  const gStep = hStep << 2;
  const one = f32x4.splat(1);
  memory.fill(dc, 0, hStep);
  for (let t = steps - 1; t >= 0; t--) {
    for (let j = 0; j < units; j++) {
      const gp = gates + <usize>t * gStep + (<usize>j << 2) * row;
      const zp = dz + <usize>t * gStep + (<usize>j << 2) * row;
      const off = <usize>j * row;
      let si = f32x4.splat(0);
      let sf = si;
      let sg = si;
      let so = si;
      for (let l: usize = 0; l < row; l += 16) {
        const i = v128.load(gp + l);
        const f = v128.load(gp + row + l);
        const g = v128.load(gp + 2 * row + l);
        const o = v128.load(gp + 3 * row + l);
        const cPrev = t > 0 ? v128.load(c + <usize>(t - 1) * hStep + off + l) : f32x4.splat(0);
        const tc = v128.load(tanhC + <usize>t * hStep + off + l);
        const dhv = v128.load(dh + <usize>t * hStep + off + l);
        const dcv = madd(f32x4.mul(dhv, o), f32x4.sub(one, f32x4.mul(tc, tc)), v128.load(dc + off + l));
        v128.store(dc + off + l, f32x4.mul(dcv, f));
        const di = f32x4.mul(f32x4.mul(dcv, g), f32x4.mul(i, f32x4.sub(one, i)));
        const df = f32x4.mul(f32x4.mul(dcv, cPrev), f32x4.mul(f, f32x4.sub(one, f)));
        const dg = f32x4.mul(f32x4.mul(dcv, i), f32x4.sub(one, f32x4.mul(g, g)));
        const dO = f32x4.mul(f32x4.mul(dhv, tc), f32x4.mul(o, f32x4.sub(one, o)));
        v128.store(zp + l, di);
        v128.store(zp + row + l, df);
        v128.store(zp + 2 * row + l, dg);
        v128.store(zp + 3 * row + l, dO);
        si = f32x4.add(si, di);
        sf = f32x4.add(sf, df);
        sg = f32x4.add(sg, dg);
        so = f32x4.add(so, dO);
      }
      const bp = db + (<usize>j << 4);
      store<f32>(bp, load<f32>(bp) + hsum(si));
      store<f32>(bp, load<f32>(bp, 4) + hsum(sf), 4);
      store<f32>(bp, load<f32>(bp, 8) + hsum(sg), 8);
      store<f32>(bp, load<f32>(bp, 12) + hsum(so), 12);
    }
    if (t > 0) {
      matmulT(dz + <usize>t * gStep, 0, units, w, kIn, kIn + units, units, dh + <usize>(t - 1) * hStep, 0, 1, lanes, true);
    }
  }
}

/** Adam (as tfjs: epsilon outside the square root, bias corrections c1 = 1 - b1^t, c2 = 1 - b2^t). */
export function adam(p: usize, g: usize, m: usize, v: usize, count: i32, lr: f32, b1: f32, b2: f32, eps: f32, c1: f32, c2: f32): void {
  const vb1 = f32x4.splat(b1);
  const vb2 = f32x4.splat(b2);
  const vn1 = f32x4.splat(1 - b1);
  const vn2 = f32x4.splat(1 - b2);
  const vc1 = f32x4.splat(1 / c1);
  const vc2 = f32x4.splat(1 / c2);
  const veps = f32x4.splat(eps);
  const vlr = f32x4.splat(lr);
  const end = <usize>count << 2;
  for (let o: usize = 0; o < end; o += 16) {
    const gv = v128.load(g + o);
    const mv = f32x4.add(f32x4.mul(v128.load(m + o), vb1), f32x4.mul(gv, vn1));
    const vv = f32x4.add(f32x4.mul(v128.load(v + o), vb2), f32x4.mul(f32x4.mul(gv, gv), vn2));
    v128.store(m + o, mv);
    v128.store(v + o, vv);
    const step = f32x4.div(f32x4.mul(mv, vc1), f32x4.add(f32x4.sqrt(f32x4.mul(vv, vc2)), veps));
    v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.mul(step, vlr)));
  }
}
