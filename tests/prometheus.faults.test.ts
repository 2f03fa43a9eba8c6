/**
 * What `syrroca serve` and `syrroca score --prometheus` do when Prometheus misbehaves, against a
 * stub Prometheus that answers range queries from a formula and can be switched to a fault: a 500,
 * a response slower than the timeout, a query matching no series, a counter reset, a series missing.
 * Each fault gives the documented behaviour and message, and the exporter recovers by itself.
 */
import type { IncomingMessage, ServerResponse } from 'http';
import { readFileSync } from 'fs';
import { join } from 'path';

import { metricName, parseSeriesName } from '../src/core/features';
import { runCli, startExporter, tempDir, type RunningCli } from './helpers/cli';
import { freePort, startStubServer, type StubServer } from './helpers/prometheus';
import { writeSyntheticModels } from './helpers/models';
import { SYNTHETIC_FEATURES } from './helpers/synthetic';
import { waitFor } from './helpers/wait';

type Mode = 'ok' | 'reset' | 'error' | 'slow' | 'no-series' | 'missing-series';

const MISSING = 'container_cpu_usage_seconds_total{pod="b"}';

/**
 * Every feature of the synthetic data, constant in its model input: counters grow by 10 per
 * second (in `reset` mode they restart every 4 s, dropping to 10, so the increment stays 10 when
 * the drop is read as a restart), gauges hold a value per feature.
 */
function value(feature: string, t: number, mode: Mode): number {
  const j = SYNTHETIC_FEATURES.indexOf(feature);
  if (metricName(feature).endsWith('_total')) {
    return mode === 'reset' ? 10 * ((t % 4) + 1) : 10 * t;
  }
  return 1e6 * (1 + j / 10);
}

describe('Prometheus faults', () => {
  const dir = tempDir('faults');
  const models = join(dir.path, 'models');
  let mode: Mode = 'ok';
  let prometheus: StubServer;
  let exporter: RunningCli;
  let exporterUrl = '';

  /** Answers query_range for the synthetic features whose metric the query selects (derived queries name one metric each). */
  function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
    if (mode === 'slow') {
      return;
    }
    const json = (status: number, payload: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (mode === 'error') {
      return json(500, { status: 'error', errorType: 'internal', error: 'boom' });
    }
    const params = new URLSearchParams(body);
    const query = params.get('query') ?? '';
    const [start, end, step] = ['start', 'end', 'step'].map((p) => Number(params.get(p)));
    const metrics = [...query.matchAll(/\(([a-zA-Z_:][a-zA-Z0-9_:]*)[{)]/g)].map((m) => m[1]);
    const metric = metrics[metrics.length - 1];
    const result = SYNTHETIC_FEATURES.filter((f) => metricName(f) === metric)
      .filter(
        (f) => !(mode === 'no-series' && metric === 'node_load1') && !(mode === 'missing-series' && f === MISSING)
      )
      .map((f) => {
        const values: Array<[number, string]> = [];
        for (let t = start; t <= end + 1e-9; t += step) {
          values.push([t, String(value(f, t, mode))]);
        }
        return { metric: { __name__: metric, ...parseSeriesName(f).labels }, values };
      });
    json(200, { status: 'success', data: { resultType: 'matrix', result } });
  }

  const metricsText = async () => (await fetch(`${exporterUrl}/metrics`)).text();
  const series = (text: string) =>
    text.split('\n').filter((l) => /^syrroca_(reconstruction_error|anomalous)\{/.test(l));
  /** Waits until the exporter has scored a window that ends after now (so entirely in the current mode). */
  async function scoredAfterNow(): Promise<string> {
    const since = Date.now() / 1000 + 1;
    await waitFor(
      'a scoring step after the switch',
      async () => {
        const health = await (await fetch(`${exporterUrl}/healthz`)).json();
        return health.lastStep !== null && Date.parse(health.lastStep) / 1000 >= since + 5;
      },
      { timeoutMs: 30_000, describe: () => exporter.logs() }
    );
    return metricsText();
  }

  let nominal: string[] = [];

  beforeAll(async () => {
    await writeSyntheticModels(models);
    prometheus = await startStubServer(answer);
    const port = await freePort();
    exporterUrl = `http://127.0.0.1:${port}`;
    exporter = await startExporter({ prometheus: prometheus.url, models, port, timeout: 3 });
  }, 120_000);

  afterAll(async () => {
    await exporter?.stop('SIGKILL');
    await prometheus?.close();
    dir.remove();
  });

  describe('syrroca serve', () => {
    it('scores every group when Prometheus answers', async () => {
      const text = await scoredAfterNow();
      expect(text).toMatch(/^syrroca_up 1$/m);
      nominal = series(text);
      expect(nominal.filter((l) => l.startsWith('syrroca_reconstruction_error'))).toHaveLength(4);
    }, 60_000);

    it('takes the new value as the increment after a counter reset: the same scores, no error', async () => {
      mode = 'reset';
      const text = await scoredAfterNow();
      expect(text).toMatch(/^syrroca_up 1$/m);
      expect(series(text)).toEqual(nominal);
      expect(exporter.logs()).not.toContain('scoring failed');
    }, 60_000);

    it('on a 500: syrroca_up 0, every score withdrawn, one log line naming Prometheus, the query and the status', async () => {
      mode = 'error';
      await waitFor('syrroca_up 0', async () => /^syrroca_up 0$/m.test(await metricsText()));
      expect(series(await metricsText())).toEqual([]);
      const line = await exporter.waitForLog(
        /scoring failed: Prometheus at (\S+) failed query `(.+?)` with HTTP 500 Internal Server Error: (.*)\n/,
        20_000
      );
      expect(line[1]).toBe(prometheus.url);
      expect(line[3]).toBe("internal: boom; check Prometheus' health and logs");
      mode = 'ok';
      await exporter.waitForLog(/scoring recovered: 4 group\(s\) scored/, 20_000);
      expect(series(await scoredAfterNow())).toEqual(nominal);
    }, 60_000);

    it('on a response slower than the timeout: syrroca_up 0 and a log line naming the query and the timeout', async () => {
      mode = 'slow';
      await exporter.waitForLog(
        /scoring failed: Prometheus at \S+ did not answer query `.+?` within 2.7 s: narrow the range, raise the step, or raise the timeout/,
        20_000
      );
      expect(await metricsText()).toMatch(/^syrroca_up 0$/m);
      expect(series(await metricsText())).toEqual([]);
      mode = 'ok';
      await scoredAfterNow();
      expect(await metricsText()).toMatch(/^syrroca_up 1$/m);
    }, 60_000);

    it('when a query matches no series: that group is withdrawn, the others are scored, and the log names the query', async () => {
      mode = 'no-series';
      const text = await scoredAfterNow();
      expect(text).toMatch(/^syrroca_up 0$/m);
      expect(series(text)).toEqual(nominal.filter((l) => !l.includes('group="cpu"')));
      expect(exporter.logs()).toContain(
        'scoring failed: group cpu: ' +
          `${join(models, 'cpu')}: the data lacks 1 feature(s) the model was trained on: node_load1; ` +
          'queries that matched no series: `max by (__name__) (node_load1)`\n'
      );
    }, 60_000);

    it('when a series is missing: that group is withdrawn and the log names the feature', async () => {
      mode = 'missing-series';
      const text = await scoredAfterNow();
      expect(text).toMatch(/^syrroca_up 0$/m);
      expect(series(text)).toEqual(nominal.filter((l) => !l.includes('group="cpu"')));
      expect(exporter.logs()).toContain(
        `scoring failed: group cpu: ${join(models, 'cpu')}: the data lacks 1 feature(s) the model was trained on: ${MISSING}\n`
      );
      mode = 'ok';
      expect(series(await scoredAfterNow())).toEqual(nominal);
    }, 60_000);
  });

  describe('the data source options', () => {
    it('refuses conflicting, incomplete or malformed options in one line that says what to give', async () => {
      const out = ['--out', join(dir.path, 'x')];
      const cases: Array<[string[], string]> = [
        [
          ['score', '--csv', 'a.csv', '--prometheus', 'http://p:9090', '--models', models, ...out],
          'syrroca score: --csv and --prometheus are mutually exclusive: read the data from one of them',
        ],
        [
          ['train', '--prometheus', 'http://p:9090', ...out],
          'syrroca train: --prometheus needs the range too: add --from TIME --to TIME (e.g. --from now-6h --to now)',
        ],
        [
          ['train', '--csv', 'a.csv', '--from', 'now-1h', '--namespace', 'vims', ...out],
          'syrroca train: --from, --namespace apply only with --prometheus, not with --csv',
        ],
        [['train', ...out], 'syrroca train: no data: give --csv FILE, or --prometheus URL --from TIME --to TIME'],
        [
          ['train', '--prometheus', 'http://p:9090', '--from', 'yesterday', ...out],
          "error: option '--from <time>' argument 'yesterday' is invalid. must be unix seconds (1714564800), " +
            'RFC 3339 (2024-05-01T12:00:00Z) or now-<duration> (now-6h).',
        ],
        [
          ['score', '--prometheus', 'prometheus:9090', '--from', 'now-1h', '--to', 'now', '--models', models, ...out],
          'syrroca score: --prometheus "prometheus:9090" is not an http(s) URL; give e.g. http://prometheus:9090',
        ],
        [['serve', '--models', models], 'syrroca serve: give the Prometheus to read with --prometheus URL'],
      ];
      const results = await Promise.all(cases.map(([args]) => runCli(args)));
      results.forEach((result, i) => {
        expect(result.code).not.toBe(0);
        expect(result.stderr.split('\n')[0]).toBe(cases[i][1]);
      });
    }, 120_000);

    it('names the URL when nothing answers there', async () => {
      const port = await freePort();
      const result = await runCli([
        'score',
        '--prometheus',
        `http://127.0.0.1:${port}`,
        '--from',
        'now-1m',
        '--to',
        'now',
        '--models',
        models,
        '--out',
        join(dir.path, 'x.jsonl'),
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(
          `^syrroca score: cannot reach Prometheus at http://127\\.0\\.0\\.1:${port} for query \`.+\`: connect ECONNREFUSED .+ \\(4 attempts\\); ` +
            'check the URL and that Prometheus is running and reachable from here\n$'
        )
      );
    }, 60_000);
  });

  describe('syrroca score --prometheus', () => {
    const range = () => {
      const now = Math.floor(Date.now() / 1000);
      return ['--from', String(now - 60), '--to', String(now)];
    };
    const score = (...args: string[]) =>
      runCli([
        'score',
        '--prometheus',
        prometheus.url,
        ...range(),
        '--models',
        models,
        '--out',
        join(dir.path, 's.jsonl'),
        ...args,
      ]);

    it('scores the range and its first step too, fetching the window before it', async () => {
      mode = 'ok';
      const result = await score();
      expect(result.code).toBe(0);
      const lines = readFileSync(join(dir.path, 's.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      // 61 steps from now-60 to now, four groups, every step scored.
      expect(lines).toHaveLength(61 * 4);
      expect(result.stderr).toContain('cpu: 61 steps scored');
    }, 60_000);

    it('fails with one line naming the status after the retries', async () => {
      mode = 'error';
      const result = await score();
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^syrroca score: Prometheus at \S+ failed query `.+` with HTTP 500 Internal Server Error: internal: boom \(4 attempts\); check Prometheus' health and logs\n$/
      );
    }, 60_000);

    it('warns about a query that matched nothing, then names the missing feature', async () => {
      mode = 'no-series';
      const result = await score();
      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(
        /^fetched 11 series of \d+ steps \(10 queries\) from http:\/\/127\.0\.0\.1:\d+ in [\d.]+ s$/
      );
      expect(lines[1]).toMatch(
        /^warning: query of group cpu matched no series from \S+ to \S+: max by \(__name__\) \(node_load1\)$/
      );
      expect(lines[2]).toBe(
        `syrroca score: ${join(models, 'cpu')}: the data lacks 1 feature(s) the model was trained on: node_load1`
      );
    }, 60_000);
  });
});
