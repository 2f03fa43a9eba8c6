/**
 * Web Workers for the `simd` backend: each runs src/datasource/kernels.worker.ts, and the core's
 * loadParallelModel spreads a model's windows over them as Node spreads them over worker_threads.
 * A worker that cannot start (blocked by a Content-Security-Policy, missing from the plugin, served
 * from another origin) is reported, so that the kernels can run on the page's thread instead.
 */
import type { WorkerPort } from '../core/kernels/parallel';

/** At most this many workers per model: beyond, operator laptops gain little and hold more memory. */
export const MAX_KERNEL_WORKERS = 4;

/** Workers per model on this machine: one per logical core, at least one, at most MAX_KERNEL_WORKERS. */
export function kernelWorkerCount(cores = globalThis.navigator?.hardwareConcurrency): number {
  return Math.max(1, Math.min(MAX_KERNEL_WORKERS, Math.floor(cores || 1)));
}

/** One worker from `url`, once its script runs; rejects (and stops it) when it cannot load within `timeoutMs`. */
function startWorker(url: string, timeoutMs: number): Promise<Worker> {
  return new Promise((resolve, reject) => {
    if (typeof Worker === 'undefined') {
      reject(new Error('this browser has no Web Workers'));
      return;
    }
    let worker: Worker;
    try {
      worker = new Worker(url, { name: 'syrroca-kernels' });
    } catch (err) {
      // Chromium throws at once for a cross-origin script; CSP blocks surface as an error event.
      reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    const done = () => {
      clearTimeout(timer);
      worker.onmessage = null;
      worker.onerror = null;
    };
    const timer = setTimeout(() => {
      done();
      worker.terminate();
      reject(new Error(`the worker did not start within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    worker.onmessage = (event: MessageEvent) => {
      if ((event.data as { ready?: boolean } | null)?.ready) {
        done();
        resolve(worker);
      }
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      done();
      worker.terminate();
      reject(new Error(event.message || 'its script could not be loaded'));
    };
  });
}

const portOf = (worker: Worker): WorkerPort => ({
  post: (message, transfer) => worker.postMessage(message, transfer ?? []),
  listen: (handler) => worker.addEventListener('message', (event) => handler(event.data)),
  onError: (handler) =>
    worker.addEventListener('error', (event) => handler(new Error(event.message || 'the worker stopped'))),
  terminate: () => worker.terminate(),
});

/** `count` started workers from `url` as kernel ports; if one cannot start, all are stopped and this rejects. */
export async function startKernelWorkers(url: string, count: number, timeoutMs = 20_000): Promise<WorkerPort[]> {
  const started = await Promise.allSettled(Array.from({ length: count }, () => startWorker(url, timeoutMs)));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    started.forEach((s) => s.status === 'fulfilled' && s.value.terminate());
    throw failed.reason;
  }
  return started.map((s) => portOf((s as PromiseFulfilledResult<Worker>).value));
}
