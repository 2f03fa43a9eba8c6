/** A kernel worker thread (started by nodeKernelPorts): serves the owner's requests. */
import { parentPort } from 'worker_threads';

import { serveKernelPort } from '../../core/kernels/parallel';

const port = parentPort!;
serveKernelPort({
  post: (message, transfer) => port.postMessage(message, transfer as ArrayBuffer[]),
  listen: (handler) => port.on('message', handler),
});
