import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import path, { dirname, join } from 'path';

import type { Tf } from '../core/model';

let ready: Promise<Tf> | undefined;

/**
 * tfjs with the wasm backend, once per process. `tfjs-node` is not an option here (its install
 * downloads a native library), and tfjs' pure-JS cpu backend is ~20x slower than wasm SIMD.
 */
export function loadTf(): Promise<Tf> {
  ready ??= (async () => {
    setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), path.sep));
    setThreadsCount(1);
    await tf.setBackend('wasm');
    await tf.ready();
    return tf;
  })();
  return ready;
}
