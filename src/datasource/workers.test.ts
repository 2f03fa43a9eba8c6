import { ThreadlessWorker } from './testing/threadlessWorker';
import { kernelWorkerCount, MAX_KERNEL_WORKERS, startKernelWorkers } from './workers';

/** A worker whose script never runs: it fails to load (as when missing or refused by a CSP), or stays silent. */
class BrokenWorker extends EventTarget {
  static terminated = 0;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  constructor(url: string) {
    super();
    if (!url.includes('silent')) {
      setTimeout(() => this.onerror?.(new ErrorEvent('error', { message: '' })));
    }
  }
  postMessage(): void {}
  terminate(): void {
    BrokenWorker.terminated++;
  }
}

const withWorker = async (worker: unknown, body: () => Promise<void>) => {
  Object.assign(globalThis, { Worker: worker });
  try {
    await body();
  } finally {
    delete (globalThis as { Worker?: unknown }).Worker;
  }
};

describe('kernelWorkerCount', () => {
  it('takes one worker per core, at least one and at most the cap', () => {
    expect(kernelWorkerCount(1)).toBe(1);
    expect(kernelWorkerCount(2)).toBe(2);
    expect(kernelWorkerCount(64)).toBe(MAX_KERNEL_WORKERS);
    // A browser that does not say how many cores it has.
    expect(kernelWorkerCount(0)).toBe(1);
  });
});

describe('startKernelWorkers', () => {
  it('says there are no Web Workers in a browser without them', async () => {
    await expect(startKernelWorkers('kernels.worker.js', 2)).rejects.toThrow('this browser has no Web Workers');
  });

  it('starts the workers once each says its script runs', async () => {
    await withWorker(ThreadlessWorker, async () => {
      ThreadlessWorker.started = [];
      const ports = await startKernelWorkers('app/kernels.worker.js', 2);
      expect(ports).toHaveLength(2);
      expect(ThreadlessWorker.started).toEqual(['app/kernels.worker.js', 'app/kernels.worker.js']);
      ports.forEach((p) => p.terminate());
    });
  });

  it('stops every worker and says so when a script cannot load', async () => {
    await withWorker(BrokenWorker, async () => {
      BrokenWorker.terminated = 0;
      await expect(startKernelWorkers('app/kernels.worker.js', 2)).rejects.toThrow('its script could not be loaded');
      expect(BrokenWorker.terminated).toBe(2);
    });
  });

  it('gives up on a worker that never says it runs', async () => {
    await withWorker(BrokenWorker, async () => {
      await expect(startKernelWorkers('app/silent.js', 1, 50)).rejects.toThrow(
        'the worker did not start within 0.05 s'
      );
    });
  });
});
