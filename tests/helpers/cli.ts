import { spawn, type ChildProcess } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

import type { GroupScore } from '../../src/core/types';

export const ROOT = resolve(__dirname, '..', '..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `syrroca` exactly as a user would, through the package's bin, in a fresh Node process. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return collect(
    spawn(process.execPath, [join(ROOT, 'bin', 'syrroca.js'), ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  );
}

/** The exit code and whole output of a child spawned with piped stdout and stderr. */
export function collect(child: ChildProcess): Promise<CliResult> {
  return new Promise((done, fail) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Throws the exit code and stderr unless the command succeeded: the failure says why, not only which code. */
export function expectOk(result: CliResult): void {
  if (result.code !== 0) {
    throw new Error(`exit ${result.code}:\n${result.stderr}`);
  }
}

/** The scores a `syrroca score --out` file holds, one JSON object a line. */
export const readScores = (file: string): GroupScore[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

/** A temp directory removed after the suite. */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `syrroca-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface RunningCli {
  /** stderr and stdout so far. */
  logs(): string;
  /** Resolves when the output matches (checked as it arrives); rejects if the process exits first or on timeout. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  signal(name: NodeJS.Signals): void;
  /** Sends the signal (SIGTERM by default) and resolves with how it ended; SIGKILL after `graceMs`. */
  stop(name?: NodeJS.Signals, graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly pid: number;
}

const children = new Set<ChildProcess>();
let exitHook = false;

/** Starts a long-running `syrroca` command (serve, simulate --listen) through the bin; killed if the test process exits. */
export function startCli(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): RunningCli {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'syrroca.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => children.forEach((c) => c.kill('SIGKILL')));
  }
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    listeners.forEach((l) => l());
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      listeners.forEach((l) => l());
      resolve({ code, signal });
    })
  );
  return {
    pid: child.pid!,
    exited,
    logs: () => output,
    waitForLog(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (match) {
            done();
            resolve(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(new Error(`syrroca ${args[0]} exited before printing ${pattern}:\n${output}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`syrroca ${args[0]} did not print ${pattern} within ${timeoutMs / 1000} s:\n${output}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    signal: (name) => child.kill(name),
    async stop(name = 'SIGTERM', graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(name);
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        const result = await exited;
        clearTimeout(timer);
        return result;
      }
      return exited;
    },
  };
}

/** `syrroca simulate --listen` on a loopback port, without container restarts, once it serves /metrics. */
export async function startSimulator(options: { port: number; step: number; seed: number }): Promise<RunningCli> {
  const simulator = startCli([
    'simulate',
    '--listen',
    `127.0.0.1:${options.port}`,
    '--step',
    String(options.step),
    '--seed',
    String(options.seed),
    '--restarts-per-week',
    '0',
  ]);
  return whenPrinted(simulator, /serving \/metrics/);
}

/**
 * `syrroca serve` of the models against Prometheus on a loopback port, with the step timeout in seconds
 * and more flags in `args`, once it prints `ready` (by default, that it serves /metrics).
 */
export async function startExporter(options: {
  prometheus: string;
  models: string;
  port: number;
  timeout: number;
  args?: string[];
  ready?: RegExp;
}): Promise<RunningCli> {
  const exporter = startCli([
    'serve',
    '--prometheus',
    options.prometheus,
    '--models',
    options.models,
    '--listen',
    `127.0.0.1:${options.port}`,
    '--timeout',
    String(options.timeout),
    ...(options.args ?? []),
  ]);
  return whenPrinted(exporter, options.ready ?? /serving \/metrics/);
}

/** The started command once it prints `pattern`; killed when it exits or stays silent instead. */
async function whenPrinted(cli: RunningCli, pattern: RegExp): Promise<RunningCli> {
  try {
    await cli.waitForLog(pattern);
  } catch (err) {
    await cli.stop('SIGKILL');
    throw err;
  }
  return cli;
}

/** The value of an unlabelled series in a /metrics text (NaN when it is not there). */
export const gauge = (text: string, name: string): number =>
  Number(text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1]);
