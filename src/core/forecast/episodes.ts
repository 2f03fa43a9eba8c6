/**
 * Alerts as events: an operator wants to hear when an anomaly starts, not at every point of it. Runs
 * of anomalous points become episodes (onset, end, peak error); up to `mergeGap` normal points inside
 * a run do not split it, so a value hovering at the threshold raises one alert, not ten.
 */
import type { CombineRule, Episode } from './types';

/** Index ranges [start, end] (inclusive, both anomalous) of the runs of `flags`. */
export function anomalousRuns(flags: ArrayLike<boolean>, mergeGap: number): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let start = -1;
  let last = -1;
  for (let i = 0; i < flags.length; i++) {
    if (!flags[i]) {
      continue;
    }
    if (start >= 0 && i - last - 1 <= mergeGap) {
      last = i;
    } else {
      if (start >= 0) {
        runs.push([start, last]);
      }
      start = i;
      last = i;
    }
  }
  if (start >= 0) {
    runs.push([start, last]);
  }
  return runs;
}

function episodeOf(
  t: ArrayLike<number>,
  flags: ArrayLike<boolean>,
  errors: Array<ArrayLike<number>>,
  from: number,
  to: number
): Episode {
  let peakError = -Infinity;
  let points = 0;
  for (let i = from; i <= to; i++) {
    if (flags[i]) {
      points++;
    }
    for (const e of errors) {
      if (e[i] > peakError) {
        peakError = e[i];
      }
    }
  }
  return { start: t[from], end: t[to], peakError, points };
}

/** Episodes of one detector: flags[i] says whether point i (at time t[i], error errors[i]) is anomalous. */
export function findEpisodes(
  t: ArrayLike<number>,
  flags: ArrayLike<boolean>,
  errors: ArrayLike<number>,
  mergeGap: number
): Episode[] {
  return anomalousRuns(flags, mergeGap).map(([from, to]) => episodeOf(t, flags, [errors], from, to));
}

/**
 * Episodes of several windows on the same time axis, combined by `rule`:
 * - `any`: a point is anomalous when any window flags it (the large window catches what the small one missed);
 * - `all`: when every window flags it at the same point;
 * - `confirm`: an episode of `any` is reported once every window has flagged within it, from that point
 *   on (the small window's alarm, confirmed by the large one; decided causally, at the confirming point).
 * The peak error is the largest of the windows' errors over the reported points.
 */
export function combineEpisodes(
  t: ArrayLike<number>,
  flags: Array<ArrayLike<boolean>>,
  errors: Array<ArrayLike<number>>,
  rule: CombineRule,
  mergeGap: number
): Episode[] {
  if (flags.length === 1) {
    return findEpisodes(t, flags[0], errors[0], mergeGap);
  }
  const n = t.length;
  const any = Array.from({ length: n }, (_, i) => flags.some((f) => f[i]));
  if (rule === 'all') {
    const all = Array.from({ length: n }, (_, i) => flags.every((f) => f[i]));
    return anomalousRuns(all, mergeGap).map(([from, to]) => episodeOf(t, all, errors, from, to));
  }
  const runs = anomalousRuns(any, mergeGap);
  if (rule === 'any') {
    return runs.map(([from, to]) => episodeOf(t, any, errors, from, to));
  }
  const episodes: Episode[] = [];
  for (const [from, to] of runs) {
    const seen = flags.map(() => false);
    for (let i = from; i <= to; i++) {
      flags.forEach((f, w) => {
        seen[w] = seen[w] || Boolean(f[i]);
      });
      if (seen.every(Boolean)) {
        episodes.push(episodeOf(t, any, errors, i, to));
        break;
      }
    }
  }
  return episodes;
}
