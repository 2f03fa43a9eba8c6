/**
 * The command line as a user runs it: train and score through the package bin in fresh
 * processes, the artifact round trip, and bad input reported in one line with its location.
 */
import { readFileSync, writeFileSync, mkdirSync, rmSync, readdirSync } from 'fs';
import { join } from 'path';

import { formatWideCsv } from '../src/core/csv';
import { DEFAULT_CATALOG } from '../src/core/groups';
import { scoreGroups, tfScoringModel, trainGroups } from '../src/core/pipeline';
import type { FeatureMatrix, GroupScore } from '../src/core/types';
import { writeArtifacts } from '../src/node/artifacts';
import { loadTf } from '../src/node/tf';
import { readScores, runCli, tempDir } from './helpers/cli';
import { synthetic } from './helpers/synthetic';

const tmp = tempDir('cli');
afterAll(() => tmp.remove());

const path = (name: string) => join(tmp.path, name);
const write = (name: string, text: string) => {
  writeFileSync(path(name), text);
  return path(name);
};

/** One line on stderr, no stack trace, non-zero exit. */
function expectOneLineError(result: { code: number | null; stderr: string }, ...fragments: string[]) {
  expect(result.code).not.toBe(0);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  for (const f of fragments) {
    expect(lines[0]).toContain(f);
  }
}

describe('syrroca train and score', () => {
  let inProcess: GroupScore[];
  const modelsDir = path('models');

  beforeAll(async () => {
    const tf = await loadTf();
    const nominal = synthetic({ steps: 400, seed: 3 });
    const trained = await trainGroups(tf, nominal, { catalog: DEFAULT_CATALOG, exclude: /^sipp_/, epochs: 2, seed: 5 });
    await writeArtifacts(tf, modelsDir, trained);
    const test = synthetic({ steps: 120, seed: 4, start: 1_800_000_000 });
    write('test.csv', formatWideCsv(test));
    const models = trained.map(({ model, manifest }) =>
      tfScoringModel(tf, model, { ...manifest, libraries: {}, contentHash: '' }, manifest.group)
    );
    ({ scores: inProcess } = await scoreGroups(test, models));
  }, 120_000);

  it('scores saved models in a fresh process exactly as the models did in memory (tfjs engine)', async () => {
    const result = await runCli([
      'score',
      '--csv',
      path('test.csv'),
      '--models',
      modelsDir,
      '--out',
      path('s.jsonl'),
      '--engine',
      'tfjs',
    ]);
    expect(result.stderr).toContain('wrote');
    expect(result.code).toBe(0);
    const fromDisk = readScores(path('s.jsonl'));
    expect(fromDisk).toHaveLength(inProcess.length);
    fromDisk.forEach((s, i) => {
      expect(s.t).toBe(inProcess[i].t);
      expect(s.group).toBe(inProcess[i].group);
      expect(s.mse).toBe(inProcess[i].mse);
      expect(s.features).toEqual(inProcess[i].features);
    });
  }, 60_000);

  it('scores with the fast kernels (the default engine) within 1e-5 relative of tfjs, run from any directory', async () => {
    // From outside the repository: the kernels' worker threads must still find their loader.
    const result = await runCli(
      ['score', '--csv', path('test.csv'), '--models', modelsDir, '--out', path('fast.jsonl')],
      {
        cwd: tmp.path,
      }
    );
    expect(result.code).toBe(0);
    const fast = readScores(path('fast.jsonl'));
    expect(fast).toHaveLength(inProcess.length);
    fast.forEach((s, i) => {
      expect(Math.abs(s.mse - inProcess[i].mse)).toBeLessThanOrEqual(1e-5 * inProcess[i].mse);
    });
  }, 60_000);

  it('writes the JSONL fields of the contract, with F_t ordered by share', () => {
    const line = readScores(path('s.jsonl'))[0];
    expect(Object.keys(line).sort()).toEqual(['anomalous', 'features', 'group', 'mse', 't', 'threshold']);
    const shares = line.features.map((f) => f.p);
    expect([...shares].sort((a, b) => b - a)).toEqual(shares);
  });

  it('trains from a CSV through the bin and writes one artifact per group with an index', async () => {
    const nominal = write('nominal.csv', formatWideCsv(synthetic({ steps: 200, seed: 9 })));
    const result = await runCli(['train', '--csv', nominal, '--out', path('m2'), '--epochs', '1', '--window', '5']);
    expect(result.code).toBe(0);
    expect(readdirSync(path('m2')).sort()).toEqual(['cpu', 'filesystem', 'memory', 'models.json', 'network']);
    const manifest = JSON.parse(readFileSync(path('m2/cpu/manifest.json'), 'utf8'));
    expect(manifest.window).toBe(5);
    expect(manifest.contentHash).toMatch(/^[0-9a-f]{64}$/);
  }, 120_000);

  describe('refuses data that does not match the model, naming what differs', () => {
    const test = () => synthetic({ steps: 60, seed: 4, start: 1_800_000_000 });
    const without = (m: FeatureMatrix, name: string): FeatureMatrix => {
      const keep = m.features.map((f, j) => (f === name ? -1 : j)).filter((j) => j >= 0);
      return {
        timestamps: m.timestamps,
        features: keep.map((j) => m.features[j]),
        columns: keep.map((j) => m.columns[j]),
      };
    };

    it('a missing feature', async () => {
      const csv = write('missing.csv', formatWideCsv(without(test(), 'node_load1')));
      const result = await runCli(['score', '--csv', csv, '--models', modelsDir, '--out', path('x.jsonl')]);
      expectOneLineError(result, 'lacks 1 feature', 'node_load1');
    }, 60_000);

    it('an extra feature of a group', async () => {
      const m = test();
      m.features.push('container_cpu_usage_seconds_total{pod="c"}');
      m.columns.push(m.columns[0].slice());
      const csv = write('extra.csv', formatWideCsv(m));
      const result = await runCli(['score', '--csv', csv, '--models', modelsDir, '--out', path('x.jsonl')]);
      expectOneLineError(result, 'not trained on', 'container_cpu_usage_seconds_total{pod="c"}');
    }, 60_000);

    it('a manifest whose window disagrees with the model', async () => {
      const broken = path('broken-window');
      mkdirSync(broken);
      for (const entry of readdirSync(modelsDir, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) {
          const rel = join(entry.parentPath.slice(modelsDir.length), entry.name);
          mkdirSync(join(broken, entry.parentPath.slice(modelsDir.length)), { recursive: true });
          writeFileSync(join(broken, rel), readFileSync(join(modelsDir, rel)));
        }
      }
      const manifestPath = join(broken, 'cpu', 'manifest.json');
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      writeFileSync(manifestPath, JSON.stringify({ ...manifest, window: 12 }));
      const result = await runCli(['score', '--csv', path('test.csv'), '--models', broken, '--out', path('x.jsonl')]);
      expectOneLineError(result, "model's window is 10", 'manifest says 12');
      rmSync(broken, { recursive: true });
    }, 60_000);
  });
});

describe('syrroca train --filter', () => {
  const TWIN = 'container_cpu_user_seconds_total{pod="a"}';
  const FLAT = 'container_cpu_system_seconds_total{pod="c"}';
  /** The synthetic data plus a twin of pod a's CPU counter (a fixed part of it) and a counter that never moves. */
  const withTwinAndFlat = (m: FeatureMatrix): FeatureMatrix => {
    const usage = m.columns[m.features.indexOf('container_cpu_usage_seconds_total{pod="a"}')];
    return {
      timestamps: m.timestamps,
      features: [...m.features, TWIN, FLAT],
      columns: [...m.columns, usage.map((v) => 0.8 * v), new Float64Array(usage.length).fill(42)],
    };
  };

  let trained: { code: number | null; stderr: string };
  beforeAll(async () => {
    const nominal = write('filter-nominal.csv', formatWideCsv(withTwinAndFlat(synthetic({ steps: 200, seed: 9 }))));
    trained = await runCli([
      'train',
      '--csv',
      nominal,
      '--out',
      path('filtered'),
      '--filter',
      '--epochs',
      '1',
      '--window',
      '5',
    ]);
  }, 120_000);

  it('leaves twins and constant series out of the model and lists why in the manifest', () => {
    expect(trained.code).toBe(0);
    expect(trained.stderr).toMatch(/cpu: 3 features \(2 dropped\)/);
    const manifest = JSON.parse(readFileSync(path('filtered/cpu/manifest.json'), 'utf8'));
    const names = manifest.features.map((f: { name: string }) => f.name);
    expect(names).toContain('container_cpu_usage_seconds_total{pod="a"}');
    expect(names).not.toContain(TWIN);
    expect(names).not.toContain(FLAT);
    const why = Object.fromEntries(
      manifest.droppedFeatures.map((d: { name: string; reason: string }) => [d.name, d.reason])
    );
    expect(why[TWIN]).toMatch(
      /^correlated: .*container_cpu_usage_seconds_total\{pod="a"\} at r = 1\.000 \(\|r\| >= 0\.99\)/
    );
    expect(why[FLAT]).toMatch(/^constant/);
  });

  it('scores data that still has the dropped features', async () => {
    const test = write(
      'filter-test.csv',
      formatWideCsv(withTwinAndFlat(synthetic({ steps: 60, seed: 4, start: 1_800_000_000 })))
    );
    const scored = await runCli([
      'score',
      '--csv',
      test,
      '--models',
      path('filtered'),
      '--out',
      path('filtered.jsonl'),
    ]);
    expect(scored.code).toBe(0);
    const cpu = readScores(path('filtered.jsonl')).filter((s) => s.group === 'cpu');
    expect(cpu.length).toBeGreaterThan(0);
    expect(cpu.flatMap((s) => s.features.map((f) => f.name))).not.toContain(TWIN);
  }, 60_000);

  it('still refuses a feature of the group that training never saw', async () => {
    const m = withTwinAndFlat(synthetic({ steps: 60, seed: 4, start: 1_800_000_000 }));
    m.features.push('container_cpu_usage_seconds_total{pod="d"}');
    m.columns.push(m.columns[0].slice());
    const csv = write('filter-extra.csv', formatWideCsv(m));
    const result = await runCli(['score', '--csv', csv, '--models', path('filtered'), '--out', path('x.jsonl')]);
    expectOneLineError(result, 'not trained on', 'container_cpu_usage_seconds_total{pod="d"}');
  }, 60_000);
});

describe('bad input to the command line', () => {
  const header = 'timestamp,node_load1,container_cpu_usage_seconds_total{pod="a"}\n';
  const cases: Array<[string, string, string[]]> = [
    ['an empty file', '', ['empty.csv']],
    ['a file without a header', '1700000000,1,2\n1700000030,1,2\n', ['no-header.csv:1', 'timestamp']],
    ['a non-numeric cell', `${header}1700000000,1,2\n1700000030,abc,2\n`, ['non-numeric.csv:3:2', 'abc']],
    ['duplicate timestamps', `${header}1700000000,1,2\n1700000000,1,3\n`, ['duplicate.csv:3', '1700000000']],
    ['unsorted rows', `${header}1700000030,1,2\n1700000000,1,3\n`, ['unsorted.csv:3']],
  ];
  it.each(cases)(
    '%s exits non-zero with one line naming the file and place',
    async (_name, text, fragments) => {
      const file = write(`${fragments[0].split(':')[0]}`, text);
      const result = await runCli(['train', '--csv', file, '--out', path('never')]);
      expectOneLineError(result, ...fragments);
    },
    60_000
  );

  it('a missing models directory exits non-zero with one line naming it', async () => {
    const csv = write('ok.csv', `${header}1700000000,1,2\n`);
    const result = await runCli(['score', '--csv', csv, '--models', path('no-such-models'), '--out', path('x.jsonl')]);
    expectOneLineError(result, 'no-such-models', 'syrroca train');
  }, 60_000);

  it('a missing CSV file exits non-zero with one line naming it', async () => {
    const result = await runCli(['train', '--csv', path('nope.csv'), '--out', path('never')]);
    expectOneLineError(result, 'nope.csv', 'no such file');
  }, 60_000);
});
