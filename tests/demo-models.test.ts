/**
 * The demo models bundled with the plugin (`models/demo`, copied into `dist/models/demo` by the
 * build, read by the data source as its "bundled demo models"): they load, match their manifests,
 * and score the simulator's series, the series a Prometheus that scrapes the simulator holds.
 * Regenerate them with `npm run demo -- --models models/demo`.
 */
import { join } from 'path';

import { checkArtifact, modelFromFiles } from '../src/core/artifact';
import { assignGroups } from '../src/core/groups';
import { inputShape } from '../src/core/model';
import { scoreGroups } from '../src/core/pipeline';
import { DEMO_QUERY_SET } from '../src/node/demo';
import { loadScoringModels, readArtifacts } from '../src/node/artifacts';
import { loadTf } from '../src/node/tf';
import { simulate } from '../src/sim';
import { ROOT } from './helpers/cli';

const DIR = join(ROOT, 'models', 'demo');

describe('the bundled demo models', () => {
  it('hold the four groups, each matching its content hash, its model and the simulator series of its group', async () => {
    const tf = await loadTf();
    const groups = await readArtifacts(DIR);
    expect(groups.map((g) => g.manifest.group)).toEqual(['cpu', 'memory', 'network', 'filesystem']);
    const sim = simulate({ scenario: 'nominal', hours: 1, seed: 7 });
    for (const { manifest, source, files } of groups) {
      const model = await modelFromFiles(tf, files, source);
      const grouping = assignGroups(sim.matrix.features, manifest.grouping.catalog, {
        exclude: manifest.grouping.exclude ? new RegExp(manifest.grouping.exclude) : undefined,
      });
      const features = (grouping.get(manifest.group) ?? []).map((j) => sim.matrix.features[j]);
      expect(() => checkArtifact(manifest, inputShape(model), source, features)).not.toThrow();
      expect(manifest.stepSeconds).toBe(30);
      expect(manifest.querySet).toEqual(DEMO_QUERY_SET);
      model.dispose();
    }
  }, 60_000);

  it('score an hour of simulated nominal traffic: one finite error per group and step after the first window', async () => {
    const tf = await loadTf();
    const models = await loadScoringModels(tf, DIR, 'tfjs');
    const sim = simulate({ scenario: 'nominal', hours: 1, seed: 7 });
    const { scores } = await scoreGroups(sim.matrix, models);
    models.forEach((m) => m.dispose?.());
    // 120 steps of 30 s; a window of 10 steps on increments (the first step has none) ends at steps 11..120.
    expect(scores).toHaveLength(4 * 110);
    expect(scores.every((s) => Number.isFinite(s.mse) && s.mse >= 0 && s.threshold > 0)).toBe(true);
  }, 60_000);
});
