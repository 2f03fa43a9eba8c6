import { spawn, type ChildProcess } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

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
