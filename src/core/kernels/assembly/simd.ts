// @ts-nocheck: AssemblyScript (compiled by `asc`, see src/node/kernels/build.ts), not TypeScript for tsc.
/*
 * Vector math shared by the kernels. Activations are laid out with the batch on the SIMD lanes, so
 * every function here works on four samples at once. Accuracy matters more than the last cycle:
 * the fast path must equal the tfjs model within 1e-5 relative, so tanh (and the sigmoid built on it)
 * is a rational function good to 4e-7 that does not cancel near 0.
 * Written for what V8 emits on x64: constants are splat-loaded from a table (one instruction,
 * where a splat of an immediate takes three) and clamps use pmin/pmax (minps/maxps; f32x4.min's
 * NaN rules cost several instructions).
 */

const C: usize = memory.data<f32>([
  // 0, 1: tanh saturates to +-1 in float32 beyond these
  -7.99881172180175781, 7.99881172180175781,
  // 2..8: tanh numerator, odd, from x^13 down
  -2.76076847742355e-16, 2.00018790482477e-13, -8.60467152213735e-11, 5.12229709037114e-8, 1.48572235717979e-5,
  6.37261928875436e-4, 4.89352455891786e-3,
  // 9..12: tanh denominator, even, from x^6 down
  1.19825839466702e-6, 1.18534705686654e-4, 2.268434632439e-3, 4.89352518554385e-3,
  // 13: 1/2
  0.5,
]);

@inline
function k(i: i32): v128 {
  return v128.load32_splat(C + (<usize>i << 2));
}

/** a * b + c: a fused multiply-add where the runtime has relaxed SIMD, mul then add otherwise. */
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    return f32x4.relaxed_madd(a, b, c);
  }
  return f32x4.add(f32x4.mul(a, b), c);
}

/**
 * tanh(x) = x p(x^2) / q(x^2), a rational function (odd degree 13 over even degree 6, Eigen's
 * float tanh) within 4e-7 of tanh everywhere. The numerator and denominator are separate so that
 * the LSTM cell can share one division between a gate and what it multiplies.
 */
@inline
export function clampTanh(x: v128): v128 {
  return f32x4.pmin(f32x4.pmax(x, k(0)), k(1));
}

/** x p(x^2) for a clamped x; Estrin's scheme, for a shorter dependency chain than Horner's. */
@inline
export function tanhNum(x: v128, z: v128): v128 {
  const z2 = f32x4.mul(z, z);
  const lo = madd(z2, madd(z, k(5), k(6)), madd(z, k(7), k(8)));
  const hi = madd(z2, k(2), madd(z, k(3), k(4)));
  return f32x4.mul(x, madd(f32x4.mul(z2, z2), hi, lo));
}

/** q(x^2), positive. */
@inline
export function tanhDen(z: v128): v128 {
  return madd(f32x4.mul(z, z), madd(z, k(9), k(10)), madd(z, k(11), k(12)));
}

@inline
export function vtanh(x: v128): v128 {
  x = clampTanh(x);
  const z = f32x4.mul(x, x);
  return f32x4.div(tanhNum(x, z), tanhDen(z));
}

/** sigmoid(x) = (1 + tanh(x / 2)) / 2: absolute error below 3e-7 (what a gate needs), no exp. */
@inline
export function vsigmoid(x: v128): v128 {
  return madd(vtanh(f32x4.mul(x, k(13))), k(13), k(13));
}

/** sigmoid(a) * tanh(b) with one division: (q_a + p_a) p_b / (2 q_a q_b) at a / 2 and b. */
@inline
export function sigmoidTimesTanh(a: v128, b: v128): v128 {
  const x = clampTanh(f32x4.mul(a, k(13)));
  const z = f32x4.mul(x, x);
  const q = tanhDen(z);
  const twiceSigmoidQ = f32x4.add(q, tanhNum(x, z));
  const y = clampTanh(b);
  const w = f32x4.mul(y, y);
  return f32x4.div(f32x4.mul(f32x4.mul(twiceSigmoidQ, k(13)), tanhNum(y, w)), f32x4.mul(q, tanhDen(w)));
}
