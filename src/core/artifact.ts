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

/** Largest hidden size, window and feature count a manifest may declare: beyond them a file is damaged or hostile, not a model. */
export const LIMITS = { units: 4096, window: 100_000, features: 100_000 };

/**
 * Rebuilds a model from its files after checking that `model.json` is a tfjs layers model whose
 * weights are one shard (`weights.bin`) of exactly the declared bytes, and whose layer sizes are
 * the manifest's (a truncated or swapped shard, or a topology that would make tfjs allocate
 * gigabytes, fails here, by name, not deep in tfjs). tfjs reads the topology as data: layer
 * classes are looked up by name among its own, nothing in the files is run as code.
 */
export async function modelFromFiles(
  tf: Tf,
  files: ModelFiles,
  source: string,
  manifest: Pick<Manifest, 'model'>
): Promise<tfjs.LayersModel> {
  const specs = checkModelJson(files.modelJson, source);
  checkTopologySizes(files.modelJson.modelTopology, manifest.model, source);
  const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * bytesPerElement(s.dtype, source), 0);
  if (expected !== files.weights.byteLength) {
    throw new SyrrocaError(
      'artifact-weights-size',
      `${source}: the weights hold ${files.weights.byteLength} bytes but model.json declares ${expected}; the artifact is damaged, train it again or restore it`
    );
  }
  try {
    return await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: files.modelJson.modelTopology, weightSpecs: specs, weightData: files.weights })
    );
  } catch (err) {
    throw new SyrrocaError(
      'artifact-model',
      `${source}: tfjs cannot build the model of model.json (${(err as Error).message}); the artifact is damaged or not a syrroca model: train it again or restore it`
    );
  }
}

function damaged(source: string, what: string): SyrrocaError {
  return new SyrrocaError(
    'artifact-model-json',
    `${source}: model.json ${what}; the artifact is damaged, train it again or restore it`
  );
}

/** The weight specs of a model.json that has the shape tfjs and syrroca write. */
function checkModelJson(json: unknown, source: string): tfjs.io.WeightsManifestEntry[] {
  const m = json as Partial<ModelFiles['modelJson']> | null;
  if (typeof m !== 'object' || m === null || typeof m.modelTopology !== 'object' || m.modelTopology === null) {
    throw damaged(source, 'has no modelTopology object');
  }
  if (!Array.isArray(m.weightsManifest) || !m.weightsManifest.every((g) => typeof g === 'object' && g !== null)) {
    throw damaged(source, 'has no weightsManifest list');
  }
  const paths = m.weightsManifest.flatMap((g) => (Array.isArray(g.paths) ? g.paths : [null]));
  if (paths.length !== 1 || paths[0] !== WEIGHTS_FILE) {
    throw damaged(
      source,
      `lists the weight shards ${JSON.stringify(paths)}, where a syrroca artifact has one, "${WEIGHTS_FILE}"`
    );
  }
  const specs = m.weightsManifest.flatMap((g) => (Array.isArray(g.weights) ? g.weights : [null]));
  specs.forEach((s, i) => {
    const ok =
      typeof s === 'object' &&
      s !== null &&
      typeof s.name === 'string' &&
      typeof s.dtype === 'string' &&
      Array.isArray(s.shape) &&
      s.shape.every((d) => Number.isSafeInteger(d) && d >= 0) &&
      Number.isSafeInteger(s.shape.reduce((a, b) => a * b, 1));
    if (!ok) {
      throw damaged(source, `weight ${i} is not {name, shape: [whole numbers], dtype}`);
    }
  });
  return specs as tfjs.io.WeightsManifestEntry[];
}

/**
 * Layer sizes in the topology (`units`, RepeatVector's `n`, the input shape) must be the manifest's:
 * tfjs allocates every layer's weights from them before it reads the shard.
 */
function checkTopologySizes(topology: object, shape: Manifest['model'], source: string): void {
  const units = new Set<unknown>([...shape.units, shape.features]);
  const wrong: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (typeof node !== 'object' || node === null) {
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'units' && !units.has(value)) {
        wrong.push(`units ${JSON.stringify(value)}`);
      } else if (key === 'n' && value !== shape.window) {
        wrong.push(`n ${JSON.stringify(value)}`);
      } else if (
        key === 'batch_input_shape' &&
        JSON.stringify(value) !== JSON.stringify([null, shape.window, shape.features])
      ) {
        wrong.push(`input shape ${JSON.stringify(value)}`);
      } else {
        walk(value);
      }
    }
  };
  walk(topology);
  if (wrong.length > 0) {
    throw damaged(
      source,
      `declares ${wrong.slice(0, 3).join(', ')}, not the sizes of the manifest's model (window ${shape.window}, ` +
        `${shape.features} features, units ${shape.units.join('/')})`
    );
  }
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
  'grouping',
  'model',
  'threshold',
  'training',
  'droppedFeatures',
  'libraries',
  'contentHash',
];

const GROUP = /^[A-Za-z0-9_.-]+$/;
/** A group name is also a folder name and an object key: no path step, no `__proto__`. */
const isGroupName = (g: unknown) =>
  typeof g === 'string' && GROUP.test(g) && g !== '.' && g !== '..' && g !== '__proto__';
const isObject = (x: unknown): x is Record<string, any> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isCount = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 1;
const isRegex = (x: unknown) => {
  try {
    return typeof x === 'string' && new RegExp(x) instanceof RegExp;
  } catch {
    return false;
  }
};

/**
 * Validates a parsed `manifest.json`; every problem is named in one message. Everything scoring
 * reads is checked here (a manifest may come from any URL), so a damaged or hand-edited manifest
 * fails by name, never later as a TypeError.
 */
export function parseManifest(json: unknown, source: string): Manifest {
  const problems: string[] = [];
  if (!isObject(json)) {
    throw new SyrrocaError('manifest-invalid', `${source}: a manifest must be a JSON object`);
  }
  const m = json;
  const check = (key: keyof Manifest, ok: (value: any) => boolean, what: string) => {
    if (key in m && !ok(m[key])) {
      problems.push(`"${key}" must be ${what}`);
    }
  };
  for (const key of REQUIRED) {
    if (!(key in m)) {
      problems.push(`missing "${key}"`);
    }
  }
  if ('formatVersion' in m && m.formatVersion !== FORMAT_VERSION) {
    problems.push(
      `format version ${String(m.formatVersion)} is not ${FORMAT_VERSION}: use a syrroca release that wrote it, or train again`
    );
  }
  check('group', isGroupName, 'a group name (letters, digits, _ . -)');
  if ('features' in m) {
    if (!Array.isArray(m.features) || m.features.length === 0) {
      problems.push('"features" must be a non-empty list');
    } else {
      const names = new Set<string>();
      m.features.forEach((f: any, i: number) => {
        const ok =
          isObject(f) &&
          typeof f.name === 'string' &&
          f.name !== '' &&
          (f.kind === 'counter' || f.kind === 'gauge') &&
          Number.isFinite(f.min) &&
          Number.isFinite(f.max) &&
          f.max >= f.min;
        if (!ok) {
          problems.push(`feature ${i} must be {name, kind: counter|gauge, min <= max}`);
        } else if (names.has(f.name)) {
          problems.push(`feature ${i} repeats the name ${JSON.stringify(f.name)}`);
        }
        names.add(f?.name);
      });
    }
  }
  check('stepSeconds', (x) => typeof x === 'number' && x > 0 && Number.isFinite(x), 'a positive number');
  check('window', isCount, 'a whole number >= 1');
  check('stride', isCount, 'a whole number >= 1');
  check('scaling', (x) => x === 'min-max', '"min-max"');
  check(
    'grouping',
    (g) =>
      isObject(g) &&
      (g.exclude === null || isRegex(g.exclude)) &&
      isObject(g.catalog) &&
      (g.catalog.fallback === null || typeof g.catalog.fallback === 'string') &&
      Array.isArray(g.catalog.rules) &&
      g.catalog.rules.every(
        (r: any) => isObject(r) && typeof r.group === 'string' && Array.isArray(r.patterns) && r.patterns.every(isRegex)
      ),
    '{catalog: {rules: [{group, patterns: [regex]}], fallback}, exclude: regex or null}'
  );
  check(
    'model',
    (x) =>
      isObject(x) &&
      isCount(x.features) &&
      x.features <= LIMITS.features &&
      isCount(x.window) &&
      x.window <= LIMITS.window &&
      Array.isArray(x.units) &&
      x.units.length === 4 &&
      x.units.every((u: unknown) => isCount(u) && (u as number) <= LIMITS.units),
    `{features (<= ${LIMITS.features}), window (<= ${LIMITS.window}), units: [4 whole numbers <= ${LIMITS.units}], dropout}`
  );
  check(
    'threshold',
    (t) => isObject(t) && (t.method === 'quantile' || t.method === 'mean-k-sigma') && Number.isFinite(t.value),
    '{method: quantile|mean-k-sigma, value: a finite number}'
  );
  check('training', isObject, 'an object');
  check(
    'droppedFeatures',
    (d) =>
      Array.isArray(d) && d.every((x) => isObject(x) && typeof x.name === 'string' && typeof x.reason === 'string'),
    'a list of {name, reason}'
  );
  check(
    'libraries',
    (x) => isObject(x) && Object.values(x).every((v) => typeof v === 'string'),
    'an object of strings'
  );
  check('contentHash', (x) => typeof x === 'string', 'a string');
  if (m.querySet !== undefined) {
    const q = m.querySet;
    // The queries themselves are read by parseQuerySet where they are used.
    if (
      !isObject(q) ||
      !isObject(q.queries) ||
      !isObject(q.variables) ||
      !Object.values(q.variables).every((v) => typeof v === 'string')
    ) {
      problems.push('"querySet" must be {queries: a query set, variables: an object of strings}');
    }
  }
  if (problems.length > 0) {
    throw new SyrrocaError('manifest-invalid', `${source}: ${problems.join('; ')}`);
  }
  return json as unknown as Manifest;
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
    // Features the training filter dropped are expected in the data and ignored.
    const want = new Set([...manifest.features, ...manifest.droppedFeatures].map((f) => f.name));
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
    !index.groups.every(isGroupName)
  ) {
    throw new SyrrocaError(
      'artifact-index-invalid',
      `${source}: not a syrroca model index (expected {"formatVersion": ${FORMAT_VERSION}, "groups": [names]})`
    );
  }
  return index;
}
