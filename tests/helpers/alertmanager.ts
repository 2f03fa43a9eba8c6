/**
 * A real Alertmanager (Debian's `prometheus-alertmanager`) for integration tests: on a free
 * loopback port, without clustering, with its state in a temp dir removed on stop.
 */
import { spawn } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { findBinary } from './binaries';
import { freePort } from './prometheus';
import { waitFor } from './wait';

/** The binary's name differs between distributions. */
export const ALERTMANAGER = findBinary('prometheus-alertmanager') ? 'prometheus-alertmanager' : 'alertmanager';

export interface RunningAlertmanager {
  url: string;
  port: number;
  stop(): Promise<void>;
  logs(): string;
}

export async function startAlertmanager(config: string, port?: number): Promise<RunningAlertmanager> {
  const dir = mkdtempSync(join(tmpdir(), 'syrroca-alertmanager-'));
  writeFileSync(join(dir, 'alertmanager.yml'), config);
  const listen = port ?? (await freePort());
  const child = spawn(
    ALERTMANAGER,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${listen}`,
      // No gossip: it would listen on 0.0.0.0:9094.
      '--cluster.listen-address=',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  );
  process.once('exit', () => child.kill('SIGKILL'));
  let log = '';
  child.stdout!.on('data', (c) => (log = (log + c).slice(-20_000)));
  child.stderr!.on('data', (c) => (log = (log + c).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${listen}`;
  try {
    await waitFor(
      'Alertmanager to be ready',
      async () => child.exitCode === null && (await fetch(`${url}/-/ready`)).status === 200,
      { timeoutMs: 30_000, describe: () => log }
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port: listen, stop, logs: () => log };
}
