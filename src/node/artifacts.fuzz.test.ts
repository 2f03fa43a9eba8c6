/**
 * Hostile model artifacts on disk: manifests with wrong types, shapes and sizes, tfjs model.json
 * with wrong shapes, missing or extra shards, weights that disagree with it, absurd sizes, files
 * missing or cut off. Loading and scoring end in a SyrrocaError that names the artifact, or in a
 * model that scores with finite numbers: never a raw TypeError from deep in tfjs, never a hang.
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'fs';
import fc from 'fast-check';
import { tmpdir } from 'os';
import { join } from 'path';

import { modelsFolder, type Files } from '../datasource/testing/artifacts';
import { fuzzAsync, jsonEdits as edits, mutate } from '../../tests/helpers/fuzz';
import { parseManifest } from '../core/artifact';
import { SyrrocaError } from '../core/errors';
import { scoreGroups, type ScoringModel } from '../core/pipeline';
import type { FeatureMatrix, Manifest } from '../core/types';
import { loadScoringModels } from './artifacts';

const MANIFEST_CASES = 500;
const FILE_CASES = 120;

let files: Files;
const DATA: FeatureMatrix = {
  timestamps: Float64Array.from({ length: 8 }, (_, i) => 1_699_999_980 + 30 * i),
  features: ['cpu_a', 'cpu_b'],
  columns: [
    Float64Array.from([0, 0.2, 0.4, 0.6, 0.8, 1, 0.5, 0.1]),
    Float64Array.from([1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3]),
  ],
};

/** Scores end in finite numbers with a consistent verdict. */
function expectSound(scores: Awaited<ReturnType<typeof scoreGroups>>['scores']) {
  for (const s of scores) {
    expect(Number.isFinite(s.mse)).toBe(true);
    expect(s.anomalous).toBe(s.mse > s.threshold);
  }
}

/** Runs `body`; any error must be a SyrrocaError (what a user can act on). */
async function onlySyrrocaErrors(body: () => Promise<void>): Promise<'ok' | SyrrocaError> {
  try {
    await body();
    return 'ok';
  } catch (error) {
    if (!(error instanceof SyrrocaError)) {
      throw error;
    }
    return error;
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  files = await modelsFolder(tf, '', [{ group: 'cpu' }]);
});

describe('a hostile manifest.json', () => {
  it(`is refused by name or scores soundly, in ${MANIFEST_CASES} mutated manifests`, async () => {
    const good = JSON.parse(files['cpu/manifest.json'] as string) as Manifest;
    await fuzzAsync(
      fc.asyncProperty(edits, async (list) => {
        const json = mutate(good, list);
        await onlySyrrocaErrors(async () => {
          const manifest = parseManifest(json, 'cpu/manifest.json');
          // A stand-in for the model the files hold: window 3, two features, reconstructs zeros.
          const model: ScoringModel = {
            manifest,
            source: 'cpu',
            input: { window: 3, features: 2 },
            reconstruct: async (windows) => new Float32Array(windows.length),
          };
          expectSound((await scoreGroups(DATA, [model])).scores);
        });
      }),
      MANIFEST_CASES
    );
  });
});

describe('hostile model files on disk', () => {
  const root = mkdtempSync(join(tmpdir(), 'syrroca-fuzz-artifacts-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;

  /** Writes the files; with `rehash`, the manifest's hash is made to match, so the checks after the hash are reached. */
  function writeFolder(folder: Record<string, string | Uint8Array | undefined>, rehash: boolean): string {
    const dir = join(root, `m${n++}`);
    mkdirSync(join(dir, 'cpu'), { recursive: true });
    const manifestText = folder['cpu/manifest.json'] as string | undefined;
    const readable = manifestText !== undefined && manifestText === files['cpu/manifest.json'];
    if (rehash && readable && typeof folder['cpu/model.json'] === 'string' && folder['cpu/weights.bin'] !== undefined) {
      const manifest = JSON.parse(manifestText);
      manifest.contentHash = createHash('sha256')
        .update(folder['cpu/model.json'])
        .update(folder['cpu/weights.bin'])
        .digest('hex');
      folder['cpu/manifest.json'] = JSON.stringify(manifest);
    }
    for (const [name, body] of Object.entries(folder)) {
      if (body !== undefined) {
        writeFileSync(join(dir, name), body);
      }
    }
    return dir;
  }

  const fileEdit = fc.oneof(
    fc.record({ kind: fc.constant('model-json' as const), list: edits }),
    fc.record({
      kind: fc.constant('weights-size' as const),
      delta: fc.integer({ min: -64, max: 64 }).filter((d) => d !== 0),
    }),
    fc.record({
      kind: fc.constant('missing' as const),
      file: fc.constantFrom('models.json', 'cpu/manifest.json', 'cpu/model.json', 'cpu/weights.bin'),
    }),
    fc.record({
      kind: fc.constant('cut' as const),
      file: fc.constantFrom('models.json', 'cpu/manifest.json', 'cpu/model.json'),
      at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    }),
    fc.record({ kind: fc.constant('index' as const), list: edits })
  );

  it('loads and scores the undamaged artifact (the baseline every damaged case departs from)', async () => {
    const models = await loadScoringModels(tf, writeFolder({ ...files }, false), 'tfjs');
    const { scores } = await scoreGroups(DATA, models);
    expect(scores).toHaveLength(6);
    expectSound(scores);
  });

  /** model.json edited by `edit`, with the manifest's hash made to match (so only the later checks can refuse it). */
  function editedModelJson(edit: (json: any) => void): string {
    const json = JSON.parse(files['cpu/model.json'] as string);
    edit(json);
    return writeFolder({ ...files, 'cpu/model.json': JSON.stringify(json) }, true);
  }
  const layers = (json: any) => json.modelTopology.config.layers;

  it.each([
    [
      'a layer of a billion units, which tfjs would allocate before reading the shard',
      (json: any) => (layers(json)[0].config.units = 1e9),
      'artifact-model-json',
      /units 1000000000/,
    ],
    [
      'a second weight shard the artifact does not have',
      (json: any) => json.weightsManifest[0].paths.push('group1-shard2of2.bin'),
      'artifact-model-json',
      /one, "weights.bin"/,
    ],
    [
      'a weight of negative shape',
      (json: any) => (json.weightsManifest[0].weights[0].shape = [-2, -8]),
      'artifact-model-json',
      /weight 0 is not/,
    ],
    [
      'a Lambda layer holding code',
      (json: any) => (layers(json)[1] = { class_name: 'Lambda', config: { function: 'process.exit(3)' } }),
      'artifact-model',
      /tfjs cannot build/,
    ],
  ])('refuses a model.json with %s', async (_, edit, code, message) => {
    await expect(loadScoringModels(tf, editedModelJson(edit), 'tfjs')).rejects.toMatchObject({
      code,
      message: expect.stringMatching(message),
    });
  });

  it(`end in a SyrrocaError or a sound model, in ${FILE_CASES} damaged artifacts`, async () => {
    await fuzzAsync(
      fc.asyncProperty(fileEdit, fc.boolean(), async (edit, rehash) => {
        const folder: Record<string, string | Uint8Array | undefined> = { ...files };
        switch (edit.kind) {
          case 'model-json':
            folder['cpu/model.json'] = JSON.stringify(mutate(JSON.parse(files['cpu/model.json'] as string), edit.list));
            break;
          case 'weights-size': {
            const weights = files['cpu/weights.bin'] as Uint8Array;
            const resized = new Uint8Array(Math.max(0, weights.length + edit.delta));
            resized.set(weights.subarray(0, resized.length));
            folder['cpu/weights.bin'] = resized;
            break;
          }
          case 'missing':
            folder[edit.file] = undefined;
            break;
          case 'cut': {
            const text = files[edit.file] as string;
            folder[edit.file] = text.slice(0, Math.floor(edit.at * text.length));
            break;
          }
          case 'index':
            folder['models.json'] = JSON.stringify(mutate(JSON.parse(files['models.json'] as string), edit.list));
            break;
        }
        const dir = writeFolder(folder, rehash);
        const outcome = await onlySyrrocaErrors(async () => {
          const models = await loadScoringModels(tf, dir, 'tfjs');
          expectSound((await scoreGroups(DATA, models)).scores);
        });
        if (outcome !== 'ok') {
          expect(outcome.message).toContain(dir);
        }
      }),
      FILE_CASES
    );
  });
});
