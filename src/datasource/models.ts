/**
 * The model artifact read over HTTP: `<base>/models.json`, then per group `manifest.json`,
 * `model.json` and `weights.bin`. Every download is size-checked (a cap, and the announced length),
 * and model.json + weights are hashed (SHA-256, as `syrroca train` wrote `contentHash`) before tfjs
 * sees them, so a truncated or swapped file fails here with its URL, not deep inside tfjs.
 */
import {
  INDEX_FILE,
  MANIFEST_FILE,
  MODEL_FILE,
  WEIGHTS_FILE,
  checkArtifact,
  modelFromFiles,
  parseIndex,
  parseManifest,
  type ModelFiles,
} from '../core/artifact';
import { SyrrocaError } from '../core/errors';
import { inputShape, type FastModelFactory, type Tf } from '../core/model';
import { scoringModelOf, type ScoringModel } from '../core/pipeline';
import type { Manifest } from '../core/types';

/** Largest file the loader accepts; an AE-200's weights are ~2 MB, so this only stops a wrong URL. */
export const MAX_FILE_BYTES = 64 * 2 ** 20;

export interface ArtifactGroup {
  manifest: Manifest;
  source: string;
  files: ModelFiles;
}

export interface LoadedModels {
  /** The models folder's URL, as messages show it. */
  url: string;
  models: ScoringModel[];
  /** False when the page is not a secure context (no crypto.subtle): the hashes could not be checked. */
  verified: boolean;
}

/** Advice for a download that failed, by status and by whether it was the index or a group's file. */
function advice(status: number, isIndex: boolean): string {
  if (status === 404) {
    return isIndex
      ? `no syrroca models there: check the models URL in the data source settings (the folder that holds ${INDEX_FILE}, e.g. the exporter's http://host:9464/models/)`
      : 'the artifact is incomplete: copy the whole folder that `syrroca train --out` wrote';
  }
  if (status === 502 || status === 504) {
    return 'Grafana could not reach the models URL from its server: check the URL and that the host is reachable from Grafana';
  }
  if (status === 401 || status === 403) {
    return 'the models URL refused access: check its credentials or open it to Grafana';
  }
  return 'check the models URL and its server';
}

async function download(doFetch: typeof fetch, url: string, signal?: AbortSignal): Promise<ArrayBuffer> {
  let response: Response;
  try {
    response = await doFetch(url, { signal });
  } catch (err) {
    if (signal?.aborted) {
      throw err;
    }
    throw new SyrrocaError(
      'models-unreachable',
      `cannot download ${url}: ${(err as Error).message}; check the network`
    );
  }
  if (!response.ok) {
    throw new SyrrocaError(
      'models-http',
      `${url} answered HTTP ${response.status}: ${advice(response.status, url.endsWith(INDEX_FILE))}`
    );
  }
  const announced = Number(response.headers.get('Content-Length') ?? NaN);
  if (announced > MAX_FILE_BYTES) {
    throw new SyrrocaError(
      'models-too-large',
      `${url} is ${announced} bytes, more than a model file can be (${MAX_FILE_BYTES}): check the models URL`
    );
  }
  const bytes = await readCapped(response, url, signal);
  // A compressed transfer announces the compressed length; only an uncompressed one can be compared.
  if (Number.isFinite(announced) && !response.headers.get('Content-Encoding') && announced !== bytes.byteLength) {
    throw new SyrrocaError(
      'models-truncated',
      `${url} was cut off (${bytes.byteLength} of ${announced} bytes); load the models again`
    );
  }
  return bytes;
}

/**
 * The body, read chunk by chunk and cancelled as soon as it passes the cap: a server that announces
 * no length (or a false one) cannot make the page hold more than MAX_FILE_BYTES.
 */
async function readCapped(response: Response, url: string, signal?: AbortSignal): Promise<ArrayBuffer> {
  const tooLarge = () =>
    new SyrrocaError('models-too-large', `${url} is more than ${MAX_FILE_BYTES} bytes: check the models URL`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    const reader = response.body?.getReader();
    if (!reader) {
      const whole = new Uint8Array(await response.arrayBuffer());
      chunks.push(whole);
      total = whole.byteLength;
    }
    while (reader) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      total += value.byteLength;
      if (total > MAX_FILE_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof SyrrocaError || signal?.aborted) {
      throw err;
    }
    throw new SyrrocaError(
      'models-truncated',
      `${url} was cut off after ${total} bytes (${(err as Error).message}); load the models again`
    );
  }
  if (total > MAX_FILE_BYTES) {
    throw tooLarge();
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out.buffer;
}

function parseJson(bytes: ArrayBuffer, url: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new SyrrocaError('artifact-json', `${url}: not valid JSON (${(err as Error).message})`);
  }
}

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 of the parts one after the other; undefined where crypto.subtle is missing (plain-http pages). */
export async function sha256Hex(parts: ArrayBuffer[]): Promise<string | undefined> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    return undefined;
  }
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(new Uint8Array(part), offset);
    offset += part.byteLength;
  }
  return hex(await subtle.digest('SHA-256', joined));
}

async function fetchIndex(doFetch: typeof fetch, base: string, signal?: AbortSignal): Promise<string[]> {
  const indexUrl = `${base}${INDEX_FILE}`;
  const index = parseIndex(parseJson(await download(doFetch, indexUrl, signal), indexUrl), indexUrl);
  if (index.groups.length === 0) {
    throw new SyrrocaError('models-empty', `${indexUrl} lists no groups: train models with \`syrroca train\``);
  }
  return index.groups;
}

async function fetchManifest(
  doFetch: typeof fetch,
  source: string,
  group: string,
  signal?: AbortSignal
): Promise<Manifest> {
  const url = `${source}${MANIFEST_FILE}`;
  const manifest = parseManifest(parseJson(await download(doFetch, url, signal), url), url);
  if (manifest.group !== group) {
    throw new SyrrocaError(
      'manifest-invalid',
      `${source}: the manifest is for group "${manifest.group}", not "${group}"`
    );
  }
  return manifest;
}

const folder = (baseUrl: string) => (baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);

/** The manifests only (no weights, no tfjs): what the query editor shows and the variables list. */
export async function fetchManifests(
  doFetch: typeof fetch,
  baseUrl: string,
  signal?: AbortSignal
): Promise<Manifest[]> {
  const base = folder(baseUrl);
  const groups = await fetchIndex(doFetch, base, signal);
  return Promise.all(groups.map((group) => fetchManifest(doFetch, `${base}${group}/`, group, signal)));
}

/** Downloads and checks every group's files (index, manifest, hash, sizes); tfjs is not needed yet. */
export async function fetchArtifacts(
  doFetch: typeof fetch,
  baseUrl: string,
  signal?: AbortSignal
): Promise<{ groups: ArtifactGroup[]; verified: boolean }> {
  const base = folder(baseUrl);
  const names = await fetchIndex(doFetch, base, signal);
  let verified = true;
  const groups = await Promise.all(
    names.map(async (group) => {
      const source = `${base}${group}/`;
      const [manifest, modelBytes, weights] = await Promise.all([
        fetchManifest(doFetch, source, group, signal),
        download(doFetch, `${source}${MODEL_FILE}`, signal),
        download(doFetch, `${source}${WEIGHTS_FILE}`, signal),
      ]);
      const hash = await sha256Hex([modelBytes, weights]);
      if (hash === undefined) {
        verified = false;
      } else if (hash !== manifest.contentHash) {
        throw new SyrrocaError(
          'artifact-hash',
          `${source}: model.json and weights.bin do not match the manifest's content hash (files from different trainings, or damaged); copy the whole group folder again`
        );
      }
      const modelJson = parseJson(modelBytes, `${source}${MODEL_FILE}`) as ModelFiles['modelJson'];
      return { manifest, source, files: { modelJson, weights } };
    })
  );
  return { groups, verified };
}

/**
 * Models ready for `scoreGroups`, each checked against its manifest (window, feature count): tfjs
 * models, or the fast kernels on their weights when `fast` is given (tfjs then only parses them).
 */
export async function loadModels(
  tf: Tf,
  doFetch: typeof fetch,
  baseUrl: string,
  options: { signal?: AbortSignal; fast?: FastModelFactory } = {}
): Promise<LoadedModels> {
  const { groups, verified } = await fetchArtifacts(doFetch, baseUrl, options.signal);
  const models = await Promise.all(
    groups.map(async ({ manifest, source, files }) => {
      const model = await modelFromFiles(tf, files, source, manifest);
      checkArtifact(manifest, inputShape(model), source);
      return scoringModelOf(tf, model, manifest, source, options.fast);
    })
  );
  return { url: baseUrl, models, verified };
}
