/** A kernel Web Worker (started by webKernelPorts): serves the page's requests. */
import { serveKernelPort } from '../core/kernels/parallel';

const scope = self as unknown as {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', handler: (e: MessageEvent) => void): void;
};
serveKernelPort({
  post: (message, transfer) => scope.postMessage(message, transfer ?? []),
  listen: (handler) => scope.addEventListener('message', (e) => handler(e.data)),
});
