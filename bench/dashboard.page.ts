/**
 * The browser side of bench/dashboard.ts: loads the week and the manifests the runner wrote, builds
 * the seeded models in tfjs on the requested backend and times `scoreGroups` on them, with the
 * reconstruction split in the data source's chunks (inChunks, yielding to the page between them).
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

import { buildAutoencoder } from '../src/core/model';
import { scoreGroups, tfScoringModel } from '../src/core/pipeline';
import type { FeatureMatrix, Manifest } from '../src/core/types';
import { inChunks } from '../src/datasource/scoring';
import { dashboardRuns } from './dashboard-runs';

/** As the data source's CHUNK: about 0.1 s of work per chunk. */
const CHUNK: Record<string, number> = { webgl: 256, wasm: 128 };

async function runDashboard(backend: string, runs: number) {
  try {
    setWasmPaths('wasm/');
    await tf.setBackend(backend);
    await tf.ready();
    const info = (await (await fetch('case.json')).json()) as {
      features: string[];
      steps: number;
      manifests: Manifest[];
    };
    const values = new Float64Array(await (await fetch('values.bin')).arrayBuffer());
    const n = info.steps;
    const matrix: FeatureMatrix = {
      timestamps: values.subarray(0, n),
      features: info.features,
      columns: info.features.map((_, j) => values.subarray((j + 1) * n, (j + 2) * n)),
    };
    const models = info.manifests.map((m) =>
      inChunks(tfScoringModel(tf, buildAutoencoder(tf, m.model, m.training.seed), m, m.group), CHUNK[backend])
    );
    const samples = await dashboardRuns(matrix, (m) => scoreGroups(m, models), runs);
    return { backend: tf.getBackend(), samples };
  } catch (e) {
    return { backend: tf.getBackend(), samples: [], error: e instanceof Error ? e.message : String(e) };
  }
}

(window as unknown as { runDashboard: typeof runDashboard }).runDashboard = runDashboard;
