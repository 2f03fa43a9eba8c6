/**
 * Live scoring with every real part: the simulator serves its metrics on a loopback /metrics,
 * Prometheus scrapes it and `syrroca serve`, evaluates the project's alert rules and sends to a
 * real Alertmanager, which posts to a test webhook. A CPU fault injected at a known time fires the
 * group-anomaly alert, which resolves after the fault ends. Then the exporter's own behaviour:
 * Prometheus stopped and restarted, SIGHUP reloads, SIGTERM.
 */
import { spawnSync } from 'child_process';
import { copyFileSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parse, stringify } from 'yaml';

import { trainGroups } from '../src/core/pipeline';
import type { GroupCatalog } from '../src/core/types';
import { writeArtifacts } from '../src/node/artifacts';
import { loadTf } from '../src/node/tf';
import { simulate } from '../src/sim';
import { ALERTMANAGER, startAlertmanager, type RunningAlertmanager } from './helpers/alertmanager';
import { describeWith } from './helpers/binaries';
import { ROOT, startExporter, startSimulator, tempDir, type RunningCli } from './helpers/cli';
import {
  freePort,
  instantQuery,
  startPrometheus,
  startStubServer,
  stub,
  type RunningPrometheus,
  type StubServer,
} from './helpers/prometheus';
import { waitFor } from './helpers/wait';

const STEP = 2;
const SEED = 7;
/**
 * CPU time only. Load averages decay over minutes after a CPU fault (load5 for about 5 minutes):
 * they are left out so that the alert resolves within the test's bounds.
 */
const CPU: GroupCatalog = { rules: [{ group: 'cpu', patterns: ['^container_cpu_', '^node_cpu_'] }], fallback: null };

interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

describeWith(
  ['prometheus', 'promtool', ALERTMANAGER],
  'live scoring, alerting and the exporter against real Prometheus',
  () => {
    const dir = tempDir('live');
    const modelsDir = join(dir.path, 'models');
    const backup = join(dir.path, 'models-backup');
    let prometheus: RunningPrometheus;
    let prometheusOptions: Parameters<typeof startPrometheus>[0];
    let alertmanager: RunningAlertmanager;
    let webhook: StubServer;
    let simulator: RunningCli;
    let exporter: RunningCli;
    let simulatorUrl: string;
    let exporterUrl: string;

    const metricsText = async () => (await fetch(`${exporterUrl}/metrics`)).text();
    const query = (expr: string) => instantQuery(prometheus.url, expr);
    const alertsPosted = (): WebhookAlert[] =>
      webhook.requests.flatMap((r) => (JSON.parse(r.body) as { alerts: WebhookAlert[] }).alerts);
    const state = () =>
      `--- exporter ---\n${exporter?.logs()}\n--- simulator ---\n${simulator?.logs()}\n` +
      `--- webhook ---\n${JSON.stringify(alertsPosted(), null, 1)}`;

    beforeAll(async () => {
      // Models of the CPU group, trained on the 40 simulated minutes before now (same seed as the live run).
      const tf = await loadTf();
      const start = Math.floor((Date.now() / 1000 - 40 * 60) / STEP) * STEP;
      const { matrix } = simulate({ seed: SEED, hours: 0.6, stepSeconds: STEP, start, restartsPerWeek: 0 });
      const trained = await trainGroups(tf, matrix, { catalog: CPU, exclude: /^sipp_/, epochs: 3, seed: 1 });
      await writeArtifacts(tf, modelsDir, trained);
      mkdirSync(join(backup, 'cpu'), { recursive: true });
      for (const file of ['cpu/manifest.json', 'cpu/model.json', 'cpu/weights.bin']) {
        copyFileSync(join(modelsDir, file), join(backup, file));
      }

      webhook = await startStubServer(stub.json(200, {}));
      alertmanager = await startAlertmanager(
        stringify({
          route: {
            receiver: 'test',
            group_by: ['alertname', 'group', 'model'],
            group_wait: '1s',
            group_interval: '1s',
            repeat_interval: '1h',
          },
          receivers: [{ name: 'test', webhook_configs: [{ url: `${webhook.url}/alerts`, send_resolved: true }] }],
        })
      );

      const [simulatorPort, exporterPort] = [await freePort(), await freePort()];
      simulatorUrl = `http://127.0.0.1:${simulatorPort}`;
      exporterUrl = `http://127.0.0.1:${exporterPort}`;
      simulator = await startSimulator({ port: simulatorPort, step: STEP, seed: SEED });

      // The project's rules, with the anomaly held for 3 steps instead of 2 minutes.
      const rules = parse(readFileSync(join(ROOT, 'prometheus/rules/syrroca.yml'), 'utf8'));
      for (const group of rules.groups) {
        for (const rule of group.rules) {
          if (rule.alert === 'SyrrocaGroupAnomaly') {
            rule.for = `${3 * STEP}s`;
          }
        }
      }
      const rulesFile = join(dir.path, 'syrroca.yml');
      writeFileSync(rulesFile, stringify(rules));
      prometheusOptions = {
        dataDir: join(dir.path, 'prometheus'),
        config: stringify({
          global: { scrape_interval: '1s', evaluation_interval: '1s' },
          rule_files: [rulesFile],
          alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${alertmanager.port}`] }] }] },
          scrape_configs: [
            { job_name: 'syrroca', static_configs: [{ targets: [`127.0.0.1:${exporterPort}`] }] },
            // The simulator's node series carry their own `instance`, as node-exporter's do behind a relabeling.
            { job_name: 'vims', honor_labels: true, static_configs: [{ targets: [`127.0.0.1:${simulatorPort}`] }] },
          ],
        }),
      };
      prometheus = await startPrometheus(prometheusOptions);
      prometheusOptions.port = prometheus.port;

      exporter = await startExporter({
        prometheus: prometheus.url,
        models: modelsDir,
        port: exporterPort,
        // Generous for a 2 s step on a busy machine: a slow step comes late instead of being withdrawn.
        timeout: 10,
        args: ['--model-name', 'vims'],
      });
    }, 240_000);

    afterAll(async () => {
      await Promise.all([exporter?.stop('SIGKILL'), simulator?.stop('SIGKILL')]);
      await Promise.all([prometheus?.stop(), alertmanager?.stop(), webhook?.close()]);
      dir.remove();
    }, 60_000);

    it('scores live data every step: Prometheus scrapes syrroca_up 1 and the group error, threshold and top shares', async () => {
      await waitFor('syrroca_up 1 in Prometheus', async () => (await query('syrroca_up == 1')).length === 1, {
        timeoutMs: 90_000,
        describe: state,
      });
      const [error] = await query('syrroca_reconstruction_error');
      expect(error.metric).toMatchObject({ group: 'cpu', model: 'vims', job: 'syrroca' });
      expect(Number(error.value[1])).toBeGreaterThan(0);
      const [threshold] = await query('syrroca_threshold{group="cpu"}');
      const manifest = JSON.parse(readFileSync(join(modelsDir, 'cpu/manifest.json'), 'utf8'));
      expect(Number(threshold.value[1])).toBe(manifest.threshold.value);
      const shares = await query('syrroca_feature_share{group="cpu"}');
      expect(shares).toHaveLength(5);
      expect(shares.every((s) => manifest.features.some((f: { name: string }) => f.name === s.metric.feature))).toBe(
        true
      );
    }, 120_000);

    it("passes promtool check metrics with the exporter's output", async () => {
      const check = spawnSync('promtool', ['check', 'metrics'], { input: await metricsText(), encoding: 'utf8' });
      expect(check.stdout + check.stderr).toBe('');
      expect(check.status).toBe(0);
    });

    it('serves the model artifacts read-only with CORS under /models/', async () => {
      const response = await fetch(`${exporterUrl}/models/cpu/manifest.json`, {
        headers: { Origin: 'http://grafana.test' },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(await response.text()).toBe(readFileSync(join(modelsDir, 'cpu/manifest.json'), 'utf8'));
      expect((await fetch(`${exporterUrl}/models/cpu/manifest.json`, { method: 'PUT' })).status).toBe(405);
    });

    it('fires the group-anomaly alert through Alertmanager to the webhook after a CPU fault, and resolves it after the fault ends', async () => {
      // Nominal for a while: the alert is not firing.
      await new Promise((r) => setTimeout(r, 5 * STEP * 1000));
      expect(await query('ALERTS{alertname="SyrrocaGroupAnomaly",alertstate="firing"}')).toEqual([]);

      const injected = Date.now();
      expect((await fetch(`${simulatorUrl}/scenario?name=cpu-stress`, { method: 'POST' })).status).toBe(200);
      const firing = await waitFor(
        'SyrrocaGroupAnomaly firing at the webhook',
        () => alertsPosted().find((a) => a.labels.alertname === 'SyrrocaGroupAnomaly' && a.status === 'firing'),
        { timeoutMs: 60_000, describe: state }
      );
      const firedAfter = (Date.now() - injected) / 1000;
      expect(firing.labels).toMatchObject({ group: 'cpu', model: 'vims', severity: 'warning' });
      expect(firing.annotations.summary).toBe('Group cpu is anomalous (model vims)');
      // The description lists the top features by their series names.
      expect(firing.annotations.description).toMatch(/Top features: (container|node)_cpu_\w+_seconds_total\{/);

      const ended = Date.now();
      expect((await fetch(`${simulatorUrl}/scenario?name=nominal`, { method: 'POST' })).status).toBe(200);
      await waitFor(
        'SyrrocaGroupAnomaly resolved at the webhook',
        () => alertsPosted().find((a) => a.labels.alertname === 'SyrrocaGroupAnomaly' && a.status === 'resolved'),
        { timeoutMs: 120_000, describe: state }
      );

      console.log(
        `alert fired ${firedAfter.toFixed(1)} s after the fault, resolved ${((Date.now() - ended) / 1000).toFixed(1)} s after its end`
      );
    }, 240_000);

    it('keeps running while Prometheus is down: syrroca_up 0, no stale scores, and recovers by itself', async () => {
      await prometheus.stop();
      await waitFor('syrroca_up 0 on the exporter', async () => /^syrroca_up 0$/m.test(await metricsText()), {
        timeoutMs: 30_000,
        describe: state,
      });
      const text = await metricsText();
      expect(text).not.toMatch(/^syrroca_(reconstruction_error|threshold|anomalous|feature_share)\{/m);
      expect(exporter.logs()).toContain(`scoring failed: cannot reach Prometheus at ${prometheus.url} for query`);
      const health = await (await fetch(`${exporterUrl}/healthz`)).json();
      expect(health).toMatchObject({ ok: true, up: false, model: 'vims', groups: ['cpu'] });

      prometheus = await startPrometheus(prometheusOptions);
      await waitFor('syrroca_up 1 on the exporter again', async () => /^syrroca_up 1$/m.test(await metricsText()), {
        timeoutMs: 90_000,
        describe: state,
      });
      expect(exporter.logs()).toMatch(/scoring recovered: 1 group\(s\) scored at /);
    }, 150_000);

    it('reloads the models on SIGHUP without dropping a scrape, and keeps the old ones when the new ones are broken', async () => {
      let scrapes = 0;
      const failures: string[] = [];
      let scraping = true;
      const scraper = (async () => {
        while (scraping) {
          try {
            const response = await fetch(`${exporterUrl}/metrics`);
            await response.text();
            scrapes++;
            if (response.status !== 200) {
              failures.push(`HTTP ${response.status}`);
            }
          } catch (err) {
            failures.push((err as Error).message);
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      try {
        truncateSync(join(modelsDir, 'cpu/weights.bin'), 100);
        exporter.signal('SIGHUP');
        await exporter.waitForLog(
          /reload failed, still scoring the previous models: .*do not match the manifest's content hash/
        );
        await waitFor(
          'a fresh score after the failed reload',
          async () => /^syrroca_up 1$/m.test(await metricsText()),
          {
            describe: state,
          }
        );

        copyFileSync(join(backup, 'cpu/weights.bin'), join(modelsDir, 'cpu/weights.bin'));
        const manifest = JSON.parse(readFileSync(join(backup, 'cpu/manifest.json'), 'utf8'));
        manifest.threshold.value = 123;
        writeFileSync(join(modelsDir, 'cpu/manifest.json'), JSON.stringify(manifest));
        exporter.signal('SIGHUP');
        await exporter.waitForLog(/reloaded .*models: scoring 1 group\(s\) \(cpu\) every 2 s/);
        await waitFor('the new threshold on /metrics', async () =>
          (await metricsText()).includes('syrroca_threshold{group="cpu",model="vims"} 123')
        );
      } finally {
        scraping = false;
        await scraper;
      }
      expect(failures).toEqual([]);
      expect(scrapes).toBeGreaterThan(10);
    }, 120_000);

    it('stops on SIGTERM: exits 0 and frees its port', async () => {
      const result = await exporter.stop('SIGTERM');
      expect(result).toEqual({ code: 0, signal: null });
      expect(exporter.logs()).toMatch(/SIGTERM: stopping\n.*stopped\n$/);
      await expect(fetch(`${exporterUrl}/metrics`)).rejects.toThrow();
    }, 30_000);
  }
);
