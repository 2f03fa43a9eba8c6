/**
 * The demo models bundled with the plugin (`models/demo`, copied into `dist/models/demo`, the data
 * source's "Bundled demo models"): a verified artifact of the four paper groups whose features are
 * the simulator's vIMS series (so they fit the compose stack's Prometheus), and that finds the
 * simulator's packet loss in the network group on a run they were not trained on.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

import { formatWideCsv } from '../src/core/csv';
import type { GroupScore } from '../src/core/types';
import { readArtifacts } from '../src/node/artifacts';
import { createSimulator, simulate } from '../src/sim';
import { ROOT, runCli, tempDir } from './helpers/cli';

const DEMO = join(ROOT, 'models/demo');
const GROUPS = ['cpu', 'memory', 'network', 'filesystem'];

jest.setTimeout(300_000);

describe('the bundled demo models', () => {
  it('are a verified artifact of the four paper groups at the simulator step of 30 s', async () => {
    // readArtifacts checks each manifest, its group and the content hash of model.json and weights.bin.
    const groups = await readArtifacts(DEMO);
    expect(groups.map((g) => g.manifest.group)).toEqual(GROUPS);
    for (const { manifest } of groups) {
      expect(manifest).toMatchObject({ stepSeconds: 30, window: 10 });
      expect(manifest.threshold.value).toBeGreaterThan(0);
    }
  });

  it("read exactly the simulator's series of those groups, its service KPIs left out", async () => {
    const features = (await readArtifacts(DEMO)).flatMap((g) => g.manifest.features.map((f) => f.name));
    const simulated = createSimulator({ seed: 1 }).features;
    expect(features.filter((f) => !simulated.includes(f))).toEqual([]);
    expect(features.some((f) => f.startsWith('sipp_'))).toBe(false);
    const left = simulated.filter((f) => !features.includes(f) && !f.startsWith('sipp_'));
    // The node's context switches are the catalog's only `other` feature: no group model reads them.
    expect(left).toEqual(['node_context_switches_total{instance="server-1"}']);
  });

  it('find an hour of packet loss in the network group of a run they were not trained on', async () => {
    const dir = tempDir('demo-models');
    try {
      // Another seed and another week than training (seed 1, 2026-01-05 and 06).
      const run = simulate({
        scenario: 'packet-loss',
        start: Date.UTC(2026, 1, 2, 8) / 1000,
        hours: 4,
        seed: 5,
        faultStartHours: 1.5,
        faultHours: 1,
      });
      writeFileSync(join(dir.path, 'run.csv'), formatWideCsv(run.matrix));
      const out = join(dir.path, 'scores.jsonl');
      const score = await runCli(['score', '--csv', join(dir.path, 'run.csv'), '--models', DEMO, '--out', out]);
      expect(score).toMatchObject({ code: 0 });
      const scores = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as GroupScore);
      const faulty = (t: number) => run.truth.faultActive[run.matrix.timestamps.indexOf(t)] === 1;
      const network = scores.filter((s) => s.group === 'network');
      const share = (list: GroupScore[]) => list.filter((s) => s.anomalous).length / list.length;
      expect(share(network.filter((s) => faulty(s.t)))).toBeGreaterThan(0.5);
      // Well before the fault the network is nominal.
      const before = run.matrix.timestamps[0] + 3600;
      expect(share(network.filter((s) => s.t < before))).toBeLessThan(0.1);
    } finally {
      dir.remove();
    }
  });
});
