/**
 * A Web Worker of the `simd` backend (started by startKernelWorkers): serves the page's kernel
 * requests. Built as its own file at the app's root (`kernels.worker.js`), beside the wasm folder.
 */
import { serveKernelPort } from '../core/kernels/parallel';

// The project's tsconfig has no webworker lib: the two members the worker uses, typed here.
const scope = self as unknown as {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', handler: (event: MessageEvent) => void): void;
};

serveKernelPort({
  post: (message, transfer) => scope.postMessage(message, transfer ?? []),
  listen: (handler) => scope.addEventListener('message', (event) => handler(event.data)),
});
// Tells the page this script loaded and runs (a blocked or missing script never says it).
scope.postMessage({ ready: true }, []);
