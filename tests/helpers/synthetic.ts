/**
 * A small, seeded wide dataset with four resource groups (three features each, counters and
 * gauges) driven by one shared load, for tests that need the method end to end without the
 * full vIMS simulator.
 */
import type { FeatureMatrix } from '../../src/core/types';

export const SYNTHETIC_FEATURES = [
  'container_cpu_usage_seconds_total{pod="a"}',
  'container_cpu_usage_seconds_total{pod="b"}',
  'node_load1',
  'container_memory_working_set_bytes{pod="a"}',
  'container_memory_working_set_bytes{pod="b"}',
  'container_memory_cache{pod="a"}',
  'container_network_receive_bytes_total{pod="a"}',
  'container_network_transmit_bytes_total{pod="a"}',
  'container_network_receive_packets_total{pod="b"}',
  'container_fs_reads_bytes_total{pod="a"}',
  'container_fs_writes_bytes_total{pod="b"}',
  'container_fs_usage_bytes{pod="a"}',
  'sipp_failed_calls',
];

export interface SyntheticOptions {
  steps: number;
  seed: number;
  start?: number;
  step?: number;
  /** Adds `size` times the feature's usual scale to `feature` over [from, to) (step indices). */
  fault?: { feature: string; from: number; to: number; size: number };
}

function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function synthetic(options: SyntheticOptions): FeatureMatrix {
  const { steps, seed } = options;
  const step = options.step ?? 30;
  const start = options.start ?? 1_700_000_000;
  const random = mulberry32(seed);
  const noise = () => (random() + random() + random() - 1.5) * 0.1;
  const timestamps = new Float64Array(steps).map((_, i) => start + i * step);
  const columns = SYNTHETIC_FEATURES.map(() => new Float64Array(steps));
  const cumulative = new Float64Array(SYNTHETIC_FEATURES.length);
  for (let i = 0; i < steps; i++) {
    // One load drives every group, as calls drive a vIMS: a slow cycle plus a faster ripple.
    const load = 1 + 0.6 * Math.sin((2 * Math.PI * i) / 240) + 0.2 * Math.sin((2 * Math.PI * i) / 37);
    SYNTHETIC_FEATURES.forEach((name, j) => {
      const scale = 1 + (j % 3) * 0.5;
      let perStep = scale * (load + noise());
      if (options.fault && options.fault.feature === name && i >= options.fault.from && i < options.fault.to) {
        perStep += options.fault.size * scale;
      }
      if (name.endsWith('_total') || name.includes('_total{')) {
        cumulative[j] += Math.max(0, perStep) * 100;
        columns[j][i] = cumulative[j];
      } else if (name === 'sipp_failed_calls') {
        columns[j][i] = Math.round(random() * 2);
      } else {
        columns[j][i] = perStep * 1e6;
      }
    });
  }
  return { timestamps, features: [...SYNTHETIC_FEATURES], columns };
}
