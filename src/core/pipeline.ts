/**
 * The method end to end, as one pair of functions that every shell calls: the CLI on CSV, the
 * exporter on live Prometheus data, the data source in the browser. Sources hand in a raw
 * FeatureMatrix (counters cumulative, any sampling); sinks get GroupScores.
 */
import type * as tfjs from '@tensorflow/tfjs';

import { coverSet, featureShares } from './attribution';
import { checkArtifact, FORMAT_VERSION } from './artifact';
import { SyrrocaError } from './errors';
import { featureKind, toModelInputs } from './features';
import { filterFeatures, type FilterOptions } from './filter';
import { assignGroups } from './groups';
import { autoencoderWeightsOf } from './kernels/autoencoder';
import type { FastModel } from './kernels/parallel';
import {
  autoencoderShape,
  buildAutoencoder,
  inputShape,
  reconstruct,
  trainAutoencoder,
  type FastModelFactory,
  type Tf,
} from './model';
import { resample } from './resample';
import { applyMinMax, fitMinMax, outOfRange } from './scaling';
import { fitThreshold, reconstructionError } from './score';
import type { FeatureKind, FeatureMatrix, GroupCatalog, GroupScore, Manifest, ThresholdMethod } from './types';
import { slidingWindows } from './windows';

export interface GroupingOptions {
  catalog: GroupCatalog;
  /** Features to leave out of every group, e.g. service KPIs (`^sipp_`). */
  exclude?: RegExp;
}

export interface TrainOptions extends GroupingOptions {
  /** Resampling step; by default the median spacing of the data. */
  stepSeconds?: number;
  window?: number;
  stride?: number;
  epochs?: number;
  batchSize?: number;
  patience?: number;
  validationSplit?: number;
  dropout?: number;
  seed?: number;
  threshold?: { method: ThresholdMethod; quantile?: number; k?: number };
  declaredKinds?: { counters?: string[]; gauges?: string[] };
  /** Only these groups (all by default). */
  groups?: string[];
  onEpoch?: (group: string, epoch: number, epochs: number, loss: number, validationLoss: number | null) => void;
  /** Train (and compute the training error) with the fast kernels; tfjs otherwise. */
  fast?: FastModelFactory;
  /**
   * Feature filtering per group (seed 004) before scaling: what it drops goes into the manifest's
   * `droppedFeatures` and is not asked of the data when scoring. Off by default (the paper keeps all).
   */
  filter?: FilterOptions;
}

/** A trained group before it is written: the manifest lacks only what the writer adds (hash, library versions). */
export interface TrainedGroup {
  manifest: Omit<Manifest, 'contentHash' | 'libraries'>;
  model: tfjs.LayersModel;
}

/** Median spacing of the timestamps: the natural step of data scraped at a fixed interval. */
export function inferStep(timestamps: Float64Array): number {
  if (timestamps.length < 2) {
    throw new SyrrocaError(
      'data-too-short',
      'need at least two timestamps to infer the step; pass the step explicitly'
    );
  }
  const diffs = Array.from(timestamps.subarray(1), (t, i) => t - timestamps[i]).sort((a, b) => a - b);
  return diffs[Math.floor(diffs.length / 2)];
}

/** Resamples to the step and turns counters into per-step increments (resets handled, gaps kept as NaN). */
export function prepareFeatures(raw: FeatureMatrix, stepSeconds: number, kinds: FeatureKind[]): FeatureMatrix {
  return toModelInputs(resample(raw, stepSeconds), kinds);
}

/** Trains one autoencoder per group on nominal data. */
export async function trainGroups(tf: Tf, raw: FeatureMatrix, options: TrainOptions): Promise<TrainedGroup[]> {
  const window = options.window ?? 10;
  const stride = options.stride ?? 1;
  const stepSeconds = options.stepSeconds ?? inferStep(raw.timestamps);
  const kinds = raw.features.map((f) => featureKind(f, options.declaredKinds));
  const data = prepareFeatures(raw, stepSeconds, kinds);
  const groups = assignGroups(data.features, options.catalog, { exclude: options.exclude });
  const selected = options.groups ?? Array.from(groups.keys());
  const trained: TrainedGroup[] = [];
  for (const group of selected) {
    const members = groups.get(group);
    if (!members) {
      throw new SyrrocaError(
        'group-empty',
        `no feature of the data belongs to group "${group}" (groups found: ${Array.from(groups.keys()).join(', ') || 'none'})`
      );
    }
    const { indices, dropped } = filterGroup(data, members, group, options.filter);
    const columns = indices.map((j) => data.columns[j]);
    const bounds = fitMinMax(
      columns,
      indices.map((j) => data.features[j])
    );
    const scaled = columns.map((c, i) => applyMinMax(c, bounds[i]));
    const { data: windows, ends } = slidingWindows(scaled, window, stride);
    const count = ends.length;
    if (count < 2) {
      throw new SyrrocaError(
        'train-too-little-data',
        `group "${group}": only ${count} complete window(s) of ${window} steps without missing values; train on a longer range or a smaller window`
      );
    }
    const shape = autoencoderShape(indices.length, window, options.dropout);
    const model = buildAutoencoder(tf, shape, options.seed);
    const epochs = options.epochs ?? 30;
    const result = await trainAutoencoder(tf, model, windows, count, {
      epochs,
      batchSize: options.batchSize,
      patience: options.patience,
      validationSplit: options.validationSplit,
      seed: options.seed,
      fast: options.fast,
      onEpoch: (epoch, loss, validationLoss) => options.onEpoch?.(group, epoch, epochs, loss, validationLoss),
    });
    const output = await reconstructWith(tf, model, windows, count, options.fast);
    const { mse } = reconstructionError(windows, output, count, window, indices.length);
    const threshold = fitThreshold(mse, options.threshold ?? { method: 'quantile', quantile: 0.99 });
    trained.push({
      model,
      manifest: {
        formatVersion: FORMAT_VERSION,
        group,
        features: indices.map((j, i) => ({ name: data.features[j], kind: kinds[j], ...bounds[i] })),
        stepSeconds,
        window,
        stride,
        scaling: 'min-max',
        grouping: { catalog: options.catalog, exclude: options.exclude?.source ?? null },
        model: shape,
        threshold,
        training: {
          from: data.timestamps[0],
          to: data.timestamps[data.timestamps.length - 1],
          samples: count,
          epochs: result.epochs,
          finalLoss: result.loss,
          validationLoss: result.validationLoss,
          seed: options.seed ?? 0,
        },
        droppedFeatures: dropped,
      },
    });
  }
  return trained;
}

/** The group's features that pass the filter (all of them without one), as indices into `data`. */
function filterGroup(
  data: FeatureMatrix,
  members: number[],
  group: string,
  filter?: FilterOptions
): { indices: number[]; dropped: Manifest['droppedFeatures'] } {
  if (!filter) {
    return { indices: members, dropped: [] };
  }
  const { kept, dropped } = filterFeatures(
    {
      timestamps: data.timestamps,
      features: members.map((j) => data.features[j]),
      columns: members.map((j) => data.columns[j]),
    },
    filter
  );
  if (kept.length === 0) {
    throw new SyrrocaError(
      'group-empty',
      `group "${group}": the feature filter dropped all ${members.length} features (${dropped[0].name}: ${dropped[0].reason}); train without --filter or loosen it`
    );
  }
  return { indices: kept.map((k) => members[k]), dropped };
}

async function reconstructWith(
  tf: Tf,
  model: tfjs.LayersModel,
  windows: Float32Array,
  count: number,
  fast?: FastModelFactory
): Promise<Float32Array> {
  if (!fast) {
    return reconstruct(tf, model, windows, count);
  }
  const f = await fast(autoencoderWeightsOf(model), {});
  try {
    return await f.reconstruct(windows, count);
  } finally {
    f.dispose();
  }
}

/** What scoring needs of a group's model: its manifest and a way to reconstruct windows (tfjs, or a fast kernel with the same weights). */
export interface ScoringModel {
  manifest: Manifest;
  /** Source of the artifact, for messages. */
  source: string;
  input: { window: number; features: number };
  reconstruct: (windows: Float32Array, count: number) => Promise<Float32Array>;
  /** Frees what the model holds beyond memory (the fast kernels' workers). */
  dispose?: () => void;
}

export function tfScoringModel(tf: Tf, model: tfjs.LayersModel, manifest: Manifest, source: string): ScoringModel {
  return {
    manifest,
    source,
    input: inputShape(model),
    reconstruct: (windows, count) => reconstruct(tf, model, windows, count),
  };
}

/** The same model on the fast kernels (loaded with its weights): what the CLI, the exporter and the browser score with. */
export function fastScoringModel(fast: FastModel, manifest: Manifest, source: string): ScoringModel {
  return {
    manifest,
    source,
    input: { window: fast.shape.window, features: fast.shape.features },
    reconstruct: (windows, count) => fast.reconstruct(windows, count),
    dispose: () => fast.dispose(),
  };
}

/**
 * A loaded tfjs model as a scoring model: tfjs itself, or, given a fast factory, the fast kernels
 * on its weights (the tfjs model is then released: tfjs only parsed the artifact).
 */
export async function scoringModelOf(
  tf: Tf,
  model: tfjs.LayersModel,
  manifest: Manifest,
  source: string,
  fast?: FastModelFactory
): Promise<ScoringModel> {
  if (!fast) {
    return tfScoringModel(tf, model, manifest, source);
  }
  const scoring = fastScoringModel(await fast(autoencoderWeightsOf(model), {}), manifest, source);
  model.dispose();
  return scoring;
}

export interface ScoreOptions {
  /** Share of the squared error the cover set F_t must reach (paper: 90%). */
  coverage?: number;
  allowExtraFeatures?: boolean;
}

export interface GroupDiagnostics {
  group: string;
  /** Windows scored. */
  scored: number;
  /** Windows not scored because they hold missing values (gaps are never filled). */
  skipped: number;
  /** Scaled values outside the training range [0, 1], per feature that had any. */
  outOfRange: Array<{ name: string; count: number }>;
}

export interface ScoreResult {
  /** Ordered by time, then by group. */
  scores: GroupScore[];
  diagnostics: GroupDiagnostics[];
}

/**
 * Scores raw data with trained groups: MSE_g(t) of the last step of the window ending at t
 * (causal), the threshold, and the cover set F_t of the feature shares. Every model is checked
 * against the data first; a mismatch names the features.
 */
export async function scoreGroups(
  raw: FeatureMatrix,
  models: ScoringModel[],
  options: ScoreOptions = {}
): Promise<ScoreResult> {
  const coverage = options.coverage ?? 0.9;
  const byName = new Map(raw.features.map((f, j) => [f, j]));
  const scores: GroupScore[] = [];
  const diagnostics: GroupDiagnostics[] = [];
  for (const { manifest, source, input, reconstruct: run } of models) {
    const grouping = manifest.grouping;
    const groups = assignGroups(raw.features, grouping.catalog, {
      exclude: grouping.exclude ? new RegExp(grouping.exclude) : undefined,
    });
    const dataFeatures = (groups.get(manifest.group) ?? []).map((j) => raw.features[j]);
    checkArtifact(manifest, input, source, dataFeatures, { allowExtraFeatures: options.allowExtraFeatures });

    const selected: FeatureMatrix = {
      timestamps: raw.timestamps,
      features: manifest.features.map((f) => f.name),
      columns: manifest.features.map((f) => raw.columns[byName.get(f.name)!]),
    };
    const data = prepareFeatures(
      selected,
      manifest.stepSeconds,
      manifest.features.map((f) => f.kind)
    );
    const scaled = data.columns.map((c, i) => applyMinMax(c, manifest.features[i]));
    const { data: windows, ends, skipped } = slidingWindows(scaled, manifest.window, 1);
    const count = ends.length;
    const nFeatures = manifest.features.length;
    const output = count > 0 ? await run(windows, count) : new Float32Array(0);
    const { mse, squaredErrors } = reconstructionError(windows, output, count, manifest.window, nFeatures);
    const threshold = manifest.threshold.value;
    for (let k = 0; k < count; k++) {
      const shares = featureShares(squaredErrors.subarray(k * nFeatures, (k + 1) * nFeatures));
      scores.push({
        t: data.timestamps[ends[k]],
        group: manifest.group,
        mse: mse[k],
        threshold,
        anomalous: mse[k] > threshold,
        features: coverSet(shares, coverage).map((i) => ({ name: manifest.features[i].name, p: shares[i] })),
      });
    }
    diagnostics.push({
      group: manifest.group,
      scored: count,
      skipped,
      outOfRange: scaled
        .map((c, i) => ({ name: manifest.features[i].name, count: outOfRange(c, { min: 0, max: 1 }) }))
        .filter((o) => o.count > 0),
    });
  }
  scores.sort((a, b) => a.t - b.t || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
  return { scores, diagnostics };
}
