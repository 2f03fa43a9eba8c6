/**
 * The Prometheus client against a real Prometheus (Debian's `prometheus` 2.x, started on a free
 * loopback port with data backfilled by promtool), and against a stub server for the faults a real
 * one does not produce on demand.
 */
import { createPrometheusClient, PrometheusError } from '../src/prom/client';
import { seriesToMatrix } from '../src/prom/matrix';
import { DEFAULT_QUERY_SET, expandQuerySet, fetchQuerySet } from '../src/prom/querySet';
import type { PromSeries } from '../src/prom/types';
import {
  describeWithPrometheus,
  startPrometheus,
  startStubServer,
  stub,
  toOpenMetrics,
  usePrometheus,
  type MetricFamily,
} from './helpers/prometheus';

const STEP = 30;
const STEPS = 241;
/** Two hours of data ending three hours ago, on the 30 s grid: recent, so retention keeps it. */
const T0 = Math.floor(Date.now() / 1000 / 3600) * 3600 - 5 * 3600;
const RANGE = { start: T0, end: T0 + (STEPS - 1) * STEP, step: STEP };
const at = (i: number) => T0 + i * STEP;
const indices = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

/** A counter that restarts at step 100 (back to 3), counting 10 per step. */
const requests = (i: number) => (i < 100 ? 10 * i : 3 + 10 * (i - 100));
/** A gauge with a 20-minute gap at steps 120..159 and NaN, +Inf, -Inf at steps 50..52. */
const GAP = { from: 120, to: 160 };
const temperature = (i: number) => (i === 50 ? Infinity : i === 51 ? NaN : i === 52 ? -Infinity : 20 + (i % 7) / 4);
const gaugeSteps = indices(0, STEPS).filter((i) => i < GAP.from || i >= GAP.to);

const NOTE = 'say "hi"\\ \n bye';

const families: MetricFamily[] = [
  {
    name: 'vims_requests',
    type: 'counter',
    series: [
      { labels: { namespace: 'ims', pod: 'sprout-0' }, samples: indices(0, STEPS).map((i) => [at(i), requests(i)]) },
    ],
  },
  {
    name: 'vims_temperature',
    type: 'gauge',
    series: [
      {
        labels: { namespace: 'ims', pod: 'bono-0', note: NOTE },
        samples: gaugeSteps.map((i) => [at(i), temperature(i)]),
      },
    ],
  },
  // cAdvisor and node-exporter look-alikes for the default query set.
  {
    name: 'container_cpu_usage_seconds',
    type: 'counter',
    series: [
      // The container restarts: the old cgroup stops at step 99, the new one starts at step 95 from 0.
      ...[
        { id: '/kubepods/old', name: 'k8s_sprout_old', from: 0, to: 100, value: (i: number) => 100 + i },
        { id: '/kubepods/new', name: 'k8s_sprout_new', from: 95, to: STEPS, value: (i: number) => i - 95 },
      ].map(({ id, name, from, to, value }) => ({
        labels: { namespace: 'ims', pod: 'sprout-0', container: 'sprout', id, name, image: 'sprout:1' },
        samples: indices(from, to).map((i): [number, number] => [at(i), value(i)]),
      })),
      { labels: { namespace: 'ims', pod: 'sprout-0', container: 'POD', id: '/kubepods/pause' }, samples: [[at(0), 1]] },
      { labels: { namespace: 'ims', pod: 'sprout-0', id: '/kubepods/pod' }, samples: [[at(0), 1]] },
      { labels: { namespace: 'other', pod: 'x-0', container: 'x', id: '/kubepods/x' }, samples: [[at(0), 1]] },
    ],
  },
  {
    name: 'container_memory_working_set_bytes',
    type: 'gauge',
    series: [
      {
        labels: { namespace: 'ims', pod: 'sprout-0', container: 'sprout', id: '/kubepods/new', image: 'sprout:1' },
        samples: indices(0, STEPS).map((i) => [at(i), 2 ** 20 * (50 + (i % 3))]),
      },
    ],
  },
  {
    name: 'node_cpu_seconds',
    type: 'counter',
    series: ['0', '1'].map((cpu) => ({
      labels: { instance: 'server-1', job: 'node', cpu, mode: 'user' },
      samples: indices(0, STEPS).map((i): [number, number] => [at(i), cpu === '0' ? i : 2 * i]),
    })),
  },
  {
    name: 'node_network_receive_bytes',
    type: 'counter',
    series: ['eno1', 'lo', 'veth1234'].map((device) => ({
      labels: { instance: 'server-1', device },
      samples: indices(0, STEPS).map((i): [number, number] => [at(i), 1000 * i]),
    })),
  },
];

const onGrid = (steps: number[], value: (i: number) => number) => ({
  timestamps: steps.map(at),
  values: steps.map(value),
});
const plain = (s: PromSeries) => ({ timestamps: Array.from(s.timestamps), values: Array.from(s.values) });

describeWithPrometheus('the client against a real Prometheus (lookback shorter than the step)', () => {
  // With samples on the grid and a 15 s lookback, each step sees only its own sample: query_range
  // returns exactly what was backfilled, and gaps are missing steps from their first step on.
  const prometheus = usePrometheus(() => ({ openMetrics: toOpenMetrics(families), lookbackDelta: '15s' }));
  const client = () => createPrometheusClient({ baseUrl: prometheus.url, backoffMs: 10 });

  it('answers the health check with its version', async () => {
    expect((await client().buildInfo()).version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('returns exactly the backfilled values on the grid: a counter reset kept raw, a gap missing, NaN and infinities', async () => {
    const [counter] = await client().queryRange('vims_requests_total', RANGE);
    expect(counter.metric).toEqual({ __name__: 'vims_requests_total', namespace: 'ims', pod: 'sprout-0' });
    expect(plain(counter)).toEqual(onGrid(indices(0, STEPS), requests));
    const [gauge] = await client().queryRange('vims_temperature', RANGE);
    expect(gauge.metric.note).toBe(NOTE);
    expect(plain(gauge)).toEqual(onGrid(gaugeSteps, temperature));
  });

  it('gives the same series when the range is cut into many requests', async () => {
    const whole = await client().queryRange('{namespace="ims", __name__=~"vims_.*"}', RANGE);
    const chunked = await createPrometheusClient({ baseUrl: prometheus.url, maxPointsPerSeries: 7 }).queryRange(
      '{namespace="ims", __name__=~"vims_.*"}',
      RANGE
    );
    expect(whole.length).toBe(2);
    expect(chunked.map(plain)).toEqual(whole.map(plain));
  });

  it('turns the series into features named canonically, with NaN at missing steps', async () => {
    const matrix = seriesToMatrix(await client().queryRange('{__name__=~"vims_.*"}', RANGE), RANGE);
    expect(matrix.features).toEqual([
      'vims_requests_total{namespace="ims",pod="sprout-0"}',
      'vims_temperature{namespace="ims",note="say \\"hi\\"\\\\ \\n bye",pod="bono-0"}',
    ]);
    expect(matrix.timestamps.length).toBe(STEPS);
    expect(Array.from(matrix.columns[1].subarray(GAP.from, GAP.to)).every(Number.isNaN)).toBe(true);
    expect(matrix.columns[1][GAP.to]).toBe(temperature(GAP.to));
  });

  it('rejects bad PromQL with the query and the message of Prometheus', async () => {
    const err = await client()
      .queryRange('sum(rate(vims_requests_total[5m])', RANGE)
      .catch((e) => e);
    expect(err).toBeInstanceOf(PrometheusError);
    expect(err.code).toBe('prom-bad-query');
    expect(err.message).toMatch(
      new RegExp(
        `^Prometheus at ${prometheus.url} rejected query \`sum\\(rate\\(vims_requests_total\\[5m\\]\\)\`: bad_data: .*parse error.*; fix the query$`
      )
    );
  });

  it('returns no series for a query that matches nothing', async () => {
    expect(await client().queryRange('vims_requests_total{namespace="nowhere"}', RANGE)).toEqual([]);
  });

  it('lists the values of a label', async () => {
    expect(await client().labelValues('namespace')).toEqual(['ims', 'other']);
  });

  it('keeps a hostile namespace inside its label value, where a naive substitution would inject vector(1)', async () => {
    const template = {
      version: 1 as const,
      groups: { memory: ['container_memory_working_set_bytes{namespace="$namespace"}'] },
    };
    const hostile = 'ims"} or vector(1) or x{a="';
    const naive = template.groups.memory[0].replace('$namespace', hostile);
    expect((await client().queryRange(naive, RANGE)).some((s) => Object.keys(s.metric).length === 0)).toBe(true);
    const safe = expandQuerySet(template, { namespace: hostile }).groups.memory[0];
    expect(await client().queryRange(safe, RANGE)).toEqual([]);
  });

  it('matches a namespace in a regex matcher literally', async () => {
    const template = {
      version: 1 as const,
      groups: { memory: ['container_memory_working_set_bytes{namespace=~"$namespace"}'] },
    };
    const query = (namespace: string) =>
      client().queryRange(expandQuerySet(template, { namespace }).groups.memory[0], RANGE);
    expect(await query('.*')).toEqual([]);
    expect((await query('ims')).length).toBe(1);
  });

  it('reads the default query set for one namespace: stable names, restarts followed, pause and other namespaces left out', async () => {
    const progress: number[] = [];
    const data = await fetchQuerySet(
      client(),
      DEFAULT_QUERY_SET,
      { start: RANGE.start, end: RANGE.end },
      { namespace: 'ims' },
      {
        onProgress: (done) => progress.push(done),
      }
    );
    expect(data.matrix.features).toEqual([
      'container_cpu_usage_seconds_total{container="sprout",namespace="ims",pod="sprout-0"}',
      'node_cpu_seconds_total{instance="server-1",mode="user"}',
      'container_memory_working_set_bytes{container="sprout",namespace="ims",pod="sprout-0"}',
      'node_network_receive_bytes_total{device="eno1",instance="server-1"}',
    ]);
    expect(data.groups).toEqual(['cpu', 'cpu', 'memory', 'network']);
    const cpu = Array.from(data.matrix.columns[0]);
    // max over the two cgroups: the old one until it ends, then the new one (a drop the core reads as a reset).
    expect(cpu).toEqual(indices(0, STEPS).map((i) => (i < 100 ? 100 + i : i - 95)));
    expect(Array.from(data.matrix.columns[1])).toEqual(indices(0, STEPS).map((i) => 3 * i));
    const total = Object.values(DEFAULT_QUERY_SET.groups).flat().length;
    expect(data.empty.length).toBe(total - 4);
    expect(data.empty).toContainEqual({
      group: 'filesystem',
      query: expect.stringContaining('container_fs_usage_bytes'),
    });
    expect(progress[progress.length - 1]).toBe(total);
  });
});

describeWithPrometheus('the client against a real Prometheus with the default 5-minute lookback', () => {
  const prometheus = usePrometheus(() => ({ openMetrics: toOpenMetrics(families) }));

  it('repeats the last value into a gap for up to 5 minutes, then leaves the steps missing', async () => {
    const [gauge] = await createPrometheusClient({ baseUrl: prometheus.url }).queryRange('vims_temperature', RANGE);
    const byStep = new Map(Array.from(gauge.timestamps, (t, k) => [(t - T0) / STEP, gauge.values[k]]));
    const last = temperature(GAP.from - 1);
    // Steps 120..128 are less than 5 min after the sample of step 119, 130..159 more; 129 is exactly
    // 5 min after (inside in Prometheus 2, outside in 3), so it is not asserted.
    expect(indices(GAP.from, GAP.from + 9).map((i) => byStep.get(i))).toEqual(Array(9).fill(last));
    expect(indices(GAP.from + 10, GAP.to).some((i) => byStep.has(i))).toBe(false);
    expect(byStep.get(GAP.to)).toBe(temperature(GAP.to));
  });
});

describeWithPrometheus('a Prometheus that stops while in use', () => {
  it('gives the unreachable error naming its URL', async () => {
    const prometheus = await startPrometheus();
    try {
      const client = createPrometheusClient({ baseUrl: prometheus.url, retries: 1, backoffMs: 10 });
      await client.buildInfo();
      await prometheus.stop();
      const err = await client.queryRange('up', RANGE).catch((e) => e);
      expect(err).toBeInstanceOf(PrometheusError);
      expect(err.code).toBe('prom-unreachable');
      expect(err.message).toMatch(
        new RegExp(
          `^cannot reach Prometheus at ${prometheus.url} for query \`up\`: .*ECONNREFUSED.* \\(2 attempts\\); check the URL`
        )
      );
    } finally {
      await prometheus.stop();
    }
  }, 60_000);
});

describe('the client against a stub server', () => {
  const matrix = {
    status: 'success',
    data: { resultType: 'matrix', result: [{ metric: { __name__: 'up' }, values: [[RANGE.start, '1']] }] },
  };

  it('recovers from a 500 by retrying', async () => {
    const server = await startStubServer(
      stub.json(500, { status: 'error', errorType: 'internal', error: 'boom' }),
      stub.json(200, matrix)
    );
    try {
      const [series] = await createPrometheusClient({ baseUrl: server.url, backoffMs: 10 }).queryRange('up', RANGE);
      expect(Array.from(series.values)).toEqual([1]);
      expect(server.requests.map((r) => [r.method, r.url])).toEqual([
        ['POST', '/api/v1/query_range'],
        ['POST', '/api/v1/query_range'],
      ]);
    } finally {
      await server.close();
    }
  });

  it('gives the timeout error for a response slower than the timeout', async () => {
    const server = await startStubServer(stub.hang());
    try {
      const err = await createPrometheusClient({ baseUrl: server.url, timeoutMs: 200, retries: 0 })
        .queryRange('slow_query', RANGE)
        .catch((e) => e);
      expect(err.code).toBe('prom-timeout');
      expect(err.message).toBe(
        `Prometheus at ${server.url} did not answer query \`slow_query\` within 0.2 s: narrow the range, raise the step, or raise the timeout if Prometheus is just slow`
      );
    } finally {
      await server.close();
    }
  });

  it('reports truncated JSON as malformed', async () => {
    const text = JSON.stringify(matrix);
    const server = await startStubServer(stub.truncated(text, 60));
    try {
      const err = await createPrometheusClient({ baseUrl: server.url })
        .queryRange('up', RANGE)
        .catch((e) => e);
      expect(err.code).toBe('prom-malformed');
      expect(err.message).toMatch(/not JSON .* after 60 characters, the response may have been cut off/);
    } finally {
      await server.close();
    }
  });

  it('retries a connection dropped in the middle of the body, then says the response was cut off', async () => {
    const text = JSON.stringify(matrix);
    const server = await startStubServer(stub.cutOff(text, 40));
    try {
      const err = await createPrometheusClient({ baseUrl: server.url, retries: 1, backoffMs: 10 })
        .queryRange('up', RANGE)
        .catch((e) => e);
      expect(server.requests.length).toBe(2);
      expect(err.code).toBe('prom-malformed');
      expect(err.message).toMatch(/cut off its response .* while answering query `up` \(2 attempts\)/);
    } finally {
      await server.close();
    }
  });
});
