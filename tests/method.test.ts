/**
 * The method end to end on generated data: four groups trained on nominal data, then a fault
 * injected in one named feature must be detected in its group and attributed to that feature.
 */
import { DEFAULT_CATALOG } from '../src/core/groups';
import { scoreGroups, tfScoringModel, trainGroups, type TrainedGroup } from '../src/core/pipeline';
import type { GroupScore } from '../src/core/types';
import { loadTf } from '../src/node/tf';
import { synthetic } from './helpers/synthetic';

const FAULTY = 'container_memory_working_set_bytes{pod="b"}';
const FAULT = { from: 300, to: 360 };

describe('the method on four groups with a fault in one feature', () => {
  let trained: TrainedGroup[];
  let scores: GroupScore[];

  beforeAll(async () => {
    const tf = await loadTf();
    trained = await trainGroups(tf, synthetic({ steps: 1500, seed: 1 }), {
      catalog: DEFAULT_CATALOG,
      exclude: /^sipp_/,
      epochs: 8,
      seed: 7,
    });
    const faulty = synthetic({ steps: 600, seed: 2, start: 1_800_000_000, fault: { feature: FAULTY, ...FAULT, size: 3 } });
    const models = trained.map(({ model, manifest }) =>
      tfScoringModel(tf, model, { ...manifest, libraries: {}, contentHash: '' }, manifest.group)
    );
    ({ scores } = await scoreGroups(faulty, models));
  }, 300_000);

  const during = (group: string) =>
    scores.filter((s) => s.group === group && s.t >= 1_800_000_000 + FAULT.from * 30 && s.t < 1_800_000_000 + FAULT.to * 30);
  const outside = (group: string) =>
    scores.filter((s) => s.group === group && (s.t < 1_800_000_000 + FAULT.from * 30 || s.t >= 1_800_000_000 + (FAULT.to + 10) * 30));
  const anomalousShare = (list: GroupScore[]) => list.filter((s) => s.anomalous).length / list.length;

  it('trains one model per resource group and leaves the KPI out', () => {
    expect(trained.map((t) => t.manifest.group).sort()).toEqual(['cpu', 'filesystem', 'memory', 'network']);
    expect(trained.flatMap((t) => t.manifest.features.map((f) => f.name))).not.toContain('sipp_failed_calls');
  });

  it('puts the faulty feature group above its threshold during the fault', () => {
    expect(anomalousShare(during('memory'))).toBeGreaterThan(0.9);
  });

  it('names the faulty feature first in the cover set of the anomalous samples', () => {
    const anomalous = during('memory').filter((s) => s.anomalous);
    const first = anomalous.filter((s) => s.features[0]?.name === FAULTY).length;
    expect(first / anomalous.length).toBeGreaterThan(0.9);
  });

  it('keeps the other groups mostly below their thresholds', () => {
    for (const group of ['cpu', 'network', 'filesystem']) {
      expect(anomalousShare(scores.filter((s) => s.group === group))).toBeLessThan(0.1);
    }
    expect(anomalousShare(outside('memory'))).toBeLessThan(0.1);
  });
});
