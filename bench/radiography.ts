/**
 * The radiography of a large anomalous period: `radiographyDensity` (d3-contour's density and its
 * filled contours) of 100,000 points on a 512x512 plot area with the panel's default options, in ms.
 */
import { radiographyDensity } from '../src/core/radiography';
import { defaultOptions } from '../src/panel/types';
import { type BenchOptions, type BenchResult } from './measure';

const POINTS = 100_000;
const SIDE = 512;

/** Log-normal errors against a KPI that grows with them, plus noise: clusters as real anomalies make. */
function points(seed: number): { x: Float64Array; y: Float64Array } {
  let s = seed >>> 0;
  const uniform = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const x = new Float64Array(POINTS);
  const y = new Float64Array(POINTS);
  for (let i = 0; i < POINTS; i++) {
    const cluster = i % 3;
    x[i] = Math.exp(-4 + cluster + 0.4 * normal());
    y[i] = Math.max(0, 5 + 20 * cluster + 4 * normal());
  }
  return { x, y };
}

export async function benchRadiography(options: BenchOptions): Promise<BenchResult> {
  const data = points(7);
  const { bandwidth, cellSize, levels, xScale } = defaultOptions;
  const run = () => radiographyDensity(data, { width: SIDE, height: SIDE, xScale, bandwidth, cellSize, levels });
  for (let i = 0; i < 3; i++) {
    run();
  }
  const samples: number[] = [];
  for (let r = 0; r < Math.max(options.runs, 15); r++) {
    const t0 = performance.now();
    run();
    samples.push(performance.now() - t0);
  }
  return {
    name: 'radiography-100k',
    impl: 'project',
    unit: 'ms',
    samples,
    note: `radiographyDensity, ${POINTS} points, ${SIDE}x${SIDE} px, bandwidth ${bandwidth}, cell ${cellSize}, ${levels} levels, ${xScale} x`,
  };
}
