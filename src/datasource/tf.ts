/**
 * tfjs for the browser, loaded on first use: the data source's entry stays small and dashboards that
 * never score never download tfjs. Backends are tried in the order SIMD kernels, WebGL, wasm, cpu,
 * starting at the one configured; each one passed over is reported with why, so the panel can say
 * "WebGL is not available here, scoring with wasm". With the SIMD kernels, tfjs (on cpu) only parses
 * the models; the project's WebAssembly SIMD kernels reconstruct with the same weights.
 */
import { SyrrocaError } from '../core/errors';
import { compileKernels, type CompiledKernels } from '../core/kernels/loader';
import { loadFastModel } from '../core/kernels/parallel';
import type { FastModelFactory, Tf } from '../core/model';
import type { Backend, BackendChoice } from './types';

export interface TfRuntime {
  tf: Tf;
  backend: Backend;
  /** Why each backend before `backend` was passed over, as sentences for the user (each names its backend). */
  fallbacks: string[];
  /** With the `simd` backend: the fast kernels the models run on. */
  fast?: FastModelFactory;
}

export const BACKEND_ORDER: Backend[] = ['simd', 'webgl', 'wasm', 'cpu'];

export const BACKEND_NAMES: Record<Backend, string> = {
  simd: 'WebAssembly SIMD kernels',
  webgl: 'WebGL',
  wasm: 'WebAssembly',
  cpu: 'plain JavaScript (cpu)',
};

/** The backends to try for a choice: from the chosen one down the order (`auto` = all). */
export function backendCandidates(choice: BackendChoice): Backend[] {
  return choice === 'auto' ? BACKEND_ORDER : BACKEND_ORDER.slice(BACKEND_ORDER.indexOf(choice));
}

/** The tfjs backend behind a backend: the SIMD kernels leave tfjs on cpu, where it only parses models. */
const tfBackendOf = (backend: Backend) => (backend === 'simd' ? 'cpu' : backend);

/** The kernels compiled once per page (the module is small and compiles in milliseconds, but only once). */
let kernels: Promise<CompiledKernels> | undefined;

/** Why the backend cannot be used (undefined when it is now the active one); the fast factory for `simd`. */
async function activate(
  tf: Tf,
  backend: Backend,
  wasmPrefix: string
): Promise<{ reason?: string; fast?: FastModelFactory }> {
  let fast: FastModelFactory | undefined;
  if (backend === 'simd') {
    kernels ??= compileKernels();
    const compiled = await kernels.catch((err: Error) => {
      kernels = undefined;
      return err;
    });
    if (compiled instanceof Error) {
      return { reason: `the SIMD kernels cannot run here (${compiled.message})` };
    }
    // On the page's thread: the data source reconstructs in chunks and yields in between.
    fast = (weights, options) => loadFastModel(weights, compiled, options);
  }
  // setBackend resolves false (and tfjs warns on the console) when the backend fails to initialize.
  const ok = await tf.setBackend(tfBackendOf(backend)).catch(() => false);
  if (!ok) {
    return {
      reason:
        backend === 'webgl'
          ? 'WebGL is not available in this browser (disabled, blocked, or no GPU context)'
          : backend === 'wasm'
            ? `the WebAssembly binaries of tfjs could not be loaded from ${wasmPrefix} (blocked by the browser or a proxy, or missing from the plugin)`
            : 'the cpu backend of tfjs failed to start',
    };
  }
  if (backend === 'webgl' && !tf.env().getBool('WEBGL_RENDER_FLOAT32_CAPABLE')) {
    return { reason: 'WebGL here computes in 16-bit floats, too coarse for reconstruction errors' };
  }
  return { fast };
}

/**
 * Loads tfjs and its wasm backend (one lazy chunk) and activates the first backend that works.
 * `wasmPrefix` is the URL of the folder holding the `.wasm` files, ending in `/`.
 */
export async function loadTf(choice: BackendChoice, wasmPrefix: string): Promise<TfRuntime> {
  const [tf, wasm] = await Promise.all([
    import(/* webpackChunkName: "tfjs" */ '@tensorflow/tfjs'),
    import(/* webpackChunkName: "tfjs" */ '@tensorflow/tfjs-backend-wasm'),
  ]);
  wasm.setWasmPaths(wasmPrefix);
  const fallbacks: string[] = [];
  for (const backend of backendCandidates(choice)) {
    const { reason, fast } = await activate(tf, backend, wasmPrefix);
    if (reason === undefined) {
      await tf.ready();
      return { tf, backend, fallbacks, ...(fast ? { fast } : {}) };
    }
    fallbacks.push(reason);
  }
  throw new SyrrocaError('tf-no-backend', `no tfjs backend could start in this browser: ${fallbacks.join('; ')}`);
}

/** Makes the runtime's backend the active one again (tfjs' backend is global; another data source may have switched it). */
export async function reactivate(runtime: TfRuntime): Promise<void> {
  if (runtime.tf.getBackend() !== tfBackendOf(runtime.backend)) {
    await runtime.tf.setBackend(tfBackendOf(runtime.backend));
  }
}
