/**
 * The fast kernels' worker threads in the browser: Web Workers running webWorker.ts, the
 * counterpart of src/node/kernels for loadParallelModel. The kernels are compiled once on the
 * page (compileKernels) and the compiled module is posted to each worker.
 */
import type { WorkerPort } from '../core/kernels/parallel';

export function webKernelPorts(count = navigator.hardwareConcurrency || 2): WorkerPort[] {
  return Array.from({ length: count }, () => {
    // webpack 5 bundles the worker from this expression.
    const worker = new Worker(new URL('./webWorker.ts', import.meta.url));
    return {
      post: (message, transfer) => worker.postMessage(message, transfer ?? []),
      listen: (handler) => worker.addEventListener('message', (e) => handler(e.data)),
      terminate: () => worker.terminate(),
    };
  });
}
