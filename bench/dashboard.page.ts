/**
 * The browser side of bench/dashboard.ts: loads the week and the manifests the runner wrote, starts
 * the requested backend as the data source does (its loadTf: the SIMD kernels, on Web Workers when
 * given their script, or a tfjs backend),
 * builds the seeded models on it and times `scoreGroups` on them, with the reconstruction split in
 * the data source's chunks (inChunks, yielding to the page between them).
 */
import { buildAutoencoder } from '../src/core/model';
import { scoreGroups, scoringModelOf } from '../src/core/pipeline';
import type { FeatureMatrix, Manifest } from '../src/core/types';
import { inChunks } from '../src/datasource/scoring';
import { loadTf, SCORING_CHUNK } from '../src/datasource/tf';
import type { Backend } from '../src/datasource/types';
import { dashboardRuns } from './dashboard-runs';

/** `worker`: the SIMD kernels' worker script (without it they run on the page's thread). */
async function runDashboard(backend: Backend, runs: number, worker?: string) {
  let started = 'none';
  let workers: number | undefined;
  try {
    const runtime = await loadTf(backend, 'wasm/', worker);
    started = runtime.backend;
    workers = runtime.workers;
    const { tf } = runtime;
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
    const models = await Promise.all(
      info.manifests.map(async (m) =>
        inChunks(
          await scoringModelOf(tf, buildAutoencoder(tf, m.model, m.training.seed), m, m.group, runtime.fast),
          SCORING_CHUNK[runtime.backend]
        )
      )
    );
    try {
      const samples = await dashboardRuns(matrix, (m) => scoreGroups(m, models), runs);
      return { backend: started, workers, samples };
    } finally {
      models.forEach((m) => m.dispose?.());
    }
  } catch (e) {
    return { backend: started, workers, samples: [], error: e instanceof Error ? e.message : String(e) };
  }
}

(window as unknown as { runDashboard: typeof runDashboard }).runDashboard = runDashboard;
