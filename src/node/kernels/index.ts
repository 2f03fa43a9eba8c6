/**
 * The fast LSTM kernels in Node: relaxed SIMD switched on where this Node has it behind a flag
 * (Node 20; Node 22+ and Chromium ship it), and worker threads for the parallel autoencoder.
 */
import { availableParallelism } from 'os';
import { join } from 'path';
import { setFlagsFromString } from 'v8';
import { Worker } from 'worker_threads';

import type { AutoencoderWeights } from '../../core/kernels/autoencoder';
import {
  type CompiledKernels,
  type KernelFlavour,
  compileKernels,
  embeddedKernelBytes,
} from '../../core/kernels/loader';
import {
  type FastModel,
  type FastModelOptions,
  type WorkerPort,
  loadFastModel,
  loadParallelModel,
} from '../../core/kernels/parallel';

let compiled: Map<KernelFlavour, Promise<CompiledKernels>> | undefined;

/** The kernels compiled once per process; relaxed SIMD when V8 has it (enabling Node 20's flag). */
export function nodeKernels(prefer: KernelFlavour = 'relaxed-simd'): Promise<CompiledKernels> {
  compiled ??= new Map();
  let k = compiled.get(prefer);
  if (!k) {
    const bytes = embeddedKernelBytes();
    if (prefer === 'relaxed-simd' && bytes.relaxed && !WebAssembly.validate(bytes.relaxed)) {
      // V8 11.3 (Node 20) implements relaxed SIMD behind this flag; it is read when a module is compiled.
      setFlagsFromString('--experimental-wasm-relaxed-simd');
    }
    k = compileKernels(bytes, prefer);
    compiled.set(prefer, k);
  }
  return k;
}

/** `count` worker threads running src/node/kernels/worker.ts (through tsx, like the CLI). */
export function nodeKernelPorts(count: number): WorkerPort[] {
  const file = join(__dirname, 'worker.ts');
  return Array.from({ length: count }, () => {
    // tsx resolved here, not from the worker's cwd: the CLI may run from any directory.
    const tsx = JSON.stringify(require.resolve('tsx/cjs'));
    const worker = new Worker(`require(${tsx}); require(${JSON.stringify(file)});`, { eval: true });
    worker.unref();
    return {
      post: (message, transfer) => worker.postMessage(message, transfer as ArrayBuffer[]),
      listen: (handler) => worker.on('message', handler),
      onError: (handler) => worker.on('error', handler),
      terminate: () => void worker.terminate(),
    };
  });
}

export interface NodeFastOptions extends FastModelOptions {
  /** Worker threads; 0 runs on the calling thread. Default: one per CPU. */
  threads?: number;
  flavour?: KernelFlavour;
}

/** The fast autoencoder in Node: on worker threads (one per CPU by default) or the calling thread. */
export async function loadNodeFastModel(
  weights: AutoencoderWeights,
  options: NodeFastOptions = {}
): Promise<FastModel> {
  const kernels = await nodeKernels(options.flavour);
  const threads = options.threads ?? availableParallelism();
  return threads === 0
    ? loadFastModel(weights, kernels, options)
    : loadParallelModel(weights, nodeKernelPorts(threads), kernels, options);
}
