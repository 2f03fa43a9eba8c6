/**
 * The model artifact, one format for the browser, the CLI and the exporter:
 *
 *   <dir>/models.json              index: format version and the groups
 *   <dir>/<group>/manifest.json    what the model expects (see Manifest)
 *   <dir>/<group>/model.json       tfjs layers model (topology + weights manifest)
 *   <dir>/<group>/weights.bin      the weights, one shard
 *
 * This module is pure: it validates and relates the parts; reading and writing bytes is the shells' job.
 */
import type * as tfjs from '@tensorflow/tfjs';

import { SyrrocaError } from './errors';
import type { Tf } from './model';
import type { Manifest } from './types';

export const FORMAT_VERSION = 1;
export const INDEX_FILE = 'models.json';
export const MANIFEST_FILE = 'manifest.json';
export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

export interface ArtifactIndex {
  formatVersion: typeof FORMAT_VERSION;
  groups: string[];
  createdAt: string;
}

/** A tfjs layers model as the files hold it: `model.json` parsed, and the weight bytes. */
export interface ModelFiles {
  modelJson: {
    format: 'layers-model';
    generatedBy: string;
    convertedBy: null;
    modelTopology: object;
    weightsManifest: Array<{ paths: string[]; weights: tfjs.io.WeightsManifestEntry[] }>;
  };
  weights: ArrayBuffer;
}

/** Serializes a model without touching any storage (tfjs' own handlers assume a browser or tfjs-node). */
export async function modelToFiles(tf: Tf, model: tfjs.LayersModel): Promise<ModelFiles> {
  let files: ModelFiles | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      files = {
        modelJson: {
          format: 'layers-model',
          generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
          convertedBy: null,
          modelTopology: artifacts.modelTopology as object,
          weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
        },
        weights: concatWeightData(artifacts.weightData),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    })
  );
  return files!;
}

function concatWeightData(data: tfjs.io.WeightData | undefined): ArrayBuffer {
  if (data === undefined) {
    return new ArrayBuffer(0);
  }
  if (!Array.isArray(data)) {
    return data as ArrayBuffer;
  }
  const total = data.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out.buffer;
}

/**
 * Rebuilds a model from its files after checking that the weight bytes are exactly what
 * `model.json` declares (a truncated or swapped shard fails here, by name, not deep in tfjs).
 */
export async function modelFromFiles(tf: Tf, files: ModelFiles, source: string): Promise<tfjs.LayersModel> {
  const specs = files.modelJson.weightsManifest?.flatMap((g) => g.weights) ?? [];
  const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * bytesPerElement(s.dtype, source), 0);
  if (expected !== files.weights.byteLength) {
    throw new SyrrocaError(
      'artifact-weights-size',
      `${source}: the weights hold ${files.weights.byteLength} bytes but model.json declares ${expected}; the artifact is damaged, train it again or restore it`
    );
  }
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: files.modelJson.modelTopology, weightSpecs: specs, weightData: files.weights })
  );
}

function bytesPerElement(dtype: string, source: string): number {
  if (dtype === 'float32' || dtype === 'int32') {
    return 4;
  }
  throw new SyrrocaError('artifact-weights-dtype', `${source}: unsupported weight dtype ${dtype}`);
}

const REQUIRED: Array<keyof Manifest> = [
  'formatVersion',
  'group',
  'features',
  'stepSeconds',
  'window',
  'stride',
  'scaling',
  'model',
  'threshold',
  'training',
  'droppedFeatures',
  'libraries',
  'contentHash',
];

/** Validates a parsed `manifest.json`; every problem is named in one message. */
export function parseManifest(json: unknown, source: string): Manifest {
  const problems: string[] = [];
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SyrrocaError('manifest-invalid', `${source}: a manifest must be a JSON object`);
  }
  const m = json as Record<string, unknown>;
  for (const key of REQUIRED) {
    if (!(key in m)) {
      problems.push(`missing "${key}"`);
    }
  }
  if ('formatVersion' in m && m.formatVersion !== FORMAT_VERSION) {
    problems.push(`format version ${String(m.formatVersion)} is not ${FORMAT_VERSION}: use a syrroca release that wrote it, or train again`);
  }
  if ('features' in m) {
    if (!Array.isArray(m.features) || m.features.length === 0) {
      problems.push('"features" must be a non-empty list');
    } else {
      m.features.forEach((f, i) => {
        const ok =
          typeof f === 'object' &&
          f !== null &&
          typeof f.name === 'string' &&
          (f.kind === 'counter' || f.kind === 'gauge') &&
          Number.isFinite(f.min) &&
          Number.isFinite(f.max) &&
          f.max >= f.min;
        if (!ok) {
          problems.push(`feature ${i} must be {name, kind: counter|gauge, min <= max}`);
        }
      });
    }
  }
  for (const key of ['stepSeconds', 'window', 'stride'] as const) {
    if (key in m && !(typeof m[key] === 'number' && (m[key] as number) > 0)) {
      problems.push(`"${key}" must be a positive number`);
    }
  }
  const threshold = m.threshold as Manifest['threshold'] | undefined;
  if (threshold && !(typeof threshold === 'object' && Number.isFinite(threshold.value))) {
    problems.push('"threshold.value" must be a finite number');
  }
  if (problems.length > 0) {
    throw new SyrrocaError('manifest-invalid', `${source}: ${problems.join('; ')}`);
  }
  return json as Manifest;
}

/**
 * Checks that a manifest, its model and the data agree, and reports every mismatch by name:
 * window and feature count against the model's input, feature names against the data.
 * `dataFeatures` are the data's features of this group (after grouping).
 */
export function checkArtifact(
  manifest: Manifest,
  modelInput: { window: number; features: number },
  source: string,
  dataFeatures?: string[],
  options: { allowExtraFeatures?: boolean } = {}
): void {
  const problems: string[] = [];
  if (modelInput.window !== manifest.window) {
    problems.push(`the model's window is ${modelInput.window} steps but the manifest says ${manifest.window}`);
  }
  if (modelInput.features !== manifest.features.length) {
    problems.push(`the model takes ${modelInput.features} features but the manifest lists ${manifest.features.length}`);
  }
  if (dataFeatures) {
    const have = new Set(dataFeatures);
    const want = new Set(manifest.features.map((f) => f.name));
    const missing = manifest.features.filter((f) => !have.has(f.name)).map((f) => f.name);
    if (missing.length > 0) {
      problems.push(`the data lacks ${missing.length} feature(s) the model was trained on: ${listNames(missing)}`);
    }
    const extra = dataFeatures.filter((f) => !want.has(f));
    if (extra.length > 0 && !options.allowExtraFeatures) {
      problems.push(
        `the data has ${extra.length} feature(s) of group "${manifest.group}" the model was not trained on: ${listNames(extra)} (retrain, or allow extra features to ignore them)`
      );
    }
  }
  if (problems.length > 0) {
    throw new SyrrocaError('artifact-mismatch', `${source}: ${problems.join('; ')}`);
  }
}

function listNames(names: string[], max = 5): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

export function parseIndex(json: unknown, source: string): ArtifactIndex {
  const index = json as ArtifactIndex;
  if (
    typeof json !== 'object' ||
    json === null ||
    index.formatVersion !== FORMAT_VERSION ||
    !Array.isArray(index.groups) ||
    !index.groups.every((g) => typeof g === 'string' && /^[A-Za-z0-9_.-]+$/.test(g) && g !== '.' && g !== '..')
  ) {
    throw new SyrrocaError(
      'artifact-index-invalid',
      `${source}: not a syrroca model index (expected {"formatVersion": ${FORMAT_VERSION}, "groups": [names]})`
    );
  }
  return index;
}
