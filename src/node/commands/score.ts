import type { Command } from 'commander';

import { scoreGroups } from '../../core/pipeline';
import { action } from '../action';
import { loadScoringModels, writeFileAtomic } from '../artifacts';
import { readWideCsv } from '../io';
import { fraction } from '../options';
import { loadTf } from '../tf';

interface ScoreFlags {
  csv: string;
  models: string;
  out: string;
  coverage: number;
  allowExtraFeatures: boolean;
}

export function register(program: Command): void {
  program
    .command('score')
    .description('score data with trained models: reconstruction error, threshold and cover set per group and step')
    .requiredOption('--csv <file>', 'wide CSV to score: timestamp,<feature>,...')
    .requiredOption('--models <dir>', 'models directory written by `syrroca train`')
    .requiredOption('--out <file>', 'JSONL output, one line per (timestamp, group)')
    .option('--coverage <share>', 'share of the error the cover set F_t must explain', fraction, 0.9)
    .option('--allow-extra-features', 'ignore features of a group the model was not trained on', false)
    .action(
      action('score', async (flags: ScoreFlags) => {
        const tf = await loadTf();
        const [models, matrix] = await Promise.all([loadScoringModels(tf, flags.models), readWideCsv(flags.csv)]);
        const { scores, diagnostics } = await scoreGroups(matrix, models, {
          coverage: flags.coverage,
          allowExtraFeatures: flags.allowExtraFeatures,
        });
        await writeFileAtomic(flags.out, scores.map((s) => JSON.stringify(s)).join('\n') + (scores.length ? '\n' : ''));
        for (const d of diagnostics) {
          const anomalous = scores.filter((s) => s.group === d.group && s.anomalous).length;
          const share = d.scored ? ((100 * anomalous) / d.scored).toFixed(1) : '0.0';
          const notes = [
            d.skipped ? `${d.skipped} window(s) with missing values not scored` : '',
            d.outOfRange.length ? `${d.outOfRange.length} feature(s) outside the training range` : '',
          ].filter(Boolean);
          process.stderr.write(
            `${d.group}: ${d.scored} steps scored, ${anomalous} anomalous (${share}%)${notes.length ? `; ${notes.join('; ')}` : ''}\n`
          );
        }
        process.stderr.write(`wrote ${scores.length} scores to ${flags.out}\n`);
      })
    );
}
