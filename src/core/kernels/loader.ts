/**
 * Instantiates the LSTM kernels (WebAssembly SIMD, compiled from ./assembly by `npm run
 * build:kernels`) from bytes. Two builds of the same sources exist: one with relaxed SIMD (fused
 * multiply-add) and one with plain SIMD; the relaxed one is used where the runtime validates it.
 * No file system and no fetch here: the bytes are embedded (./wasm.ts) or passed in by a shell.
 */
import { KERNELS_RELAXED_SIMD_BASE64, KERNELS_SIMD_BASE64 } from './wasm';

type Ptr = number;

/** The module's exports (pointers are byte offsets into `memory`). */
export interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): Ptr;
  dense(
    x: Ptr,
    xStep: number,
    k: number,
    w: Ptr,
    bias: Ptr,
    groups: number,
    y: Ptr,
    yStep: number,
    steps: number,
    lanes: number
  ): void;
  lstm(
    x: Ptr,
    xStep: number,
    kIn: number,
    units: number,
    w: Ptr,
    bias: Ptr,
    pre: Ptr,
    h: Ptr,
    c: Ptr,
    cStep: number,
    gates: Ptr,
    tanhC: Ptr,
    steps: number,
    lanes: number,
    z: Ptr
  ): void;
  mseGrad(
    y: Ptr,
    x: Ptr,
    rows: number,
    features: number,
    lanes: number,
    n: number,
    steps: number,
    scale: number
  ): number;
  matmulT(
    dz: Ptr,
    dzStep: number,
    groups: number,
    w: Ptr,
    rowOff: number,
    kTotal: number,
    rows: number,
    out: Ptr,
    outStep: number,
    steps: number,
    lanes: number,
    accumulate: boolean
  ): void;
  weightGrad(
    x: Ptr,
    xStep: number,
    rows: number,
    dz: Ptr,
    dzStep: number,
    groups: number,
    steps: number,
    tStart: number,
    lanes: number,
    dw: Ptr,
    rowOff: number,
    kTotal: number
  ): void;
  biasGrad(dz: Ptr, dzStep: number, rows: number, steps: number, lanes: number, db: Ptr): void;
  lstmBackward(
    units: number,
    gates: Ptr,
    c: Ptr,
    tanhC: Ptr,
    dh: Ptr,
    dz: Ptr,
    dc: Ptr,
    db: Ptr,
    w: Ptr,
    kIn: number,
    steps: number,
    lanes: number
  ): void;
  adam(
    p: Ptr,
    g: Ptr,
    m: Ptr,
    v: Ptr,
    count: number,
    lr: number,
    b1: number,
    b2: number,
    eps: number,
    c1: number,
    c2: number
  ): void;
  toLanes(src: Ptr, n: number, steps: number, features: number, dst: Ptr, rows: number, lanes: number): void;
  fromLanes(src: Ptr, rows: number, lanes: number, n: number, steps: number, features: number, dst: Ptr): void;
}

export type KernelFlavour = 'relaxed-simd' | 'simd';

export interface KernelBytes {
  simd: Uint8Array<ArrayBuffer>;
  relaxed?: Uint8Array<ArrayBuffer>;
}

export interface CompiledKernels {
  module: WebAssembly.Module;
  flavour: KernelFlavour;
}

/** The builds shipped with the package (embedded, so workers and bundles need no extra file). */
export function embeddedKernelBytes(): KernelBytes {
  return { simd: fromBase64(KERNELS_SIMD_BASE64), relaxed: fromBase64(KERNELS_RELAXED_SIMD_BASE64) };
}

/**
 * Compiles the fastest build this runtime accepts. `prefer: 'simd'` forces the plain SIMD build
 * (to compare, or where relaxed results must be bit-stable across machines).
 */
export async function compileKernels(
  bytes: KernelBytes = embeddedKernelBytes(),
  prefer: KernelFlavour = 'relaxed-simd'
): Promise<CompiledKernels> {
  if (prefer === 'relaxed-simd' && bytes.relaxed && WebAssembly.validate(bytes.relaxed)) {
    return { module: await WebAssembly.compile(bytes.relaxed), flavour: 'relaxed-simd' };
  }
  if (!WebAssembly.validate(bytes.simd)) {
    throw new Error('this JavaScript runtime has no WebAssembly SIMD: the fast LSTM kernels cannot run here');
  }
  return { module: await WebAssembly.compile(bytes.simd), flavour: 'simd' };
}

export async function instantiateKernels(module: WebAssembly.Module): Promise<KernelExports> {
  const instance = await WebAssembly.instantiate(module, {});
  return instance.exports as unknown as KernelExports;
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const lookup = new Uint8Array(128);
  for (let i = 0; i < alphabet.length; i++) {
    lookup[alphabet.charCodeAt(i)] = i;
  }
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const n =
      (lookup[text.charCodeAt(i)] << 18) |
      (lookup[text.charCodeAt(i + 1)] << 12) |
      (lookup[text.charCodeAt(i + 2)] << 6) |
      lookup[text.charCodeAt(i + 3)];
    out[o++] = n >> 16;
    if (o < out.length) {
      out[o++] = (n >> 8) & 255;
    }
    if (o < out.length) {
      out[o++] = n & 255;
    }
  }
  return out;
}
