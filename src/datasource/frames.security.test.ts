/**
 * Hostile feature and group names in the data source's frames: each name is a plain string value,
 * shown by Grafana's table as text; no cell type renders markup or a link made from a name.
 */
import { FieldType } from '@grafana/data';
import fc from 'fast-check';

import { fuzz, hostileText } from '../../tests/helpers/fuzz';
import type { GroupScore } from '../core/types';
import { characterizationFrame, featuresFrame } from './frames';

const name = fc.oneof(
  fc.constantFrom('<img src=x onerror=alert(1)>', 'javascript:alert(1)', '[x](javascript:alert(1))', '${__url}'),
  hostileText(16)
);

function scores(group: string, features: string[]): GroupScore[] {
  return Array.from({ length: 6 }, (_, i) => ({
    t: 1_700_000_000 + 30 * i,
    group,
    mse: i >= 2 && i < 4 ? 2 : 0.1,
    threshold: 1,
    anomalous: i >= 2 && i < 4,
    features: i >= 2 && i < 4 ? features.map((f, k) => ({ name: f, p: 1 / (k + 2) })) : [],
  }));
}

describe('the features table and characterization frames with hostile names', () => {
  it('carry every name verbatim in plain string fields, with links built from times only', () => {
    fuzz(
      fc.property(name, fc.uniqueArray(name, { minLength: 1, maxLength: 3 }), (group, features) => {
        for (const frame of [featuresFrame(scores(group, features)), characterizationFrame(scores(group, features))]) {
          const text = frame.fields.find((f) => f.name === 'features')!;
          expect(text.type).toBe(FieldType.string);
          features.forEach((f) => expect(text.values[0]).toContain(f));
          expect(frame.fields.find((f) => f.name === 'group')!.values[0]).toBe(group);
          for (const field of frame.fields) {
            // Only numbers get a cell type (gauges); strings stay the table's plain text.
            const cellType = field.config.custom?.cellOptions?.type;
            expect(cellType === undefined || (field.type === FieldType.number && cellType === 'gauge')).toBe(true);
            for (const link of field.config.links ?? []) {
              expect(link.url).not.toMatch(/features|group/);
            }
          }
        }
      }),
      200
    );
  });
});
