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
  /** Samples per kernel pass (rounded up to a multiple of 8); more is faster until the activations leave the cache. */
  maxLanes?: number;
  /** Compiled kernels to share between models (compileKernels()); compiled on demand otherwise. */
  kernels?: CompiledKernels;
}

export interface FastAutoencoder {
  readonly shape: AutoencoderWeights['shape'];
  readonly flavour: CompiledKernels['flavour'];
  /** Reconstructs n windows ([n, window, features] row-major), like `model.predict` in inference. */
  reconstruct(windows: Float32Array, n: number): Float32Array;
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
function packDense(kernel: Float32Array, bias: Float32Array, k: number, n: number): { w: Float32Array; b: Float32Array } {
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
  return new KernelAutoencoder(exports, kernels.flavour, weights, options.maxLanes ?? 256);
}

class KernelAutoencoder implements FastAutoencoder {
  readonly shape: AutoencoderWeights['shape'];
  private readonly k: KernelExports;
  private readonly lanes: number;
  private readonly fRows: number;
  private readonly p: Record<string, number> = {};

  constructor(
    k: KernelExports,
    readonly flavour: CompiledKernels['flavour'],
    weights: AutoencoderWeights,
    maxLanes: number
  ) {
    this.k = k;
    this.shape = weights.shape;
    const { features: F, window: T, units } = weights.shape;
    const [h1, h2, h3, h4] = units;
    const a = weights.arrays;
    if (a.length !== 14) {
      throw new Error(`an LSTM autoencoder has 14 weight arrays, got ${a.length}`);
    }
    this.lanes = Math.ceil(maxLanes / LANE_TILE) * LANE_TILE;
    this.fRows = Math.ceil(F / 4) * 4;
    const dense = packDense(a[12], a[13], h4, F);
    const dec1In = packDense(transposeGates(a[6], h2, h3), packLstmBias(a[8], h3), h2, 4 * h3);
    const packed: Record<string, Float32Array> = {
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
    const L = this.lanes;
    const layout = new Layout(k.heapBase());
    for (const [name, arr] of Object.entries(packed)) {
      this.p[name] = layout.take(arr.length);
    }
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
      this.p[name] = layout.take(n);
    }
    const grow = layout.bytes - k.memory.buffer.byteLength;
    if (grow > 0) {
      k.memory.grow(Math.ceil(grow / 65536));
    }
    for (const [name, arr] of Object.entries(packed)) {
      new Float32Array(k.memory.buffer, this.p[name], arr.length).set(arr);
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
      new Float32Array(this.k.memory.buffer, this.p.io, size * stride).set(
        windows.subarray(start * stride, (start + size) * stride)
      );
      this.forward(size);
      out.set(new Float32Array(this.k.memory.buffer, this.p.io, size * stride), start * stride);
    }
    return out;
  }

  /** io[0..n) -> io[0..n): the whole network on one pass of lanes. */
  private forward(n: number): void {
    const { k, p } = this;
    const { features: F, window: T, units } = this.shape;
    const [h1, h2, h3, h4] = units;
    const L = Math.ceil(n / LANE_TILE) * LANE_TILE;
    const row = L * 4;
    k.toLanes(p.io, n, T, F, p.x, F, L);
    k.lstm(p.x, F * row, F, h1, p.w1, p.b1, 0, p.h1, p.c, 0, 0, T, L, p.z);
    k.lstm(p.h1, h1 * row, h1, h2, p.w2, p.b2, 0, p.h2, p.c, 0, 0, T, L, p.z);
    // Dropout is the identity in inference; the repeated code is projected once for all steps.
    k.dense(p.h2 + (T - 1) * h2 * row, 0, h2, p.w3x, p.b3x, h3, p.pre3, 0, 1, L);
    k.lstm(0, 0, 0, h3, p.w3, 0, p.pre3, p.h3, p.c, 0, 0, T, L, p.z);
    k.lstm(p.h3, h3 * row, h3, h4, p.w4, p.b4, 0, p.h4, p.c, 0, 0, T, L, p.z);
    k.dense(p.h4, h4 * row, h4, p.wd, p.bd, this.fRows / 4, p.y, this.fRows * row, T, L);
    k.fromLanes(p.y, this.fRows, L, n, T, F, p.io);
  }
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
