/**
 * A real Prometheus for integration tests, and a stub HTTP server for faults a real one will not
 * produce on demand.
 *
 * Typical use:
 * ```ts
 * describeWithPrometheus('my feature against Prometheus', () => {
 *   const prometheus = usePrometheus(() => ({ openMetrics: toOpenMetrics(families), lookbackDelta: '15s' }));
 *   it('...', async () => { const client = createPrometheusClient({ baseUrl: prometheus.url }); ... });
 * });
 * ```
 * Things about Prometheus that bite tests with backfilled data:
 * - Retention: blocks older than the retention (15 d by default, measured from the newest block)
 *   are deleted. `startPrometheus` sets `--storage.tsdb.retention.time=10y`; still prefer recent
 *   timestamps (hours ago, not years).
 * - Lookback delta (5 min by default): an instant evaluation at t takes the latest sample in
 *   [t - 5m, t]. So `query_range` repeats a value at every step until the next sample or for 5 min,
 *   and a gap shows as missing steps only after its first 5 min (backfilled series get no staleness
 *   markers). For "exactly the samples on the grid", put samples on the grid and start Prometheus
 *   with `lookbackDelta` shorter than the step.
 * - The blocks written by `backfill` are read at startup: backfill before `startPrometheus`.
 */
import { spawn, execFile, type ChildProcess } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'http';
import { createServer as createNetServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';

import { describeWith } from './binaries';

export const PROMETHEUS_BINARIES = ['prometheus', 'promtool'];

/**
 * `describe` for suites that need a real Prometheus: when `prometheus` or `promtool` is missing it
 * fails under SYRROCA_REQUIRE_INTEGRATION=1 (CI) and is skipped with a visible message otherwise.
 */
export function describeWithPrometheus(name: string, body: () => void): void {
  describeWith(PROMETHEUS_BINARIES, name, body);
}

function temp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `syrroca-${prefix}-`));
}

// ---------------------------------------------------------------------------------------------
// OpenMetrics text for backfilling

export interface MetricFamily {
  /** Family name; counter samples are written `<name>_total`. */
  name: string;
  type: 'counter' | 'gauge';
  help?: string;
  series: Array<{
    labels: Record<string, string>;
    /** [unix seconds, value]; NaN and ±Infinity are written NaN, +Inf, -Inf. */
    samples: Array<[number, number]>;
  }>;
}

const escapeLabel = (v: string) => v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
const formatValue = (v: number) =>
  Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v);

/** OpenMetrics text exposition with timestamps, ending in `# EOF`, as `promtool tsdb create-blocks-from openmetrics` reads it. */
export function toOpenMetrics(families: MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${family.help ?? family.name}`, `# TYPE ${family.name} ${family.type}`);
    const sample = family.type === 'counter' ? `${family.name}_total` : family.name;
    for (const { labels, samples } of family.series) {
      const names = Object.keys(labels).sort();
      const labelText = names.length ? `{${names.map((n) => `${n}="${escapeLabel(labels[n])}"`).join(',')}}` : '';
      for (const [t, v] of samples) {
        lines.push(`${sample}${labelText} ${formatValue(v)} ${t}`);
      }
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 64 * 2 ** 20 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`${command} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      } else {
        resolve(stdout);
      }
    });
  });
}

/** Writes TSDB blocks of the OpenMetrics text into `dataDir` (`promtool tsdb create-blocks-from openmetrics`). */
export async function backfill(openMetricsText: string, dataDir: string): Promise<void> {
  const dir = temp('openmetrics');
  try {
    const input = join(dir, 'data.om');
    writeFileSync(input, openMetricsText);
    await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', input, dataDir]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Prometheus processes

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))
      );
    });
  });
}

export interface PrometheusOptions {
  /** TSDB directory (e.g. after `backfill`); a fresh temp directory, removed on stop, by default. Not removed when given. */
  dataDir?: string;
  /** prometheus.yml text; by default a config without scrape targets (only the data you backfill). */
  config?: string;
  /** Loopback port; a free one by default (and another one if it was taken in between). */
  port?: number;
  /** `--storage.tsdb.retention.time` (default `10y`, so backfilled data is never deleted). */
  retention?: string;
  /** `--query.lookback-delta` (Prometheus' default is 5m). */
  lookbackDelta?: string;
  /** More command-line flags. */
  args?: string[];
  /** How long to wait for `/-/ready` (default 60 s). */
  readyTimeoutMs?: number;
}

export interface RunningPrometheus {
  /** `http://127.0.0.1:<port>`: the API root for the client. */
  url: string;
  port: number;
  dataDir: string;
  /** Stops the process (SIGTERM, then SIGKILL after 10 s) and removes the temp dirs it created. Idempotent. */
  stop(): Promise<void>;
  /** What Prometheus logged so far, for failure messages. */
  logs(): string;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Whatever happens to the test (a failure, a timeout, an exit without afterAll), no Prometheus outlives the test process. */
function killOnExit(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => running.forEach((c) => c.kill('SIGKILL')));
  }
}

const DEFAULT_CONFIG = 'global:\n  scrape_interval: 1m\n  evaluation_interval: 1m\n';

/** Starts Prometheus on a loopback port and resolves once `/-/ready` answers 200. */
export async function startPrometheus(options: PrometheusOptions = {}): Promise<RunningPrometheus> {
  const attempts = options.port === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, options.port ?? (await freePort()));
    } catch (err) {
      if (attempt >= attempts || !/address already in use/.test((err as Error).message)) {
        throw err;
      }
    }
  }
}

async function startOnce(options: PrometheusOptions, port: number): Promise<RunningPrometheus> {
  const ownDirs: string[] = [];
  const configDir = temp('prometheus-config');
  ownDirs.push(configDir);
  const dataDir = options.dataDir ?? temp('prometheus-data');
  if (options.dataDir === undefined) {
    ownDirs.push(dataDir);
  }
  const configFile = join(configDir, 'prometheus.yml');
  writeFileSync(configFile, options.config ?? DEFAULT_CONFIG);
  const url = `http://127.0.0.1:${port}`;
  const args = [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${dataDir}`,
    `--web.listen-address=127.0.0.1:${port}`,
    `--storage.tsdb.retention.time=${options.retention ?? '10y'}`,
    ...(options.lookbackDelta ? [`--query.lookback-delta=${options.lookbackDelta}`] : []),
    ...(options.args ?? []),
  ];
  const child = spawn('prometheus', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  killOnExit(child);
  let log = '';
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      ownDirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
    })());
  try {
    await waitReady(url, exited, options.readyTimeoutMs ?? 60_000);
  } catch (err) {
    await stop();
    throw new Error(
      `prometheus ${args.join(' ')} did not become ready: ${(err as Error).message}\n--- its log ---\n${log}`
    );
  }
  return { url, port, dataDir, stop, logs: () => log };
}

async function waitReady(url: string, exited: Promise<number | null>, timeoutMs: number): Promise<void> {
  let exitCode: number | null | undefined;
  exited.then((code) => (exitCode = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(`it exited with code ${exitCode}`);
    }
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (response.status === 200) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no 200 from ${url}/-/ready within ${timeoutMs / 1000} s`);
}

/** One series of an instant query's answer: its labels and its [unix seconds, value]. */
export interface InstantSeries {
  metric: Record<string, string>;
  value: [number, string];
}

/** The series of an instant query (`/api/v1/query`) at the Prometheus API root `url`. */
export async function instantQuery(url: string, expr: string): Promise<InstantSeries[]> {
  const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return ((await response.json()) as { data: { result: InstantSeries[] } }).data.result;
}

export interface PrometheusFixture extends PrometheusOptions {
  /** Backfilled into a fresh data dir before the start. */
  openMetrics?: string;
}

/**
 * Registers beforeAll/afterAll hooks that backfill and start a Prometheus for the enclosing
 * `describe`, and stop it (and remove its data) afterwards even when tests fail. Read `.url` in tests.
 */
export function usePrometheus(setup: () => PrometheusFixture | Promise<PrometheusFixture>): {
  readonly url: string;
  readonly instance: RunningPrometheus;
} {
  let instance: RunningPrometheus | undefined;
  let dataDir: string | undefined;
  beforeAll(async () => {
    const { openMetrics, ...options } = await setup();
    if (openMetrics !== undefined && options.dataDir === undefined) {
      dataDir = temp('prometheus-data');
      options.dataDir = dataDir;
    }
    if (openMetrics !== undefined) {
      await backfill(openMetrics, options.dataDir!);
    }
    instance = await startPrometheus(options);
  }, 120_000);
  afterAll(async () => {
    await instance?.stop();
    if (dataDir) {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
  return {
    get instance() {
      if (!instance) {
        throw new Error('Prometheus is not running (did beforeAll fail?)');
      }
      return instance;
    },
    get url() {
      return this.instance.url;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Stub HTTP server for faults

export type StubHandler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface StubServer {
  url: string;
  /** Requests received so far, in order. */
  requests: Array<{ method: string; url: string; body: string }>;
  /** Closes the server and every open connection (including hanging ones). */
  close(): Promise<void>;
}

/** An HTTP server on a free loopback port; request n (0-based) is answered by `handlers[min(n, last)]`. */
export function startStubServer(...handlers: StubHandler[]): Promise<StubServer> {
  const requests: StubServer['requests'] = [];
  const server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const n = requests.push({ method: req.method ?? '', url: req.url ?? '', body }) - 1;
      handlers[Math.min(n, handlers.length - 1)](req, res, body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Ready-made stub answers. */
export const stub = {
  /** A JSON body with the status. */
  json:
    (status: number, body: unknown): StubHandler =>
    (_req, res) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    },
  /** Never answers (the client's timeout or abort ends it; `close()` drops the connection). */
  hang: (): StubHandler => () => undefined,
  /** Answers 200 with the first `length` characters of `text`, then ends the response cleanly: a truncated JSON body. */
  truncated:
    (text: string, length: number): StubHandler =>
    (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(text.slice(0, length));
    },
  /** Promises `text` (Content-Length) but closes the connection after `length` characters. */
  cutOff:
    (text: string, length: number): StubHandler =>
    (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
      res.write(text.slice(0, length), () => res.destroy());
    },
};
