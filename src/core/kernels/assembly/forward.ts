// @ts-nocheck: AssemblyScript (compiled by `asc`, see build.mjs), not TypeScript for tsc.
/*
 * Forward kernels. Layout: an activation sequence is [step][row][lane] with `lanes` samples on
 * the SIMD lanes (a multiple of 8: each register tile covers 8 samples as two vectors). Weights
 * are packed in groups of four rows, [group][k][4]: for an LSTM a group is the four gates
 * (i, f, g, o) of one unit, so a tile's accumulators hold all gates of that unit and the cell
 * update runs while they are still in registers (gate fusion).
 */
import { madd, vsigmoid, vtanh } from './simd';

/** Weight bytes of one block of groups kept hot in L2 while every lane tile passes over it. */
const BLOCK_BYTES: i32 = 160 * 1024;

/**
 * y[t][4g + r][lane] = bias[g][r] + sum_k w[g][k][r] * x[t][k][lane] for every step t.
 * A time-distributed dense layer, and the input projection of a layer whose input repeats.
 */
export function dense(
  x: usize,
  xStep: usize,
  k: i32,
  w: usize,
  bias: usize,
  groups: i32,
  y: usize,
  yStep: usize,
  steps: i32,
  lanes: i32
): void {
  const row = <usize>lanes << 2;
  const wGroup = <usize>k << 4;
  const block = max(1, BLOCK_BYTES / max(1, <i32>wGroup));
  for (let t = 0; t < steps; t++) {
    const xt = x + <usize>t * xStep;
    const yt = y + <usize>t * yStep;
    for (let g0 = 0; g0 < groups; g0 += block) {
      const g1 = min(groups, g0 + block);
      for (let l = 0; l < lanes; l += 8) {
        const lo = <usize>l << 2;
        for (let g = g0; g < g1; g++) {
          const wg = w + <usize>g * wGroup;
          const bg = bias + (<usize>g << 4);
          let a0 = v128.load32_splat(bg);
          let a1 = a0;
          let b0 = v128.load32_splat(bg, 4);
          let b1 = b0;
          let c0 = v128.load32_splat(bg, 8);
          let c1 = c0;
          let d0 = v128.load32_splat(bg, 12);
          let d1 = d0;
          let xp = xt + lo;
          let wp = wg;
          for (let kk = 0; kk < k; kk++) {
            const x0 = v128.load(xp);
            const x1 = v128.load(xp, 16);
            let s = v128.load32_splat(wp);
            a0 = madd(s, x0, a0);
            a1 = madd(s, x1, a1);
            s = v128.load32_splat(wp, 4);
            b0 = madd(s, x0, b0);
            b1 = madd(s, x1, b1);
            s = v128.load32_splat(wp, 8);
            c0 = madd(s, x0, c0);
            c1 = madd(s, x1, c1);
            s = v128.load32_splat(wp, 12);
            d0 = madd(s, x0, d0);
            d1 = madd(s, x1, d1);
            xp += row;
            wp += 16;
          }
          const yp = yt + (<usize>g << 2) * row + lo;
          v128.store(yp, a0);
          v128.store(yp, a1, 16);
          v128.store(yp + row, b0);
          v128.store(yp + row, b1, 16);
          v128.store(yp + 2 * row, c0);
          v128.store(yp + 2 * row, c1, 16);
          v128.store(yp + 3 * row, d0);
          v128.store(yp + 3 * row, d1, 16);
        }
      }
    }
  }
}

/**
 * One LSTM layer over `steps` steps (Keras semantics, sigmoid gates, tanh cell), from zero state.
 * x: input sequence [t][kIn][lane] (xStep bytes per step, 0 = the same input every step);
 * w: [unit][kIn + units][4] (input kernel rows, then recurrent kernel rows), bias [unit][4];
 * pre: 0, or gate pre-activations from the input that replace bias and input ([unit][4][lane],
 * the same every step: a repeated input projected once, with kIn = 0);
 * h: output [t][unit][lane]; c: cell [t][unit][lane] with cStep bytes per step (0 = in place);
 * gates: 0, or where to keep i, f, g, o after activation for the backward pass, [t][unit][4][lane];
 * tanhC: 0, or where to keep tanh(c) for the backward pass, [t][unit][lane];
 * z: scratch for the pre-activations of one lane tile, 128 bytes per unit.
 * Per lane tile, the matrix products of all units run first, then the activations, then the cell
 * updates (see below).
 */
export function lstm(
  x: usize,
  xStep: usize,
  kIn: i32,
  units: i32,
  w: usize,
  bias: usize,
  pre: usize,
  h: usize,
  c: usize,
  cStep: usize,
  gates: usize,
  tanhC: usize,
  steps: i32,
  lanes: i32,
  z: usize
): void {
  const row = <usize>lanes << 2;
  const hStep = <usize>units * row;
  const wUnit = <usize>(kIn + units) << 4;
  const wRec = <usize>kIn << 4;
  const block = max(1, BLOCK_BYTES / <i32>wUnit);
  for (let t = 0; t < steps; t++) {
    const xt = x + <usize>t * xStep;
    const ht = h + <usize>t * hStep;
    const hp = ht - hStep;
    const ct = c + <usize>t * cStep;
    const cp = ct - cStep;
    for (let j0 = 0; j0 < units; j0 += block) {
      const j1 = min(units, j0 + block);
      for (let l = 0; l < lanes; l += 8) {
        const lo = <usize>l << 2;
        for (let j = j0; j < j1; j++) {
          const wj = w + <usize>j * wUnit;
          let i0: v128, i1: v128, f0: v128, f1: v128, g0: v128, g1: v128, o0: v128, o1: v128;
          if (pre) {
            const pp = pre + (<usize>j << 2) * row + lo;
            i0 = v128.load(pp);
            i1 = v128.load(pp, 16);
            f0 = v128.load(pp + row);
            f1 = v128.load(pp + row, 16);
            g0 = v128.load(pp + 2 * row);
            g1 = v128.load(pp + 2 * row, 16);
            o0 = v128.load(pp + 3 * row);
            o1 = v128.load(pp + 3 * row, 16);
          } else {
            const bj = bias + (<usize>j << 4);
            i0 = v128.load32_splat(bj);
            i1 = i0;
            f0 = v128.load32_splat(bj, 4);
            f1 = f0;
            g0 = v128.load32_splat(bj, 8);
            g1 = g0;
            o0 = v128.load32_splat(bj, 12);
            o1 = o0;
          }
          let xp = xt + lo;
          let wp = wj;
          for (let kk = 0; kk < kIn; kk++) {
            const x0 = v128.load(xp);
            const x1 = v128.load(xp, 16);
            let s = v128.load32_splat(wp);
            i0 = madd(s, x0, i0);
            i1 = madd(s, x1, i1);
            s = v128.load32_splat(wp, 4);
            f0 = madd(s, x0, f0);
            f1 = madd(s, x1, f1);
            s = v128.load32_splat(wp, 8);
            g0 = madd(s, x0, g0);
            g1 = madd(s, x1, g1);
            s = v128.load32_splat(wp, 12);
            o0 = madd(s, x0, o0);
            o1 = madd(s, x1, o1);
            xp += row;
            wp += 16;
          }
          // The state starts at zero: step 0 has no recurrent term.
          if (t > 0) {
            xp = hp + lo;
            wp = wj + wRec;
            for (let kk = 0; kk < units; kk++) {
              const x0 = v128.load(xp);
              const x1 = v128.load(xp, 16);
              let s = v128.load32_splat(wp);
              i0 = madd(s, x0, i0);
              i1 = madd(s, x1, i1);
              s = v128.load32_splat(wp, 4);
              f0 = madd(s, x0, f0);
              f1 = madd(s, x1, f1);
              s = v128.load32_splat(wp, 8);
              g0 = madd(s, x0, g0);
              g1 = madd(s, x1, g1);
              s = v128.load32_splat(wp, 12);
              o0 = madd(s, x0, o0);
              o1 = madd(s, x1, o1);
              xp += row;
              wp += 16;
            }
          }
          const zp = z + (<usize>(j - j0) << 7);
          v128.store(zp, i0);
          v128.store(zp, i1, 16);
          v128.store(zp, f0, 32);
          v128.store(zp, f1, 48);
          v128.store(zp, g0, 64);
          v128.store(zp, g1, 80);
          v128.store(zp, o0, 96);
          v128.store(zp, o1, 112);
        }
        // Activations: one short loop body per gate row, independent from row to row, so the
        // processor overlaps the rows' dependency chains (a whole cell update per iteration is
        // too long a chain for its reorder window). Training keeps them in `gates`.
        const rows = (j1 - j0) << 2;
        const act = gates ? gates + <usize>t * (hStep << 2) + (<usize>j0 << 2) * row + lo : z;
        const actRow = gates ? row : 32;
        for (let r = 0; r < rows; r++) {
          const zp = z + (<usize>r << 5);
          const ap = act + <usize>r * actRow;
          if ((r & 3) == 2) {
            v128.store(ap, vtanh(v128.load(zp)));
            v128.store(ap, vtanh(v128.load(zp, 16)), 16);
          } else {
            v128.store(ap, vsigmoid(v128.load(zp)));
            v128.store(ap, vsigmoid(v128.load(zp, 16)), 16);
          }
        }
        for (let j = j0; j < j1; j++) {
          const ap = act + <usize>((j - j0) << 2) * actRow;
          const off = <usize>j * row + lo;
          // Zero state before the first step.
          let c0 = f32x4.splat(0);
          let c1 = c0;
          if (t > 0) {
            c0 = v128.load(cp + off);
            c1 = v128.load(cp + off, 16);
          }
          c0 = madd(v128.load(ap + actRow), c0, f32x4.mul(v128.load(ap), v128.load(ap + 2 * actRow)));
          c1 = madd(v128.load(ap + actRow, 16), c1, f32x4.mul(v128.load(ap, 16), v128.load(ap + 2 * actRow, 16)));
          const tc0 = vtanh(c0);
          const tc1 = vtanh(c1);
          v128.store(ht + off, f32x4.mul(v128.load(ap + 3 * actRow), tc0));
          v128.store(ht + off, f32x4.mul(v128.load(ap + 3 * actRow, 16), tc1), 16);
          v128.store(ct + off, c0);
          v128.store(ct + off, c1, 16);
          if (tanhC) {
            v128.store(tanhC + <usize>t * hStep + off, tc0);
            v128.store(tanhC + <usize>t * hStep + off, tc1, 16);
          }
        }
      }
    }
  }
}

/**
 * Batch-major [sample][step][feature] (the tfjs layout) to the kernels' [step][feature][lane],
 * zero-filling the lanes past n. The inverse is `fromLanes`.
 */
export function toLanes(src: usize, n: i32, steps: i32, features: i32, dst: usize, rows: i32, lanes: i32): void {
  memory.fill(dst, 0, <usize>steps * <usize>rows * <usize>lanes << 2);
  for (let s = 0; s < n; s++) {
    for (let t = 0; t < steps; t++) {
      const sp = src + ((<usize>s * steps + t) * features << 2);
      const dp = dst + ((<usize>t * rows * lanes + s) << 2);
      for (let f = 0; f < features; f++) {
        store<f32>(dp + (<usize>f * lanes << 2), load<f32>(sp + (<usize>f << 2)));
      }
    }
  }
}

export function fromLanes(src: usize, rows: i32, lanes: i32, n: i32, steps: i32, features: i32, dst: usize): void {
  for (let s = 0; s < n; s++) {
    for (let t = 0; t < steps; t++) {
      const dp = dst + ((<usize>s * steps + t) * features << 2);
      const sp = src + ((<usize>t * rows * lanes + s) << 2);
      for (let f = 0; f < features; f++) {
        store<f32>(dp + (<usize>f << 2), load<f32>(sp + (<usize>f * lanes << 2)));
      }
    }
  }
}

/** Where the module's own data ends: the TypeScript side lays its buffers out from here. */
export function heapBase(): usize {
  return __heap_base;
}
