import { DEFAULT_CATALOG } from '../../src/core/groups';
import { trainGroups } from '../../src/core/pipeline';
import { writeArtifacts } from '../../src/node/artifacts';
import { loadTf } from '../../src/node/tf';
import { synthetic } from './synthetic';

/**
 * Models of the default groups, trained for one epoch on 300 synthetic steps of `step` seconds (1 by default)
 * with windows of `window` steps (5), written to `dir`: for tests of serving and scoring, where what matters
 * is that they score, not how well.
 */
export async function writeSyntheticModels(dir: string, { step = 1, window = 5 } = {}): Promise<void> {
  const tf = await loadTf();
  const trained = await trainGroups(tf, synthetic({ steps: 300, seed: 3, step }), {
    catalog: DEFAULT_CATALOG,
    exclude: /^sipp_/,
    window,
    epochs: 1,
    seed: 2,
  });
  await writeArtifacts(tf, dir, trained);
}
