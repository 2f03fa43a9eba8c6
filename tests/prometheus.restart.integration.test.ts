/**
 * A real Prometheus restarted under syrroca: during `train --prometheus` (the fetch retries the
 * requests that failed and the run completes with the same models, or, when Prometheus stays away
 * longer than the retries, fails in one line and writes nothing) and during `serve` (syrroca_up 0
 * and no scores while it is away, syrroca_last_success_timestamp_seconds frozen; then up again by
 * itself, said in the log and the metrics). And staleness markers: a series that a scrape target
 * stops exposing is marked stale by Prometheus at once, and the exporter withdraws its group
 * instead of scoring the last value again. Prometheus scrapes a small target served by this test
 * (its values a function of time), over history backfilled with promtool.
 */
import { readFileSync, writeFileSync, existsSync } from 'fs';
import { createServer, request, type Server } from 'http';
import { join } from 'path';

import { metricName } from '../src/core/features';
import { formatWideCsv } from '../src/core/csv';
import type { Manifest } from '../src/core/types';
import { toOpenMetrics } from '../src/sim';
import { gauge, runCli, startExporter, tempDir, type RunningCli } from './helpers/cli';
import {
  backfill,
  describeWithPrometheus,
  freePort,
  startPrometheus,
  type RunningPrometheus,
} from './helpers/prometheus';
import { SYNTHETIC_FEATURES, synthetic } from './helpers/synthetic';
import { waitFor } from './helpers/wait';

const NOW = Math.floor(Date.now() / 1000);
/** Ten minutes of history at 1 s, ending 15 minutes ago. */
const HISTORY = synthetic({ steps: 600, seed: 3, step: 1, start: NOW - 1500 });
const FEATURES = SYNTHETIC_FEATURES.filter((f) => !f.startsWith('sipp_'));
const QUERY_SET = {
  version: 1,
  step: '1s',
  groups: Object.fromEntries(
    (
      [
        ['cpu', ['container_cpu_usage_seconds_total', 'node_load1']],
        ['memory', ['container_memory_working_set_bytes', 'container_memory_cache']],
        [
          'network',
          [
            'container_network_receive_bytes_total',
            'container_network_transmit_bytes_total',
            'container_network_receive_packets_total',
          ],
        ],
        [
          'filesystem',
          ['container_fs_reads_bytes_total', 'container_fs_writes_bytes_total', 'container_fs_usage_bytes'],
        ],
      ] as Array<[string, string[]]>
    ).map(([group, metrics]) => [group, metrics.map((m) => `max by (__name__, pod) (${m})`)])
  ),
};

/** The live target: counters grow 100 per second, gauges hold a value per feature. */
function exposition(t: number, hidden: Set<string>): string {
  return FEATURES.filter((f) => !hidden.has(f))
    .map((f, j) => `${f} ${metricName(f).endsWith('_total') ? 100 * t : 1e6 * (1 + j / 10)}`)
    .join('\n')
    .concat('\n');
}

describeWithPrometheus('a Prometheus restart under train and serve', () => {
  const dir = tempDir('restart');
  const path = (name: string) => join(dir.path, name);
  const dataDir = path('prometheus');
  let prometheus: RunningPrometheus;
  let options: Parameters<typeof startPrometheus>[0];
  let target: Server;
  const hidden = new Set<string>();
  let proxy: Server;
  let proxyUrl = '';
  /** Called with the n-th query_range request (1-based) through the proxy, before it is forwarded. */
  let onRequest: (n: number) => Promise<void> = async () => undefined;
  let requests = 0;

  beforeAll(async () => {
    await backfill(toOpenMetrics(HISTORY), dataDir);
    target = createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end(exposition(Date.now() / 1000, hidden));
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
    const targetPort = (target.address() as { port: number }).port;
    options = {
      dataDir,
      config: [
        'global: { scrape_interval: 1s }',
        'scrape_configs:',
        `  - { job_name: target, static_configs: [{ targets: ['127.0.0.1:${targetPort}'] }] }`,
        '',
      ].join('\n'),
    };
    prometheus = await startPrometheus(options);
    options.port = prometheus.port;
    // Forwards to whichever Prometheus runs; a refused or cut connection is cut here too.
    proxy = createServer((req, res) => {
      const forward = () => {
        const upstream = request(
          { host: '127.0.0.1', port: options!.port, path: req.url, method: req.method, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          }
        );
        upstream.on('error', () => res.destroy());
        req.pipe(upstream);
      };
      if (req.url?.startsWith('/api/v1/query_range')) {
        onRequest(++requests).then(forward, () => res.destroy());
      } else {
        forward();
      }
    });
    const proxyPort = await freePort();
    await new Promise<void>((r) => proxy.listen(proxyPort, '127.0.0.1', () => r()));
    proxyUrl = `http://127.0.0.1:${proxyPort}`;
    writeFileSync(path('queries.json'), JSON.stringify(QUERY_SET));
    writeFileSync(path('history.csv'), formatWideCsv(HISTORY));
  }, 120_000);

  afterAll(async () => {
    proxy?.closeAllConnections();
    proxy?.close();
    target?.closeAllConnections();
    target?.close();
    await prometheus?.stop();
    dir.remove();
  }, 30_000);

  const train = (out: string, ...extra: string[]) =>
    runCli([
      'train',
      '--prometheus',
      proxyUrl,
      '--from',
      String(HISTORY.timestamps[0]),
      '--to',
      String(HISTORY.timestamps[HISTORY.timestamps.length - 1]),
      '--query-set',
      path('queries.json'),
      '--window',
      '5',
      '--epochs',
      '1',
      '--seed',
      '4',
      '--out',
      out,
      ...extra,
    ]);
  const manifests = (models: string): Manifest[] =>
    ['cpu', 'memory', 'network', 'filesystem'].map((g) =>
      JSON.parse(readFileSync(join(models, g, 'manifest.json'), 'utf8'))
    );

  it('train: Prometheus restarted in the middle of the fetch; the failed requests are retried and the models are the same', async () => {
    onRequest = async () => undefined;
    const reference = await train(path('reference'));
    expect(reference.code).toBe(0);
    requests = 0;
    let restarted: Promise<void> | undefined;
    onRequest = async (n) => {
      if (n === 4) {
        // Three queries answered; Prometheus goes away under the fourth and comes back.
        await prometheus.stop();
        restarted = startPrometheus(options).then((p) => void (prometheus = p));
      }
    };
    const result = await train(path('restarted'), '--retries', '6');
    await restarted;
    onRequest = async () => undefined;
    if (result.code !== 0) {
      throw new Error(result.stderr);
    }
    expect(requests).toBeGreaterThan(10);
    const [a, b] = [manifests(path('reference')), manifests(path('restarted'))];
    expect(b.map((m) => m.features)).toEqual(a.map((m) => m.features));
    expect(b.map((m) => m.contentHash)).toEqual(a.map((m) => m.contentHash));
    expect(b.map((m) => m.threshold.value)).toEqual(a.map((m) => m.threshold.value));
  }, 240_000);

  it('train: Prometheus away for longer than the retries; one line naming the URL, the query and what to do, nothing written', async () => {
    let back: Promise<void> | undefined;
    requests = 0;
    onRequest = async (n) => {
      if (n === 1) {
        await prometheus.stop();
        back = new Promise((r) => setTimeout(r, 8000)).then(
          async () => void (prometheus = await startPrometheus(options))
        );
      }
    };
    const result = await train(path('failed'), '--retries', '1');
    await back;
    onRequest = async () => undefined;
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').filter((l) => l.startsWith('syrroca train:'))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^syrroca train: cannot reach Prometheus at ${proxyUrl} for query \`max by \\(__name__, pod\\) \\(\\w+\\)\`: .+ \\(2 attempts\\); ` +
            'check the URL and that Prometheus is running and reachable from here$'
        )
      ),
    ]);
    expect(existsSync(path('failed'))).toBe(false);
  }, 120_000);

  describe('serve', () => {
    let exporter: RunningCli;
    let exporterUrl = '';
    const metrics = async () => (await fetch(`${exporterUrl}/metrics`)).text();
    const scores = (text: string) =>
      text.split('\n').filter((l) => /^syrroca_(reconstruction_error|anomalous)\{/.test(l));

    beforeAll(async () => {
      const port = await freePort();
      exporterUrl = `http://127.0.0.1:${port}`;
      exporter = await startExporter({ prometheus: prometheus.url, models: path('reference'), port, timeout: 3 });
      await waitFor('syrroca_up 1', async () => gauge(await metrics(), 'syrroca_up') === 1, {
        timeoutMs: 60_000,
        describe: () => exporter.logs(),
      });
    }, 120_000);

    afterAll(async () => {
      await exporter?.stop('SIGKILL');
    });

    it('Prometheus restarted: up 0 and no scores while it is away, last success frozen; up again by itself', async () => {
      const before = gauge(await metrics(), 'syrroca_last_success_timestamp_seconds');
      expect(before).toBeGreaterThan(NOW - 60);
      await prometheus.stop();
      await waitFor('syrroca_up 0', async () => gauge(await metrics(), 'syrroca_up') === 0, {
        describe: () => exporter.logs(),
      });
      const down = await metrics();
      expect(scores(down)).toEqual([]);
      const frozen = gauge(down, 'syrroca_last_success_timestamp_seconds');
      await new Promise((r) => setTimeout(r, 3000));
      expect(gauge(await metrics(), 'syrroca_last_success_timestamp_seconds')).toBe(frozen);
      expect(exporter.logs()).toContain(`scoring failed: cannot reach Prometheus at ${prometheus.url} for query`);

      prometheus = await startPrometheus(options);
      await waitFor('syrroca_up 1 again', async () => gauge(await metrics(), 'syrroca_up') === 1, {
        timeoutMs: 60_000,
        describe: () => exporter.logs(),
      });
      const up = await metrics();
      expect(gauge(up, 'syrroca_last_success_timestamp_seconds')).toBeGreaterThan(frozen);
      expect(scores(up)).toHaveLength(8);
      expect(exporter.logs()).toMatch(/scoring recovered: 4 group\(s\) scored at /);
    }, 120_000);

    it('a series marked stale by Prometheus: its group is withdrawn at once, not scored on its last value; back when it is', async () => {
      // A settled scrape loop (Prometheus may have just restarted): marks come from comparing scrapes.
      await waitFor('three scrapes of the target', async () => {
        const query = encodeURIComponent('count_over_time(up{job="target"}[5s]) >= 3');
        const body = await (await fetch(`${prometheus.url}/api/v1/query?query=${query}`)).json();
        return body.data.result.length === 1;
      });
      // A feature the memory model uses (training may drop redundant ones).
      const stale = manifests(path('reference'))[1].features[0].name;
      hidden.add(stale);
      // Prometheus' default lookback is 5 minutes: only the staleness marker makes the series vanish this fast.
      await waitFor('the memory group withdrawn', async () => !(await metrics()).includes('group="memory"'), {
        timeoutMs: 30_000,
        describe: () => exporter.logs(),
      });
      const text = await metrics();
      expect(gauge(text, 'syrroca_up')).toBe(0);
      expect(scores(text).filter((l) => l.includes('group="cpu"'))).toHaveLength(2);
      expect(exporter.logs()).toMatch(/scoring failed: group memory: .*(lacks 1 feature|latest window is incomplete)/);
      hidden.delete(stale);
      await waitFor('syrroca_up 1 with memory', async () => gauge(await metrics(), 'syrroca_up') === 1, {
        timeoutMs: 60_000,
        describe: () => exporter.logs(),
      });
      expect(await metrics()).toContain('syrroca_reconstruction_error{group="memory"');
    }, 120_000);
  });
});
