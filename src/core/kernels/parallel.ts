/**
 * The fast autoencoder on one or several threads, for inference and training. Each worker holds
 * its own instance of the kernels and a copy of the weights; a batch is split between them by
 * samples. In inference the workers never wait on each other; in training each computes the
 * gradients of its share, the owner sums them, and every worker takes the same Adam step, so the
 * copies stay identical. Transport-neutral: a shell wraps Node's worker_threads or the browser's
 * Web Workers as a WorkerPort and runs serveKernelPort on the other side.
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
  /** Called when the worker dies (uncaught error, failed load): its pending requests then reject. */
  onError?(handler: (error: Error) => void): void;
}

export interface FastModelOptions {
  /** Samples per kernel pass in inference (see FastAutoencoderOptions). */
  maxLanes?: number;
  learningRate?: number;
  /** Dropout rate of the layer after the encoder (the model's shape.dropout); 0 trains without. */
  dropout?: number;
  /** Seed of the dropout masks: the same data, order and seed train the same weights. */
  seed?: number;
}

/** The fast path as the rest of the project uses it, on the calling thread or on workers. */
export interface FastModel {
  readonly shape: AutoencoderWeights['shape'];
  readonly flavour: CompiledKernels['flavour'];
  /** Worker threads (0: the calling thread). */
  readonly threads: number;
  /** Like `model.predict` in inference: n windows [n, window, features] row-major, same layout out. */
  reconstruct(windows: Float32Array, n: number): Promise<Float32Array>;
  /** One Adam step on the mean squared reconstruction error of n windows; returns that loss (before the step). */
  trainBatch(windows: Float32Array, n: number): Promise<number>;
  /** Current weights in tfjs' getWeights() order (for model.setWeights and the artifact). */
  weights(): Promise<Float32Array[]>;
  dispose(): void;
}

type Request =
  | {
      kind: 'init';
      module: WebAssembly.Module;
      flavour: CompiledKernels['flavour'];
      weights: AutoencoderWeights;
      options: FastModelOptions;
    }
  | { kind: 'reconstruct'; windows: Float32Array; n: number }
  | {
      kind: 'gradients';
      windows: Float32Array;
      n: number;
      total: number;
      mask: Float32Array | null;
      apply: Float32Array | null;
    }
  | { kind: 'apply'; gradients: Float32Array }
  | { kind: 'weights' };

interface Answer {
  out?: Float32Array;
  value?: number;
  arrays?: Float32Array[];
}

type Reply = ({ ok: true } & Answer & { id: number }) | { id: number; ok: false; message: string };

/** The worker side: answers the owner's requests until the worker is terminated. */
export function serveKernelPort(port: KernelPort): void {
  let model: FastAutoencoder | undefined;
  const handle = async (request: Request): Promise<[Answer, Transferable[]]> => {
    if (request.kind === 'init') {
      model = await loadFastAutoencoder(request.weights, {
        kernels: { module: request.module, flavour: request.flavour },
        maxLanes: request.options.maxLanes,
        learningRate: request.options.learningRate,
      });
      return [{}, []];
    }
    if (!model) {
      throw new Error(`${request.kind} before init`);
    }
    switch (request.kind) {
      case 'reconstruct': {
        const out = model.reconstruct(request.windows, request.n);
        return [{ out }, [out.buffer]];
      }
      case 'gradients': {
        if (request.apply) {
          model.applyGradients(request.apply);
        }
        const value = model.computeGradients(request.windows, request.n, request.total, request.mask);
        const out = model.gradients().slice();
        return [{ out, value }, [out.buffer]];
      }
      case 'apply':
        model.applyGradients(request.gradients);
        return [{}, []];
      case 'weights':
        return [{ arrays: model.weights() }, []];
    }
  };
  port.listen(async (message) => {
    const { id, ...request } = message as Request & { id: number };
    try {
      const [answer, transfer] = await handle(request as Request);
      port.post({ id, ok: true, ...answer } satisfies Reply, transfer);
    } catch (e) {
      port.post({ id, ok: false, message: e instanceof Error ? e.message : String(e) } satisfies Reply);
    }
  });
}

/** The fast model on the calling thread. */
export async function loadFastModel(
  weights: AutoencoderWeights,
  kernels: CompiledKernels,
  options: FastModelOptions = {}
): Promise<FastModel> {
  const model = await loadFastAutoencoder(weights, { kernels, ...options });
  const { window, features, units } = weights.shape;
  const dropout = new Dropout(units[1], options);
  return {
    shape: model.shape,
    flavour: model.flavour,
    threads: 0,
    reconstruct: async (windows, n) => model.reconstruct(windows, n),
    async trainBatch(windows, n) {
      const sse = model.computeGradients(windows, n, n, dropout.mask(n));
      model.applyGradients();
      return sse / (n * window * features);
    },
    weights: async () => model.weights(),
    dispose: () => undefined,
  };
}

/** The fast model on worker threads (one per port); `kernels` is compiled once and shared. */
export async function loadParallelModel(
  weights: AutoencoderWeights,
  ports: WorkerPort[],
  kernels: CompiledKernels,
  options: FastModelOptions = {}
): Promise<FastModel> {
  if (ports.length === 0) {
    throw new Error('loadParallelModel needs at least one worker');
  }
  const clients = ports.map((port) => new Client(port));
  await Promise.all(
    clients.map((c) => c.call({ kind: 'init', module: kernels.module, flavour: kernels.flavour, weights, options }))
  );
  const { window, features, units } = weights.shape;
  const stride = window * features;
  const dropout = new Dropout(units[1], options);
  // The summed gradients of the last batch travel with the next request (one round trip per step);
  // anything that reads the weights applies them first.
  let pending: Float32Array | null = null;
  const flush = async () => {
    if (pending) {
      const gradients = pending;
      pending = null;
      await Promise.all(clients.map((c) => c.call({ kind: 'apply', gradients })));
    }
  };
  /** Equal shares of n samples, rounded to the kernels' 8-lane tiles: [client, start, size]. */
  const shares = (n: number) => {
    const share = Math.ceil(n / clients.length / 8) * 8;
    return clients
      .map((c, i) => [c, Math.min(n, i * share), Math.min(n, (i + 1) * share) - Math.min(n, i * share)] as const)
      .filter(([, , size]) => size > 0);
  };
  return {
    shape: weights.shape,
    flavour: kernels.flavour,
    threads: clients.length,
    async reconstruct(windows, n) {
      await flush();
      // Chunks handed out as workers finish (about 4 per worker, two in flight each so a worker
      // never waits for the next one): a worker slowed by another process on its core takes
      // fewer chunks instead of holding the whole call back, as an equal split would.
      const chunk = Math.max(16, Math.ceil(n / clients.length / 4 / 16) * 16);
      const out = new Float32Array(n * stride);
      let next = 0;
      const feed = async (c: Client) => {
        while (next < n) {
          const start = next;
          const size = Math.min(chunk, n - start);
          next += size;
          const slice = windows.slice(start * stride, (start + size) * stride);
          const answer = await c.call({ kind: 'reconstruct', windows: slice, n: size }, [slice.buffer]);
          out.set(answer.out!, start * stride);
        }
      };
      await Promise.all(clients.flatMap((c) => [feed(c), feed(c)]));
      return out;
    },
    async trainBatch(windows, n) {
      const mask = dropout.mask(n);
      const work = shares(n);
      if (work.length < clients.length) {
        // Workers without a share this time must still take the last step.
        await flush();
      }
      const apply = pending;
      pending = null;
      const parts = await Promise.all(
        work.map(([c, start, size]) => {
          const slice = windows.slice(start * stride, (start + size) * stride);
          const m = mask && mask.slice(start * units[1], (start + size) * units[1]);
          return c.call({ kind: 'gradients', windows: slice, n: size, total: n, mask: m, apply }, [slice.buffer]);
        })
      );
      const sum = parts[0].out!;
      for (const p of parts.slice(1)) {
        const g = p.out!;
        for (let i = 0; i < sum.length; i++) {
          sum[i] += g[i];
        }
      }
      pending = sum;
      return parts.reduce((s, p) => s + p.value!, 0) / (n * stride);
    },
    async weights() {
      await flush();
      return (await clients[0].call({ kind: 'weights' })).arrays!;
    },
    dispose() {
      ports.forEach((p) => p.terminate());
    },
  };
}

/** Inverted-dropout masks [n][units] (0 or 1 / (1 - rate)) from a seeded generator (mulberry32). */
class Dropout {
  private s: number;
  private readonly rate: number;
  constructor(
    private readonly units: number,
    options: FastModelOptions
  ) {
    this.rate = options.dropout ?? 0;
    this.s = (options.seed ?? 0) >>> 0;
  }

  mask(n: number): Float32Array | null {
    if (this.rate <= 0) {
      return null;
    }
    const keep = 1 / (1 - this.rate);
    const out = new Float32Array(n * this.units);
    for (let i = 0; i < out.length; i++) {
      out[i] = this.random() < this.rate ? 0 : keep;
    }
    return out;
  }

  private random(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

class Client {
  private next = 1;
  private failed: Error | undefined;
  private readonly pending = new Map<number, { resolve: (a: Answer) => void; reject: (e: Error) => void }>();

  constructor(private readonly port: WorkerPort) {
    port.listen((message) => {
      const reply = message as Reply;
      const p = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.ok) {
        p?.resolve(reply);
      } else {
        p?.reject(new Error(`kernel worker: ${reply.message}`));
      }
    });
    port.onError?.((error) => {
      this.failed = new Error(`kernel worker: ${error.message}`);
      const pending = [...this.pending.values()];
      this.pending.clear();
      pending.forEach((p) => p.reject(this.failed!));
    });
  }

  call(request: Request, transfer: Transferable[] = []): Promise<Answer> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      if (this.failed) {
        reject(this.failed);
        return;
      }
      this.pending.set(id, { resolve, reject });
      this.port.post({ ...request, id }, transfer);
    });
  }
}
