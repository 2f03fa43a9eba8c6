import type { GroupScore } from '../../core/types';
import { createExporterMetrics } from './metrics';

const score = (mse: number): GroupScore => ({
  t: 1_700_000_000,
  group: 'cpu',
  mse,
  threshold: 0.5,
  anomalous: mse > 0.5,
  features: [{ name: 'node_load1', p: 1 }],
});

describe('the exporter metrics', () => {
  it('renders the text once between changes, and anew after a step is published or marked down', async () => {
    const metrics = createExporterMetrics({ topK: 5, now: () => 1_700_000_001 });
    const render = jest.spyOn(metrics.registry, 'metrics');
    metrics.publish('m', [score(0.25)], true);
    const first = await metrics.render();
    expect(await metrics.render()).toBe(first);
    expect(render).toHaveBeenCalledTimes(1);
    expect(first).toContain('syrroca_reconstruction_error{group="cpu",model="m"} 0.25');

    metrics.publish('m', [score(0.75)], true);
    expect(await metrics.render()).toContain('syrroca_reconstruction_error{group="cpu",model="m"} 0.75');
    metrics.observeDuration(0.1);
    expect(await metrics.render()).toContain('syrroca_scoring_duration_seconds_count 1');
    metrics.markDown();
    const down = await metrics.render();
    expect(down).toContain('syrroca_up 0');
    expect(down).not.toContain('syrroca_reconstruction_error{');
    expect(render).toHaveBeenCalledTimes(4);
  });
});
