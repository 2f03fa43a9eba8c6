/** A models folder in memory, as `syrroca train` writes it, for tests that load models with real tfjs. Not bundled. */
import type * as tfjs from '@tensorflow/tfjs';
import { createHash } from 'crypto';

import { modelToFiles } from '../../core/artifact';
import { autoencoderShape, buildAutoencoder } from '../../core/model';
import type { Manifest } from '../../core/types';
import { manifest } from './fixtures';

export type Files = Record<string, string | Uint8Array<ArrayBuffer>>;

/** One untrained, seeded autoencoder per group over gauges `<group>_a`, `<group>_b` (or the given features), window 3. */
export async function modelsFolder(
  tf: typeof tfjs,
  base: string,
  groups: Array<Partial<Manifest> & Pick<Manifest, 'group'>>
): Promise<Files> {
  const files: Files = {
    [`${base}models.json`]: JSON.stringify({
      formatVersion: 1,
      groups: groups.map((g) => g.group),
      createdAt: '2026-11-23T00:00:00Z',
    }),
  };
  for (const overrides of groups) {
    const features =
      overrides.features ??
      ['a', 'b'].map((f) => ({ name: `${overrides.group}_${f}`, kind: 'gauge' as const, min: 0, max: 1 }));
    const shape = autoencoderShape(features.length, 3);
    const model = buildAutoencoder(tf, shape, 7);
    const saved = await modelToFiles(tf, model);
    model.dispose();
    const modelJson = JSON.stringify(saved.modelJson);
    const weights = new Uint8Array(saved.weights);
    const m: Manifest = {
      ...manifest({ window: 3, ...overrides, features }),
      model: shape,
      contentHash: createHash('sha256').update(modelJson).update(weights).digest('hex'),
    };
    files[`${base}${m.group}/manifest.json`] = JSON.stringify(m);
    files[`${base}${m.group}/model.json`] = modelJson;
    files[`${base}${m.group}/weights.bin`] = weights;
  }
  return files;
}
