import type { Command } from 'commander';
import { resolve } from 'path';

import { action } from '../action';
import { runDemo } from '../demo';
import { engineOption, type Engine } from '../engine';
import { positiveInt } from '../options';
import { createProgress, type Progress } from '../progress';

interface DemoFlags {
  out: string;
  seed: number;
  quick: boolean;
  engine: Engine;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description("the paper's three experiments on the built-in vIMS simulator: train, score, report")
    .option('--out <dir>', 'output directory', 'demo-out')
    .option('--seed <n>', 'simulator and training seed', positiveInt, 1)
    .option('--quick', 'a shorter training (under 2 minutes on 2 cores)', false)
    .addOption(engineOption())
    .action(
      action('demo', async (flags: DemoFlags) => {
        let progress: Progress | undefined;
        let current = '';
        const started = Date.now();
        const summary = await runDemo({
          ...flags,
          log: (line) => {
            progress?.stop();
            progress = undefined;
            process.stderr.write(`demo: ${line}\n`);
          },
          onEpoch: (group, epoch, epochs, loss) => {
            if (group !== current || !progress) {
              progress?.stop();
              current = group;
              progress = createProgress(`train ${group.padEnd(10)}`, epochs, ['loss']);
            }
            progress.update(epoch, { loss: loss.toFixed(5) });
          },
        });
        progress?.stop();
        const lines = Object.entries(summary.scenarios).map(
          ([name, s]) =>
            `  ${name.padEnd(12)} ${Object.entries(s.groups)
              .map(([g, v]) => `${g} ${(100 * v.anomalousShare).toFixed(1)}%`)
              .join('  ')}`
        );
        process.stdout.write(
          `anomalous share per group (during the fault; whole day for nominal):\n${lines.join('\n')}\n` +
            `report: ${resolve(flags.out, 'report.html')}\nsummary: ${resolve(flags.out, 'summary.json')}\n` +
            `done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`
        );
      })
    );
}
