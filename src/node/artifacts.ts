/**
 * Reading and writing model artifacts on disk. Writing is atomic at the level of the whole models
 * directory: everything goes to a sibling temp directory, then two renames swap it in. A failed or
 * killed training never leaves a half-written artifact where a good one was; if a crash falls
 * between the two renames, the previous artifact is found again under its `.previous-*` name.
 */
import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import { basename, dirname, join } from 'path';

import {
  INDEX_FILE,
  MANIFEST_FILE,
  MODEL_FILE,
  WEIGHTS_FILE,
  FORMAT_VERSION,
  modelFromFiles,
  modelToFiles,
  parseIndex,
  parseManifest,
  type ArtifactIndex,
  type ModelFiles,
} from '../core/artifact';
import { SyrrocaError } from '../core/errors';
import type { Tf } from '../core/model';
import { autoencoderWeightsOf } from '../core/kernels/autoencoder';
import { fastScoringModel, tfScoringModel, type ScoringModel, type TrainedGroup } from '../core/pipeline';
import type { Manifest } from '../core/types';
import { fastFactory, type Engine } from './engine';
import { version } from './version';

/** sha256 over model.json and the weights, as the manifest records it. */
export function contentHash(modelJson: string, weights: ArrayBuffer): string {
  return createHash('sha256').update(modelJson).update(new Uint8Array(weights)).digest('hex');
}

export async function writeArtifacts(tf: Tf, dir: string, trained: TrainedGroup[]): Promise<void> {
  const parent = dirname(dir);
  await fs.mkdir(parent, { recursive: true });
  const tmp = await fs.mkdtemp(join(parent, `.${basename(dir)}.tmp-`));
  try {
    for (const { manifest, model } of trained) {
      const files = await modelToFiles(tf, model);
      const modelJson = JSON.stringify(files.modelJson);
      const full: Manifest = {
        ...manifest,
        libraries: { syrroca: version, '@tensorflow/tfjs': tf.version_layers },
        contentHash: contentHash(modelJson, files.weights),
      };
      const groupDir = join(tmp, manifest.group);
      await fs.mkdir(groupDir);
      await fs.writeFile(join(groupDir, MODEL_FILE), modelJson);
      await fs.writeFile(join(groupDir, WEIGHTS_FILE), new Uint8Array(files.weights));
      await fs.writeFile(join(groupDir, MANIFEST_FILE), JSON.stringify(full, null, 2) + '\n');
    }
    const index: ArtifactIndex = {
      formatVersion: FORMAT_VERSION,
      groups: trained.map((t) => t.manifest.group),
      createdAt: new Date().toISOString(),
    };
    await fs.writeFile(join(tmp, INDEX_FILE), JSON.stringify(index, null, 2) + '\n');
    await swapIn(tmp, dir);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    if (isNodeError(err) && (err.code === 'ENOSPC' || err.code === 'EDQUOT' || err.code === 'EACCES' || err.code === 'EROFS')) {
      throw new SyrrocaError('artifact-write', `cannot write models to ${dir}: ${err.message}; nothing was changed there`);
    }
    throw err;
  }
}

async function swapIn(tmp: string, dir: string): Promise<void> {
  const previous = `${join(dirname(dir), `.${basename(dir)}.previous-`)}${process.pid}`;
  let hadPrevious = false;
  try {
    await fs.rename(dir, previous);
    hadPrevious = true;
  } catch (err) {
    if (!isNodeError(err) || err.code !== 'ENOENT') {
      throw err;
    }
  }
  await fs.rename(tmp, dir);
  if (hadPrevious) {
    await fs.rm(previous, { recursive: true, force: true });
  }
}

/** The models directory, or the previous one left by a write interrupted between its two renames. */
async function resolveModelsDir(dir: string): Promise<string> {
  if (await exists(join(dir, INDEX_FILE))) {
    return dir;
  }
  const siblings = await fs.readdir(dirname(dir)).catch(() => [] as string[]);
  const previous = siblings.filter((s) => s.startsWith(`.${basename(dir)}.previous-`)).sort();
  if (previous.length > 0 && !(await exists(dir))) {
    return join(dirname(dir), previous[previous.length - 1]);
  }
  if (!(await exists(dir))) {
    throw new SyrrocaError('models-missing', `${dir}: no such models directory; train one with \`syrroca train --out ${dir}\``);
  }
  throw new SyrrocaError('models-missing', `${dir}: not a syrroca models directory (no ${INDEX_FILE}); point --models at the directory \`syrroca train --out\` wrote`);
}

export interface LoadedGroup {
  manifest: Manifest;
  source: string;
  files: ModelFiles;
}

/** Reads every group's files and checks manifest, hash and weight sizes (not yet the data). */
export async function readArtifacts(dir: string): Promise<LoadedGroup[]> {
  const root = await resolveModelsDir(dir);
  const index = parseIndex(await readJson(join(root, INDEX_FILE)), join(dir, INDEX_FILE));
  return Promise.all(
    index.groups.map(async (group) => {
      const groupDir = join(root, group);
      const source = join(dir, group);
      const manifest = parseManifest(await readJson(join(groupDir, MANIFEST_FILE)), join(source, MANIFEST_FILE));
      if (manifest.group !== group) {
        throw new SyrrocaError('manifest-invalid', `${source}: the manifest is for group "${manifest.group}", not "${group}"`);
      }
      const modelText = await readText(join(groupDir, MODEL_FILE));
      const weights = await fs.readFile(join(groupDir, WEIGHTS_FILE)).catch((err) => {
        throw new SyrrocaError('artifact-missing-file', `${join(source, WEIGHTS_FILE)}: cannot read the weights (${err.code ?? err.message})`);
      });
      const weightBuffer = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
      if (contentHash(modelText, weightBuffer) !== manifest.contentHash) {
        throw new SyrrocaError(
          'artifact-hash',
          `${source}: model.json or weights.bin do not match the manifest's content hash; the files were changed or mixed from different trainings`
        );
      }
      return { manifest, source, files: { modelJson: parseJson(modelText, join(source, MODEL_FILE)), weights: weightBuffer } };
    })
  );
}

/** Loads the artifacts as tfjs models ready for `scoreGroups`. */
export async function loadScoringModels(tf: Tf, dir: string, engine: Engine = 'fast'): Promise<ScoringModel[]> {
  const groups = await readArtifacts(dir);
  const fast = fastFactory(engine);
  return Promise.all(
    groups.map(async ({ manifest, source, files }) => {
      const model = await modelFromFiles(tf, files, source, manifest);
      if (!fast) {
        return tfScoringModel(tf, model, manifest, source);
      }
      const scoring = fastScoringModel(await fast(autoencoderWeightsOf(model), {}), manifest, source);
      model.dispose();
      return scoring;
    })
  );
}

async function readText(path: string): Promise<string> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (err) {
    throw new SyrrocaError('artifact-missing-file', `${path}: cannot read (${isNodeError(err) ? err.code : String(err)})`);
  }
}

async function readJson(path: string): Promise<unknown> {
  return parseJson(await readText(path), path);
}

function parseJson(text: string, source: string): any {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new SyrrocaError('artifact-json', `${source}: not valid JSON (${(err as Error).message})`);
  }
}

async function exists(path: string): Promise<boolean> {
  return fs.access(path).then(
    () => true,
    () => false
  );
}

/** Duck-typed: errors from Node's core may come from another realm (jest's sandbox), so `instanceof Error` is not reliable. */
export function isNodeError(err: unknown): err is NodeJS.ErrnoException {
  return typeof err === 'object' && err !== null && 'code' in err && 'message' in err;
}

/** Writes a file atomically: a temp file beside it, then a rename. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now()}`);
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, path);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    if (isNodeError(err)) {
      throw new SyrrocaError('write-failed', `cannot write ${path}: ${err.message}`);
    }
    throw err;
  }
}
