/**
 * Faulty data, end to end: a counter reset, a NaN sample, a feature that disappears for five
 * minutes and comes back, and out-of-order and duplicate samples, read from a real Prometheus
 * (backfilled OpenMetrics) and from CSV by `syrroca score` through the bin. Each gives the correct
 * result: the scores of the clean data wherever the data is whole, no score where a window holds a
 * missing value (never one computed from invented data), and a clear error where the input cannot
 * be read (a CSV with repeated or unsorted timestamps). Staleness markers: see the live test below.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

import { formatWideCsv } from '../src/core/csv';
import { metricName, parseSeriesName } from '../src/core/features';
import type { FeatureMatrix, GroupScore } from '../src/core/types';
import { expectOk, readScores, runCli, tempDir } from './helpers/cli';
import { writeSyntheticModels } from './helpers/models';
import { describeWithPrometheus, toOpenMetrics, usePrometheus, type MetricFamily } from './helpers/prometheus';
import { SYNTHETIC_FEATURES, synthetic } from './helpers/synthetic';

const STEP = 30;
const WINDOW = 5;
/** Two hours ago, on the grid: recent for Prometheus' retention. */
const START = Math.floor(Date.now() / 1000 / 3600) * 3600 - 2 * 3600;
const STEPS = 120;
const at = (i: number) => START + i * STEP;

const RESET = 'container_cpu_usage_seconds_total{pod="a"}';
const RESET_AT = 40;
const DUPLICATED = 'node_load1';
const GAP = 'container_memory_working_set_bytes{pod="a"}';
const GAP_FROM = 70;
const GAP_TO = 80; // exclusive: 10 steps (5 minutes) without a sample
const NOT_A_NUMBER = 'container_fs_usage_bytes{pod="a"}';
const NAN_AT = 90;

/** Counters in whole units, so that a reset's arithmetic is exact. */
const clean = ((m: FeatureMatrix): FeatureMatrix => ({
  ...m,
  columns: m.columns.map((c, j) => (metricName(m.features[j]).endsWith('_total') ? c.map(Math.round) : c)),
}))(synthetic({ steps: STEPS, seed: 9, start: START, step: STEP }));
const modelFeatures = SYNTHETIC_FEATURES.filter((f) => !f.startsWith('sipp_'));

/** The clean data with the counter reset, the gap (NaN = no sample) and the NaN value. */
function faulty(): FeatureMatrix {
  const columns = clean.columns.map((c) => Float64Array.from(c));
  const col = (name: string) => columns[clean.features.indexOf(name)];
  const reset = col(RESET);
  const base = reset[RESET_AT - 1];
  for (let i = RESET_AT; i < STEPS; i++) {
    // The process restarted just after the previous scrape and counted from zero.
    reset[i] -= base;
  }
  col(GAP).fill(NaN, GAP_FROM, GAP_TO);
  col(NOT_A_NUMBER)[NAN_AT] = NaN;
  return { ...clean, columns };
}

/** OpenMetrics of the faulty data: the gap has no samples, the NaN is a NaN sample; a duplicate and an out-of-order sample are added. */
function faultyOpenMetrics(matrix: FeatureMatrix): string {
  return toOpenMetrics(
    modelFeatures.map((feature): MetricFamily => {
      const j = matrix.features.indexOf(feature);
      const { labels } = parseSeriesName(feature);
      const counter = metricName(feature).endsWith('_total');
      const samples: Array<[number, number]> = [];
      matrix.timestamps.forEach((t, i) => {
        const v = matrix.columns[j][i];
        if (!(feature === GAP && i >= GAP_FROM && i < GAP_TO)) {
          samples.push([t, feature === NOT_A_NUMBER && i === NAN_AT ? NaN : v]);
        }
        if (feature === DUPLICATED && i === 50) {
          samples.push([t, v * 10]); // the same timestamp again, another value
        }
        if (feature === DUPLICATED && i === 60) {
          samples.push([t - STEP / 2, v * 10]); // older than the sample before it
        }
      });
      return {
        name: counter ? metricName(feature).replace(/_total$/, '') : metricName(feature),
        type: counter ? 'counter' : 'gauge',
        series: [{ labels, samples }],
      };
    })
  );
}

const key = (s: GroupScore) => `${s.group}@${s.t}`;

describeWithPrometheus('faulty data end to end, from Prometheus and from CSV', () => {
  const dir = tempDir('data-faults');
  const path = (name: string) => join(dir.path, name);
  // Lookback shorter than the step: a step without a sample is missing, not filled by Prometheus.
  const prometheus = usePrometheus(() => ({ openMetrics: faultyOpenMetrics(faulty()), lookbackDelta: '15s' }));
  const from = at(WINDOW + 1);
  const to = at(STEPS - 1);
  let reference = new Map<string, GroupScore>();

  beforeAll(async () => {
    await writeSyntheticModels(path('models'), { step: STEP, window: WINDOW });
    writeFileSync(path('clean.csv'), formatWideCsv(clean));
    writeFileSync(path('faulty.csv'), formatWideCsv(faulty()));
    expectOk(
      await runCli(['score', '--csv', path('clean.csv'), '--models', path('models'), '--out', path('clean.jsonl')])
    );
    reference = new Map(readScores(path('clean.jsonl')).map((s) => [key(s), s]));
  }, 180_000);

  afterAll(() => dir.remove());

  /** Steps whose window (WINDOW steps ending there) holds step index `i` in [a, b). */
  const touched = (a: number, b: number) => new Set(Array.from({ length: b - a + WINDOW - 1 }, (_, k) => at(a + k)));

  function expectCorrect(scores: GroupScore[]): void {
    const missing = (group: string) =>
      [...reference.values()]
        .filter((s) => s.group === group && s.t >= from && !scores.some((x) => key(x) === key(s)))
        .map((s) => s.t);
    // The reset and the duplicate/out-of-order samples change nothing; the gap and the NaN remove exactly the windows holding them.
    expect(missing('cpu')).toEqual([]);
    expect(missing('network')).toEqual([]);
    expect(missing('memory')).toEqual([...touched(GAP_FROM, GAP_TO)]);
    expect(missing('filesystem')).toEqual([...touched(NAN_AT, NAN_AT + 1)]);
    for (const s of scores) {
      const expected = reference.get(key(s));
      expect(expected).toBeDefined();
      expect(s.mse).toBeCloseTo(expected!.mse, 12);
      expect(s.anomalous).toBe(expected!.anomalous);
      expect(s.features.map((f) => f.name)).toEqual(expected!.features.map((f) => f.name));
    }
  }

  let fromPrometheus: GroupScore[] = [];

  it('from Prometheus: the scores of the clean data where the windows are whole, none where they are not, and says how many', async () => {
    const result = await runCli([
      'score',
      '--prometheus',
      prometheus.url,
      '--from',
      String(from),
      '--to',
      String(to),
      '--models',
      path('models'),
      '--out',
      path('prom.jsonl'),
    ]);
    expectOk(result);
    fromPrometheus = readScores(path('prom.jsonl'));
    expectCorrect(fromPrometheus);
    expect(result.stderr).toContain(`memory: ${STEPS - WINDOW - 1 - 14} steps scored`);
    expect(result.stderr).toMatch(/memory: .*; 14 window\(s\) with missing values not scored/);
    // Plus, in groups with counters, the first fetched window: its first increment has no predecessor.
    expect(result.stderr).toMatch(/filesystem: 109 steps scored, .*; 6 window\(s\) with missing values not scored/);
    expect(result.stderr).toMatch(/cpu: 114 steps scored, .*; 1 window\(s\) with missing values not scored/);
  }, 120_000);

  it('from CSV with the same faults (empty cells for the gap, NaN): the same scores as from Prometheus', async () => {
    const result = await runCli([
      'score',
      '--csv',
      path('faulty.csv'),
      '--models',
      path('models'),
      '--out',
      path('csv.jsonl'),
    ]);
    expectOk(result);
    const scores = readScores(path('csv.jsonl')).filter((s) => s.t >= from);
    expectCorrect(scores);
    expect(scores.map(key)).toEqual(fromPrometheus.map(key));
  }, 120_000);

  it('from CSV, refuses a repeated or an earlier timestamp in one line naming the file, line and column', async () => {
    const lines = readFileSync(path('clean.csv'), 'utf8').split('\n');
    const repeated = [...lines.slice(0, 52), lines[51], ...lines.slice(52)].join('\n');
    const unsorted = [...lines.slice(0, 61), lines[59], ...lines.slice(61)].join('\n');
    writeFileSync(path('repeated.csv'), repeated);
    writeFileSync(path('unsorted.csv'), unsorted);
    const [r, u] = await Promise.all(
      ['repeated', 'unsorted'].map((name) =>
        runCli(['score', '--csv', path(`${name}.csv`), '--models', path('models'), '--out', path(`${name}.jsonl`)])
      )
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `syrroca score: ${path('repeated.csv')}:53:1: timestamp ${at(50)} repeats the timestamp of line 52: keep one row per timestamp\n`
    );
    expect(u.code).toBe(1);
    expect(u.stderr).toBe(
      `syrroca score: ${path('unsorted.csv')}:62:1: timestamp ${at(58)} is earlier than ${at(59)} on line 61: sort the rows by timestamp\n`
    );
  }, 120_000);
});
