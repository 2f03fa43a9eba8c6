/**
 * `syrroca simulate` through the bin: a run to a file is exactly the in-process simulation, and
 * the live server stamps samples on the step grid and switches scenario on request.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import { formatWideCsv } from '../src/core/csv';
import { simulate, toOpenMetrics } from '../src/sim';
import { runCli, startCli, tempDir } from './helpers/cli';
import { freePort } from './helpers/prometheus';

describe('syrroca simulate', () => {
  const dir = tempDir('simulate');
  afterAll(() => dir.remove());

  it('writes the same run as the simulator, as wide CSV and as OpenMetrics, on the step grid from --start', async () => {
    const args = ['--scenario', 'overload', '--hours', '0.1', '--seed', '3', '--step', '10s', '--start', '1700000005'];
    const [csv, om] = await Promise.all([
      runCli(['simulate', ...args, '--out', join(dir.path, 'run.csv')]),
      runCli(['simulate', ...args, '--out', join(dir.path, 'run.om')]),
    ]);
    expect(csv.code).toBe(0);
    expect(om.code).toBe(0);
    const run = simulate({ scenario: 'overload', hours: 0.1, seed: 3, stepSeconds: 10, start: 1_700_000_000 });
    expect(readFileSync(join(dir.path, 'run.csv'), 'utf8')).toBe(formatWideCsv(run.matrix));
    expect(readFileSync(join(dir.path, 'run.om'), 'utf8')).toBe(toOpenMetrics(run.matrix));
    expect(csv.stderr).toBe(
      'wrote 36 steps of 238 series (overload) from 2023-11-14T22:13:30.000Z to 2023-11-14T22:19:20.000Z to ' +
        `${join(dir.path, 'run.csv')}\n`
    );
  }, 60_000);

  it('refuses an unknown output format and a missing mode in one line each', async () => {
    const format = await runCli(['simulate', '--hours', '1', '--out', join(dir.path, 'run.json')]);
    expect(format).toMatchObject({
      code: 1,
      stderr: `syrroca simulate: --out ${join(dir.path, 'run.json')}: write .csv (wide CSV) or .om (OpenMetrics for promtool)\n`,
    });
    const mode = await runCli(['simulate', '--hours', '1']);
    expect(mode).toMatchObject({
      code: 1,
      stderr: 'syrroca simulate: give either --out FILE (a run to a file) or --listen HOST:PORT (live)\n',
    });
  }, 60_000);

  it('serves live samples stamped on the step grid, switches scenario on POST /scenario, and stops on SIGTERM', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const live = startCli(['simulate', '--listen', `127.0.0.1:${port}`, '--step', '2', '--seed', '1']);
    try {
      await live.waitForLog(/serving \/metrics on http:\/\/127\.0\.0\.1:\d+, one nominal sample every 2 s/);
      const response = await fetch(`${url}/metrics`);
      expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const samples = (await response.text()).split('\n').filter((l) => l && !l.startsWith('#'));
      expect(samples).toHaveLength(238);
      const stamps = new Set(samples.map((l) => Number(l.split(' ').pop())));
      expect(stamps.size).toBe(1);
      const [stamp] = stamps;
      expect(stamp % 2000).toBe(0);
      expect(Math.abs(Date.now() - stamp)).toBeLessThan(5000);

      expect(await (await fetch(`${url}/scenario?name=cpu-stress`, { method: 'POST' })).text()).toBe('cpu-stress\n');
      expect(await (await fetch(`${url}/scenario`)).text()).toBe('cpu-stress\n');
      const bad = await fetch(`${url}/scenario?name=meltdown`, { method: 'POST' });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toBe('give ?name= one of nominal, packet-loss, overload, cpu-stress\n');
      await live.waitForLog(/scenario cpu-stress from /);
    } finally {
      expect(await live.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    }
  }, 60_000);
});
