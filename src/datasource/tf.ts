/**
 * tfjs for the browser, loaded on first use: the data source's entry stays small and dashboards that
 * never score never download tfjs. Backends are tried in the order WebGL, wasm, cpu, starting at the
 * one configured; each one passed over is reported with why, so the panel can say "WebGL is not
 * available here, scoring with wasm".
 */
import { SyrrocaError } from '../core/errors';
import type { Tf } from '../core/model';
import type { Backend, BackendChoice } from './types';

export interface TfRuntime {
  tf: Tf;
  backend: Backend;
  /** Why each backend before `backend` was passed over, as sentences for the user (each names its backend). */
  fallbacks: string[];
}

export const BACKEND_ORDER: Backend[] = ['webgl', 'wasm', 'cpu'];

export const BACKEND_NAMES: Record<Backend, string> = {
  webgl: 'WebGL',
  wasm: 'WebAssembly',
  cpu: 'plain JavaScript (cpu)',
};

/** The backends to try for a choice: from the chosen one down the order (`auto` = all). */
export function backendCandidates(choice: BackendChoice): Backend[] {
  return choice === 'auto' ? BACKEND_ORDER : BACKEND_ORDER.slice(BACKEND_ORDER.indexOf(choice));
}

/** Why the backend cannot be used (undefined when it is now the active one). */
async function activate(tf: Tf, backend: Backend, wasmPrefix: string): Promise<string | undefined> {
  // setBackend resolves false (and tfjs warns on the console) when the backend fails to initialize.
  const ok = await tf.setBackend(backend).catch(() => false);
  if (!ok) {
    return backend === 'webgl'
      ? 'WebGL is not available in this browser (disabled, blocked, or no GPU context)'
      : backend === 'wasm'
        ? `the WebAssembly binaries of tfjs could not be loaded from ${wasmPrefix} (blocked by the browser or a proxy, or missing from the plugin)`
        : 'the cpu backend of tfjs failed to start';
  }
  if (backend === 'webgl' && !tf.env().getBool('WEBGL_RENDER_FLOAT32_CAPABLE')) {
    return 'WebGL here computes in 16-bit floats, too coarse for reconstruction errors';
  }
  return undefined;
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
    const reason = await activate(tf, backend, wasmPrefix);
    if (reason === undefined) {
      await tf.ready();
      return { tf, backend, fallbacks };
    }
    fallbacks.push(reason);
  }
  throw new SyrrocaError('tf-no-backend', `no tfjs backend could start in this browser: ${fallbacks.join('; ')}`);
}

/** Makes the runtime's backend the active one again (tfjs' backend is global; another data source may have switched it). */
export async function reactivate(runtime: TfRuntime): Promise<void> {
  if (runtime.tf.getBackend() !== runtime.backend) {
    await runtime.tf.setBackend(runtime.backend);
  }
}
