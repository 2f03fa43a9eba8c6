/**
 * A 7-day dashboard end to end: the simulator's nominal week at a 30 s step (20,160 steps, 238
 * series), its four resource groups (cpu, memory, network, filesystem) scored by `scoreGroups`, the
 * pipeline function the data source, the CLI and the exporter call: preprocessing (resampling,
 * counter increments, scaling, windows), inference, feature shares and cover sets. Seconds per
 * dashboard, in Node with the project's fast kernels (what the CLI and exporter load) and in headless
 * Chromium with tfjs as the data source runs it today (wasm; WebGL where software GL works).
 *
 * The models are untrained (seeded tfjs initialisers, scaling fitted on the week itself): training
 * changes the weights, not the work.
 */
import { mkdirSync, mkdtempSync, readdirSync, copyFileSync, rmSync, writeFileSync } from 'fs';
import { availableParallelism, tmpdir } from 'os';
import { dirname, join } from 'path';

import { FORMAT_VERSION } from '../src/core/artifact';
import { featureKind } from '../src/core/features';
import { assignGroups, DEFAULT_CATALOG } from '../src/core/groups';
import { autoencoderWeightsOf } from '../src/core/kernels/autoencoder';
import { autoencoderShape, buildAutoencoder } from '../src/core/model';
import { fastScoringModel, prepareFeatures, scoreGroups, type ScoringModel } from '../src/core/pipeline';
import { fitMinMax } from '../src/core/scaling';
import type { FeatureMatrix, Manifest } from '../src/core/types';
import { loadNodeFastModel } from '../src/node/kernels';
import { loadTf } from '../src/node/tf';
import { simulate } from '../src/sim';
import { bundleKernelsWorker, bundlePage, launchBrowser, serveDirectory } from '../tests/browser/harness';
import { dashboardRuns } from './dashboard-runs';
import { type BenchOptions, type BenchResult } from './measure';

const STEP = 30;
const WINDOW = 10;
const SEED = 1234;
const EXCLUDE = '^sipp_';

export interface DashboardCase {
  matrix: FeatureMatrix;
  manifests: Manifest[];
}

let cached: DashboardCase | undefined;

/** The week and one manifest per group (features, kinds, min/max of the week, shape). */
export function dashboardCase(): DashboardCase {
  if (cached) {
    return cached;
  }
  const { matrix } = simulate({ seed: 1, hours: 7 * 24, stepSeconds: STEP });
  const kinds = matrix.features.map((f) => featureKind(f));
  const data = prepareFeatures(matrix, STEP, kinds);
  const groups = assignGroups(data.features, DEFAULT_CATALOG, { exclude: new RegExp(EXCLUDE) });
  const manifests = ['cpu', 'memory', 'network', 'filesystem'].map((group): Manifest => {
    const indices = groups.get(group)!;
    const bounds = fitMinMax(
      indices.map((j) => data.columns[j]),
      indices.map((j) => data.features[j])
    );
    return {
      formatVersion: FORMAT_VERSION,
      group,
      features: indices.map((j, i) => ({ name: data.features[j], kind: kinds[j], ...bounds[i] })),
      stepSeconds: STEP,
      window: WINDOW,
      stride: 1,
      scaling: 'min-max',
      grouping: { catalog: DEFAULT_CATALOG, exclude: EXCLUDE },
      model: autoencoderShape(indices.length, WINDOW),
      threshold: { method: 'quantile', quantile: 0.99, value: 0.01 },
      training: { from: 0, to: 0, samples: 0, epochs: 0, finalLoss: 0, validationLoss: null, seed: SEED },
      droppedFeatures: [],
      libraries: {},
      contentHash: '',
    };
  });
  cached = { matrix, manifests };
  return cached;
}

export async function dashboardNode(options: BenchOptions): Promise<BenchResult> {
  const tf = await loadTf();
  const { matrix, manifests } = dashboardCase();
  const models: ScoringModel[] = [];
  const threads = availableParallelism();
  for (const manifest of manifests) {
    const model = buildAutoencoder(tf, manifest.model, SEED);
    const fast = await loadNodeFastModel(autoencoderWeightsOf(model), { threads });
    model.dispose();
    models.push(fastScoringModel(fast, manifest, `bench/${manifest.group}`));
  }
  try {
    const samples = await dashboardRuns(matrix, (m) => scoreGroups(m, models), options.runs);
    const windows = matrix.timestamps.length * models.length;
    return {
      name: 'dashboard-7d-node',
      impl: 'project',
      unit: 's',
      samples,
      note: `scoreGroups of ${windows} windows (${manifests.map((m) => `${m.group} ${m.features.length}`).join(', ')} features), fast kernels on ${threads} worker threads`,
    };
  } finally {
    models.forEach((m) => m.dispose?.());
  }
}

/** The page's side (bench/dashboard.page.ts) sees the case as files: series names, manifests, values. */
function writeCase(dir: string, c: DashboardCase): void {
  const { matrix } = c;
  const n = matrix.timestamps.length;
  const values = new Float64Array(n * (matrix.columns.length + 1));
  values.set(matrix.timestamps, 0);
  matrix.columns.forEach((col, j) => values.set(col, (j + 1) * n));
  writeFileSync(join(dir, 'values.bin'), new Uint8Array(values.buffer));
  writeFileSync(
    join(dir, 'case.json'),
    JSON.stringify({ features: matrix.features, steps: n, manifests: c.manifests })
  );
}

/** What a Chromium figure runs: a data source backend; `simd-page` is `simd` without its worker script (the page's thread). */
export type ChromiumMode = 'simd' | 'simd-page' | 'wasm' | 'webgl';

export async function dashboardChromium(
  options: BenchOptions,
  modes: ChromiumMode[] = ['simd', 'simd-page', 'wasm', 'webgl']
): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'syrroca-bench-'));
  const out: BenchResult[] = [];
  try {
    await bundlePage(join(__dirname, 'dashboard.page.ts'), dir, 'syrroca dashboard bench');
    await bundleKernelsWorker(join(dir, 'kernels.worker.js'));
    writeCase(dir, dashboardCase());
    const wasm = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    mkdirSync(join(dir, 'wasm'));
    for (const f of readdirSync(wasm).filter((f) => f.endsWith('.wasm'))) {
      copyFileSync(join(wasm, f), join(dir, 'wasm', f));
    }
    const server = await serveDirectory(dir);
    try {
      for (const mode of modes) {
        const backend = mode === 'simd-page' ? 'simd' : mode;
        const browser = await launchBrowser(backend === 'webgl' ? ['--enable-unsafe-swiftshader'] : []);
        try {
          const { page, errors } = await browser.newPage();
          await page.goto(server.url);
          const r = (await page.evaluate(
            ([b, runs, worker]) =>
              (
                window as unknown as {
                  runDashboard: (b: string, runs: number, worker?: string) => Promise<unknown>;
                }
              ).runDashboard(b, runs, worker),
            [
              backend,
              backend === 'webgl' ? Math.min(options.runs, 2) : Math.min(options.runs, 3),
              mode === 'simd' ? 'kernels.worker.js' : undefined,
            ] as const
          )) as { backend: string; samples: number[]; workers?: number; error?: string };
          const name = `dashboard-7d-chromium-${mode}`;
          if (r.error || r.backend !== backend || (mode === 'simd' && !r.workers)) {
            out.push({
              name,
              impl: backend === 'simd' ? 'project' : 'tfjs',
              unit: 's',
              note: `not measured: ${r.error ?? (r.backend !== backend ? `the page started ${r.backend}` : 'no Web Worker started')}`,
            });
          } else {
            const on =
              backend === 'simd'
                ? `the project's SIMD kernels ${r.workers ? `on ${r.workers} Web Workers per model` : "on the page's thread"}`
                : `tfjs ${backend === 'webgl' ? 'on SwiftShader software GL' : 'wasm SIMD'}`;
            out.push({
              name,
              impl: backend === 'simd' ? 'project' : `tfjs-${backend}`,
              unit: 's',
              samples: r.samples,
              note: `${on} in headless Chromium, the data source's chunks; ${errors.length} console errors`,
            });
          }
        } finally {
          await browser.close();
        }
      }
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
