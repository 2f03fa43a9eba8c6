import { Option, type Command } from 'commander';

import { trainGroups } from '../../core/pipeline';
import { action } from '../action';
import { writeArtifacts } from '../artifacts';
import { readCatalog, readWideCsv } from '../io';
import { fraction, positiveInt, positiveNumber, regex } from '../options';
import { createProgress, type Progress } from '../progress';
import { loadTf } from '../tf';

interface TrainFlags {
  csv: string;
  out: string;
  groups: string;
  window: number;
  epochs: number;
  seed: number;
  step?: number;
  exclude: RegExp;
  threshold: 'quantile' | 'mean-k-sigma';
  quantile: number;
  k: number;
  patience: number;
}

export function register(program: Command): void {
  program
    .command('train')
    .description('train one LSTM autoencoder per resource group on nominal data')
    .requiredOption('--csv <file>', 'wide CSV of nominal data: timestamp,<feature>,...')
    .requiredOption('--out <dir>', 'models directory to write (replaced atomically)')
    .option('--groups <spec>', 'auto (cAdvisor/node-exporter catalog), single, or a JSON file of group -> regexes', 'auto')
    .option('--window <steps>', 'window length in steps', positiveInt, 10)
    .option('--epochs <n>', 'maximum epochs (early stopping on the held-back tail)', positiveInt, 30)
    .option('--patience <n>', 'epochs without improvement before stopping', positiveInt, 3)
    .option('--seed <n>', 'seed for initialization and shuffling', positiveInt, 1)
    .option('--step <seconds>', 'resampling step (default: the median spacing of the data)', positiveNumber)
    .option('--exclude <regex>', 'features left out of every group (service KPIs)', regex, /^sipp_/)
    .addOption(new Option('--threshold <method>', 'how the threshold is set from the training error').choices(['quantile', 'mean-k-sigma']).default('quantile'))
    .option('--quantile <q>', 'quantile of the training error for the threshold', fraction, 0.99)
    .option('--k <k>', 'k of mean + k sigma', positiveNumber, 3)
    .action(
      action('train', async (flags: TrainFlags) => {
        const [tf, matrix, catalog] = await Promise.all([loadTf(), readWideCsv(flags.csv), readCatalog(flags.groups)]);
        let progress: Progress | undefined;
        let current = '';
        const trained = await trainGroups(tf, matrix, {
          catalog,
          exclude: flags.exclude,
          window: flags.window,
          epochs: flags.epochs,
          patience: flags.patience,
          seed: flags.seed,
          stepSeconds: flags.step,
          threshold: { method: flags.threshold, quantile: flags.quantile, k: flags.k },
          onEpoch: (group, epoch, epochs, loss, validationLoss) => {
            if (group !== current) {
              progress?.stop();
              current = group;
              progress = createProgress(`train ${group.padEnd(10)}`, epochs, ['loss', 'val']);
            }
            progress!.update(epoch, { loss: loss.toFixed(5), val: validationLoss === null ? '-' : validationLoss.toFixed(5) });
          },
        });
        progress?.stop();
        await writeArtifacts(tf, flags.out, trained);
        for (const { manifest } of trained) {
          process.stderr.write(
            `${manifest.group}: ${manifest.features.length} features, ${manifest.training.samples} windows, ` +
              `${manifest.training.epochs} epochs, loss ${manifest.training.finalLoss.toExponential(3)}, ` +
              `threshold ${manifest.threshold.value.toExponential(3)}\n`
          );
        }
        process.stderr.write(`wrote ${trained.length} group model(s) to ${flags.out}\n`);
      })
    );
}
