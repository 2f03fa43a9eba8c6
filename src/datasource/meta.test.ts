import { SyrrocaError } from '../core/errors';
import { PrometheusError } from '../prom';
import { queryError, runMeta } from './meta';
import { planScoring, type ScoringOutcome } from './scoring';
import { fakeModel, manifest } from './testing/fixtures';

const plan = planScoring([fakeModel(manifest({ group: 'cpu' }))], {
  source: 'models/',
  groups: [],
  from: 0,
  to: 270,
  maxPoints: 1e6,
});
const score = (t: number) => ({ t, group: 'cpu', mse: 0.1, threshold: 0.5, anomalous: false, features: [] });
const outcome: ScoringOutcome = {
  // 8 of the 10 steps 0, 30, ..., 270 scored.
  scores: [0, 30, 60, 90, 120, 150, 240, 270].map(score),
  outOfRange: [{ group: 'cpu', features: ['cpu_a'] }],
  empty: [],
  timings: { prometheusMs: 250, scoringMs: 1500 },
};

describe('runMeta', () => {
  it('says which backend scored, how long it took, and why another backend was passed over', () => {
    const meta = runMeta(
      {
        runtime: {
          backend: 'wasm',
          fallbacks: ['WebGL is not available in this browser (disabled, blocked, or no GPU context)'],
        },
        verified: true,
        loadMs: 900,
      },
      plan,
      outcome
    );
    expect(meta.notices?.map((n) => [n.severity, n.text])).toEqual([
      [
        'warning',
        'WebGL is not available in this browser (disabled, blocked, or no GPU context); scoring with WebAssembly instead',
      ],
      [
        'info',
        'cpu: 10 steps of 30 s scored on WebAssembly in 1.50 s (Prometheus 0.25 s, loading tfjs and models 0.90 s)',
      ],
      ['info', 'cpu: 2 of 10 steps not scored, their window holds missing values (gaps are never filled)'],
      ['info', 'cpu: 1 feature(s) outside their training range (cpu_a)'],
    ]);
    expect(meta.stats?.map((s) => [s.displayName, s.value])).toEqual([
      ['Prometheus', 250],
      ['Scoring (wasm)', 1500],
      ['Loading tfjs and models', 900],
    ]);
    expect(meta.custom?.syrroca).toMatchObject({ backend: 'wasm', step: 30, steps: 10, groups: ['cpu'] });
  });

  it('says how many Web Workers scored, or why the SIMD kernels scored on the page instead', () => {
    const on = runMeta({ runtime: { backend: 'simd', fallbacks: [], workers: 2 }, verified: true }, plan, outcome);
    expect(on.notices?.[0].text).toMatch(
      /^cpu: 10 steps of 30 s scored on WebAssembly SIMD kernels \(2 Web Workers\) in 1\.50 s/
    );
    expect(on.custom?.syrroca).toMatchObject({ backend: 'simd', workers: 2 });
    const problem = 'Web Workers could not start from kernels.worker.js (blocked)';
    const off = runMeta(
      { runtime: { backend: 'simd', fallbacks: [], workers: 0, workersProblem: problem }, verified: true },
      plan,
      outcome
    );
    expect(off.notices?.slice(0, 2).map((n) => [n.severity, n.text])).toEqual([
      ['warning', problem],
      ['info', expect.stringMatching(/^cpu: 10 steps of 30 s scored on WebAssembly SIMD kernels in 1\.50 s/)],
    ]);
  });

  it('warns when the hashes could not be checked and when the data is coarser than the step', () => {
    const meta = runMeta({ runtime: { backend: 'webgl', fallbacks: [] }, verified: false }, plan, {
      ...outcome,
      dataStep: 60,
      outOfRange: [],
    });
    expect(meta.notices?.filter((n) => n.severity === 'warning').map((n) => n.text)).toEqual([
      'the models were not checked against their content hashes: this page is not a secure context (serve Grafana over HTTPS)',
      'the data changes only every ~60 s but the models read it every 30 s, so counter increments alternate between 0 and bursts ' +
        'the models never saw: train at the scrape interval (--step 60) or scrape faster',
    ]);
  });
});

describe('queryError', () => {
  it("blames Grafana's data proxy when Prometheus is unreachable from Grafana's server", () => {
    const err = new PrometheusError('prom-server-error', 'Prometheus at api/... failed with HTTP 502', 502);
    expect(queryError(err, 'A', 'Prometheus').message).toBe(
      'Grafana cannot reach the Prometheus of data source "Prometheus" (HTTP 502 from its data proxy): ' +
        "check that data source's URL with Save & test, and that Prometheus is running"
    );
  });

  it('keeps the message of a problem the user can act on, with its code for the query editor', () => {
    const error = queryError(
      new SyrrocaError('artifact-mismatch', 'models/cpu/: the data lacks 1 feature(s)'),
      'B',
      'P'
    );
    expect(error).toEqual({
      refId: 'B',
      message: 'models/cpu/: the data lacks 1 feature(s)',
      data: { message: 'models/cpu/: the data lacks 1 feature(s)', error: 'artifact-mismatch' },
    });
  });
});
