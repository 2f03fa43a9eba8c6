/**
 * `syrroca simulate`: the vIMS simulator as files (wide CSV for `train --csv`, OpenMetrics for
 * `promtool tsdb create-blocks-from openmetrics`) or live, as a `/metrics` endpoint for Prometheus
 * to scrape, whose scenario can be switched at run time to inject a fault.
 */
import { Option, type Command } from 'commander';
import { createWriteStream, promises as fs } from 'fs';
import { createServer, type Server } from 'http';
import { dirname, extname, join, basename } from 'path';

import { formatWideCsv } from '../../core/csv';
import { SyrrocaError } from '../../core/errors';
import { createSimulator, openMetricsChunks, SCENARIOS, simulate, toPrometheusText, type Scenario } from '../../sim';
import { action } from '../action';
import { writeError, writeFileAtomic } from '../artifacts';
import { duration, listenAddress, nonNegativeInt, nonNegativeNumber, positiveNumber, time } from '../options';

interface SimulateFlags {
  scenario: Scenario;
  hours?: number;
  seed: number;
  step: number;
  start?: number;
  faultStart?: number;
  faultHours?: number;
  restartsPerWeek?: number;
  out?: string;
  listen?: { host: string; port: number };
}

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} syrroca simulate: ${line}\n`);

/** Streams the chunks to a temp file beside `path`, then renames it: a failed run leaves no partial file. */
async function writeChunksAtomic(path: string, chunks: Iterable<string>): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  try {
    const out = createWriteStream(tmp);
    const failed = new Promise<never>((_, reject) => out.once('error', reject));
    for (const chunk of chunks) {
      if (!out.write(chunk)) {
        await Promise.race([new Promise<void>((r) => out.once('drain', () => r())), failed]);
      }
    }
    await Promise.race([new Promise<void>((r) => out.end(() => r())), failed]);
    await fs.rename(tmp, path);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw writeError(path, err, '', 'the file there (if any) is unchanged');
  }
}

async function toFile(flags: SimulateFlags & { out: string }): Promise<void> {
  const format = extname(flags.out);
  if (format !== '.csv' && format !== '.om') {
    throw new SyrrocaError(
      'simulate-format',
      `--out ${flags.out}: write .csv (wide CSV) or .om (OpenMetrics for promtool)`
    );
  }
  if (flags.hours === undefined) {
    throw new SyrrocaError('simulate-hours', 'give the length of the run with --hours H');
  }
  const sim = simulate({
    seed: flags.seed,
    scenario: flags.scenario,
    hours: flags.hours,
    stepSeconds: flags.step,
    // On the step grid, so that the samples fall where range queries at that step evaluate.
    start: flags.start === undefined ? undefined : Math.floor(flags.start / flags.step) * flags.step,
    faultStartHours: flags.faultStart,
    faultHours: flags.faultHours,
    restartsPerWeek: flags.restartsPerWeek,
  });
  if (format === '.csv') {
    await writeFileAtomic(flags.out, formatWideCsv(sim.matrix));
  } else {
    await writeChunksAtomic(flags.out, openMetricsChunks(sim.matrix));
  }
  const { timestamps } = sim.matrix;
  process.stderr.write(
    `wrote ${timestamps.length} steps of ${sim.matrix.features.length} series (${flags.scenario}) from ` +
      `${new Date(timestamps[0] * 1000).toISOString()} to ${new Date(timestamps[timestamps.length - 1] * 1000).toISOString()} ` +
      `to ${flags.out}\n`
  );
}

/**
 * The simulator in real time. Each sample is stamped with the time it describes (as cAdvisor
 * does), so Prometheus stores it on the simulator's step grid however its scrapes fall; scraping
 * faster than the step loses nothing (a repeated sample is the same point).
 */
async function live(flags: SimulateFlags & { listen: { host: string; port: number } }): Promise<void> {
  const step = flags.step;
  // The first sample lands on the last step boundary: never a timestamp in the future.
  const start = Math.floor(Date.now() / 1000 / step) * step - step;
  const sim = createSimulator({
    seed: flags.seed,
    scenario: flags.scenario,
    stepSeconds: step,
    start,
    restartsPerWeek: flags.restartsPerWeek,
  });
  let scenario = flags.scenario;
  let latest = sim.step();
  let ticker: NodeJS.Timeout | undefined;
  const tick = () => {
    // Catch up with the clock (a blocked event loop skips samples rather than falling behind).
    while (latest.t + step <= Date.now() / 1000) {
      latest = sim.step();
    }
    ticker = setTimeout(tick, (latest.t + step) * 1000 - Date.now() + 5);
  };
  tick();

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const reply = (status: number, text: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (url.pathname === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) {
      const ms = Math.round(latest.t * 1000);
      const text = toPrometheusText(sim.features, latest.values).replace(/^([^#\n].*)$/gm, `$1 ${ms}`);
      return reply(200, req.method === 'HEAD' ? '' : text, 'text/plain; version=0.0.4; charset=utf-8');
    }
    if (url.pathname === '/scenario' && req.method === 'GET') {
      return reply(200, `${scenario}\n`);
    }
    if (url.pathname === '/scenario' && req.method === 'POST') {
      const next = url.searchParams.get('name') as Scenario | null;
      if (next === null || !SCENARIOS.includes(next)) {
        return reply(400, `give ?name= one of ${SCENARIOS.join(', ')}\n`);
      }
      sim.setScenario(next);
      scenario = next;
      log(`scenario ${next} from ${new Date(latest.t * 1000).toISOString()}`);
      return reply(200, `${next}\n`);
    }
    return reply(404, 'this simulator serves GET /metrics, GET /scenario and POST /scenario?name=...\n');
  });
  await new Promise<void>((done, fail) => {
    server.once('error', (err) =>
      fail(
        new SyrrocaError('listen-failed', `cannot listen on ${flags.listen.host}:${flags.listen.port}: ${err.message}`)
      )
    );
    server.listen(flags.listen.port, flags.listen.host, () => done());
  });
  log(`serving /metrics on http://${flags.listen.host}:${flags.listen.port}, one ${scenario} sample every ${step} s`);
  await new Promise<void>((done) => {
    const stop = () => {
      clearTimeout(ticker);
      server.close(() => done());
      server.closeAllConnections();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

export function register(program: Command): void {
  program
    .command('simulate')
    .description('the seeded vIMS simulator: write a run to a file (--out), or serve it live for Prometheus (--listen)')
    .addOption(
      new Option('--scenario <name>', 'what happens (the fault begins at --fault-start)')
        .choices(SCENARIOS)
        .default('nominal')
    )
    .option('--hours <h>', 'length of the run (with --out)', positiveNumber)
    .option('--seed <n>', 'seed: the same seed gives the same run', nonNegativeInt, 1)
    .option('--step <duration>', 'seconds between samples, e.g. 30 or 5s', duration, 30)
    .option(
      '--start <time>',
      'where the run begins (default 2020-03-16T00:00:00Z); e.g. now-24h to backfill recent data',
      (v) => time(v)
    )
    .option(
      '--fault-start <hours>',
      'hours after the start at which the fault begins (cpu-stress: 10:00 or mid-run)',
      nonNegativeNumber
    )
    .option('--fault-hours <h>', 'how long packet loss or overload lasts (default: to the end)', positiveNumber)
    .option(
      '--restarts-per-week <n>',
      'random container restarts per container and week (default 0.1)',
      nonNegativeNumber
    )
    .option(
      '--out <file>',
      'write the run: .csv (wide CSV) or .om (OpenMetrics, for promtool tsdb create-blocks-from openmetrics)'
    )
    .option(
      '--listen <host:port>',
      'serve live: /metrics, and POST /scenario?name=... to switch the scenario',
      listenAddress
    )
    .action(
      action('simulate', async (flags: SimulateFlags) => {
        if ((flags.out === undefined) === (flags.listen === undefined)) {
          throw new SyrrocaError(
            'simulate-mode',
            'give either --out FILE (a run to a file) or --listen HOST:PORT (live)'
          );
        }
        if (flags.listen) {
          await live(flags as SimulateFlags & { listen: { host: string; port: number } });
        } else {
          await toFile(flags as SimulateFlags & { out: string });
        }
      })
    );
}
