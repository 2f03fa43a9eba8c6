import { readFileSync } from 'fs';

import { autoencoderShape } from '../../core/model';
import type { AutoencoderWeights } from '../../core/kernels/autoencoder';
import { compileKernelSources, EMBEDDED_MODULE, embeddedModuleText } from './build';
import { loadParallelModel } from '../../core/kernels/parallel';
import { loadNodeFastModel, nodeKernelPorts, nodeKernels } from '.';

function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Random weights of the right shapes, in tfjs' getWeights() order (no tfjs needed here). */
function randomWeights(features: number, window: number, seed: number): AutoencoderWeights {
  const { units } = autoencoderShape(features, window);
  const random = uniform(seed);
  const arrays: Float32Array[] = [];
  let input = features;
  for (const u of units) {
    for (const size of [input * 4 * u, u * 4 * u, 4 * u]) {
      arrays.push(Float32Array.from({ length: size }, () => random() - 0.5));
    }
    input = u;
  }
  arrays.push(Float32Array.from({ length: units[3] * features }, () => random() - 0.5));
  arrays.push(Float32Array.from({ length: features }, () => random() - 0.5));
  return { shape: { features, window, units }, arrays };
}

describe('the fast kernels in Node', () => {
  it('embeds exactly what the AssemblyScript sources compile to (npm run build:kernels)', () => {
    expect(readFileSync(EMBEDDED_MODULE, 'utf8')).toBe(embeddedModuleText(compileKernelSources()));
  }, 120_000);

  it('uses relaxed SIMD in Node 20 too (the flag V8 11.3 keeps it behind is switched on)', async () => {
    expect((await nodeKernels()).flavour).toBe('relaxed-simd');
  });

  it('reconstructs on worker threads exactly as on the calling thread', async () => {
    const weights = randomWeights(40, 10, 1);
    const n = 203;
    const x = Float32Array.from({ length: n * 400 }, uniform(2));
    const here = await loadNodeFastModel(weights, { threads: 0 });
    const workers = await loadNodeFastModel(weights, { threads: 2 });
    try {
      expect(workers.threads).toBe(2);
      expect(Array.from(await workers.reconstruct(x, n))).toEqual(Array.from(await here.reconstruct(x, n)));
    } finally {
      workers.dispose();
    }
  }, 60_000);

  it('takes the same training steps on worker threads as on the calling thread, dropout included', async () => {
    const weights = randomWeights(12, 5, 3);
    const n = 40;
    const x = Float32Array.from({ length: n * 60 }, uniform(4));
    const options = { dropout: 0.2, seed: 5 };
    const here = await loadNodeFastModel(weights, { ...options, threads: 0 });
    const workers = await loadNodeFastModel(weights, { ...options, threads: 2 });
    try {
      const a: number[] = [];
      const b: number[] = [];
      // A batch of 8 gives the second worker no share: it must still take the step before.
      for (const size of [n, n, 8, n, n]) {
        a.push(await here.trainBatch(x, size));
        b.push(await workers.trainBatch(x, size));
      }
      expect(a[4]).toBeLessThan(a[0]);
      // The gradients of the two shares are summed in another order than one pass sums them: equal to rounding.
      b.forEach((loss, i) => expect(Math.abs(loss - a[i]) / a[i]).toBeLessThan(1e-5));
      const wa = await here.weights();
      const wb = await workers.weights();
      wb.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - wa[i][j])).toBeLessThan(1e-5)));
    } finally {
      workers.dispose();
    }
  }, 60_000);

  it('gives the same reconstruction with plain and relaxed SIMD, to float rounding', async () => {
    const weights = randomWeights(7, 4, 6);
    const n = 17;
    const x = Float32Array.from({ length: n * 28 }, uniform(7));
    const plain = await (await loadNodeFastModel(weights, { threads: 0, flavour: 'simd' })).reconstruct(x, n);
    const relaxed = await (await loadNodeFastModel(weights, { threads: 0, flavour: 'relaxed-simd' })).reconstruct(x, n);
    const scale = Math.max(...plain.map(Math.abs));
    relaxed.forEach((v, i) => expect(Math.abs(v - plain[i])).toBeLessThan(1e-5 * scale));
  });

  it('rejects what a worker that died still owed, and everything asked of it after', async () => {
    const [port] = nodeKernelPorts(1);
    let die: (error: Error) => void = () => undefined;
    const model = await loadParallelModel(
      randomWeights(3, 4, 1),
      [{ ...port, onError: (handler) => (die = handler) }],
      await nodeKernels()
    );
    try {
      const windows = new Float32Array(16 * 4 * 3);
      const owed = model.reconstruct(windows, 16);
      die(new Error('out of memory'));
      await expect(owed).rejects.toThrow('kernel worker: out of memory');
      await expect(model.reconstruct(windows, 16)).rejects.toThrow('kernel worker: out of memory');
    } finally {
      model.dispose();
    }
  });
});
