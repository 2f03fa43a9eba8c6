import type { FeatureMatrix } from '../core/types';
import { dataStepHint, fetchKpi, inChunks, planScoring, planVariables, runScoring } from './scoring';
import { fakeClient, fakeModel, manifest, series } from './testing/fixtures';

const features = (group: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ name: `${group}_${i}`, kind: 'gauge' as const, min: 0, max: 1 }));
const cpu = fakeModel(manifest({ group: 'cpu', features: features('cpu', 3) }));
const network = fakeModel(manifest({ group: 'network', features: features('network', 2) }));

describe('planScoring', () => {
  it('reads from one window of history before the first step of the range to the last', () => {
    const plan = planScoring([cpu, network], { source: 'models/', groups: [], from: 1000, to: 4000, maxPoints: 1e6 });
    // first = ceil(1000 / 30) * 30; the 10-step window needs 10 steps before it (counters one more than gauges).
    expect(plan.first).toBe(1020);
    expect(plan.start).toBe(720);
    expect(plan.end).toBe(3990);
    expect(plan.step).toBe(30);
    // (3990 - 720) / 30 + 1 = 110 steps x 5 features
    expect(plan.points).toBe(550);
  });

  it('refuses a range above the point budget and says how far to narrow it', () => {
    // Budget 500 over 5 features: 100 steps, 99 intervals of 30 s minus 300 s of history = 2670 s = 44 min.
    expect(() =>
      planScoring([cpu, network], { source: 'models/', groups: [], from: 1000, to: 4000, maxPoints: 500 })
    ).toThrow(
      'this range needs 110 steps x 5 features = 550 points, more than the 500 this data source scores in a browser tab: ' +
        'narrow the time range to at most 44 min, select fewer groups, or raise "Point budget" in the data source settings'
    );
  });

  it('scores only the groups asked for, and names the groups there are when one has no model', () => {
    expect(
      planScoring([cpu, network], { source: 'models/', groups: ['network'], from: 0, to: 60, maxPoints: 1e6 }).models
    ).toEqual([network]);
    expect(() =>
      planScoring([cpu, network], { source: 'models/', groups: ['disk', 'cpu'], from: 0, to: 60, maxPoints: 1e6 })
    ).toThrow('no model for group(s) disk; the models have cpu, network');
  });

  it('reads what training read: the query set stored in the manifests, with the values training gave its variables', () => {
    const queries = {
      version: 1 as const,
      variables: { instance: '.+' },
      groups: { cpu: ['x{namespace="$namespace"}'], memory: ['y'] },
    };
    const stored = { queries, variables: { namespace: 'vims' } };
    const cpuStored = fakeModel(manifest({ group: 'cpu', querySet: stored }));
    const memoryStored = fakeModel(manifest({ group: 'memory', querySet: stored }));
    const plan = planScoring([cpuStored, memoryStored], {
      source: 'models/',
      groups: ['cpu'],
      from: 0,
      to: 60,
      maxPoints: 1e6,
    });
    // The whole set: groups are made over every feature read, as in training.
    expect(plan.query.querySet.groups).toEqual(queries.groups);
    expect(plan.query.variables).toEqual({ namespace: 'vims' });
    expect(plan.query.features).toBeUndefined();
    expect(planVariables(plan)).toEqual(['namespace']);
  });

  it("reads exactly the selected models' features when they were trained from CSV", () => {
    const plan = planScoring([cpu, network], {
      source: 'models/',
      groups: ['network'],
      from: 0,
      to: 60,
      maxPoints: 1e6,
    });
    expect(plan.query.features).toEqual(new Set(['network_0', 'network_1']));
    expect(plan.query.querySet.groups).toEqual({
      network: ['max by (__name__) (network_0)', 'max by (__name__) (network_1)'],
    });
    expect(plan.query.source).toBe('models/ (its feature names)');
  });
});

describe('inChunks', () => {
  it('reconstructs in chunks and returns them in order', async () => {
    const model = fakeModel(manifest({ group: 'cpu', window: 2 }), (w) => w.map((v) => v * 2));
    const windows = Float32Array.from({ length: 10 }, (_, i) => i); // 5 windows of 2 steps x 1 feature
    const out = await inChunks(model, 2, undefined).reconstruct(windows, 5);
    expect(Array.from(out)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(model.calls).toEqual([2, 2, 1]);
  });

  it('stops between chunks once the query is cancelled', async () => {
    const controller = new AbortController();
    const model = fakeModel(manifest({ group: 'cpu', window: 2 }), (w) => {
      controller.abort();
      return new Float32Array(w.length);
    });
    await expect(inChunks(model, 1, controller.signal).reconstruct(new Float32Array(6), 3)).rejects.toThrow(
      'cancelled'
    );
    expect(model.calls).toEqual([1]);
  });

  it('stops at once when the query is cancelled while a chunk is still with the workers', async () => {
    const controller = new AbortController();
    const model = fakeModel(manifest({ group: 'cpu', window: 2 }), (w) => new Float32Array(w.length));
    // A chunk that never comes back, as one still running on a worker.
    const pending = { ...model, reconstruct: () => new Promise<Float32Array>(() => undefined) };
    const run = inChunks(pending, 1, controller.signal).reconstruct(new Float32Array(6), 3);
    controller.abort();
    await expect(run).rejects.toThrow('cancelled');
  });
});

describe('runScoring', () => {
  // Window 2 at 30 s; a counter scaled by 10 and a gauge scaled by 100; the model reconstructs zeros.
  const m = manifest({
    group: 'cpu',
    window: 2,
    features: [
      { name: 'a_total{ns="vims"}', kind: 'counter', min: 0, max: 10 },
      { name: 'g', kind: 'gauge', min: 0, max: 100 },
    ],
    querySet: { queries: { version: 1, groups: { cpu: ['a_total{ns="$namespace"}', 'g', 'absent'] } }, variables: {} },
    threshold: { method: 'quantile', quantile: 0.99, value: 0.6 },
  });
  const client = fakeClient((query, range) => {
    if (query === 'a_total{ns="vims"}') {
      return [series({ __name__: 'a_total', ns: 'vims' }, range, [0, 5, 10, 20, 30])];
    }
    return query === 'g' ? [series({ __name__: 'g' }, range, [0, 50, 100, 50, 0])] : [];
  });

  it('scores the features read from Prometheus with the core pipeline, from the first step of the range', async () => {
    const plan = planScoring([fakeModel(m)], { source: 'models/', groups: [], from: 60, to: 120, maxPoints: 1e6 });
    const outcome = await runScoring(client, plan, { vars: { namespace: 'vims' }, chunk: 8, now: () => 0 });
    expect(client.queries).toContain('a_total{ns="vims"}');
    // Scaled increments of a: NaN .5 .5 1 1; scaled g: 0 .5 1 .5 0; MSE of the last step against zeros.
    expect(outcome.scores.map((s) => [s.t, s.mse, s.anomalous])).toEqual([
      [60, (0.25 + 1) / 2, true],
      [90, (1 + 0.25) / 2, true],
      [120, 0.5, false],
    ]);
    expect(outcome.scores[0].features.map((f) => f.name)).toEqual(['g', 'a_total{ns="vims"}']);
    expect(outcome.empty).toEqual([{ group: 'cpu', query: 'absent' }]);
    expect(outcome.outOfRange).toEqual([]);
  });

  it('names the queries that matched nothing when the models miss features', async () => {
    const plan = planScoring([fakeModel(m)], { source: 'models/', groups: [], from: 60, to: 120, maxPoints: 1e6 });
    const empty = fakeClient(() => []);
    await expect(runScoring(empty, plan, { vars: { namespace: 'vims' }, chunk: 8 })).rejects.toThrow(
      /the data lacks 2 feature\(s\).*3 queries matched no series in the range \(with namespace="vims"\): `a_total\{ns="vims"\}`, `g`, `absent`; check the namespace/
    );
  });

  it('reads nothing when the range holds no step of the grid', async () => {
    const plan = planScoring([fakeModel(m)], { source: 'models/', groups: [], from: 61, to: 89, maxPoints: 1e6 });
    const silent = fakeClient(() => []);
    expect((await runScoring(silent, plan, { vars: {}, chunk: 8 })).scores).toEqual([]);
    expect(silent.queries).toEqual([]);
  });
});

describe('dataStepHint', () => {
  const matrix = (columns: number[][]): FeatureMatrix => ({
    timestamps: Float64Array.from(columns[0], (_, i) => i * 30),
    features: columns.map((_, j) => `c${j}_total`),
    columns: columns.map((c) => Float64Array.from(c)),
  });

  it('finds counters that change only every other step', () => {
    expect(
      dataStepHint(
        matrix([
          [0, 0, 2, 2, 4, 4, 6, 6, 8],
          [1, 1, 3, 3, 5, 5, 7, 7, 9],
        ]),
        30
      )
    ).toBe(60);
  });

  it('says nothing when counters change at every step', () => {
    expect(
      dataStepHint(
        matrix([
          [0, 1, 2, 3, 4, 5],
          [0, 2, 4, 6, 8, 10],
        ]),
        30
      )
    ).toBeUndefined();
  });
});

describe('fetchKpi', () => {
  const plan = planScoring([cpu], { source: 'models/', groups: [], from: 300, to: 360, maxPoints: 1e6 });

  it('reads the KPI on the grid of the scores', async () => {
    const client = fakeClient((_q, range) => [series({}, range, [1, 2, 3])]);
    const kpi = await fetchKpi(client, 'sum(sipp_failed_calls)', plan);
    expect(Array.from(kpi.t)).toEqual([300, 330, 360]);
    expect(kpi.name).toBe('sum(sipp_failed_calls)');
    expect(kpi.note).toBeUndefined();
  });

  it('uses the first series of several and asks for an aggregate', async () => {
    const client = fakeClient((_q, range) => [series({ pod: 'a' }, range, [1]), series({ pod: 'b' }, range, [2])]);
    expect((await fetchKpi(client, 'sipp_failed_calls', plan)).note).toMatch(
      /returns 2 series; the radiography uses \{pod="a"\}: aggregate/
    );
  });

  it('says when the KPI query returns nothing', async () => {
    expect(
      (
        await fetchKpi(
          fakeClient(() => []),
          'x',
          plan
        )
      ).note
    ).toMatch(/returned no series in the range/);
  });
});
