import { parseIndex, parseManifest, INDEX_FILE, MANIFEST_FILE } from '../core/artifact';

export interface ModelRow {
  group: string;
  features: number;
  window: number;
  step: number;
  threshold: string;
  trained: string;
}

/** Reads a models directory through `get` (relative paths) and summarizes each group's manifest. */
export async function modelRows(get: (path: string) => Promise<unknown>): Promise<ModelRow[]> {
  const index = parseIndex(await get(INDEX_FILE), INDEX_FILE);
  return Promise.all(
    index.groups.map(async (group) => {
      const m = parseManifest(await get(`${group}/${MANIFEST_FILE}`), `${group}/${MANIFEST_FILE}`);
      const day = (t: number) => new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' ');
      return {
        group,
        features: m.features.length,
        window: m.window,
        step: m.stepSeconds,
        threshold: m.threshold.value.toExponential(3),
        trained: `${day(m.training.from)} to ${day(m.training.to)} (${m.training.samples} windows)`,
      };
    })
  );
}
