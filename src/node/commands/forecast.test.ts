import { Command } from 'commander';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { formatWideCsv } from '../../core/csv';
import { randomStream } from '../../sim/random';
import { simulateArima } from '../../core/forecast/simulate';
import { dateTimesToUnix, register } from './forecast';

const dir = mkdtempSync(join(tmpdir(), 'syrroca-forecast-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = (name: string) => join(dir, name);

/** Runs `syrroca forecast ...` in process; returns what it wrote on stderr and the exit code it set. */
async function forecast(args: string[]): Promise<{ stderr: string; code: number }> {
  const program = new Command('syrroca').exitOverride();
  register(program);
  let stderr = '';
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'syrroca', 'forecast', ...args]);
  } finally {
    spy.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { stderr, code };
}

const n = 900;
const t0 = 1_700_000_010;
const timestamps = Float64Array.from({ length: n }, (_, i) => t0 + 30 * i);
const calls = simulateArima(n, { ar: [0.6], mean: 100, sigma: 3 }, randomStream(31, 'forecast'));
calls[700] += 40;
// A counter: cumulative CPU seconds whose per-step increment is the forecast series.
const increments = simulateArima(n, { ar: [0.5], mean: 5, sigma: 0.3 }, randomStream(32, 'forecast'));
const cpu = Float64Array.from(increments);
for (let i = 1; i < n; i++) {
  cpu[i] = cpu[i - 1] + increments[i];
}
const matrix = {
  timestamps,
  features: ['SuccessfulCall', 'container_cpu_usage_seconds_total{pod="pcscf-0"}'],
  columns: [calls, cpu],
};
writeFileSync(path('data.csv'), formatWideCsv(matrix));

describe('syrroca forecast', () => {
  it('writes one JSONL line per (timestamp, feature) after the training part, anomalous on the onset line', async () => {
    const result = await forecast([
      '--csv',
      path('data.csv'),
      '--out',
      path('out.jsonl'),
      '--window',
      '100,200',
      '--train',
      '400',
    ]);
    expect(result.code).toBe(0);
    const lines = readFileSync(path('out.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2 * (n - 400));
    expect(Object.keys(lines[0]).slice(0, 7)).toEqual([
      't',
      'feature',
      'value',
      'predicted',
      'error',
      'threshold',
      'anomalous',
    ]);
    expect(lines[0].windows.map((w: { window: number }) => w.window)).toEqual([100, 200]);
    const onset = lines.find((l) => l.feature === 'SuccessfulCall' && l.t === t0 + 30 * 700);
    expect(onset.anomalous).toBe(true);
    expect(onset.end).toBeGreaterThanOrEqual(onset.t);
    // Counters are forecast as increments: the CPU line's value is the step's increment, not the total.
    const cpuLine = lines.find((l) => l.feature.startsWith('container_cpu') && l.t === t0 + 30 * 500);
    expect(cpuLine.value).toBeCloseTo(increments[500], 9);
    expect(result.stderr).toMatch(/SuccessfulCall: \d+ episode\(s\) \(confirm\)/);
    expect(result.stderr).toMatch(/\* ARIMA\(\d,\d,\d\)\s+mse \d/);
    // Written atomically: no temporary file left behind.
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('reads a CSV with repeated and out-of-order timestamps by the documented policy, with warnings', async () => {
    const text = formatWideCsv({ ...matrix, features: ['SuccessfulCall'], columns: [calls] })
      .trimEnd()
      .split('\n');
    // Repeat rows 500-509 (a repeated hour) and swap two rows.
    const rows = [text[0], ...text.slice(1, 511), ...text.slice(501, 511), ...text.slice(511)];
    [rows[600], rows[601]] = [rows[601], rows[600]];
    writeFileSync(path('dst.csv'), rows.join('\n') + '\n');
    const result = await forecast([
      '--csv',
      path('dst.csv'),
      '--out',
      path('dst.jsonl'),
      '--window',
      '100',
      '--train',
      '400',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: 10 repeated timestamps/);
    // The repeat steps back in time once, and the swapped pair once.
    expect(result.stderr).toMatch(/warning: 2 timestamps were out of order/);
    expect(readFileSync(path('dst.jsonl'), 'utf8').trim().split('\n')).toHaveLength(n - 400);
  });

  it('keeps the line number of a bad cell in a file read as runs', async () => {
    const text = formatWideCsv({ ...matrix, features: ['SuccessfulCall'], columns: [calls] })
      .trimEnd()
      .split('\n');
    const rows = [text[0], ...text.slice(1, 11), ...text.slice(5, 11), ...text.slice(11)];
    rows[20] = rows[20].replace(/,.*/, ',12 ms');
    writeFileSync(path('bad.csv'), rows.join('\n') + '\n');
    const result = await forecast(['--csv', path('bad.csv'), '--out', path('bad.jsonl')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^syrroca forecast: ${path('bad.csv')}:21:`));
  });

  it('says st must exceed w, in one line', async () => {
    const result = await forecast([
      '--csv',
      path('data.csv'),
      '--out',
      path('x.jsonl'),
      '--window',
      '300',
      '--train',
      '300',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^syrroca forecast: the training size st = 300 must be larger than every window w \(st > w\)/
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('says which features exist when the regex matches none', async () => {
    const result = await forecast(['--csv', path('data.csv'), '--out', path('x.jsonl'), '--features', '^nothing']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'no feature matches /^nothing/: the file has SuccessfulCall, container_cpu_usage_seconds_total'
    );
  });

  it('reads date-time timestamps (as public series are exported), a time without a zone as UTC, with a warning', async () => {
    const rows = Array.from(calls.subarray(0, 400), (v, i) => {
      const iso = new Date((t0 + 30 * i) * 1000).toISOString().replace('T', ' ').replace('.000Z', '');
      return `${iso},${v}`;
    });
    writeFileSync(path('dates.csv'), ['timestamp,value', ...rows].join('\n') + '\n');
    const result = await forecast(['--csv', path('dates.csv'), '--out', path('dates.jsonl'), '--season', 'none']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'warning: read 400 date-time timestamp(s) as unix seconds, 400 without a time zone as UTC'
    );
    const first = JSON.parse(readFileSync(path('dates.jsonl'), 'utf8').split('\n')[0]);
    // 400 rows: windows 20 and 50 from the length, trained on 100 points.
    expect(first.t).toBe(t0 + 30 * 100);
    expect(first.value).toBe(calls[100]);
  });
});

describe('dateTimesToUnix', () => {
  it('converts RFC 3339 times with a zone or an offset, and leaves unix seconds alone', () => {
    const text = 'timestamp,x\n2024-03-31T01:30:00+01:00,1\n"2024-03-31T00:30:00Z",2\n1711848600,3';
    expect(dateTimesToUnix(text)).toEqual({
      text: 'timestamp,x\n1711845000,1\n1711845000,2\n1711848600,3',
      converted: 2,
      zoneless: 0,
    });
    expect(dateTimesToUnix('timestamp,x\n1,2').converted).toBe(0);
  });
});
