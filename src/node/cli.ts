#!/usr/bin/env node
/**
 * `syrroca`: the command line. Each command lives in `commands/<name>.ts` and exports
 * `register(program)`; this file only assembles them.
 */
import { Command } from 'commander';

import { register as registerDemo } from './commands/demo';
import { register as registerForecast } from './commands/forecast';
import { register as registerTrain } from './commands/train';
import { register as registerScore } from './commands/score';
import { register as registerServe } from './commands/serve';
import { register as registerSimulate } from './commands/simulate';
import { version } from './version';

export function buildProgram(): Command {
  const program = new Command('syrroca')
    .description('Radiography of containerized telco services from their Prometheus metrics')
    .version(version)
    .showHelpAfterError('(run with --help for usage)');
  for (const register of [registerSimulate, registerTrain, registerScore, registerForecast, registerServe, registerDemo]) {
    register(program);
  }
  return program;
}

if (require.main === module) {
  buildProgram().parseAsync(process.argv);
}
