/**
 * The LSTM autoencoder of one resource group (paper, section IV): encoder two LSTM layers and
 * dropout, the code repeated over the window, decoder two LSTM layers and a time-distributed dense
 * layer back to the features. tfjs is passed in (`tf`) so the browser can load it lazily and Node
 * can pick its backend; nothing here touches the DOM or the file system.
 */
import type * as tfjs from '@tensorflow/tfjs';

import { SyrrocaError } from './errors';
import { autoencoderWeightsOf } from './kernels/autoencoder';
import type { FastModel, FastModelOptions } from './kernels/parallel';
import type { AutoencoderShape } from './types';

/**
 * Loads the fast kernels (WebAssembly SIMD, on workers) with a model's weights: the shells provide
 * it (worker_threads in Node, Web Workers in the browser). tfjs stays the reference and the format.
 */
export type FastModelFactory = (weights: ReturnType<typeof autoencoderWeightsOf>, options: FastModelOptions) => Promise<FastModel>;

export type Tf = typeof tfjs;

/**
 * Hidden sizes that scale with the feature count F: h1 = the power of two nearest 1.5 F, within
 * [16, 128]; h2 = h3 = h1 / 2; h4 = h1. For F = 40 this is 64/32/32/64 and for F = 200 it is
 * 128/64/64/128, the AE-40 and AE-200 of the benchmark.
 */
export function autoencoderShape(features: number, window: number, dropout = 0.2): AutoencoderShape {
  if (!Number.isInteger(features) || features < 1) {
    throw new SyrrocaError('model-shape', `an autoencoder needs at least one feature, got ${features}`);
  }
  if (!Number.isInteger(window) || window < 2) {
    throw new SyrrocaError('model-shape', `the window must be an integer of at least 2 steps, got ${window}`);
  }
  const h1 = Math.min(128, Math.max(16, 2 ** Math.round(Math.log2(1.5 * features))));
  const h2 = h1 / 2;
  return { features, window, units: [h1, h2, h2, h1], dropout };
}

/** Builds the (uncompiled) tfjs model. Layer order is part of the artifact format: the fast kernels read the weights in this order. */
export function buildAutoencoder(tf: Tf, shape: AutoencoderShape, seed?: number): tfjs.Sequential {
  const [h1, h2, h3, h4] = shape.units;
  // Keras' default recurrent activation in tfjs is hard sigmoid; the paper's models (and PyTorch) use sigmoid.
  const lstm = (units: number, returnSequences: boolean, layerSeed: number, inputShape?: number[]) =>
    tf.layers.lstm({
      units,
      returnSequences,
      recurrentActivation: 'sigmoid',
      inputShape,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seedFor(seed, layerSeed) }),
      recurrentInitializer: tf.initializers.orthogonal({ seed: seedFor(seed, layerSeed + 100) }),
    });
  return tf.sequential({
    layers: [
      lstm(h1, true, 1, [shape.window, shape.features]),
      lstm(h2, false, 2),
      tf.layers.dropout({ rate: shape.dropout, seed: seedFor(seed, 3) }),
      tf.layers.repeatVector({ n: shape.window }),
      lstm(h3, true, 4),
      lstm(h4, true, 5),
      tf.layers.timeDistributed({
        layer: tf.layers.dense({
          units: shape.features,
          kernelInitializer: tf.initializers.glorotUniform({ seed: seedFor(seed, 6) }),
        }),
      }),
    ],
  });
}

function seedFor(seed: number | undefined, layer: number): number | undefined {
  return seed === undefined ? undefined : seed * 7919 + layer;
}

export interface TrainOptions {
  epochs: number;
  batchSize?: number;
  learningRate?: number;
  /** Fraction of the windows, taken from the end (the most recent), held back for early stopping. */
  validationSplit?: number;
  /** Epochs without improvement of the validation loss before training stops. */
  patience?: number;
  /** Shuffle seed: the same data, shape and seed train the same model. */
  seed?: number;
  onEpoch?: (epoch: number, loss: number, validationLoss: number | null) => void;
  /** Train with the fast kernels instead of tfjs' `trainOnBatch` (same loss, same Adam, same weights layout). */
  fast?: FastModelFactory;
}

export interface TrainResult {
  epochs: number;
  loss: number;
  validationLoss: number | null;
  history: Array<{ loss: number; validationLoss: number | null }>;
}

/**
 * Trains on nominal windows ([n, window, features] row-major) to reconstruct themselves: Adam,
 * MSE. The validation windows are the held-back tail (the most recent data), not a random sample,
 * so early stopping judges the model on data after what it learnt from. The best epoch's weights
 * are kept.
 */
export async function trainAutoencoder(
  tf: Tf,
  model: tfjs.LayersModel,
  windows: Float32Array,
  count: number,
  options: TrainOptions
): Promise<TrainResult> {
  const { window, features } = inputShape(model);
  const batchSize = options.batchSize ?? 64;
  const split = options.validationSplit ?? 0.1;
  const patience = options.patience ?? 3;
  const nValidation = count >= 20 ? Math.max(1, Math.floor(count * split)) : 0;
  const nTrain = count - nValidation;
  if (nTrain < 1) {
    throw new SyrrocaError('train-too-little-data', `no complete window to train on (${count} windows)`);
  }
  const learningRate = options.learningRate ?? 1e-3;
  const stride = window * features;
  const order = seededPermutation(nTrain, options.seed ?? 0);
  const validation = windows.subarray(nTrain * stride, count * stride);
  const engine = options.fast
    ? await fastEngine(model, options.fast, { learningRate, dropout: dropoutRate(model), seed: options.seed })
    : tfEngine(tf, model, learningRate, window, features);
  const history: TrainResult['history'] = [];
  let best = Infinity;
  let bestWeights: Float32Array[] | null = null;
  let sinceBest = 0;
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      shuffleInPlace(order, (options.seed ?? 0) + epoch);
      let lossSum = 0;
      for (let start = 0; start < nTrain; start += batchSize) {
        const size = Math.min(batchSize, nTrain - start);
        const batch = new Float32Array(size * stride);
        for (let b = 0; b < size; b++) {
          const k = order[start + b];
          batch.set(windows.subarray(k * stride, (k + 1) * stride), b * stride);
        }
        lossSum += (await engine.trainBatch(batch, size)) * size;
      }
      const loss = lossSum / nTrain;
      const validationLoss = nValidation > 0 ? meanSquaredError(validation, await engine.reconstruct(validation, nValidation)) : null;
      history.push({ loss, validationLoss });
      options.onEpoch?.(epoch + 1, loss, validationLoss);
      const monitored = validationLoss ?? loss;
      if (monitored < best - 1e-7) {
        best = monitored;
        sinceBest = 0;
        bestWeights = await engine.weights();
      } else if (++sinceBest >= patience) {
        break;
      }
    }
  } finally {
    engine.dispose();
  }
  if (bestWeights) {
    const tensors = bestWeights.map((w, i) => tf.tensor(w, model.getWeights()[i].shape));
    model.setWeights(tensors);
    tensors.forEach((t) => t.dispose());
  }
  const bestEpoch = history.reduce((b, h, i) => ((h.validationLoss ?? h.loss) < (history[b].validationLoss ?? history[b].loss) ? i : b), 0);
  return { epochs: history.length, loss: history[bestEpoch].loss, validationLoss: history[bestEpoch].validationLoss, history };
}

/** What training needs of an engine: tfjs' own `trainOnBatch`, or the fast kernels. */
interface TrainingEngine {
  /** One Adam step on a batch; returns the batch's loss before the step. */
  trainBatch(batch: Float32Array, n: number): Promise<number>;
  reconstruct(windows: Float32Array, n: number): Promise<Float32Array>;
  weights(): Promise<Float32Array[]>;
  dispose(): void;
}

function tfEngine(tf: Tf, model: tfjs.LayersModel, learningRate: number, window: number, features: number): TrainingEngine {
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'meanSquaredError' });
  return {
    async trainBatch(batch, n) {
      const x = tf.tensor3d(batch, [n, window, features]);
      try {
        return (await model.trainOnBatch(x, x)) as number;
      } finally {
        x.dispose();
      }
    },
    reconstruct: (windows, n) => reconstruct(tf, model, windows, n),
    weights: async () => model.getWeights().map((w) => w.dataSync().slice() as Float32Array),
    dispose() {},
  };
}

async function fastEngine(model: tfjs.LayersModel, factory: FastModelFactory, options: FastModelOptions): Promise<TrainingEngine> {
  const fast = await factory(autoencoderWeightsOf(model), options);
  return {
    trainBatch: (batch, n) => fast.trainBatch(batch, n),
    reconstruct: (windows, n) => fast.reconstruct(windows, n),
    weights: () => fast.weights(),
    dispose: () => fast.dispose(),
  };
}

function dropoutRate(model: tfjs.LayersModel): number {
  const layer = model.layers.find((l) => l.getClassName() === 'Dropout');
  return layer ? (layer.getConfig().rate as number) : 0;
}

function meanSquaredError(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    sum += (a[i] - b[i]) ** 2;
  }
  return sum / a.length;
}

/** Reconstructs windows ([n, window, features] row-major) in batches, returning the same layout. */
export async function reconstruct(
  tf: Tf,
  model: tfjs.LayersModel,
  windows: Float32Array,
  count: number,
  batchSize = 512
): Promise<Float32Array> {
  const { window, features } = inputShape(model);
  const stride = window * features;
  const out = new Float32Array(count * stride);
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    const y = tf.tidy(() =>
      model.predict(tf.tensor3d(windows.subarray(start * stride, (start + size) * stride), [size, window, features]))
    ) as tfjs.Tensor;
    out.set(await y.data(), start * stride);
    y.dispose();
  }
  return out;
}

/** The [window, features] the model was built for, read from its input layer. */
export function inputShape(model: tfjs.LayersModel): { window: number; features: number } {
  const shape = model.inputs[0].shape;
  return { window: shape[1] as number, features: shape[2] as number };
}

/** Deterministic Fisher-Yates shuffles (mulberry32), so training order depends only on the seed. */
function seededPermutation(n: number, seed: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    order[i] = i;
  }
  shuffleInPlace(order, seed);
  return order;
}

function shuffleInPlace(a: Int32Array, seed: number): void {
  let s = seed >>> 0;
  const random = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = a[i];
    a[i] = a[j];
    a[j] = tmp;
  }
}
