/** How a dashboard figure is timed, shared by the Node runner (dashboard.ts) and the page (dashboard.page.ts). */
import type { FeatureMatrix } from '../src/core/types';

/** The first `steps` rows: the warm-up's data (kernels compiled and optimised, workers started, in a fraction of a run). */
export function firstSteps(matrix: FeatureMatrix, steps: number): FeatureMatrix {
  return {
    timestamps: matrix.timestamps.subarray(0, steps),
    features: matrix.features,
    columns: matrix.columns.map((c) => c.subarray(0, steps)),
  };
}

/** Seconds per call of `run` on the whole week, after a warm-up on its first 1,000 steps. */
export async function dashboardRuns(
  matrix: FeatureMatrix,
  run: (m: FeatureMatrix) => Promise<unknown>,
  runs: number
): Promise<number[]> {
  await run(firstSteps(matrix, 1000));
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await run(matrix);
    samples.push((performance.now() - t0) / 1000);
  }
  return samples;
}
