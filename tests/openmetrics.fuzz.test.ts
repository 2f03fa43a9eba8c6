/**
 * The simulator's text formats with hostile label values (quotes, backslashes, newlines, braces,
 * commas, control and astral characters), read by Prometheus' own parsers in one batch each:
 * OpenMetrics backfilled by `promtool tsdb create-blocks-from openmetrics` and dumped back gives
 * every series with exactly its labels and values; the 0.0.4 scrape passes `promtool check metrics`.
 */
import { execFileSync, spawnSync } from 'child_process';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { canonicalSeriesName } from '../src/core/features';
import { toOpenMetrics, toPrometheusText } from '../src/sim';
import { describeWith } from './helpers/binaries';
import { fuzzCases, hostileText } from './helpers/fuzz';

const SERIES = 300;
const STEPS = 3;

/** Go's strconv.Quote escapes, read back: `"..."` starting at `text[i]`; returns the value and the index after the closing quote. */
function unquoteGo(text: string, i: number): [string, number] {
  const simple: Record<string, string> = {
    a: '\x07',
    b: '\b',
    f: '\f',
    n: '\n',
    r: '\r',
    t: '\t',
    v: '\v',
    '\\': '\\',
    '"': '"',
  };
  const bytes: number[] = [];
  const flush = (out: string[]) => {
    if (bytes.length) {
      out.push(Buffer.from(bytes).toString('utf8'));
      bytes.length = 0;
    }
  };
  const out: string[] = [];
  for (i++; text[i] !== '"';) {
    if (text[i] !== '\\') {
      flush(out);
      const cp = text.codePointAt(i)!;
      out.push(String.fromCodePoint(cp));
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = text[i + 1];
    if (e === 'x') {
      bytes.push(parseInt(text.slice(i + 2, i + 4), 16));
      i += 4;
      continue;
    }
    flush(out);
    if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      out.push(String.fromCodePoint(parseInt(text.slice(i + 2, i + 2 + n), 16)));
      i += 2 + n;
    } else {
      out.push(simple[e]);
      i += 2;
    }
  }
  flush(out);
  return [out.join(''), i + 1];
}

/** One line of `promtool tsdb dump`: `{__name__="m", a="v"} value timestamp_ms`. */
function readDumpLine(line: string): { labels: Record<string, string>; value: number; t: number } {
  const labels: Record<string, string> = {};
  let i = 1;
  while (line[i] !== '}') {
    const eq = line.indexOf('=', i);
    const name = line.slice(i, eq);
    const [value, next] = unquoteGo(line, eq + 1);
    labels[name] = value;
    i = line[next] === ',' ? next + 2 : next;
  }
  const [value, t] = line.slice(i + 2).split(' ');
  const infinities: Record<string, number> = { '+Inf': Infinity, '-Inf': -Infinity };
  return { labels, value: infinities[value] ?? Number(value), t: Number(t) };
}

/** Label values a TSDB stores: valid UTF-8 (no lone surrogates), not empty (an empty value is no label). */
const labelValue = hostileText(16).filter(
  (v) => v !== '' && !/[\ud800-\udfff]/.test(v.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))
);
const seriesArb = fc.record({
  labels: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,4}$/), labelValue, { minKeys: 1, maxKeys: 3 }),
  kind: fc.constantFrom('gauge', 'counter'),
  values: fc.array(
    fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(0, 1e-320, Number.MAX_VALUE, -Infinity, Infinity)),
    { minLength: STEPS, maxLength: STEPS }
  ),
});

describeWith(['promtool'], 'simulator text formats with hostile labels, read by promtool', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'syrroca-om-fuzz-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Each case its own metric (a counter's samples are named ..._total), so one file holds them all.
  const cases = fc.sample(seriesArb, fuzzCases(SERIES)).map((s, k) => ({
    ...s,
    name: canonicalSeriesName(s.kind === 'counter' ? `fuzz_${k}_total` : `fuzz_${k}`, s.labels),
    // Counters only go up: keep the absolute values, sorted.
    values: s.kind === 'counter' ? s.values.map(Math.abs).sort((a, b) => a - b) : s.values,
  }));
  const matrix = {
    timestamps: Float64Array.from({ length: STEPS }, (_, i) => 1_700_000_000 + 30 * i),
    features: cases.map((c) => c.name),
    columns: cases.map((c) => Float64Array.from(c.values)),
  };

  it(`backfills ${SERIES} hostile series and dumps back exactly their labels and values`, () => {
    const file = join(dir, 'fuzz.om');
    writeFileSync(file, toOpenMetrics(matrix, { help: {} }));
    const data = join(dir, 'data');
    execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, data], { encoding: 'utf8' });
    mkdirSync(join(data, 'wal'), { recursive: true });
    const dump = execFileSync('promtool', ['tsdb', 'dump', data], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const got = new Map<string, number[]>();
    for (const line of dump.trim().split('\n')) {
      const { labels, value } = readDumpLine(line);
      const { __name__: metric, ...rest } = labels;
      const name = canonicalSeriesName(metric, rest);
      got.set(name, [...(got.get(name) ?? []), value]);
    }
    expect([...got.keys()].sort()).toEqual([...matrix.features].sort());
    for (const c of cases) {
      expect(got.get(c.name)!.map((v) => v + 0)).toEqual(c.values.map((v) => v + 0));
    }
  });

  it(`serves ${SERIES} hostile series in a scrape that promtool check metrics parses`, () => {
    const check = spawnSync('promtool', ['check', 'metrics'], {
      input: toPrometheusText(
        matrix.features,
        matrix.columns.map((c) => c[0]),
        { help: {} }
      ),
      encoding: 'utf8',
    });
    // Exit 0 = clean, 3 = lint remarks only (no HELP text); a parse error exits 1.
    expect([0, 3]).toContain(check.status);
    expect(check.stdout + check.stderr).not.toMatch(/error|parse/i);
  });
});
