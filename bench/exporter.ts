/**
 * The exporter with 1,000 features (four groups of 250, one AE of 128/64/64/128 units each on the
 * fast kernels, as `syrroca serve` loads them): one scoring step of the scorer (scoreGroups of the
 * latest window of every group, then publishing to the registry), the source answering from memory
 * so that Prometheus' latency is not part of the figure; and the latency of a GET /metrics on the
 * exporter's HTTP server afterwards. Milliseconds.
 */
import { request } from 'http';
import type { AddressInfo } from 'net';

import { FORMAT_VERSION } from '../src/core/artifact';
import { autoencoderWeightsOf } from '../src/core/kernels/autoencoder';
import { autoencoderShape, buildAutoencoder } from '../src/core/model';
import { fastScoringModel, type ScoringModel } from '../src/core/pipeline';
import type { FeatureMatrix, GroupCatalog, Manifest } from '../src/core/types';
import { loadNodeFastModel } from '../src/node/kernels';
import { loadTf } from '../src/node/tf';
import { createExporterMetrics } from '../src/node/serve/metrics';
import { createScorer } from '../src/node/serve/scorer';
import { createExporterServer } from '../src/node/serve/server';
import { type BenchOptions, type BenchResult } from './measure';

const GROUPS = ['cpu', 'memory', 'network', 'filesystem'];
const PER_GROUP = 250;
const STEP = 30;
const WINDOW = 10;
const END = 1_700_000_010;

const catalog: GroupCatalog = { rules: GROUPS.map((g) => ({ group: g, patterns: [`^${g}_`] })), fallback: 'other' };

function manifest(group: string): Manifest {
  return {
    formatVersion: FORMAT_VERSION,
    group,
    features: Array.from({ length: PER_GROUP }, (_, i) => ({ name: `${group}_${i}`, kind: 'gauge', min: 0, max: 1 })),
    stepSeconds: STEP,
    window: WINDOW,
    stride: 1,
    scaling: 'min-max',
    grouping: { catalog, exclude: null },
    model: autoencoderShape(PER_GROUP, WINDOW),
    threshold: { method: 'quantile', quantile: 0.99, value: 0.01 },
    training: { from: 0, to: 0, samples: 0, epochs: 0, finalLoss: 0, validationLoss: null, seed: 1 },
    droppedFeatures: [],
    libraries: {},
    contentHash: '',
  };
}

/** The window the scorer asks for, with seeded values in [0, 1]. */
function windowOf(range: { start: number; end: number; step: number }, features: string[]): FeatureMatrix {
  const n = Math.round((range.end - range.start) / range.step) + 1;
  let s = 99;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  return {
    timestamps: Float64Array.from({ length: n }, (_, i) => range.start + i * range.step),
    features,
    columns: features.map(() => Float64Array.from({ length: n }, next)),
  };
}

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve(bytes));
    });
    req.on('error', reject);
    req.end();
  });
}

async function timed(run: () => Promise<unknown>, runs: number): Promise<number[]> {
  for (let i = 0; i < 3; i++) {
    await run();
  }
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await run();
    samples.push(performance.now() - t0);
  }
  return samples;
}

export async function benchExporter(options: BenchOptions): Promise<BenchResult[]> {
  const tf = await loadTf();
  const models: ScoringModel[] = [];
  for (const group of GROUPS) {
    const m = manifest(group);
    const model = buildAutoencoder(tf, m.model, 1);
    models.push(fastScoringModel(await loadNodeFastModel(autoencoderWeightsOf(model)), m, `bench/${group}`));
    model.dispose();
  }
  const features = models.flatMap((m) => m.manifest.features.map((f) => f.name));
  const metrics = createExporterMetrics({ topK: 5 });
  const scorer = createScorer({
    current: () => ({
      name: 'bench',
      models,
      source: async (range) => ({ matrix: windowOf(range, features), empty: [] }),
    }),
    metrics,
    now: () => END + STEP,
  });
  const server = createExporterServer({
    registry: metrics.registry,
    modelsDir: () => '/nonexistent',
    health: () => ({ ok: true, detail: {} }),
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  try {
    const runs = Math.max(options.runs, 9);
    const step = await timed(async () => {
      const outcome = await scorer.step();
      if (!outcome.ok) {
        throw new Error(`exporter bench: the step failed: ${outcome.errors.join('; ')}`);
      }
    }, runs);
    let bytes = 0;
    const scrape = await timed(async () => (bytes = await get(port, '/metrics')), runs);
    const note = `${features.length} features in ${GROUPS.length} groups, fast kernels (${models.length} models on worker threads); /metrics ${bytes} bytes`;
    return [
      { name: 'exporter-step-1000', impl: 'project', unit: 'ms', samples: step, note },
      { name: 'exporter-metrics-1000', impl: 'project', unit: 'ms', samples: scrape, note },
    ];
  } finally {
    await new Promise((ok) => server.close(ok));
    models.forEach((m) => m.dispose?.());
  }
}
