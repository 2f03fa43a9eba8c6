// @ts-nocheck: AssemblyScript (compiled by `asc`, see src/node/kernels/build.ts), not TypeScript for tsc.
/*
 * Vector math shared by the kernels. Activations are laid out with the batch on the SIMD lanes, so
 * every function here works on four samples at once. Accuracy matters more than the last cycle:
 * the fast path must equal the tfjs model within 1e-5 relative, so tanh (and the sigmoid built on it)
 * is a rational function good to 4e-7 that does not cancel near 0.
 * Written for what V8 emits on x64: constants are splats of immediates (pure, so TurboFan hoists
 * them out of loops; measured 6-9% faster than splat-loads from a table) and clamps use pmin/pmax
 * (minps/maxps; f32x4.min's NaN rules cost several instructions).
 */

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
 * float tanh) within 4e-7 of tanh everywhere.
 */
@inline
function clampTanh(x: v128): v128 {
  return f32x4.pmin(f32x4.pmax(x, f32x4.splat(-7.99881172180175781)), f32x4.splat(7.99881172180175781));
}

/** x p(x^2) for a clamped x; Estrin's scheme, for a shorter dependency chain than Horner's. */
@inline
function tanhNum(x: v128, z: v128): v128 {
  const z2 = f32x4.mul(z, z);
  const lo = madd(z2, madd(z, f32x4.splat(5.12229709037114e-8), f32x4.splat(1.48572235717979e-5)), madd(z, f32x4.splat(6.37261928875436e-4), f32x4.splat(4.89352455891786e-3)));
  const hi = madd(z2, f32x4.splat(-2.76076847742355e-16), madd(z, f32x4.splat(2.00018790482477e-13), f32x4.splat(-8.60467152213735e-11)));
  return f32x4.mul(x, madd(f32x4.mul(z2, z2), hi, lo));
}

/** q(x^2), positive. */
@inline
function tanhDen(z: v128): v128 {
  return madd(f32x4.mul(z, z), madd(z, f32x4.splat(1.19825839466702e-6), f32x4.splat(1.18534705686654e-4)), madd(z, f32x4.splat(2.268434632439e-3), f32x4.splat(4.89352518554385e-3)));
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
  return madd(vtanh(f32x4.mul(x, f32x4.splat(0.5))), f32x4.splat(0.5), f32x4.splat(0.5));
}
