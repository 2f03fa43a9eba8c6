/**
 * Forecasting detectors against their references, measured in one run on the same series:
 * - fitting ARIMA / SARIMA / VAR (fits per second per series): ours, statsmodels (python3-statsmodels,
 *   through bench/forecast_statsmodels.py) and, for ARIMA / SARIMA, the npm `arima` package (ctsa in
 *   wasm; it fits by CSS-ML, not exact ML, so its coefficients differ slightly);
 * - one-step predictions of new observations with fitted coefficients, no refit (points per second):
 *   ours and statsmodels (`results.apply`); the `arima` package cannot do it (it forecasts only from the
 *   end of the series it was fitted on);
 * - the whole detector on a 30-day series at a 30 s step (86,400 points) with a 1-day window: seconds.
 * Figures are measured as the other entries of `npm run bench` (measure.ts): `runs` runs of at least
 * `seconds` seconds each; a `syrroca / statsmodels` row gives the ratio. `npm run bench -- --only forecast`
 * runs them in the runner; `npx tsx bench/forecast.ts [runs] [seconds]` alone.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { arimaOneStep, fitArima, fitVarma, forecastFeatures, type ArimaOrder } from '../src/core/forecast';
import { simulateArima, simulateVarma } from '../src/core/forecast/simulate';
import { randomStream } from '../src/sim/random';
import { type BenchOptions, type BenchResult, median, rate } from './measure';

interface Case {
  name: string;
  kind: 'arima-fit' | 'arima-forecast' | 'var-fit';
  y?: number[];
  columns?: number[][];
  order: number[];
  seasonalOrder: number[];
  split?: number;
}

const orderOf = (c: Case): ArimaOrder => {
  const [p, d, q] = c.order;
  const [P, D, Q, s] = c.seasonalOrder;
  return { p, d, q, P, D, Q, s };
};

function cases(): Case[] {
  const arma = simulateArima(500, { ar: [0.6], ma: [0.3], mean: 2 }, randomStream(1, 'bench'));
  const day = simulateArima(2880, { ar: [0.5], ma: [-0.3], d: 1 }, randomStream(2, 'bench'));
  const seasonal = simulateArima(360, { ar: [0.5], seasonalAr: [0.6], s: 12, mean: 5 }, randomStream(3, 'bench'));
  const airline = simulateArima(360, { ma: [-0.4], seasonalMa: [-0.6], s: 12, d: 1, D: 1 }, randomStream(4, 'bench'));
  const var3 = simulateVarma(
    2880,
    {
      intercept: [1, -0.5, 0.2],
      ar: [
        [0.5, 0.1, 0, 0.2, 0.3, -0.1, 0, 0.25, 0.4],
        [-0.2, 0, 0.1, 0, 0.1, 0, 0.1, 0, -0.15],
      ],
    },
    randomStream(5, 'bench')
  );
  const none = [0, 0, 0, 0];
  return [
    { name: 'fit ARIMA(1,0,1) n=500', kind: 'arima-fit', y: Array.from(arma), order: [1, 0, 1], seasonalOrder: none },
    { name: 'fit ARIMA(1,1,1) n=2880', kind: 'arima-fit', y: Array.from(day), order: [1, 1, 1], seasonalOrder: none },
    {
      name: 'fit SARIMA(1,0,0)(1,0,0)[12] n=360',
      kind: 'arima-fit',
      y: Array.from(seasonal),
      order: [1, 0, 0],
      seasonalOrder: [1, 0, 0, 12],
    },
    {
      name: 'fit SARIMA(0,1,1)(0,1,1)[12] n=360',
      kind: 'arima-fit',
      y: Array.from(airline),
      order: [0, 1, 1],
      seasonalOrder: [0, 1, 1, 12],
    },
    {
      name: 'fit VAR(2) k=3 n=2880',
      kind: 'var-fit',
      columns: var3.map((c) => Array.from(c)),
      order: [2],
      seasonalOrder: none,
    },
    {
      name: 'one-step ARIMA(1,1,1) 2880 new points',
      kind: 'arima-forecast',
      y: Array.from(simulateArima(5760, { ar: [0.5], ma: [-0.3], d: 1 }, randomStream(6, 'bench'))),
      order: [1, 1, 1],
      seasonalOrder: none,
      split: 2880,
    },
  ];
}

const PREFIX = 'forecast ';

async function ours(c: Case, options: BenchOptions): Promise<BenchResult> {
  let samples: number[];
  let unit = 'fits/s';
  if (c.kind === 'arima-fit') {
    const y = Float64Array.from(c.y!);
    samples = await rate(() => fitArima(y, orderOf(c)), 1, options);
  } else if (c.kind === 'var-fit') {
    const columns = c.columns!.map((col) => Float64Array.from(col));
    samples = await rate(() => fitVarma(columns, { p: c.order[0], q: 0 }), 1, options);
  } else {
    const y = Float64Array.from(c.y!);
    const model = fitArima(y.subarray(0, c.split), orderOf(c));
    unit = 'points/s';
    samples = await rate(() => arimaOneStep(model, y, 0, c.split!, y.length), y.length - c.split!, options);
  }
  return { name: PREFIX + c.name, impl: 'syrroca', unit, samples };
}

/** The npm `arima` package (synchronous wasm build), where it applies: fitting ARIMA / SARIMA. */
async function arimaPackage(c: Case, options: BenchOptions): Promise<BenchResult | null> {
  if (c.kind !== 'arima-fit') {
    return null;
  }
  const ARIMA = createRequire(__filename)('arima');
  const [p, d, q] = c.order;
  const [P, D, Q, s] = c.seasonalOrder;
  const fit = () => new ARIMA({ p, d, q, P, D, Q, s, verbose: false }).train(c.y!).destroy();
  return {
    name: PREFIX + c.name,
    impl: 'arima-npm',
    unit: 'fits/s',
    samples: await rate(fit, 1, options),
    note: 'arima 0.2.8 (ctsa in wasm, CSS-ML): fits only; it cannot predict new data without refitting',
  };
}

function statsmodels(all: Case[], options: BenchOptions): Promise<{ results: BenchResult[]; note?: string }> {
  const script = join(__dirname, 'forecast_statsmodels.py');
  return new Promise((done) => {
    // One BLAS thread: ours is single-threaded, and on a shared machine OpenBLAS threads only contend.
    const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    const child = execFile('/usr/bin/python3', [script], { maxBuffer: 1 << 26, env }, (error, stdout, stderr) => {
      if (error) {
        const missing = /No module named 'statsmodels'|ENOENT/.test(`${stderr}${error.message}`);
        done({
          results: [],
          note: missing
            ? 'no statsmodels figures: /usr/bin/python3 with statsmodels is missing (apt-get install python3-statsmodels)'
            : `no statsmodels figures: the script failed (${stderr.trim().split('\n').pop() ?? error.message})`,
        });
        return;
      }
      const parsed = JSON.parse(stdout) as {
        statsmodels: string;
        results: Array<{ name: string; unit: string; samples: number[] }>;
      };
      const note = `statsmodels ${parsed.statsmodels} (Debian's python3-statsmodels, one BLAS thread), same series and orders`;
      done({
        results: parsed.results.map((r) => ({
          name: PREFIX + r.name,
          impl: 'statsmodels',
          unit: r.unit,
          samples: r.samples,
          note,
        })),
      });
    });
    child.stdin?.end(JSON.stringify({ runs: options.runs, seconds: options.seconds, cases: all }));
  });
}

/** The detector end to end: 30 days at a 30 s step, a 1-day window, two days of training. */
function thirtyDays(runs: number): BenchResult {
  const n = 30 * 2880;
  const noise = simulateArima(n, { ar: [0.9], sigma: 5 }, randomStream(7, 'bench'));
  const values = noise.map((v, i) => 100 + v + 20 * Math.sin((2 * Math.PI * i) / 2880));
  const timestamps = Float64Array.from({ length: n }, (_, i) => 1_700_000_010 + 30 * i);
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    forecastFeatures({ timestamps, features: ['x'], columns: [values] }, { train: 5760, windows: [2880] });
    samples.push((performance.now() - t0) / 1000);
  }
  return { name: `${PREFIX}detect 30 days @30 s, w = 1 day`, impl: 'syrroca', unit: 's', samples };
}

/**
 * A bench entry (measure.ts's BenchEntry): ours, statsmodels' and the `arima` package's figures, and
 * per case a row `syrroca / statsmodels` (unit x) holding each of our runs over statsmodels' median, so
 * the ratio stands in the runner's table. Without statsmodels, one `statsmodels` row says why.
 */
export async function benchForecast(options: BenchOptions): Promise<BenchResult[]> {
  const all = cases();
  const peer = await statsmodels(all, options);
  const results: BenchResult[] = [];
  if (peer.note) {
    results.push({ name: `${PREFIX}(statsmodels)`, impl: 'statsmodels', unit: '-', samples: [], note: peer.note });
  }
  for (const c of all) {
    const mine = await ours(c, options);
    results.push(mine);
    const reference = peer.results.find((r) => r.name === mine.name);
    if (reference) {
      const theirs = median(reference.samples!);
      results.push(reference, {
        name: mine.name,
        impl: 'syrroca / statsmodels',
        unit: 'x',
        samples: mine.samples!.map((v) => v / theirs),
        note: "our rate over statsmodels' median rate on the same series and order (above 1: ours is faster)",
      });
    }
    const wasm = await arimaPackage(c, options);
    if (wasm) {
      results.push(wasm);
    }
  }
  results.push(thirtyDays(Math.min(options.runs, 3)));
  return results;
}

if (require.main === module) {
  const [runs, seconds] = process.argv.slice(2).map(Number);
  benchForecast({ runs: runs || 5, seconds: seconds || 1 }).then((results) => {
    for (const r of results) {
      const s = [...r.samples!].sort((a, b) => a - b);
      const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toPrecision(3));
      const figure = s.length ? `median ${fmt(median(s))} (${fmt(s[0])}-${fmt(s[s.length - 1])})` : (r.note ?? '-');
      process.stdout.write(`${r.name.padEnd(48)} ${r.impl.padEnd(22)} ${r.unit.padEnd(9)} ${figure}\n`);
    }
  });
}
