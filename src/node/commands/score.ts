import type { Command } from 'commander';

import { scoreGroups, type ScoringModel } from '../../core/pipeline';
import type { FeatureMatrix } from '../../core/types';
import { action } from '../action';
import { loadScoringModels, writeFileAtomic } from '../artifacts';
import { readWideCsv } from '../io';
import { engineOption, type Engine } from '../engine';
import { duration, fraction } from '../options';
import {
  addPrometheusOptions,
  alignRange,
  dataSource,
  fetchForCommand,
  modelsQuery,
  prometheusClient,
  type PrometheusFlags,
} from '../prometheus';
import { loadTf } from '../tf';

interface ScoreFlags extends PrometheusFlags {
  csv?: string;
  models: string;
  out: string;
  step?: number;
  coverage: number;
  allowExtraFeatures: boolean;
  engine: Engine;
}

/**
 * The models' features over [from, to] and the window before it, so that every step of the range
 * that has data gets a score: the first score at `from` needs `window` earlier steps (one more
 * than the window, for the first counter increment).
 */
async function fromPrometheus(
  models: ScoringModel[],
  flags: ScoreFlags & { prometheus: string; from: number; to: number }
): Promise<{ matrix: FeatureMatrix; from: number }> {
  const query = await modelsQuery(
    models.map((m) => m.manifest),
    flags,
    flags.models
  );
  const step = flags.step ?? Math.min(...models.map((m) => m.manifest.stepSeconds));
  const range = alignRange(flags.from, flags.to, step);
  const lookback = Math.max(...models.map((m) => m.manifest.window * m.manifest.stepSeconds));
  const data = await fetchForCommand(prometheusClient(flags.prometheus, { retries: flags.retries }), query, {
    ...range,
    start: range.start - lookback,
  });
  return { matrix: data.matrix, from: range.start };
}

export function register(program: Command): void {
  const command = program
    .command('score')
    .description('score data with trained models: reconstruction error, threshold and cover set per group and step')
    .option('--csv <file>', 'wide CSV to score: timestamp,<feature>,...');
  addPrometheusOptions(command, { range: true, trains: false })
    .requiredOption('--models <dir>', 'models directory written by `syrroca train`')
    .requiredOption('--out <file>', 'JSONL output, one line per (timestamp, group)')
    .option('--step <duration>', "query step with --prometheus (default: the models' step)", duration)
    .option('--coverage <share>', 'share of the error the cover set F_t must explain', fraction, 0.9)
    .option('--allow-extra-features', 'ignore features of a group the model was not trained on', false)
    .addOption(engineOption())
    .action(
      action('score', async (flags: ScoreFlags) => {
        const source = dataSource(flags);
        const tf = await loadTf();
        const [models, csv] = await Promise.all([
          loadScoringModels(tf, flags.models, flags.engine),
          source === 'csv' ? readWideCsv(flags.csv!) : undefined,
        ]);
        const { matrix, from } = csv
          ? { matrix: csv, from: -Infinity }
          : await fromPrometheus(models, flags as ScoreFlags & { prometheus: string; from: number; to: number });
        const result = await scoreGroups(matrix, models, {
          coverage: flags.coverage,
          allowExtraFeatures: flags.allowExtraFeatures,
        }).finally(() => models.forEach((m) => m.dispose?.()));
        const scores = result.scores.filter((s) => s.t >= from);
        await writeFileAtomic(flags.out, scores.map((s) => JSON.stringify(s)).join('\n') + (scores.length ? '\n' : ''));
        for (const d of result.diagnostics) {
          const own = scores.filter((s) => s.group === d.group);
          const anomalous = own.filter((s) => s.anomalous).length;
          const share = own.length ? ((100 * anomalous) / own.length).toFixed(1) : '0.0';
          const notes = [
            d.skipped ? `${d.skipped} window(s) with missing values not scored` : '',
            d.outOfRange.length ? `${d.outOfRange.length} feature(s) outside the training range` : '',
          ].filter(Boolean);
          process.stderr.write(
            `${d.group}: ${own.length} steps scored, ${anomalous} anomalous (${share}%)${notes.length ? `; ${notes.join('; ')}` : ''}\n`
          );
        }
        process.stderr.write(`wrote ${scores.length} scores to ${flags.out}\n`);
      })
    );
}
