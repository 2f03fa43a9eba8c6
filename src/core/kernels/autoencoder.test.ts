import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { dirname, join, sep } from 'path';

import { autoencoderShape, buildAutoencoder, trainAutoencoder } from '../model';
import type { AutoencoderShape } from '../types';
import { autoencoderWeightsOf, loadFastAutoencoder } from './autoencoder';
import { compileKernels } from './loader';
import { loadFastModel } from './parallel';

beforeAll(async () => {
  setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), sep));
  setThreadsCount(1);
  await tf.setBackend('wasm');
  await tf.ready();
});

/** A deterministic stream in [0, 1). */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/**
 * The model of src/core/model.ts with weights drawn uniformly in [-0.6, 0.6] (biases too), so that
 * gates saturate and outputs are of order 1, unlike a fresh initialisation's near-zero outputs.
 */
function randomModel(shape: AutoencoderShape, seed: number): tf.Sequential {
  const model = buildAutoencoder(tf, shape, seed);
  const random = uniform(seed);
  model.setWeights(
    model.getWeights().map((w) =>
      tf.tensor(
        Float32Array.from({ length: w.size }, () => 1.2 * random() - 0.6),
        w.shape
      )
    )
  );
  return model;
}

function windows(n: number, shape: AutoencoderShape, seed: number): Float32Array {
  const random = uniform(seed);
  return Float32Array.from({ length: n * shape.window * shape.features }, random);
}

/** Largest |a - b| relative to the largest |b|: the error on the scale of the values. */
function scaledError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / scale;
}

const SHAPES: Array<[string, AutoencoderShape]> = [
  ['AE-40 (40 features, window 10, 64/32/32/64)', autoencoderShape(40, 10)],
  ['7 features, window 3 (F not a multiple of 4)', autoencoderShape(7, 3)],
  ['13 features, window 5, units 24/12/12/24', { features: 13, window: 5, units: [24, 12, 12, 24], dropout: 0.2 }],
];

describe.each(SHAPES)('the fast autoencoder, %s', (_, shape) => {
  it('reconstructs what model.predict of the tfjs model gives, each output within 1e-5 of (its size + the RMS output)', async () => {
    const model = randomModel(shape, 11);
    // 37 windows: not a multiple of the 8-lane tiles, and with maxLanes 16 spread over three passes.
    const n = 37;
    const x = windows(n, shape, 12);
    const expected = tf.tidy(() =>
      (model.predict(tf.tensor3d(x, [n, shape.window, shape.features])) as tf.Tensor).dataSync()
    );
    const fast = await loadFastAutoencoder(autoencoderWeightsOf(model), {
      kernels: await compileKernels(undefined, 'simd'),
      maxLanes: 16,
    });
    const got = fast.reconstruct(x, n);
    expect(got).toHaveLength(expected.length);
    // float32 sums of ~100 terms carry ~1e-6 of their terms' size: outputs near 0 are compared on the outputs' scale.
    const rms = Math.sqrt(Array.from(expected as Float32Array).reduce((s, v) => s + v * v, 0) / expected.length);
    expect(rms).toBeGreaterThan(0.1);
    let worst = 0;
    for (let i = 0; i < got.length; i++) {
      worst = Math.max(worst, Math.abs(got[i] - expected[i]) / (Math.abs(expected[i]) + rms));
    }
    expect(worst).toBeLessThan(1e-5);
  });

  it("computes the gradients of the mean squared error that tfjs' autodiff computes, within 1e-5 relative", async () => {
    const noDropout = { ...shape, dropout: 0 };
    const model = randomModel(noDropout, 21);
    // 45 windows: two training passes (32 + 13 lanes) whose gradients add up.
    const n = 45;
    const x = windows(n, noDropout, 22);
    const xt = tf.tensor3d(x, [n, shape.window, shape.features]);
    const variables = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
    const { value, grads } = tf.variableGrads(
      () => tf.losses.meanSquaredError(xt, model.apply(xt, { training: true }) as tf.Tensor) as tf.Scalar,
      variables
    );
    const fast = await loadFastAutoencoder(autoencoderWeightsOf(model));
    const sse = fast.computeGradients(x, n, n, null);
    expect(Math.abs(sse / x.length - value.dataSync()[0]) / value.dataSync()[0]).toBeLessThan(1e-5);
    const ours = fast.weights('gradients');
    variables.forEach((v, i) => {
      expect(scaledError(ours[i], grads[v.name].dataSync())).toBeLessThan(1e-5);
    });
  });

  it('gives back the weights it was loaded with, bit for bit, in tfjs order', async () => {
    const model = randomModel(shape, 31);
    const fast = await loadFastAutoencoder(autoencoderWeightsOf(model));
    const expected = model.getWeights().map((w) => w.dataSync());
    const got = fast.weights();
    expect(got.map((w) => w.length)).toEqual(expected.map((w) => w.length));
    got.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(expected[i])));
  });
});

describe('training with the fast kernels', () => {
  const shape = autoencoderShape(8, 10); // units 16/8/8/16: small enough to train with tfjs in a test

  it('follows the tfjs loss step by step without dropout (same data, same initial weights, Adam 1e-3)', async () => {
    const noDropout = { ...shape, dropout: 0 };
    const model = buildAutoencoder(tf, noDropout, 41);
    const fast = await loadFastModel(autoencoderWeightsOf(model), await compileKernels(), { dropout: 0 });
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
    const batches = [0, 1, 2, 3].map((b) => windows(16, shape, 50 + b));
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let step = 0; step < 40; step++) {
      const x = batches[step % batches.length];
      const xt = tf.tensor3d(x, [16, shape.window, shape.features]);
      theirs.push((await model.trainOnBatch(xt, xt)) as number);
      xt.dispose();
      ours.push(await fast.trainBatch(x, 16));
    }
    // The loss falls by about a third over these steps; the two runs agree to float rounding.
    expect(ours[39]).toBeLessThan(0.8 * ours[0]);
    ours.forEach((loss, i) => expect(Math.abs(loss - theirs[i]) / theirs[i]).toBeLessThan(1e-4));
    const weights = await fast.weights();
    model.getWeights().forEach((w, i) => expect(scaledError(weights[i], w.dataSync())).toBeLessThan(1e-4));
  });

  it('converges with dropout to the loss that trainAutoencoder reaches on the same data and seed, within 10%', async () => {
    const n = 256;
    const random = uniform(61);
    // Nominal-like data: smooth daily-ish curves with noise, scaled to [0, 1].
    const series = Array.from({ length: n + shape.window }, (_, t) =>
      Array.from({ length: shape.features }, (_, f) => 0.5 + 0.35 * Math.sin(t / (5 + f) + f) + 0.05 * (random() - 0.5))
    );
    const x = new Float32Array(n * shape.window * shape.features);
    for (let s = 0; s < n; s++) {
      for (let t = 0; t < shape.window; t++) {
        x.set(series[s + t], (s * shape.window + t) * shape.features);
      }
    }
    const epochs = 12;
    const reference = buildAutoencoder(tf, shape, 71);
    const fast = await loadFastModel(autoencoderWeightsOf(reference), await compileKernels(), {
      dropout: shape.dropout,
      seed: 71,
    });
    const result = await trainAutoencoder(tf, reference, x, n, {
      epochs,
      batchSize: 32,
      validationSplit: 0,
      patience: epochs,
      seed: 71,
    });
    // Its own batch order (contiguous batches, rotated every epoch) and dropout masks: the end point is compared, not the path.
    let loss = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      loss = 0;
      for (let start = 0; start < n; start += 32) {
        const first = (start + epoch * 32) % n;
        loss += (await fast.trainBatch(x.subarray(first * 80, (first + 32) * 80), 32)) * 32;
      }
      loss /= n;
    }
    expect(result.history[0].loss).toBeGreaterThan(2 * result.loss);
    expect(Math.abs(loss - result.history[epochs - 1].loss) / result.history[epochs - 1].loss).toBeLessThan(0.1);
  });
});
