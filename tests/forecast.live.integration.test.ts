/**
 * The exporter's forecasting detectors with every real part: the simulator serves its metrics live,
 * real Prometheus scrapes it and `syrroca serve --forecast`, which reads the P-CSCF's CPU seconds back
 * from Prometheus at every step and publishes syrroca_forecast_*{feature}. A CPU stress injected into
 * the P-CSCF makes syrroca_forecast_anomalous 1 for that series.
 */
import { spawnSync } from 'child_process';
import { join } from 'path';
import { stringify } from 'yaml';

import { trainGroups } from '../src/core/pipeline';
import { writeArtifacts } from '../src/node/artifacts';
import { loadTf } from '../src/node/tf';
import { simulate } from '../src/sim';
import { startExporter, startSimulator, tempDir, type RunningCli } from './helpers/cli';
import {
  describeWithPrometheus,
  freePort,
  instantQuery,
  startPrometheus,
  type RunningPrometheus,
} from './helpers/prometheus';
import { waitFor } from './helpers/wait';

const STEP = 2;
const SEED = 7;
/** The P-CSCF (bono) container's CPU seconds: a counter, forecast as per-step increments. */
const BONO_CPU = 'container_cpu_usage_seconds_total{container="bono"}';

describeWithPrometheus('forecasting detectors in the exporter against real Prometheus', () => {
  const dir = tempDir('forecast-live');
  let prometheus: RunningPrometheus;
  let simulator: RunningCli;
  let exporter: RunningCli;
  let simulatorUrl: string;
  let exporterUrl: string;

  const query = (expr: string) => instantQuery(prometheus.url, expr);
  const state = () => `--- exporter ---\n${exporter?.logs()}\n--- simulator ---\n${simulator?.logs()}`;

  beforeAll(async () => {
    // `serve` scores autoencoders too: a small CPU model, trained on a few simulated minutes.
    const tf = await loadTf();
    const { matrix } = simulate({ seed: SEED, hours: 0.1, stepSeconds: STEP, restartsPerWeek: 0 });
    const catalog = { rules: [{ group: 'cpu', patterns: ['^container_cpu_'] }], fallback: null };
    const trained = await trainGroups(tf, matrix, { catalog, exclude: /^sipp_/, epochs: 1, seed: 1 });
    await writeArtifacts(tf, join(dir.path, 'models'), trained);

    const [simulatorPort, exporterPort] = [await freePort(), await freePort()];
    simulatorUrl = `http://127.0.0.1:${simulatorPort}`;
    exporterUrl = `http://127.0.0.1:${exporterPort}`;
    simulator = await startSimulator({ port: simulatorPort, step: STEP, seed: SEED });
    prometheus = await startPrometheus({
      dataDir: join(dir.path, 'prometheus'),
      config: stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        scrape_configs: [
          { job_name: 'syrroca', static_configs: [{ targets: [`127.0.0.1:${exporterPort}`] }] },
          { job_name: 'vims', honor_labels: true, static_configs: [{ targets: [`127.0.0.1:${simulatorPort}`] }] },
        ],
      }),
    });
    exporter = await startExporter({
      prometheus: prometheus.url,
      models: join(dir.path, 'models'),
      port: exporterPort,
      timeout: 10,
      args: [
        '--forecast',
        BONO_CPU,
        '--forecast-step',
        `${STEP}s`,
        // 30 s windows, trained on the minute before: the first forecast after about a minute and a half of data.
        '--forecast-window',
        '15',
        '--forecast-train',
        '30',
      ],
      ready: /forecasting 1 query/,
    });
  }, 240_000);

  afterAll(async () => {
    await Promise.all([exporter?.stop('SIGKILL'), simulator?.stop('SIGKILL')]);
    await prometheus?.stop();
    dir.remove();
  }, 60_000);

  it('publishes the prediction error, threshold and state of the configured series, scraped by Prometheus', async () => {
    await waitFor(
      'syrroca_forecast_up 1 in Prometheus',
      async () => (await query('syrroca_forecast_up == 1')).length === 1,
      {
        timeoutMs: 150_000,
        describe: state,
      }
    );
    const [error] = await query('syrroca_forecast_error');
    expect(error.metric.job).toBe('syrroca');
    expect(error.metric.feature).toMatch(/^container_cpu_usage_seconds_total\{.*container="bono".*\}$/);
    expect(Number(error.value[1])).toBeGreaterThanOrEqual(0);
    const [threshold] = await query('syrroca_forecast_threshold');
    expect(Number(threshold.value[1])).toBeGreaterThan(0);
    expect(await query('syrroca_forecast_anomalous')).toHaveLength(1);
  }, 180_000);

  it("passes promtool check metrics with the exporter's output", async () => {
    const text = await (await fetch(`${exporterUrl}/metrics`)).text();
    expect(text).toMatch(/^syrroca_forecast_error\{feature="container_cpu_usage_seconds_total\{/m);
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('turns syrroca_forecast_anomalous to 1 when the P-CSCF gets a CPU stress', async () => {
    // Nominal: the series is anomalous a small part of the time at most (short windows raise the odd false alarm).
    const [nominal] = await query('avg_over_time(syrroca_forecast_anomalous[1m])');
    expect(Number(nominal.value[1])).toBeLessThan(0.25);
    const injected = Date.now();
    expect((await fetch(`${simulatorUrl}/scenario?name=cpu-stress`, { method: 'POST' })).status).toBe(200);
    // Only what was scraped since the injection counts.
    await waitFor(
      'syrroca_forecast_anomalous 1 in Prometheus after the injection',
      async () => {
        const since = Math.max(1, Math.floor((Date.now() - injected) / 1000));
        return (await query(`max_over_time(syrroca_forecast_anomalous[${since}s]) == 1`)).length > 0;
      },
      { timeoutMs: 60_000, intervalMs: 250, describe: state }
    );
  }, 90_000);
});
