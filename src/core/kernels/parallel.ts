/**
 * The fast autoencoder on several threads: each worker holds its own instance of the kernels and a
 * copy of the weights, and a batch is split between them by samples (the samples of a batch are
 * independent, so the workers never wait on each other within a pass). Transport-neutral: a shell
 * wraps Node's worker_threads or the browser's Web Workers as a KernelPort, and runs
 * serveKernelPort on the other side.
 */
import type { CompiledKernels } from './loader';
import { type AutoencoderWeights, type FastAutoencoder, loadFastAutoencoder } from './autoencoder';

/** One end of a message channel (a Worker seen from its owner, or the owner seen from the worker). */
export interface KernelPort {
  post(message: unknown, transfer?: Transferable[]): void;
  listen(handler: (message: unknown) => void): void;
}

export interface WorkerPort extends KernelPort {
  terminate(): void;
}

type Request =
  | { kind: 'init'; id: number; module: WebAssembly.Module; flavour: CompiledKernels['flavour']; weights: AutoencoderWeights; maxLanes: number }
  | { kind: 'reconstruct'; id: number; windows: Float32Array; n: number };

type Reply = { id: number; ok: true; out?: Float32Array } | { id: number; ok: false; message: string };

/** The worker side: answers the owner's requests until the worker is terminated. */
export function serveKernelPort(port: KernelPort): void {
  let model: FastAutoencoder | undefined;
  port.listen(async (message) => {
    const request = message as Request;
    try {
      if (request.kind === 'init') {
        model = await loadFastAutoencoder(request.weights, {
          kernels: { module: request.module, flavour: request.flavour },
          maxLanes: request.maxLanes,
        });
        port.post({ id: request.id, ok: true } satisfies Reply);
      } else {
        if (!model) {
          throw new Error('reconstruct before init');
        }
        const out = model.reconstruct(request.windows, request.n);
        port.post({ id: request.id, ok: true, out } satisfies Reply, [out.buffer]);
      }
    } catch (e) {
      port.post({ id: request.id, ok: false, message: e instanceof Error ? e.message : String(e) } satisfies Reply);
    }
  });
}

export interface ParallelAutoencoder {
  readonly shape: AutoencoderWeights['shape'];
  readonly flavour: CompiledKernels['flavour'];
  readonly threads: number;
  reconstruct(windows: Float32Array, n: number): Promise<Float32Array>;
  /** Terminates the workers. */
  dispose(): void;
}

/** Splits work across `ports` (one per worker); `kernels` is compiled once and shared. */
export async function loadParallelAutoencoder(
  weights: AutoencoderWeights,
  ports: WorkerPort[],
  kernels: CompiledKernels,
  options: { maxLanes?: number } = {}
): Promise<ParallelAutoencoder> {
  if (ports.length === 0) {
    throw new Error('loadParallelAutoencoder needs at least one worker');
  }
  const clients = ports.map((port) => new Client(port));
  const maxLanes = options.maxLanes ?? 256;
  await Promise.all(
    clients.map((c) =>
      c.call({ kind: 'init', id: 0, module: kernels.module, flavour: kernels.flavour, weights, maxLanes }, [])
    )
  );
  const { window, features } = weights.shape;
  const stride = window * features;
  return {
    shape: weights.shape,
    flavour: kernels.flavour,
    threads: clients.length,
    async reconstruct(windows: Float32Array, n: number): Promise<Float32Array> {
      // Equal shares, rounded to the kernels' 8-lane tiles so no worker pads more than it must.
      const share = Math.ceil(n / clients.length / 8) * 8;
      const parts = clients.map((c, i) => {
        const start = Math.min(n, i * share);
        const size = Math.min(n, start + share) - start;
        if (size === 0) {
          return Promise.resolve(new Float32Array(0));
        }
        const slice = windows.slice(start * stride, (start + size) * stride);
        return c.call({ kind: 'reconstruct', id: 0, windows: slice, n: size }, [slice.buffer]);
      });
      const out = new Float32Array(n * stride);
      let at = 0;
      for (const part of await Promise.all(parts)) {
        out.set(part!, at);
        at += part!.length;
      }
      return out;
    },
    dispose() {
      ports.forEach((p) => p.terminate());
    },
  };
}

class Client {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (out?: Float32Array) => void; reject: (e: Error) => void }>();

  constructor(private readonly port: WorkerPort) {
    port.listen((message) => {
      const reply = message as Reply;
      const p = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.ok) {
        p?.resolve(reply.out);
      } else {
        p?.reject(new Error(`kernel worker: ${reply.message}`));
      }
    });
  }

  call(request: Request, transfer: Transferable[]): Promise<Float32Array | undefined> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.port.post({ ...request, id }, transfer);
    });
  }
}
