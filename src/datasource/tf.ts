/**
 * tfjs for the browser, loaded on first use: the data source's entry stays small and dashboards that
 * never score never download tfjs. Backends are tried in the order SIMD kernels, WebGL, wasm, cpu,
 * starting at the one configured; each one passed over is reported with why, so the panel can say
 * "WebGL is not available here, scoring with wasm". With the SIMD kernels, tfjs (on cpu) only parses
 * the models; the project's WebAssembly SIMD kernels reconstruct with the same weights, on Web
 * Workers (src/datasource/workers.ts), or on the page's thread when workers cannot start.
 */
import { SyrrocaError } from '../core/errors';
import type { CompiledKernels } from '../core/kernels/loader';
import type { FastModelOptions } from '../core/kernels/parallel';
import type { FastModelFactory, Tf } from '../core/model';
import type { Backend, BackendChoice } from './types';
import { kernelWorkerCount, startKernelWorkers } from './workers';

export interface TfRuntime {
  tf: Tf;
  backend: Backend;
  /** Why each backend before `backend` was passed over, as sentences for the user (each names its backend). */
  fallbacks: string[];
  /** With the `simd` backend: the fast kernels the models run on. */
  fast?: FastModelFactory;
  /** With the `simd` backend: Web Workers per model (0: the page's thread). */
  workers?: number;
  /** With the `simd` backend on the page's thread: why the workers could not start, as a sentence for the user. */
  workersProblem?: string;
}

export const BACKEND_ORDER: Backend[] = ['simd', 'webgl', 'wasm', 'cpu'];

export const BACKEND_NAMES: Record<Backend, string> = {
  simd: 'WebAssembly SIMD kernels',
  webgl: 'WebGL',
  wasm: 'WebAssembly',
  cpu: 'plain JavaScript (cpu)',
};

/** Windows reconstructed between two yields to the browser: about 0.1 s of work on each backend. */
export const SCORING_CHUNK: Record<Backend, number> = { simd: 512, webgl: 256, wasm: 128, cpu: 16 };

/** The backends to try for a choice: from the chosen one down the order (`auto` = all). */
export function backendCandidates(choice: BackendChoice): Backend[] {
  return choice === 'auto' ? BACKEND_ORDER : BACKEND_ORDER.slice(BACKEND_ORDER.indexOf(choice));
}

/** The tfjs backend behind a backend: the SIMD kernels leave tfjs on cpu, where it only parses models. */
const tfBackendOf = (backend: Backend) => (backend === 'simd' ? 'cpu' : backend);

/** The kernels compiled once per page (the module is small and compiles in milliseconds, but only once). */
let kernels: Promise<CompiledKernels> | undefined;

type Activation = Pick<TfRuntime, 'fast' | 'workers' | 'workersProblem'> & { reason?: string };

/** Why the backend cannot be used (undefined when it is now the active one); the fast factory for `simd`. */
async function activate(tf: Tf, backend: Backend, wasmPrefix: string, kernelsWorker?: string): Promise<Activation> {
  let simd: Activation = {};
  if (backend === 'simd') {
    // The kernels (20 KB of embedded wasm) load in their own chunk, like tfjs.
    const [{ compileKernels }, { loadFastModel, loadParallelModel }] = await Promise.all([
      import(/* webpackChunkName: "kernels" */ '../core/kernels/loader'),
      import(/* webpackChunkName: "kernels" */ '../core/kernels/parallel'),
    ]);
    kernels ??= compileKernels();
    const compiled = await kernels.catch((err: Error) => {
      kernels = undefined;
      return err;
    });
    if (compiled instanceof Error) {
      return { reason: `the SIMD kernels cannot run here (${compiled.message})` };
    }
    const onPage = (weights: Parameters<FastModelFactory>[0], options: FastModelOptions) =>
      loadFastModel(weights, compiled, options);
    // One worker started and stopped first: a page that cannot run workers learns it once, here.
    const probe = kernelsWorker
      ? await startKernelWorkers(kernelsWorker, 1).catch((err: Error) => err)
      : new Error('no worker script was given');
    if (probe instanceof Error) {
      // On the page's thread: the data source reconstructs in chunks and yields in between.
      simd = {
        fast: onPage,
        workers: 0,
        workersProblem: kernelsWorker
          ? `Web Workers could not start from ${kernelsWorker} (${probe.message}), so the SIMD kernels score on ` +
            "the page's thread, slower and with the page less responsive: allow workers from the plugin's folder " +
            '(Content-Security-Policy worker-src) or check that the plugin is complete'
          : undefined,
      };
    } else {
      probe.forEach((p) => p.terminate());
      const count = kernelWorkerCount();
      const script = kernelsWorker!;
      // Each model gets its own workers (they hold its weights); the page's thread if they stop starting.
      const fast: FastModelFactory = async (weights, options) => {
        const ports = await startKernelWorkers(script, count).catch(() => undefined);
        return ports ? loadParallelModel(weights, ports, compiled, options) : onPage(weights, options);
      };
      simd = { fast, workers: count };
    }
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
  return simd;
}

/**
 * Loads tfjs and its wasm backend (one lazy chunk) and activates the first backend that works.
 * `wasmPrefix` is the URL of the folder holding the `.wasm` files, ending in `/`; `kernelsWorker`
 * the URL of the `simd` backend's worker script (without it, the kernels run on the page's thread).
 */
export async function loadTf(choice: BackendChoice, wasmPrefix: string, kernelsWorker?: string): Promise<TfRuntime> {
  const [tf, wasm] = await Promise.all([
    import(/* webpackChunkName: "tfjs" */ '@tensorflow/tfjs'),
    import(/* webpackChunkName: "tfjs" */ '@tensorflow/tfjs-backend-wasm'),
  ]);
  wasm.setWasmPaths(wasmPrefix);
  const fallbacks: string[] = [];
  for (const backend of backendCandidates(choice)) {
    const { reason, ...simd } = await activate(tf, backend, wasmPrefix, kernelsWorker);
    if (reason === undefined) {
      await tf.ready();
      return { tf, backend, fallbacks, ...simd };
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
