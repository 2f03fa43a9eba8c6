/**
 * `syrroca serve`: the exporter. Every step it fetches the last window from Prometheus, scores each
 * group, and serves the scores on /metrics for Prometheus to scrape (and alert on), with /healthz
 * and the model artifacts read-only under /models/. It keeps running when Prometheus fails
 * (syrroca_up 0, no stale scores), reloads the models on SIGHUP, and stops cleanly on SIGTERM.
 */
import { Option, type Command } from 'commander';
import type { Server } from 'http';
import { basename, resolve } from 'path';

import { SyrrocaError } from '../../core/errors';
import type { ForecastModelChoice, ThresholdKind } from '../../core/forecast';
import { fetchQuerySet } from '../../prom/querySet';
import { action } from '../action';
import { isNodeError, loadScoringModels } from '../artifacts';
import { duration, listenAddress, positiveInt } from '../options';
import { windowList } from './forecast';
import { addPrometheusOptions, keepFeatures, modelsQuery, prometheusClient, type PrometheusFlags } from '../prometheus';
import { createExporterMetrics } from '../serve/metrics';
import { createForecaster, type Forecaster } from '../serve/forecaster';
import { createScorer, stepOf, type ScoringState } from '../serve/scorer';
import { createExporterServer } from '../serve/server';
import { loadTf } from '../tf';

interface ServeFlags extends PrometheusFlags {
  prometheus: string;
  models: string;
  listen: { host: string; port: number };
  topK: number;
  modelName?: string;
  timeout?: number;
  lag?: number;
  forecast: string[];
  forecastWindow: number[];
  forecastTrain?: number;
  forecastModel: ForecastModelChoice;
  forecastThreshold: ThresholdKind;
  forecastStep?: number;
  forecastMaxSeries: number;
}

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} syrroca serve: ${line}\n`);

function listen(server: Server, { host, port }: { host: string; port: number }): Promise<void> {
  return new Promise((done, fail) => {
    server.once('error', (err) => {
      const reason = isNodeError(err) && err.code === 'EADDRINUSE' ? 'the address is in use' : err.message;
      fail(new SyrrocaError('listen-failed', `cannot listen on ${host}:${port}: ${reason}; choose another --listen`));
    });
    server.listen(port, host, () => done());
  });
}

export function register(program: Command): void {
  const command = program
    .command('serve')
    .description('exporter: score live Prometheus data every step and serve the scores on /metrics for alerting');
  addPrometheusOptions(command, { range: false, trains: false })
    .requiredOption('--models <dir>', 'models directory written by `syrroca train` (reloaded on SIGHUP)')
    .addOption(
      new Option('--listen <host:port>', 'address to serve /metrics, /healthz and /models/ on')
        .argParser(listenAddress)
        .default({ host: '127.0.0.1', port: 9464 }, '127.0.0.1:9464')
    )
    .option('--top-k <n>', 'feature shares exported per group (the largest)', positiveInt, 5)
    .option('--model-name <name>', 'value of the `model` label (default: the models directory name)')
    .option(
      '--timeout <duration>',
      'a scoring step is abandoned after this long (default: 80% of the step, at least 1 s)',
      duration
    )
    .option(
      '--lag <duration>',
      'how far behind now a window ends, so the last scrape has landed (default: one step)',
      duration
    )
    .option(
      '--forecast <query>',
      'forecast this PromQL series too (ARIMA / SARIMA / VARMA) and serve syrroca_forecast_*{feature}; repeat for more',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[]
    )
    .addOption(
      new Option('--forecast-window <points>', 'forecasting window sizes w, comma-separated')
        .argParser(windowList)
        .default([60, 360], '60,360')
    )
    .option('--forecast-train <points>', 'forecasting training size st (default 2 x the largest window)', positiveInt)
    .addOption(
      new Option('--forecast-model <family>', 'forecasting families that compete')
        .choices(['auto', 'arima', 'sarima', 'varma'])
        .default('auto')
    )
    .addOption(
      new Option('--forecast-threshold <kind>', 'forecasting threshold')
        .choices(['fixed', 'dynamic'])
        .default('dynamic')
    )
    .option('--forecast-step <duration>', "forecasting step (default: the models' step)", duration)
    .option('--forecast-max-series <n>', 'most forecast series published (bounds the cardinality)', positiveInt, 10)
    .action(
      action('serve', async (flags: ServeFlags) => {
        if (flags.prometheus === undefined) {
          throw new SyrrocaError('source-missing', 'give the Prometheus to read with --prometheus URL');
        }
        const modelsDir = resolve(flags.models);
        const name = flags.modelName ?? basename(modelsDir);
        const tf = await loadTf();

        /** Loads the models and their query set completely; the caller swaps them in only on success. */
        const load = async (): Promise<ScoringState> => {
          const models = await loadScoringModels(tf, modelsDir);
          const query = await modelsQuery(
            models.map((m) => m.manifest),
            flags,
            flags.models
          );
          const seconds = stepOf(models);
          const timeoutMs = (flags.timeout ?? Math.max(1, 0.8 * seconds)) * 1000;
          // One attempt per step, giving up a little before the step's own timeout so its message names the query.
          const client = prometheusClient(flags.prometheus, { timeoutMs: 0.9 * timeoutMs, retries: 0 });
          return {
            name,
            models,
            source: async (range, signal) => {
              const data = await fetchQuerySet(client, query.querySet, range, query.variables, { signal });
              return {
                matrix: query.features ? keepFeatures(data.matrix, query.features) : data.matrix,
                empty: data.empty.map((e) => `\`${e.query}\``),
              };
            },
          };
        };

        let state = await load();
        const metrics = createExporterMetrics({ topK: flags.topK });
        const scorer = createScorer({
          current: () => state,
          metrics,
          timeoutMs: flags.timeout === undefined ? undefined : flags.timeout * 1000,
          lagSeconds: flags.lag,
          log,
        });
        let stopping = false;
        const server = createExporterServer({
          registry: metrics.registry,
          render: metrics.render,
          modelsDir: () => modelsDir,
          health: () => {
            const last = scorer.last();
            return {
              ok: !stopping,
              detail: {
                up: last?.ok ?? false,
                model: state.name,
                groups: state.models.map((m) => m.manifest.group),
                lastStep: last ? new Date(last.at * 1000).toISOString() : null,
                errors: last?.errors ?? [],
              },
            };
          },
        });
        let forecaster: Forecaster | undefined;
        if (flags.forecast.length > 0) {
          const forecastStep = flags.forecastStep ?? stepOf(state.models);
          const client = prometheusClient(flags.prometheus, {
            timeoutMs: Math.max(1000, 800 * forecastStep),
            retries: 0,
          });
          forecaster = createForecaster({
            queries: flags.forecast,
            read: (query, range, signal) => client.queryRange(query, range, { signal }),
            stepSeconds: forecastStep,
            windows: flags.forecastWindow,
            train: flags.forecastTrain,
            model: flags.forecastModel,
            threshold: flags.forecastThreshold,
            maxSeries: flags.forecastMaxSeries,
            registry: metrics.registry,
            lagSeconds: flags.lag,
            log,
          });
        }
        await listen(server, flags.listen);
        const describe = (s: ScoringState) =>
          `${s.models.length} group(s) (${s.models.map((m) => m.manifest.group).join(', ')}) every ${stepOf(s.models)} s`;
        log(
          `serving /metrics on http://${flags.listen.host}:${flags.listen.port}, scoring ${describe(state)} ` +
            `from ${prometheusClient(flags.prometheus).url} as model "${name}"`
        );
        scorer.start();
        if (forecaster) {
          log(
            `forecasting ${flags.forecast.length} quer${flags.forecast.length === 1 ? 'y' : 'ies'}: ${flags.forecast.join(', ')}`
          );
          forecaster.start();
        }

        let reloading: Promise<void> | null = null;
        let again = false;
        const reload = async () => {
          do {
            again = false;
            try {
              const previous = state;
              state = await load();
              log(`reloaded ${modelsDir}: scoring ${describe(state)}`);
              // A step in flight may still be scoring with the previous models: free their workers a while later.
              setTimeout(() => previous.models.forEach((m) => m.dispose?.()), 60_000).unref();
            } catch (err) {
              log(
                `reload failed, still scoring the previous models: ${err instanceof Error ? err.message : String(err)}`
              );
            }
          } while (again && !stopping);
        };
        const onHangup = () => {
          if (reloading) {
            again = true;
            return;
          }
          reloading = reload().finally(() => (reloading = null));
        };

        await new Promise<void>((done) => {
          const shutdown = async (signal: string) => {
            if (stopping) {
              return;
            }
            stopping = true;
            log(`${signal}: stopping`);
            await scorer.stop();
            await forecaster?.stop();
            await reloading;
            await new Promise<void>((closed) => {
              server.close(() => closed());
              server.closeIdleConnections();
              // Requests in progress get a moment to finish; then their connections are cut.
              setTimeout(() => server.closeAllConnections(), 5000).unref();
            });
            process.off('SIGHUP', onHangup);
            done();
          };
          process.on('SIGHUP', onHangup);
          process.once('SIGTERM', () => shutdown('SIGTERM'));
          process.once('SIGINT', () => shutdown('SIGINT'));
        });
        log('stopped');
        // Nothing of ours is left running; should a library hold a handle open, exit anyway.
        setTimeout(() => process.exit(0), 1000).unref();
      })
    );
}
