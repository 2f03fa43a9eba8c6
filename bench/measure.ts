/**
 * What a benchmark entry is and how a figure is measured. An entry is a small function that
 * returns its samples; the runner prints the median with min and max, so one slow run on a
 * shared machine shows as a wide range instead of a wrong figure.
 */
import { readFileSync } from 'fs';

export interface BenchResult {
  name: string;
  impl: string;
  unit: string;
  /** One figure per run; or `stats` where the figure comes summarised (the PyTorch peer's). */
  samples?: number[];
  stats?: Stats;
  /** Shown under the table (threads, flavour, why something is missing...). */
  note?: string;
  /** CPUs that other processes kept busy while this figure was measured (a wrong figure's likely cause). */
  foreignCpus?: number | null;
}

export interface BenchOptions {
  /** Measured runs per figure. */
  runs: number;
  /** Seconds per run (each run repeats the work until at least this long). */
  seconds: number;
}

export type BenchEntry = (options: BenchOptions) => Promise<BenchResult | BenchResult[]>;

/**
 * Rate in `per`/s of an async step that handles `per` items: one warm-up step, then `runs` runs
 * of at least `seconds` each.
 */
export async function rate(step: () => unknown, per: number, options: BenchOptions): Promise<number[]> {
  await step();
  const samples: number[] = [];
  for (let r = 0; r < options.runs; r++) {
    let n = 0;
    const t0 = performance.now();
    let elapsed = 0;
    do {
      await step();
      n++;
      elapsed = (performance.now() - t0) / 1000;
    } while (elapsed < options.seconds);
    samples.push((n * per) / elapsed);
  }
  return samples;
}

export interface Stats {
  median: number;
  min: number;
  max: number;
}

export function statsOf(r: BenchResult): Stats | null {
  if (r.stats) {
    return r.stats;
  }
  if (!r.samples?.length) {
    return null;
  }
  return { median: median(r.samples), min: Math.min(...r.samples), max: Math.max(...r.samples) };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** CPUs that other processes kept busy between start() and the returned stop() (Linux; null elsewhere). */
export function foreignLoad(): () => number | null {
  const read = () => {
    try {
      const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
      const busy = cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6];
      const own = process.cpuUsage();
      return { busy, own: (own.user + own.system) / 1e6, t: performance.now() / 1000 };
    } catch {
      return null;
    }
  };
  const a = read();
  return () => {
    const b = read();
    if (!a || !b || b.t <= a.t) {
      return null;
    }
    const ticks = 100; // USER_HZ on Linux
    const wall = b.t - a.t;
    return Math.max(0, (b.busy - a.busy) / ticks - (b.own - a.own)) / wall;
  };
}
