/**
 * Reading and writing model artifacts on disk. Writing is atomic at the level of the whole models
 * directory: everything goes to a sibling temp directory, then two renames swap it in. A failed or
 * killed training never leaves a half-written artifact where a good one was; if a crash falls
 * between the two renames, the previous artifact is found again under its `.previous-*` name.
 * Files and directories are flushed (fsync) before the rename that publishes them, so a power loss
 * cannot leave the new name pointing at files the disk never received.
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
import { scoringModelOf, type ScoringModel, type TrainedGroup } from '../core/pipeline';
import type { Manifest } from '../core/types';
import { fastFactory, type Engine } from './engine';
import { version } from './version';

/** sha256 over model.json and the weights, as the manifest records it. */
export function contentHash(modelJson: string, weights: ArrayBuffer): string {
  return createHash('sha256').update(modelJson).update(new Uint8Array(weights)).digest('hex');
}

/**
 * What a failed write says: the path, the system's reason and what to do about it. Errors that are
 * not about the file system (a bug) are returned unchanged.
 */
export function writeError(path: string, err: unknown, what: string, unchanged: string): unknown {
  if (err instanceof SyrrocaError || !isNodeError(err) || typeof err.syscall !== 'string') {
    return err;
  }
  const advice =
    err.code === 'ENOSPC' || err.code === 'EDQUOT' || err.code === 'EFBIG'
      ? 'free some space (or raise the file size limit) or write elsewhere, and run the command again'
      : err.code === 'EACCES' || err.code === 'EPERM' || err.code === 'EROFS'
        ? 'check the permissions or write elsewhere'
        : 'check the path';
  return new SyrrocaError(
    'write-failed',
    `cannot write ${what ? `${what} ` : ''}${path}: ${err.message}; ${unchanged}: ${advice}`
  );
}

/**
 * Test hook for tests/artifacts.faults.test.ts: with SYRROCA_TEST_PAUSE_WRITE=n, the n-th file
 * operation of a models write is not done; the process says so on stderr and waits to be killed.
 */
function writeCheckpoints(): (label: string) => Promise<void> {
  const pauseAt = Number(process.env.SYRROCA_TEST_PAUSE_WRITE ?? 0);
  let n = 0;
  return async (label) => {
    if (++n === pauseAt) {
      process.stderr.write(`paused before write operation ${n}: ${label}\n`);
      await new Promise(() => setInterval(() => undefined, 60_000));
    }
  };
}

/**
 * Writes the models directory `dir` atomically: a sibling temp directory, then two renames. One
 * writer at a time per directory. Leftovers of a killed writer (its temp directory, a previous
 * directory it did not remove) are cleaned up by the next write.
 */
export async function writeArtifacts(tf: Tf, dir: string, trained: TrainedGroup[]): Promise<void> {
  const parent = dirname(dir);
  const checkpoint = writeCheckpoints();
  let tmp: string | undefined;
  try {
    await checkpoint('mkdir parent');
    await fs.mkdir(parent, { recursive: true });
    await removeLeftovers(dir, checkpoint);
    await checkpoint('mkdtemp');
    tmp = await fs.mkdtemp(join(parent, `.${basename(dir)}.tmp-${process.pid}-`));
    for (const { manifest, model } of trained) {
      const files = await modelToFiles(tf, model);
      const modelJson = JSON.stringify(files.modelJson);
      const full: Manifest = {
        ...manifest,
        libraries: { syrroca: version, '@tensorflow/tfjs': tf.version_layers },
        contentHash: contentHash(modelJson, files.weights),
      };
      const groupDir = join(tmp, manifest.group);
      await checkpoint(`mkdir ${manifest.group}`);
      await fs.mkdir(groupDir);
      await checkpoint(`write ${manifest.group}/${MODEL_FILE}`);
      await writeDurable(join(groupDir, MODEL_FILE), modelJson);
      await checkpoint(`write ${manifest.group}/${WEIGHTS_FILE}`);
      await writeDurable(join(groupDir, WEIGHTS_FILE), new Uint8Array(files.weights));
      await checkpoint(`write ${manifest.group}/${MANIFEST_FILE}`);
      await writeDurable(join(groupDir, MANIFEST_FILE), JSON.stringify(full, null, 2) + '\n');
      await syncDirectory(groupDir);
    }
    const index: ArtifactIndex = {
      formatVersion: FORMAT_VERSION,
      groups: trained.map((t) => t.manifest.group),
      createdAt: new Date().toISOString(),
    };
    await checkpoint(`write ${INDEX_FILE}`);
    await writeDurable(join(tmp, INDEX_FILE), JSON.stringify(index, null, 2) + '\n');
    await syncDirectory(tmp);
    await swapIn(tmp, dir, checkpoint);
  } catch (err) {
    if (tmp !== undefined) {
      await fs.rm(tmp, { recursive: true, force: true });
    }
    throw writeError(dir, err, 'the models to', 'the models there (if any) are unchanged');
  }
  // The renames themselves, on the disk.
  await syncDirectory(parent);
}

const tempPrefix = (dir: string) => `.${basename(dir)}.tmp-`;
const previousPrefix = (dir: string) => `.${basename(dir)}.previous-`;

/** Whether the process `pid` is alive (EPERM: alive, under another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return isNodeError(err) && err.code === 'EPERM';
  }
}

/**
 * Before a write: temp directories of writers that are no longer running, and previous directories
 * once `dir` is complete (a previous directory is only needed while `dir` is missing: see
 * `resolveModelsDir`). So at most one previous directory exists whenever `dir` is missing.
 */
async function removeLeftovers(dir: string, checkpoint: (label: string) => Promise<void>): Promise<void> {
  const siblings = await fs.readdir(dirname(dir));
  const complete = await exists(join(dir, INDEX_FILE));
  for (const name of siblings) {
    const pid = name.startsWith(tempPrefix(dir)) ? Number(name.slice(tempPrefix(dir).length).split('-')[0]) : NaN;
    if (
      (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) ||
      (complete && name.startsWith(previousPrefix(dir)))
    ) {
      await checkpoint(`remove ${name}`);
      await fs.rm(join(dirname(dir), name), { recursive: true, force: true });
    }
  }
}

async function swapIn(tmp: string, dir: string, checkpoint: (label: string) => Promise<void>): Promise<void> {
  const previous = `${join(dirname(dir), previousPrefix(dir))}${process.pid}`;
  try {
    await checkpoint(`rename ${basename(dir)} to ${basename(previous)}`);
    await fs.rename(dir, previous);
  } catch (err) {
    if (!isNodeError(err) || err.code !== 'ENOENT') {
      throw err;
    }
  }
  await checkpoint(`rename ${basename(tmp)} to ${basename(dir)}`);
  await fs.rename(tmp, dir);
  // Any previous directory is obsolete now, including one left by a writer killed between its renames.
  const siblings = await fs.readdir(dirname(dir));
  for (const name of siblings.filter((s) => s.startsWith(previousPrefix(dir)))) {
    await checkpoint(`remove ${name}`);
    await fs.rm(join(dirname(dir), name), { recursive: true, force: true });
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
    throw new SyrrocaError(
      'models-missing',
      `${dir}: no such models directory; train one with \`syrroca train --out ${dir}\``
    );
  }
  throw new SyrrocaError(
    'models-missing',
    `${dir}: not a syrroca models directory (no ${INDEX_FILE}); point --models at the directory \`syrroca train --out\` wrote`
  );
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
        throw new SyrrocaError(
          'manifest-invalid',
          `${source}: the manifest is for group "${manifest.group}", not "${group}"`
        );
      }
      const modelText = await readText(join(groupDir, MODEL_FILE));
      const weights = await fs.readFile(join(groupDir, WEIGHTS_FILE)).catch((err) => {
        throw new SyrrocaError(
          'artifact-missing-file',
          `${join(source, WEIGHTS_FILE)}: cannot read the weights (${err.code ?? err.message})`
        );
      });
      const weightBuffer = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
      if (contentHash(modelText, weightBuffer) !== manifest.contentHash) {
        throw new SyrrocaError(
          'artifact-hash',
          `${source}: model.json or weights.bin do not match the manifest's content hash; the files were changed or mixed from different trainings`
        );
      }
      return {
        manifest,
        source,
        files: { modelJson: parseJson(modelText, join(source, MODEL_FILE)), weights: weightBuffer },
      };
    })
  );
}

/** Loads the artifacts as tfjs models ready for `scoreGroups`. */
export async function loadScoringModels(tf: Tf, dir: string, engine: Engine = 'fast'): Promise<ScoringModel[]> {
  const groups = await readArtifacts(dir);
  const fast = fastFactory(engine);
  return Promise.all(
    groups.map(async ({ manifest, source, files }) =>
      scoringModelOf(tf, await modelFromFiles(tf, files, source, manifest), manifest, source, fast)
    )
  );
}

async function readText(path: string): Promise<string> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (err) {
    throw new SyrrocaError(
      'artifact-missing-file',
      `${path}: cannot read (${isNodeError(err) ? err.code : String(err)})`
    );
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

/** Writes a file and flushes it to the disk before returning. */
async function writeDurable(path: string, data: string | Uint8Array): Promise<void> {
  const file = await fs.open(path, 'w');
  try {
    await file.writeFile(data);
    await file.sync();
  } finally {
    await file.close();
  }
}

/** Flushes a directory's entries (names created or renamed in it). Some platforms cannot open a directory to sync it: nothing to do there. */
async function syncDirectory(path: string): Promise<void> {
  let dir: fs.FileHandle;
  try {
    dir = await fs.open(path, 'r');
  } catch (err) {
    if (isNodeError(err) && (err.code === 'EISDIR' || err.code === 'EPERM')) {
      return;
    }
    throw err;
  }
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/** Writes a file atomically: a temp file beside it (flushed), then a rename. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now()}`);
  try {
    await writeDurable(tmp, data);
    await fs.rename(tmp, path);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw writeError(path, err, '', 'the file there (if any) is unchanged');
  }
  await syncDirectory(dirname(path));
}
