import { SyrrocaError } from '../core/errors';

/**
 * Wraps a command's action: a SyrrocaError (bad input, a mismatch, an unreachable server) prints
 * one line `syrroca <command>: <message>` and exits 1; anything else is a bug and keeps its stack.
 */
export function action<A extends unknown[]>(name: string, run: (...args: A) => Promise<void>) {
  return async (...args: A): Promise<void> => {
    try {
      await run(...args);
    } catch (err) {
      if (err instanceof SyrrocaError) {
        process.stderr.write(`syrroca ${name}: ${err.message}\n`);
        process.exitCode = 1;
        return;
      }
      throw err;
    }
  };
}
