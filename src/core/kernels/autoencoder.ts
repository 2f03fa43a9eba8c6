/**
 * The LSTM autoencoder of src/core/model.ts run by the WebAssembly SIMD kernels: the same weights
 * (tfjs `getWeights()` order), the same outputs within float rounding, several times faster than
 * tfjs-wasm. tfjs stays the reference and the artifact format; this only reads its weights.
 */
import type * as tfjs from '@tensorflow/tfjs';

import type { AutoencoderShape } from '../types';
import { type CompiledKernels, type KernelExports, compileKernels, instantiateKernels } from './loader';

/** The weights of one autoencoder as tfjs' `model.getWeights()` lists them, as flat arrays. */
export interface AutoencoderWeights {
  shape: Pick<AutoencoderShape, 'features' | 'window' | 'units'>;
  /** Per LSTM kernel [in, 4h], recurrentKernel [h, 4h], bias [4h] (gates i, f, c, o); dense kernel [h4, F], bias [F]. */
  arrays: Float32Array[];
}

export interface FastAutoencoderOptions {
  /** Samples per kernel pass (rounded up to a multiple of 8); see DEFAULT_LANES. */
  maxLanes?: number;
  /** Compiled kernels to share between models (compileKernels()); compiled on demand otherwise. */
  kernels?: CompiledKernels;
  /** Adam's learning rate for training (tfjs' defaults otherwise: beta1 0.9, beta2 0.999, epsilon 1e-7). */
  learningRate?: number;
}

export interface FastAutoencoder {
  readonly shape: AutoencoderWeights['shape'];
  readonly flavour: CompiledKernels['flavour'];
  /** Reconstructs n windows ([n, window, features] row-major), like `model.predict` in inference. */
  reconstruct(windows: Float32Array, n: number): Float32Array;
  /**
   * Forward and backward pass over n windows in training mode; gradients of the mean squared error
   * over `total` windows (n of them here: a batch may be split between workers) are left for
   * applyGradients. `dropoutMask`: [n][h2] factors (0 or 1 / (1 - rate)), null for none.
   * Returns the sum of squared errors over these n windows.
   */
  computeGradients(windows: Float32Array, n: number, total: number, dropoutMask: Float32Array | null): number;
  /** The gradients of the last computeGradients, in the kernels' packed order (a view: copy to keep). */
  gradients(): Float32Array;
  /** One Adam step with the given gradients (summed over workers), or the last computeGradients'. */
  applyGradients(gradients?: Float32Array): void;
  /**
   * The current weights in tfjs' getWeights() order and shapes (for model.setWeights and
   * artifacts); or, with 'gradients', the last computeGradients' in the same order.
   */
  weights(of?: 'weights' | 'gradients'): Float32Array[];
}

/** Reads the weights of a model built by buildAutoencoder (only the model object is used, not the tf namespace). */
export function autoencoderWeightsOf(model: tfjs.LayersModel): AutoencoderWeights {
  const weights = model.getWeights();
  const input = model.inputs[0].shape;
  const units = [0, 3, 6, 9].map((i) => weights[i + 1].shape[0] as number) as AutoencoderShape['units'];
  return {
    shape: { window: input[1] as number, features: input[2] as number, units },
    arrays: weights.map((w) => w.dataSync() as Float32Array),
  };
}

const LANE_TILE = 8;
/**
 * Samples per pass. Few lanes keep a pass's activations in L1 (each step's rows are then a few
 * cache lines, not one line per row), while the weights stream from L2 either way: measured on
 * AE-40, 16 lanes run 27% faster than 256, and 8 or 32 a few percent slower than 16.
 */
const DEFAULT_LANES = 16;
/** Samples per training pass: the weight gradients sum over lanes, which favours more (measured: 32 to 64 best). */
const TRAIN_LANES = 32;

/** Byte offsets of everything the kernels touch, laid out once per model. */
class Layout {
  private end: number;
  constructor(start: number) {
    this.end = Math.ceil(start / 64) * 64;
  }
  take(floats: number): number {
    const at = this.end;
    this.end += Math.ceil((floats * 4) / 64) * 64;
    return at;
  }
  get bytes(): number {
    return this.end;
  }
}

/** Packs a Keras LSTM's kernels into [unit][kIn + units][gate] (see assembly/forward.ts). */
function packLstm(kernel: Float32Array | null, recurrent: Float32Array, kIn: number, units: number): Float32Array {
  const out = new Float32Array(units * (kIn + units) * 4);
  const cols = 4 * units;
  for (let j = 0; j < units; j++) {
    for (let k = 0; k < kIn + units; k++) {
      for (let g = 0; g < 4; g++) {
        out[(j * (kIn + units) + k) * 4 + g] =
          k < kIn ? kernel![k * cols + g * units + j] : recurrent[(k - kIn) * cols + g * units + j];
      }
    }
  }
  return out;
}

function packLstmBias(bias: Float32Array, units: number): Float32Array {
  const out = new Float32Array(units * 4);
  for (let j = 0; j < units; j++) {
    for (let g = 0; g < 4; g++) {
      out[j * 4 + g] = bias[g * units + j];
    }
  }
  return out;
}

/** Packs a dense kernel [k, n] into [ceil(n/4)][k][4], zero rows past n. */
function packDense(
  kernel: Float32Array,
  bias: Float32Array,
  k: number,
  n: number
): { w: Float32Array; b: Float32Array } {
  const groups = Math.ceil(n / 4);
  const w = new Float32Array(groups * k * 4);
  const b = new Float32Array(groups * 4);
  for (let r = 0; r < n; r++) {
    const g = r >> 2;
    b[g * 4 + (r & 3)] = bias[r];
    for (let kk = 0; kk < k; kk++) {
      w[(g * k + kk) * 4 + (r & 3)] = kernel[kk * n + r];
    }
  }
  return { w, b };
}

export async function loadFastAutoencoder(
  weights: AutoencoderWeights,
  options: FastAutoencoderOptions = {}
): Promise<FastAutoencoder> {
  const kernels = options.kernels ?? (await compileKernels());
  const exports = await instantiateKernels(kernels.module);
  return new KernelAutoencoder(exports, kernels.flavour, weights, options);
}

/** The trainable tensors in the kernels' packing, in the order they sit in one contiguous block. */
const PARAMS = ['w1', 'b1', 'w2', 'b2', 'w3x', 'b3x', 'w3', 'w4', 'b4', 'wd', 'bd'] as const;
type Param = (typeof PARAMS)[number];

class KernelAutoencoder implements FastAutoencoder {
  readonly shape: AutoencoderWeights['shape'];
  private readonly k: KernelExports;
  private readonly lanes: number;
  private readonly fRows: number;
  private readonly learningRate: number;
  private readonly layout: Layout;
  /** Offsets of the parameters (and, at the same offsets from grad/m/v, their gradients and moments). */
  private readonly p = {} as Record<Param, number>;
  private readonly sizes = {} as Record<Param, number>;
  private readonly paramCount: number;
  private readonly region = { params: 0, grad: 0, m: 0, v: 0 };
  /** Inference buffers. */
  private readonly b: Record<string, number> = {};
  /** Training buffers, laid out on the first training call, for `trainLanes` lanes. */
  private t: Record<string, number> | null = null;
  private trainLanes = 0;
  private step = 0;

  constructor(
    k: KernelExports,
    readonly flavour: CompiledKernels['flavour'],
    weights: AutoencoderWeights,
    options: FastAutoencoderOptions
  ) {
    this.k = k;
    this.shape = weights.shape;
    this.learningRate = options.learningRate ?? 1e-3;
    const { features: F, window: T, units } = weights.shape;
    const [h1, h2, h3, h4] = units;
    const a = weights.arrays;
    if (a.length !== 14) {
      throw new Error(`an LSTM autoencoder has 14 weight arrays, got ${a.length}`);
    }
    if (units.some((u) => u % 4 !== 0)) {
      throw new Error(`the fast kernels need unit counts that are multiples of 4, got ${units.join('/')}`);
    }
    this.lanes = Math.ceil((options.maxLanes ?? DEFAULT_LANES) / LANE_TILE) * LANE_TILE;
    this.fRows = Math.ceil(F / 4) * 4;
    const dense = packDense(a[12], a[13], h4, F);
    const dec1In = packDense(transposeGates(a[6], h2, h3), packLstmBias(a[8], h3), h2, 4 * h3);
    const packed: Record<Param, Float32Array> = {
      w1: packLstm(a[0], a[1], F, h1),
      b1: packLstmBias(a[2], h1),
      w2: packLstm(a[3], a[4], h1, h2),
      b2: packLstmBias(a[5], h2),
      w3x: dec1In.w,
      b3x: dec1In.b,
      w3: packLstm(null, a[7], 0, h3),
      w4: packLstm(a[9], a[10], h3, h4),
      b4: packLstmBias(a[11], h4),
      wd: dense.w,
      bd: dense.b,
    };
    this.layout = new Layout(k.heapBase());
    this.region.params = this.layout.take(0);
    let count = 0;
    for (const name of PARAMS) {
      this.p[name] = this.region.params + count * 4;
      this.sizes[name] = packed[name].length;
      count += Math.ceil(packed[name].length / 16) * 16;
    }
    this.paramCount = count;
    this.layout.take(count);
    const L = this.lanes;
    const sizes: Record<string, number> = {
      io: L * T * F, // the caller's windows, batch-major
      x: T * F * L,
      h1: T * h1 * L,
      h2: T * h2 * L,
      pre3: 4 * h3 * L,
      h3: T * h3 * L,
      h4: T * h4 * L,
      c: Math.max(h1, h2, h3, h4) * L,
      y: T * this.fRows * L,
      z: Math.max(h1, h2, h3, h4) * 32,
    };
    for (const [name, n] of Object.entries(sizes)) {
      this.b[name] = this.layout.take(n);
    }
    this.ensureMemory();
    for (const name of PARAMS) {
      this.f32(this.p[name], packed[name].length).set(packed[name]);
    }
  }

  private f32(at: number, length: number): Float32Array {
    return new Float32Array(this.k.memory.buffer, at, length);
  }

  private ensureMemory(): void {
    const grow = this.layout.bytes - this.k.memory.buffer.byteLength;
    if (grow > 0) {
      this.k.memory.grow(Math.ceil(grow / 65536));
    }
  }

  reconstruct(windows: Float32Array, n: number): Float32Array {
    const { features: F, window: T } = this.shape;
    const stride = T * F;
    if (windows.length < n * stride) {
      throw new Error(`reconstruct: ${n} windows of ${T}x${F} need ${n * stride} values, got ${windows.length}`);
    }
    const out = new Float32Array(n * stride);
    for (let start = 0; start < n; start += this.lanes) {
      const size = Math.min(this.lanes, n - start);
      this.f32(this.b.io, size * stride).set(windows.subarray(start * stride, (start + size) * stride));
      this.forward(size);
      out.set(this.f32(this.b.io, size * stride), start * stride);
    }
    return out;
  }

  /** io[0..n) -> io[0..n): the whole network on one pass of lanes. */
  private forward(n: number): void {
    const { k, p, b } = this;
    const { features: F, window: T, units } = this.shape;
    const [h1, h2, h3, h4] = units;
    const L = Math.ceil(n / LANE_TILE) * LANE_TILE;
    const row = L * 4;
    k.toLanes(b.io, n, T, F, b.x, F, L);
    k.lstm(b.x, F * row, F, h1, p.w1, p.b1, 0, b.h1, b.c, 0, 0, 0, T, L, b.z);
    k.lstm(b.h1, h1 * row, h1, h2, p.w2, p.b2, 0, b.h2, b.c, 0, 0, 0, T, L, b.z);
    // Dropout is the identity in inference; the repeated code is projected once for all steps.
    k.dense(b.h2 + (T - 1) * h2 * row, 0, h2, p.w3x, p.b3x, h3, b.pre3, 0, 1, L);
    k.lstm(0, 0, 0, h3, p.w3, 0, b.pre3, b.h3, b.c, 0, 0, 0, T, L, b.z);
    k.lstm(b.h3, h3 * row, h3, h4, p.w4, p.b4, 0, b.h4, b.c, 0, 0, 0, T, L, b.z);
    k.dense(b.h4, h4 * row, h4, p.wd, p.bd, this.fRows / 4, b.y, this.fRows * row, T, L);
    k.fromLanes(b.y, this.fRows, L, n, T, F, b.io);
  }

  /** Lays out the training buffers for n lanes (once, or again for a larger batch). */
  private trainBuffers(n: number): Record<string, number> {
    const L = Math.ceil(n / LANE_TILE) * LANE_TILE;
    if (this.t && L <= this.trainLanes) {
      return this.t;
    }
    const { features: F, window: T, units } = this.shape;
    const [h1, h2, h3, h4] = units;
    const hMax = Math.max(h1, h2, h3, h4);
    if (!this.t) {
      this.region.grad = this.layout.take(this.paramCount);
      this.region.m = this.layout.take(this.paramCount);
      this.region.v = this.layout.take(this.paramCount);
    }
    const sizes: Record<string, number> = {
      io: L * T * F,
      x: T * F * L,
      mask: h2 * L,
      code: h2 * L,
      pre3: 4 * h3 * L,
      y: T * this.fRows * L,
      dha: T * hMax * L,
      dhb: T * hMax * L,
      dz: T * 4 * hMax * L,
      dpre: 4 * h3 * L,
      dcode: h2 * L,
      dc: hMax * L,
      z: hMax * 32,
    };
    units.forEach((u, i) => {
      sizes[`h${i + 1}`] = T * u * L;
      sizes[`c${i + 1}`] = T * u * L;
      sizes[`g${i + 1}`] = T * 4 * u * L;
      sizes[`tc${i + 1}`] = T * u * L;
    });
    const t: Record<string, number> = {};
    for (const [name, size] of Object.entries(sizes)) {
      t[name] = this.layout.take(size);
    }
    this.ensureMemory();
    if (!this.t) {
      this.f32(this.region.grad, 3 * this.paramCount).fill(0);
    }
    this.t = t;
    this.trainLanes = L;
    return t;
  }

  computeGradients(windows: Float32Array, n: number, total: number, dropoutMask: Float32Array | null): number {
    this.trainBuffers(Math.min(n, TRAIN_LANES));
    this.f32(this.region.grad, this.paramCount).fill(0);
    const { window: T, features: F, units } = this.shape;
    let sse = 0;
    // Pass by pass, like inference; the gradients of the passes add up.
    for (let start = 0; start < n; start += TRAIN_LANES) {
      const size = Math.min(TRAIN_LANES, n - start);
      sse += this.passGradients(
        windows.subarray(start * T * F, (start + size) * T * F),
        size,
        total,
        dropoutMask && dropoutMask.subarray(start * units[1], (start + size) * units[1])
      );
    }
    return sse;
  }

  /** Forward and backward over one pass of n lanes, adding to the gradients; returns its squared errors. */
  private passGradients(windows: Float32Array, n: number, total: number, dropoutMask: Float32Array | null): number {
    const { k, p } = this;
    const { features: F, window: T, units } = this.shape;
    const [h1, h2, h3, h4] = units;
    const t = this.trainBuffers(n);
    const L = Math.ceil(n / LANE_TILE) * LANE_TILE;
    const row = L * 4;
    const g = (name: Param) => this.region.grad + (p[name] - this.region.params);

    // Forward in training mode: keep every step's gates and cells.
    this.f32(t.io, n * T * F).set(windows.subarray(0, n * T * F));
    k.toLanes(t.io, n, T, F, t.x, F, L);
    k.lstm(t.x, F * row, F, h1, p.w1, p.b1, 0, t.h1, t.c1, h1 * row, t.g1, t.tc1, T, L, t.z);
    k.lstm(t.h1, h1 * row, h1, h2, p.w2, p.b2, 0, t.h2, t.c2, h2 * row, t.g2, t.tc2, T, L, t.z);
    const mask = this.f32(t.mask, h2 * L).fill(0);
    for (let s = 0; s < n; s++) {
      for (let u = 0; u < h2; u++) {
        mask[u * L + s] = dropoutMask ? dropoutMask[s * h2 + u] : 1;
      }
    }
    const last = this.f32(t.h2 + (T - 1) * h2 * row, h2 * L);
    const code = this.f32(t.code, h2 * L);
    for (let i = 0; i < code.length; i++) {
      code[i] = last[i] * mask[i];
    }
    k.dense(t.code, 0, h2, p.w3x, p.b3x, h3, t.pre3, 0, 1, L);
    k.lstm(0, 0, 0, h3, p.w3, 0, t.pre3, t.h3, t.c3, h3 * row, t.g3, t.tc3, T, L, t.z);
    k.lstm(t.h3, h3 * row, h3, h4, p.w4, p.b4, 0, t.h4, t.c4, h4 * row, t.g4, t.tc4, T, L, t.z);
    const fr = this.fRows;
    k.dense(t.h4, h4 * row, h4, p.wd, p.bd, fr / 4, t.y, fr * row, T, L);
    const sse = k.mseGrad(t.y, t.x, fr, F, L, n, T, 2 / (total * T * F));

    // Backward: y now holds dLoss/dy.
    k.weightGrad(t.h4, h4 * row, h4, t.y, fr * row, fr / 4, T, 0, L, g('wd'), 0, h4);
    k.biasGrad(t.y, fr * row, fr, T, L, g('bd'));
    k.matmulT(t.y, fr * row, fr / 4, p.wd, 0, h4, h4, t.dha, h4 * row, T, L, false);
    this.lstmGradients(h4, h3, t.h3, t.h4, 4, t.dha, p.w4, g('w4'), g('b4'), t, L, t.dhb);
    // Decoder layer 1: recurrent part in the LSTM, its repeated input through the projection.
    k.lstmBackward(h3, t.g3, t.c3, t.tc3, t.dhb, t.dz, t.dc, g('b3x'), p.w3, 0, T, L);
    k.weightGrad(t.h3 - h3 * row, h3 * row, h3, t.dz, 4 * h3 * row, h3, T, 1, L, g('w3'), 0, h3);
    const dpre = this.f32(t.dpre, 4 * h3 * L).fill(0);
    for (let s = 0; s < T; s++) {
      const dz = this.f32(t.dz + s * 4 * h3 * row, 4 * h3 * L);
      for (let i = 0; i < dpre.length; i++) {
        dpre[i] += dz[i];
      }
    }
    k.weightGrad(t.code, 0, h2, t.dpre, 0, h3, 1, 0, L, g('w3x'), 0, h2);
    k.matmulT(t.dpre, 0, h3, p.w3x, 0, h2, h2, t.dcode, 0, 1, L, false);
    // Dropout, then the encoder's last state is the only output of layer 2 that has a gradient.
    const dh2 = this.f32(t.dha, T * h2 * L).fill(0);
    const dcode = this.f32(t.dcode, h2 * L);
    for (let i = 0; i < dcode.length; i++) {
      dh2[(T - 1) * h2 * L + i] = dcode[i] * mask[i];
    }
    this.lstmGradients(h2, h1, t.h1, t.h2, 2, t.dha, p.w2, g('w2'), g('b2'), t, L, t.dhb);
    this.lstmGradients(h1, F, t.x, t.h1, 1, t.dhb, p.w1, g('w1'), g('b1'), t, L, 0);
    return sse;
  }

  /** One LSTM layer's backward pass: weight and bias gradients, and the input gradient into dx (0: not needed). */
  private lstmGradients(
    units: number,
    kIn: number,
    x: number,
    h: number,
    layer: number,
    dh: number,
    w: number,
    gw: number,
    gb: number,
    t: Record<string, number>,
    L: number,
    dx: number
  ): void {
    const { k } = this;
    const T = this.shape.window;
    const row = L * 4;
    const dzStep = 4 * units * row;
    k.lstmBackward(units, t[`g${layer}`], t[`c${layer}`], t[`tc${layer}`], dh, t.dz, t.dc, gb, w, kIn, T, L);
    k.weightGrad(x, kIn * row, kIn, t.dz, dzStep, units, T, 0, L, gw, 0, kIn + units);
    k.weightGrad(h - units * row, units * row, units, t.dz, dzStep, units, T, 1, L, gw, kIn, kIn + units);
    if (dx) {
      k.matmulT(t.dz, dzStep, units, w, 0, kIn + units, kIn, dx, kIn * row, T, L, false);
    }
  }

  gradients(): Float32Array {
    if (!this.t) {
      throw new Error('gradients before computeGradients');
    }
    return this.f32(this.region.grad, this.paramCount);
  }

  applyGradients(gradients?: Float32Array): void {
    if (!this.t) {
      this.trainBuffers(LANE_TILE);
    }
    if (gradients) {
      this.f32(this.region.grad, this.paramCount).set(gradients);
    }
    this.step++;
    const [b1, b2] = [0.9, 0.999];
    const { params, grad, m, v } = this.region;
    this.k.adam(
      params,
      grad,
      m,
      v,
      this.paramCount,
      this.learningRate,
      b1,
      b2,
      1e-7,
      1 - b1 ** this.step,
      1 - b2 ** this.step
    );
  }

  weights(of: 'weights' | 'gradients' = 'weights'): Float32Array[] {
    const { features: F, units } = this.shape;
    const [h1, h2, h3, h4] = units;
    const base = of === 'weights' ? 0 : this.region.grad - this.region.params;
    if (of === 'gradients' && !this.t) {
      throw new Error('gradients before computeGradients');
    }
    const get = (name: Param) => this.f32(base + this.p[name], this.sizes[name]);
    const [w1x, w1h] = unpackLstm(get('w1'), F, h1);
    const [w2x, w2h] = unpackLstm(get('w2'), h1, h2);
    const [, w3h] = unpackLstm(get('w3'), 0, h3);
    const [w4x, w4h] = unpackLstm(get('w4'), h3, h4);
    const dec1In = unpackDense(get('w3x'), get('b3x'), h2, 4 * h3);
    const dense = unpackDense(get('wd'), get('bd'), h4, F);
    return [
      w1x,
      w1h,
      unpackLstmBias(get('b1'), h1),
      w2x,
      w2h,
      unpackLstmBias(get('b2'), h2),
      untransposeGates(dec1In.kernel, h2, h3),
      w3h,
      unpackLstmBias(dec1In.bias, h3),
      w4x,
      w4h,
      unpackLstmBias(get('b4'), h4),
      dense.kernel,
      dense.bias,
    ];
  }
}

function unpackLstm(w: Float32Array, kIn: number, units: number): [Float32Array, Float32Array] {
  const cols = 4 * units;
  const kernel = new Float32Array(kIn * cols);
  const recurrent = new Float32Array(units * cols);
  for (let j = 0; j < units; j++) {
    for (let k = 0; k < kIn + units; k++) {
      for (let g = 0; g < 4; g++) {
        const v = w[(j * (kIn + units) + k) * 4 + g];
        if (k < kIn) {
          kernel[k * cols + g * units + j] = v;
        } else {
          recurrent[(k - kIn) * cols + g * units + j] = v;
        }
      }
    }
  }
  return [kernel, recurrent];
}

function unpackLstmBias(b: Float32Array, units: number): Float32Array {
  const out = new Float32Array(4 * units);
  for (let j = 0; j < units; j++) {
    for (let g = 0; g < 4; g++) {
      out[g * units + j] = b[j * 4 + g];
    }
  }
  return out;
}

function unpackDense(
  w: Float32Array,
  b: Float32Array,
  k: number,
  n: number
): { kernel: Float32Array; bias: Float32Array } {
  const kernel = new Float32Array(k * n);
  const bias = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const g = r >> 2;
    bias[r] = b[g * 4 + (r & 3)];
    for (let kk = 0; kk < k; kk++) {
      kernel[kk * n + r] = w[(g * k + kk) * 4 + (r & 3)];
    }
  }
  return { kernel, bias };
}

/** The inverse of transposeGates. */
function untransposeGates(kernel: Float32Array, k: number, units: number): Float32Array {
  const out = new Float32Array(kernel.length);
  for (let kk = 0; kk < k; kk++) {
    for (let g = 0; g < 4; g++) {
      for (let j = 0; j < units; j++) {
        out[kk * 4 * units + g * units + j] = kernel[kk * 4 * units + j * 4 + g];
      }
    }
  }
  return out;
}

/**
 * A Keras kernel [k, 4h] (gate-major columns) reordered to unit-major columns [k, h * 4], so that
 * packDense's groups of four rows are the four gates of one unit, the order lstm's `pre` expects.
 */
function transposeGates(kernel: Float32Array, k: number, units: number): Float32Array {
  const out = new Float32Array(kernel.length);
  for (let kk = 0; kk < k; kk++) {
    for (let g = 0; g < 4; g++) {
      for (let j = 0; j < units; j++) {
        out[kk * 4 * units + j * 4 + g] = kernel[kk * 4 * units + g * units + j];
      }
    }
  }
  return out;
}
