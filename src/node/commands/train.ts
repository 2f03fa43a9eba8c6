import { Option, type Command } from 'commander';

import { SyrrocaError } from '../../core/errors';
import { trainGroups } from '../../core/pipeline';
import type { FeatureMatrix, GroupCatalog, Manifest } from '../../core/types';
import { DEFAULT_QUERY_SET, querySetCatalog } from '../../prom/querySet';
import { action } from '../action';
import { writeArtifacts } from '../artifacts';
import { readCatalog, readWideCsv } from '../io';
import { correlation, duration, fraction, positiveInt, positiveNumber, regex } from '../options';
import {
  addPrometheusOptions,
  alignRange,
  checkVariables,
  dataSource,
  fetchForCommand,
  flagVariables,
  prometheusClient,
  querySetStep,
  readQuerySet,
  type PrometheusFlags,
} from '../prometheus';
import { engineOption, fastFactory, type Engine } from '../engine';
import { createProgress, type Progress } from '../progress';
import { loadTf } from '../tf';

interface TrainFlags extends PrometheusFlags {
  csv?: string;
  out: string;
  groups?: string;
  window: number;
  epochs: number;
  seed: number;
  step?: number;
  exclude: RegExp;
  threshold: 'quantile' | 'mean-k-sigma';
  quantile: number;
  k: number;
  patience: number;
  stride: number;
  filter: boolean;
  maxCorrelation: number;
  engine: Engine;
}

interface TrainingData {
  matrix: FeatureMatrix;
  catalog: GroupCatalog;
  stepSeconds?: number;
  querySet?: Manifest['querySet'];
}

async function fromCsv(flags: TrainFlags & { csv: string }): Promise<TrainingData> {
  if (flags.groups === 'query-set') {
    throw new SyrrocaError('groups-query-set', '--groups query-set needs --prometheus: a CSV has no query set');
  }
  const [matrix, catalog] = await Promise.all([readWideCsv(flags.csv), readCatalog(flags.groups ?? 'auto')]);
  return { matrix, catalog, stepSeconds: flags.step };
}

async function fromPrometheus(
  flags: TrainFlags & { prometheus: string; from: number; to: number }
): Promise<TrainingData> {
  const querySet = flags.querySet !== undefined ? await readQuerySet(flags.querySet) : DEFAULT_QUERY_SET;
  const source = flags.querySet ?? 'the default query set';
  const variables = flagVariables(flags);
  checkVariables(querySet, variables, source);
  const step = flags.step ?? querySetStep(querySet);
  if (step === undefined) {
    throw new SyrrocaError('query-set-step', `${source} has no "step": give --step (e.g. --step 30s)`);
  }
  const range = alignRange(flags.from, flags.to, step);
  const data = await fetchForCommand(
    prometheusClient(flags.prometheus, { retries: flags.retries }),
    { querySet, variables, source },
    range
  );
  const catalog =
    flags.groups === undefined || flags.groups === 'query-set'
      ? querySetCatalog(data)
      : await readCatalog(flags.groups);
  return {
    matrix: data.matrix,
    catalog,
    stepSeconds: step,
    querySet: { queries: querySet, variables: { ...querySet.variables, ...variables } },
  };
}

/** Columns in name order: the same data trains the same model whichever order its source lists the series in. */
function byName(matrix: FeatureMatrix): FeatureMatrix {
  const order = matrix.features.map((_, j) => j).sort((a, b) => (matrix.features[a] < matrix.features[b] ? -1 : 1));
  return {
    timestamps: matrix.timestamps,
    features: order.map((j) => matrix.features[j]),
    columns: order.map((j) => matrix.columns[j]),
  };
}

export function register(program: Command): void {
  const command = program
    .command('train')
    .description('train one LSTM autoencoder per resource group on nominal data, from a CSV or from Prometheus')
    .option('--csv <file>', 'wide CSV of nominal data: timestamp,<feature>,...');
  addPrometheusOptions(command, { range: true, trains: true })
    .requiredOption('--out <dir>', 'models directory to write (replaced atomically)')
    .option(
      '--groups <spec>',
      'auto (cAdvisor/node-exporter catalog), single, a JSON file of group -> regexes, or query-set ' +
        '(the groups of the query set; the default with --prometheus)'
    )
    .option('--window <steps>', 'window length in steps', positiveInt, 10)
    .option('--epochs <n>', 'maximum epochs (early stopping on the held-back tail)', positiveInt, 30)
    .option('--patience <n>', 'epochs without improvement before stopping', positiveInt, 3)
    .option('--seed <n>', 'seed for initialization and shuffling', positiveInt, 1)
    .option(
      '--step <duration>',
      "resampling step, e.g. 30 or 30s (CSV: default the data's median spacing; Prometheus: the query set's step, 30s by default)",
      duration
    )
    .option('--exclude <regex>', 'features left out of every group (service KPIs)', regex, /^sipp_/)
    .addOption(
      new Option('--threshold <method>', 'how the threshold is set from the training error')
        .choices(['quantile', 'mean-k-sigma'])
        .default('quantile')
    )
    .option('--quantile <q>', 'quantile of the training error for the threshold', fraction, 0.99)
    .option('--k <k>', 'k of mean + k sigma', positiveNumber, 3)
    .option('--stride <steps>', 'steps between training windows (1 = every window)', positiveInt, 1)
    .option(
      '--filter',
      'per group, leave out features that are missing, constant, or that say the same as another (see --max-correlation); listed in the manifest as droppedFeatures',
      false
    )
    .addOption(
      new Option(
        '--max-correlation <r>',
        'with --filter: of two features whose step-to-step changes correlate at |r| >= r in training, keep the first by name (implies --filter)'
      )
        .argParser(correlation)
        .default(0.99)
        .implies({ filter: true })
    )
    .addOption(engineOption())
    .action(
      action('train', async (flags: TrainFlags) => {
        const source = dataSource(flags);
        const [tf, data] = await Promise.all([
          loadTf(),
          source === 'csv'
            ? fromCsv(flags as TrainFlags & { csv: string })
            : fromPrometheus(flags as TrainFlags & { prometheus: string; from: number; to: number }),
        ]);
        let progress: Progress | undefined;
        let current = '';
        const trained = await trainGroups(tf, byName(data.matrix), {
          catalog: data.catalog,
          exclude: flags.exclude,
          window: flags.window,
          stride: flags.stride,
          fast: fastFactory(flags.engine),
          epochs: flags.epochs,
          patience: flags.patience,
          seed: flags.seed,
          stepSeconds: data.stepSeconds,
          threshold: { method: flags.threshold, quantile: flags.quantile, k: flags.k },
          filter: flags.filter ? { maxCorrelation: flags.maxCorrelation } : undefined,
          onEpoch: (group, epoch, epochs, loss, validationLoss) => {
            if (group !== current) {
              progress?.stop();
              current = group;
              progress = createProgress(`train ${group.padEnd(10)}`, epochs, ['loss', 'val']);
            }
            progress!.update(epoch, {
              loss: loss.toFixed(5),
              val: validationLoss === null ? '-' : validationLoss.toFixed(5),
            });
          },
        });
        progress?.stop();
        if (data.querySet) {
          trained.forEach((t) => (t.manifest.querySet = data.querySet));
        }
        await writeArtifacts(tf, flags.out, trained);
        for (const { manifest } of trained) {
          process.stderr.write(
            `${manifest.group}: ${manifest.features.length} features` +
              (flags.filter ? ` (${manifest.droppedFeatures.length} dropped)` : '') +
              `, ${manifest.training.samples} windows, ${manifest.training.epochs} epochs, loss ${manifest.training.finalLoss.toExponential(3)}, ` +
              `threshold ${manifest.threshold.value.toExponential(3)}\n`
          );
        }
        process.stderr.write(`wrote ${trained.length} group model(s) to ${flags.out}\n`);
      })
    );
}
