/**
 * Step 6 of the method: which features explain a reconstruction error.
 * p(i, t) = SE(i, t) / sum_i SE(i, t); F_t = the fewest features, by decreasing p, whose shares sum to
 * at least 90%; a period is characterized by how often each distinct F_t occurs among its anomalous
 * samples ("57.4% of threshold-crossing samples characterized by F = [...]").
 */
import type { Characterization, GroupScore } from './types';

/**
 * Shares of the squared errors of one time step (one row of `squaredErrors`). All-zero error has no
 * culprit: every share is 0.
 */
export function featureShares(squaredErrors: ArrayLike<number>): Float64Array {
  const shares = new Float64Array(squaredErrors.length);
  let total = 0;
  for (let i = 0; i < squaredErrors.length; i++) {
    total += squaredErrors[i];
  }
  if (total > 0) {
    for (let i = 0; i < squaredErrors.length; i++) {
      shares[i] = squaredErrors[i] / total;
    }
  }
  return shares;
}

/**
 * Slack on the coverage test: shares that should reach 0.9 may sum to 0.8999999999999999 in doubles,
 * or to 0.89999998 when they come from float32 model outputs; neither should pull in another feature.
 */
const COVERAGE_TOLERANCE = 1e-6;

/**
 * F_t as feature indices: by decreasing share (equal shares: lower index first, so results are
 * deterministic) until the cumulative share reaches `coverage`. Features with a zero share never
 * join, so all-zero error gives []. If the shares never reach the coverage, all positive ones are returned.
 */
export function coverSet(shares: ArrayLike<number>, coverage = 0.9): number[] {
  const order: number[] = [];
  for (let i = 0; i < shares.length; i++) {
    if (shares[i] > 0) {
      order.push(i);
    }
  }
  order.sort((a, b) => shares[b] - shares[a] || a - b);
  let cumulative = 0;
  for (let n = 0; n < order.length; n++) {
    cumulative += shares[order[n]];
    if (cumulative >= coverage - COVERAGE_TOLERANCE) {
      return order.slice(0, n + 1);
    }
  }
  return order;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function compareNameLists(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = byName(a[i], b[i]);
    if (c !== 0) {
      return c;
    }
  }
  return a.length - b.length;
}

/**
 * Share of samples whose cover set equals each distinct set. Sets are compared as sets (the order of
 * names in F_t does not matter); each result lists its names sorted. Ordered by share, largest first,
 * then by the sorted names. `coverSets` are the F_t of the samples to characterize (usually the
 * anomalous ones of a period).
 */
export function characterize(coverSets: string[][]): Characterization[] {
  const counts = new Map<string, Characterization>();
  for (const set of coverSets) {
    const features = [...new Set(set)].sort(byName);
    const key = JSON.stringify(features);
    const entry = counts.get(key);
    if (entry === undefined) {
      counts.set(key, { features, share: 0, count: 1 });
    } else {
      entry.count++;
    }
  }
  const result = [...counts.values()];
  for (const entry of result) {
    entry.share = entry.count / coverSets.length;
  }
  return result.sort((a, b) => b.count - a.count || compareNameLists(a.features, b.features));
}

export interface AnomalousInterval {
  group: string;
  /** Time of the first anomalous sample of the run. */
  start: number;
  /** Time of the last anomalous sample of the run (inclusive). */
  end: number;
  peakMse: number;
  /** Time of the largest MSE (the first one if it repeats). */
  peakT: number;
  samples: number;
  /** Features explaining the interval, by decreasing p (see `IntervalOptions.features`). */
  features: Array<{ name: string; p: number }>;
}

export interface IntervalOptions {
  /**
   * How an interval's features are summarized:
   * - `mean` (default): each feature's mean share over the interval's samples, counting 0 at samples
   *   whose F_t does not hold it. Robust to one noisy peak; lists every feature of any F_t in the run.
   * - `peak`: F_t at the sample with the largest MSE.
   */
  features?: 'mean' | 'peak';
  /**
   * Scored steps further apart than this (seconds) do not join one run, so an outage of the data
   * does not merge two episodes. Default: no limit, consecutive scored steps are contiguous.
   */
  maxGapSeconds?: number;
}

function meanShares(run: GroupScore[]): Array<{ name: string; p: number }> {
  const sums = new Map<string, number>();
  for (const score of run) {
    for (const { name, p } of score.features) {
      sums.set(name, (sums.get(name) ?? 0) + p);
    }
  }
  return [...sums]
    .map(([name, sum]) => ({ name, p: sum / run.length }))
    .sort((a, b) => b.p - a.p || byName(a.name, b.name));
}

function summarize(run: GroupScore[], mode: 'mean' | 'peak'): AnomalousInterval {
  let peak = run[0];
  for (const score of run) {
    if (score.mse > peak.mse) {
      peak = score;
    }
  }
  return {
    group: run[0].group,
    start: run[0].t,
    end: run[run.length - 1].t,
    peakMse: peak.mse,
    peakT: peak.t,
    samples: run.length,
    features: mode === 'peak' ? peak.features.map(({ name, p }) => ({ name, p })) : meanShares(run),
  };
}

/**
 * Maximal runs of anomalous samples per group, where a run is a sequence of consecutive scored
 * steps of that group (scores are taken in time order per group). Ordered by start, then group.
 */
export function anomalousIntervals(scores: GroupScore[], options: IntervalOptions = {}): AnomalousInterval[] {
  const mode = options.features ?? 'mean';
  const maxGap = options.maxGapSeconds ?? Infinity;
  const byGroup = new Map<string, GroupScore[]>();
  for (const score of scores) {
    const list = byGroup.get(score.group);
    if (list === undefined) {
      byGroup.set(score.group, [score]);
    } else {
      list.push(score);
    }
  }
  const intervals: AnomalousInterval[] = [];
  for (const list of byGroup.values()) {
    list.sort((a, b) => a.t - b.t);
    let run: GroupScore[] = [];
    for (const score of list) {
      const previous = run[run.length - 1];
      if (run.length > 0 && (!score.anomalous || score.t - previous.t > maxGap)) {
        intervals.push(summarize(run, mode));
        run = [];
      }
      if (score.anomalous) {
        run.push(score);
      }
    }
    if (run.length > 0) {
      intervals.push(summarize(run, mode));
    }
  }
  return intervals.sort((a, b) => a.start - b.start || byName(a.group, b.group));
}
