import type { ScoringModel } from '../../core/pipeline';
import type { FeatureMatrix, Manifest } from '../../core/types';
import { createExporterMetrics } from './metrics';
import { createScorer, type WindowSource } from './scorer';

const STEP = 10;

/** A group model whose reconstruction is all zeros: the MSE is the mean of the squared scaled inputs. */
function zeroModel(group: string, features: Array<{ name: string; kind: 'counter' | 'gauge' }>): ScoringModel {
  const manifest = {
    group,
    features: features.map((f) => ({ ...f, min: 0, max: 10 })),
    stepSeconds: STEP,
    window: 3,
    threshold: { method: 'quantile', quantile: 0.99, value: 0.1 },
    grouping: { catalog: { rules: [{ group, patterns: [`^${group}_`] }], fallback: null }, exclude: null },
    droppedFeatures: [],
  } as unknown as Manifest;
  return {
    manifest,
    source: `models/${group}`,
    input: { window: 3, features: features.length },
    reconstruct: async (windows) => new Float32Array(windows.length),
  };
}

const cpu = zeroModel('cpu', [
  { name: 'cpu_load', kind: 'gauge' },
  { name: 'cpu_seconds_total', kind: 'counter' },
]);
const memory = zeroModel('memory', [{ name: 'memory_bytes', kind: 'gauge' }]);

/** Columns on the requested grid; `values` gives each feature's values from the start. */
function matrixOn(
  range: { start: number; end: number; step: number },
  values: Record<string, number[]>
): FeatureMatrix {
  const n = Math.round((range.end - range.start) / range.step) + 1;
  const names = Object.keys(values);
  return {
    timestamps: Float64Array.from({ length: n }, (_, i) => range.start + i * range.step),
    features: names,
    columns: names.map((name) => Float64Array.from({ length: n }, (_, i) => values[name][i] ?? NaN)),
  };
}

const NOMINAL = { cpu_load: [1, 2, 3, 4], cpu_seconds_total: [0, 5, 10, 16], memory_bytes: [5, 5, 5, 5] };

function setup(source: WindowSource, models = [cpu, memory]) {
  const metrics = createExporterMetrics({ topK: 5, now: () => 1234 });
  const lines: string[] = [];
  const requests: Array<{ start: number; end: number; step: number }> = [];
  const scorer = createScorer({
    current: () => ({
      name: 'demo',
      models,
      source: (range, signal) => {
        requests.push(range);
        return source(range, signal);
      },
    }),
    metrics,
    now: () => 1005,
    log: (line) => lines.push(line),
  });
  const exposition = () => metrics.registry.metrics();
  return { scorer, lines, requests, exposition };
}

const ok =
  (values: Record<string, number[]>, empty: string[] = []): WindowSource =>
  async (range) => ({
    matrix: matrixOn(range, values),
    empty,
  });

describe('a scoring step', () => {
  it('asks for the window ending one step behind now, on the step grid, with the step before it for counters', async () => {
    const { scorer, requests } = setup(ok(NOMINAL));
    await scorer.step();
    expect(requests).toEqual([{ start: 960, end: 990, step: 10 }]);
  });

  it('publishes the error, threshold, anomaly flag and feature shares of the last step of each group', async () => {
    const { scorer, exposition } = setup(ok(NOMINAL));
    const outcome = await scorer.step();
    expect(outcome).toMatchObject({ ok: true, at: 990, errors: [] });
    // cpu at 990: load 4 -> 0.4, counter increment 16 - 10 = 6 -> 0.6; MSE = (0.16 + 0.36) / 2 = 0.26.
    const text = await exposition();
    expect(text).toContain('syrroca_reconstruction_error{group="cpu",model="demo"} 0.26');
    expect(text).toContain('syrroca_threshold{group="cpu",model="demo"} 0.1');
    expect(text).toContain('syrroca_anomalous{group="cpu",model="demo"} 1');
    expect(text).toMatch(/syrroca_feature_share\{group="cpu",model="demo",feature="cpu_seconds_total"\} 0\.6923\d+/);
    expect(text).toMatch(/syrroca_feature_share\{group="cpu",model="demo",feature="cpu_load"\} 0\.3076\d+/);
    // memory: 5 -> 0.5; MSE 0.25.
    expect(text).toContain('syrroca_reconstruction_error{group="memory",model="demo"} 0.25');
    expect(text).toContain('syrroca_up 1');
    expect(text).toContain('syrroca_last_success_timestamp_seconds 1234');
    expect(text).toContain('syrroca_scoring_duration_seconds_count 1');
  });

  it('takes the new value as the increment after a counter reset, scoring as if the counter had not restarted', async () => {
    const { scorer, exposition } = setup(ok({ ...NOMINAL, cpu_seconds_total: [10, 15, 20, 6] }));
    await scorer.step();
    expect(await exposition()).toContain('syrroca_reconstruction_error{group="cpu",model="demo"} 0.26');
  });

  it('exports only the K largest shares', async () => {
    const metrics = createExporterMetrics({ topK: 1 });
    metrics.publish(
      'demo',
      [
        {
          t: 1,
          group: 'cpu',
          mse: 1,
          threshold: 2,
          anomalous: false,
          features: [
            { name: 'a', p: 0.2 },
            { name: 'b', p: 0.8 },
          ],
        },
      ],
      true
    );
    const shares = (await metrics.registry.metrics()).split('\n').filter((l) => l.startsWith('syrroca_feature_share{'));
    expect(shares).toEqual(['syrroca_feature_share{group="cpu",model="demo",feature="b"} 0.8']);
  });
});

describe('when Prometheus fails', () => {
  it('sets syrroca_up 0, withdraws every score instead of re-reporting the last ones, and logs the error once', async () => {
    let fail = false;
    const source: WindowSource = async (range, signal) => {
      if (fail) {
        throw new Error('cannot reach Prometheus at http://p:9090 for query `x`: connect ECONNREFUSED');
      }
      return ok(NOMINAL)(range, signal);
    };
    const { scorer, exposition, lines } = setup(source);
    await scorer.step();
    fail = true;
    await scorer.step();
    await scorer.step();
    const text = await exposition();
    expect(text).toContain('syrroca_up 0');
    expect(text).not.toMatch(/^syrroca_(reconstruction_error|threshold|anomalous|feature_share)\{/m);
    expect(text).toContain('syrroca_last_success_timestamp_seconds 1234');
    expect(lines).toEqual([
      'scoring failed: cannot reach Prometheus at http://p:9090 for query `x`: connect ECONNREFUSED',
    ]);
    fail = false;
    await scorer.step();
    expect(await exposition()).toContain('syrroca_up 1');
    expect(lines[1]).toBe('scoring recovered: 2 group(s) scored at 1970-01-01T00:16:30Z');
  });

  it('abandons a step that takes longer than the timeout, aborting its requests', async () => {
    let aborted = false;
    const hang: WindowSource = (_, signal) =>
      new Promise((_resolve, reject) =>
        signal.addEventListener('abort', () => {
          aborted = true;
          reject(new Error('query `x` was cancelled'));
        })
      );
    const metrics = createExporterMetrics({ topK: 5 });
    const scorer = createScorer({
      current: () => ({ name: 'demo', models: [cpu], source: hang }),
      metrics,
      timeoutMs: 20,
      now: () => 1005,
    });
    const outcome = await scorer.step();
    expect(aborted).toBe(true);
    expect(outcome.errors).toEqual([
      'scoring step timed out after 0.02 s: Prometheus is too slow for the step (check it, or raise --timeout)',
    ]);
    expect(await metrics.registry.metrics()).toContain('syrroca_up 0');
  });
});

describe('when a group cannot be scored', () => {
  it('withdraws that group, still publishes the others, sets syrroca_up 0 and names the missing feature and empty query', async () => {
    const { memory_bytes: _, ...withoutMemory } = NOMINAL;
    const { scorer, exposition, lines } = setup(ok(withoutMemory, ['`memory_bytes{namespace="vims"}`']));
    const outcome = await scorer.step();
    expect(outcome.ok).toBe(false);
    const text = await exposition();
    expect(text).toContain('syrroca_reconstruction_error{group="cpu",model="demo"} 0.26');
    expect(text).not.toContain('group="memory"');
    expect(text).toContain('syrroca_up 0');
    expect(lines).toEqual([
      'scoring failed: group memory: models/memory: the data lacks 1 feature(s) the model was trained on: memory_bytes; ' +
        'queries that matched no series: `memory_bytes{namespace="vims"}`',
    ]);
  });

  it('withdraws a group whose last step has no sample rather than scoring an older window', async () => {
    const { scorer, exposition } = setup(ok({ ...NOMINAL, memory_bytes: [5, 5, 5, NaN] }));
    const outcome = await scorer.step();
    expect(outcome.errors).toEqual([
      'group memory: the latest window is incomplete: some of its features have no sample in Prometheus ' +
        'within the last 3 steps (a scrape is late or failing)',
    ]);
    expect(await exposition()).not.toContain('group="memory"');
  });
});

describe('the schedule', () => {
  afterEach(() => jest.useRealTimers());

  it('scores at each step boundary, never two steps at once, and stops with the step in flight aborted', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    let inFlight = 0;
    let maxInFlight = 0;
    const starts: number[] = [];
    const slow: WindowSource = (range, signal) =>
      new Promise((resolve, reject) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        starts.push(Date.now());
        // Each step takes 15 s, longer than the 10 s step: the next boundary is skipped, not overlapped.
        const timer = setTimeout(() => {
          inFlight--;
          resolve({ matrix: matrixOn(range, NOMINAL), empty: [] });
        }, 15_000);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          inFlight--;
          reject(new Error('cancelled'));
        });
      });
    const scorer = createScorer({
      current: () => ({ name: 'demo', models: [cpu], source: slow }),
      metrics: createExporterMetrics({ topK: 5 }),
      timeoutMs: 60_000,
    });
    scorer.start();
    await jest.advanceTimersByTimeAsync(50_000);
    expect(maxInFlight).toBe(1);
    // Started at 1000 s; steps end at 1015, then start at the boundaries 1020 (-> 1035), 1040 (-> 1055).
    expect(starts.map((ms) => Math.round(ms / 1000))).toEqual([1000, 1020, 1040]);
    await scorer.stop();
    expect(inFlight).toBe(0);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(starts).toHaveLength(3);
  });
});
