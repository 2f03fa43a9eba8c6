/**
 * Training and scoring from Prometheus give exactly what the CSV path gives on the same data. One
 * simulated run (an hour nominal, then half an hour of packet loss) is backfilled into a real
 * Prometheus with promtool and written as CSV; `train` and `score` run through the bin on both.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

import { formatWideCsv } from '../src/core/csv';
import type { FeatureMatrix, Manifest } from '../src/core/types';
import { DEFAULT_QUERY_SET } from '../src/prom/querySet';
import { simulate, toOpenMetrics } from '../src/sim';
import { expectOk, readScores, runCli, tempDir } from './helpers/cli';
import { describeWithPrometheus, usePrometheus } from './helpers/prometheus';

const STEP = 30;
/** On the hour, four hours ago: recent enough for Prometheus' retention, and on the 30 s grid. */
const START = Math.floor(Date.now() / 1000 / 3600) * 3600 - 4 * 3600;
/** The last nominal sample; packet loss from the next one. */
const NOMINAL_END = START + 3600;
const END = START + 5400;

const run = simulate({
  seed: 4,
  scenario: 'packet-loss',
  hours: 1.5,
  faultStartHours: 1,
  stepSeconds: STEP,
  start: START,
  restartsPerWeek: 0,
});

function rows(matrix: FeatureMatrix, keep: (t: number) => boolean): FeatureMatrix {
  const index = Array.from(matrix.timestamps.keys()).filter((i) => keep(matrix.timestamps[i]));
  return {
    timestamps: Float64Array.from(index, (i) => matrix.timestamps[i]),
    features: matrix.features,
    columns: matrix.columns.map((c) => Float64Array.from(index, (i) => c[i])),
  };
}

describeWithPrometheus('train and score from Prometheus, against the CSV path on the same data', () => {
  const prometheus = usePrometheus(() => ({ openMetrics: toOpenMetrics(run.matrix) }));
  const dir = tempDir('backfill');
  const path = (name: string) => join(dir.path, name);
  const common = ['--epochs', '1', '--seed', '5'];
  afterAll(() => dir.remove());

  const manifest = (models: string, group: string): Manifest =>
    JSON.parse(readFileSync(join(models, group, 'manifest.json'), 'utf8'));

  beforeAll(async () => {
    writeFileSync(path('nominal.csv'), formatWideCsv(rows(run.matrix, (t) => t <= NOMINAL_END)));
    writeFileSync(path('run.csv'), formatWideCsv(run.matrix));
    const [fromPrometheus, fromCsv] = await Promise.all([
      runCli([
        'train',
        '--prometheus',
        prometheus.url,
        '--from',
        String(START),
        '--to',
        String(NOMINAL_END),
        '--namespace',
        'vims',
        '--out',
        path('models-prom'),
        ...common,
      ]),
      runCli(['train', '--csv', path('nominal.csv'), '--out', path('models-csv'), ...common]),
    ]);
    expectOk(fromPrometheus);
    expectOk(fromCsv);
    expect(fromPrometheus.stderr).toMatch(
      /^fetched 234 series of 121 steps \(37 queries\) from http:\/\/127\.0\.0\.1:\d+ in [\d.]+ s$/m
    );
  }, 300_000);

  it('trains the same models from Prometheus as from the CSV: same features, bounds, losses and thresholds', () => {
    for (const group of ['cpu', 'memory', 'network', 'filesystem']) {
      const [p, c] = [manifest(path('models-prom'), group), manifest(path('models-csv'), group)];
      expect(p.features).toEqual(c.features);
      expect(p.training.finalLoss).toBe(c.training.finalLoss);
      expect(p.threshold).toEqual(c.threshold);
      expect(p.contentHash).toBe(c.contentHash);
    }
    // The CSV also has node_context_switches_total, which the default query set does not ask for.
    expect(JSON.parse(readFileSync(path('models-csv/models.json'), 'utf8')).groups).toContain('other');
  });

  it('stores the query set and the variables it was trained with in every manifest', () => {
    const stored = manifest(path('models-prom'), 'network').querySet;
    expect(stored).toEqual({ queries: DEFAULT_QUERY_SET, variables: { instance: '.+', namespace: 'vims' } });
    // Groups follow the query set: each metric joins its query's group.
    expect(manifest(path('models-prom'), 'network').grouping.catalog.rules.map((r) => r.group)).toEqual([
      'cpu',
      'memory',
      'network',
      'filesystem',
    ]);
  });

  it('scores the fault range from Prometheus exactly as the CSV path scores the same steps', async () => {
    const from = NOMINAL_END + STEP;
    const [fromPrometheus, fromCsv] = await Promise.all([
      runCli([
        'score',
        '--prometheus',
        prometheus.url,
        '--from',
        String(from),
        '--to',
        String(END),
        '--models',
        path('models-prom'),
        '--out',
        path('prom.jsonl'),
      ]),
      runCli(['score', '--csv', path('run.csv'), '--models', path('models-csv'), '--out', path('csv.jsonl')]),
    ]);
    expectOk(fromPrometheus);
    expectOk(fromCsv);
    const prom = readScores(path('prom.jsonl'));
    const csv = readScores(path('csv.jsonl')).filter((s) => s.t >= from && s.group !== 'other');
    // Every step of the range is scored (the window before it is fetched too): 60 steps, four groups.
    expect(prom).toHaveLength(60 * 4);
    expect(prom[0].t).toBe(from);
    expect(prom).toEqual(csv);
    // Packet loss shows in the network group.
    expect(prom.filter((s) => s.group === 'network' && s.anomalous).length).toBeGreaterThan(10);
  }, 120_000);

  it('scores CSV-trained models from Prometheus with a query set derived from their feature names', async () => {
    const from = NOMINAL_END + STEP;
    const result = await runCli([
      'score',
      '--prometheus',
      prometheus.url,
      '--from',
      String(from),
      '--to',
      String(END),
      '--models',
      path('models-csv'),
      '--out',
      path('derived.jsonl'),
    ]);
    expectOk(result);
    // One query per metric: 38 metrics in five groups, the 238 series minus the three KPIs.
    expect(result.stderr).toMatch(/^fetched 235 series of 70 steps \(38 queries\)/m);
    const csv = readScores(path('csv.jsonl')).filter((s) => s.t >= from);
    expect(readScores(path('derived.jsonl'))).toEqual(csv);
  }, 120_000);

  it('refuses a query set variable without a value, naming the option that gives it', async () => {
    const result = await runCli([
      'train',
      '--prometheus',
      prometheus.url,
      '--from',
      String(START),
      '--to',
      String(NOMINAL_END),
      '--out',
      path('m'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'syrroca train: the query set (the default query set) uses $namespace without a value: give --namespace NS\n'
    );
  }, 60_000);

  it('says which namespace it looked in when nothing matches', async () => {
    const result = await runCli([
      'train',
      '--prometheus',
      prometheus.url,
      '--from',
      String(START),
      '--to',
      String(NOMINAL_END),
      '--namespace',
      'ims',
      '--var',
      'instance=elsewhere',
      '--out',
      path('m'),
    ]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('warning: query of group'))).toHaveLength(37);
    expect(lines[lines.length - 1]).toBe(
      `syrroca train: no query of the default query set matched any series in ${prometheus.url} from ` +
        `${new Date(START * 1000).toISOString().replace('.000Z', 'Z')} to ${new Date(NOMINAL_END * 1000).toISOString().replace('.000Z', 'Z')} ` +
        '(namespace "ims"): check the range, the variables, and that Prometheus scrapes these metrics'
    );
  }, 60_000);
});
