/**
 * AE-40 and AE-200 (the models of ../shared/bench/torch_ae_bench.py, built by src/core/model.ts):
 * inference (batch 512) and training (batch 64, Adam 1e-3, MSE) in samples/s, for tfjs-wasm
 * (the reference implementation) and for the project's fast path (the WebAssembly SIMD kernels
 * on worker threads, the path the browser uses too).
 */
import { availableParallelism } from 'os';

import { autoencoderWeightsOf } from '../src/core/kernels/autoencoder';
import { autoencoderShape, buildAutoencoder } from '../src/core/model';
import { loadNodeFastModel } from '../src/node/kernels';
import { loadTf } from '../src/node/tf';
import { type BenchEntry, type BenchOptions, type BenchResult, rate } from './measure';

export const AE_MODELS = { ae40: 40, ae200: 200 } as const;
export type AeModel = keyof typeof AE_MODELS;

const WINDOW = 10;
const INFER_BATCH = 512;
const TRAIN_BATCH = 64;

function randomWindows(n: number, features: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n * WINDOW * features }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  });
}

async function tfjsEntries(name: AeModel, options: BenchOptions): Promise<BenchResult[]> {
  const tf = await loadTf();
  const features = AE_MODELS[name];
  const model = buildAutoencoder(tf, autoencoderShape(features, WINDOW), 1234);
  const x = tf.tensor3d(randomWindows(INFER_BATCH, features, 1), [INFER_BATCH, WINDOW, features]);
  const infer = await rate(
    () => tf.tidy(() => (model.predict(x) as ReturnType<typeof tf.tensor>).dataSync()),
    INFER_BATCH,
    options
  );
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  const xt = tf.tensor3d(randomWindows(TRAIN_BATCH, features, 2), [TRAIN_BATCH, WINDOW, features]);
  const train = await rate(() => model.trainOnBatch(xt, xt), TRAIN_BATCH, options);
  x.dispose();
  xt.dispose();
  model.dispose();
  const note = `tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}, 1 thread`;
  return [
    { name: `${name}-infer`, impl: 'tfjs-wasm', unit: 'samples/s', samples: infer, note },
    { name: `${name}-train`, impl: 'tfjs-wasm', unit: 'samples/s', samples: train, note },
  ];
}

async function projectEntries(name: AeModel, options: BenchOptions): Promise<BenchResult[]> {
  const tf = await loadTf();
  const features = AE_MODELS[name];
  const shape = autoencoderShape(features, WINDOW);
  const model = buildAutoencoder(tf, shape, 1234);
  const weights = autoencoderWeightsOf(model);
  model.dispose();
  const x = randomWindows(INFER_BATCH, features, 1);
  const xt = randomWindows(TRAIN_BATCH, features, 2);
  const out: BenchResult[] = [];
  for (const threads of [availableParallelism(), 0]) {
    const fast = await loadNodeFastModel(weights, { threads, dropout: shape.dropout, seed: 1234 });
    const impl = threads ? 'project' : 'project-1thread';
    const note = `wasm ${fast.flavour} kernels, ${threads ? `${threads} worker threads` : 'calling thread only'}`;
    try {
      const infer = await rate(() => fast.reconstruct(x, INFER_BATCH), INFER_BATCH, options);
      const train = await rate(() => fast.trainBatch(xt, TRAIN_BATCH), TRAIN_BATCH, options);
      out.push({ name: `${name}-infer`, impl, unit: 'samples/s', samples: infer, note });
      out.push({ name: `${name}-train`, impl, unit: 'samples/s', samples: train, note });
    } finally {
      fast.dispose();
    }
  }
  return out;
}

export function autoencoderEntries(models: AeModel[]): BenchEntry[] {
  return models.flatMap((m) => [(o: BenchOptions) => tfjsEntries(m, o), (o: BenchOptions) => projectEntries(m, o)]);
}
