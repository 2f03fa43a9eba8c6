/**
 * The simulator's text output against the real Prometheus tools: `promtool tsdb create-blocks-from
 * openmetrics` backfills it into TSDB blocks, and `promtool check metrics` reads a live scrape.
 */
import { execFileSync, spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { createSimulator, simulate, toOpenMetrics, toPrometheusText } from '../src/sim';
import { describeWith } from './helpers/binaries';

describeWith(['promtool'], 'simulator output in Prometheus tools', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'syrroca-om-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('backfills a simulated packet-loss run into TSDB blocks with every series and sample', () => {
    const sim = simulate({ seed: 9, hours: 3, scenario: 'packet-loss', restartsPerWeek: 0 });
    const file = join(dir, 'vims.om');
    writeFileSync(file, toOpenMetrics(sim.matrix));
    const data = join(dir, 'data');
    execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, data], { encoding: 'utf8' });

    // promtool's dump opens the directory as a live TSDB and wants a WAL folder there.
    mkdirSync(join(data, 'wal'), { recursive: true });
    const dump = execFileSync('promtool', ['tsdb', 'dump', data], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const lines = dump.trim().split('\n');
    expect(lines).toHaveLength(sim.matrix.features.length * 360);
    const failed = lines.filter((l) => l.startsWith('{__name__="sipp_failed_calls"}'));
    expect(failed.map((l) => Number(l.split(' ')[1]))).toEqual(Array.from(sim.kpi.failed));
    expect(failed[0].split(' ')[2]).toBe(String(sim.matrix.timestamps[0] * 1000));
    // Counter samples keep their _total name in the TSDB although the OpenMetrics family lacks it.
    const bono = lines.filter((l) =>
      l.startsWith('{__name__="container_cpu_usage_seconds_total", container="bono", namespace="vims", pod="bono-0"}')
    );
    expect(bono).toHaveLength(360);
  });

  it('serves a live scrape that promtool parses, with only node-exporter camelCase names to lint', () => {
    const sim = createSimulator({ seed: 9 });
    sim.step();
    const { values } = sim.step();
    const check = spawnSync('promtool', ['check', 'metrics'], {
      input: toPrometheusText(sim.features, values),
      encoding: 'utf8',
    });
    // Exit 3 = lint problems only (a parse error exits 1): the real node-exporter names promtool dislikes.
    expect(check.status).toBe(3);
    expect((check.stdout + check.stderr).trim().split('\n')).toEqual([
      "node_memory_MemAvailable_bytes metric names should be written in 'snake_case' not 'camelCase'",
      "node_memory_MemFree_bytes metric names should be written in 'snake_case' not 'camelCase'",
    ]);
  });
});
