/**
 * Values that enter PromQL, checked by Prometheus' own parser and evaluator (`promtool test rules`,
 * one process for the whole batch): a template variable value (a dashboard variable, a CLI --var)
 * and a feature name (from a CSV header or a manifest loaded from a URL) select exactly the series
 * they name. A value such as `vims"} or up{x="` cannot add a selector: the query still finds the
 * one series whose label holds that text, beside decoys that an injected query would match.
 */
import { spawnSync } from 'child_process';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { canonicalSeriesName } from '../src/core/features';
import { featureQuerySet } from '../src/prom/derive';
import { expandQuerySet } from '../src/prom/querySet';
import { describeWith } from './helpers/binaries';
import { fuzzCases, hostileText } from './helpers/fuzz';

const VALUE_CASES = 200;
const FEATURE_CASES = 120;

/** A label set in promtool's series notation, escaped by JSON (Go's unquote reads JSON's escapes): independent of the code under test. */
const series = (labels: Record<string, string>) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')}}`;

interface Case {
  input: Array<Record<string, string>>;
  expr: string;
  expected: Array<Record<string, string>>;
}

/** Runs every case in one `promtool test rules` file; returns promtool's output when a case fails. */
function runPromtool(cases: Case[]): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'syrroca-promql-fuzz-'));
  try {
    const file = join(dir, 'cases.json');
    const tests = cases.map((c) => ({
      interval: '1m',
      input_series: c.input.map((labels) => ({ series: series(labels), values: '1' })),
      promql_expr_test: [
        {
          expr: c.expr,
          eval_time: '0m',
          exp_samples: c.expected.map((labels) => ({ labels: series(labels), value: 1 })),
        },
      ],
    }));
    // YAML reads JSON.
    writeFileSync(file, JSON.stringify({ rule_files: [], evaluation_interval: '1m', tests }));
    const run = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8', maxBuffer: 1 << 26 });
    return { status: run.status, output: `${run.stdout}${run.stderr}`.slice(0, 4000) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Label values Prometheus stores: valid UTF-8 (no lone surrogates), not empty (an empty value is no label). */
const labelValue = fc
  .oneof(
    hostileText(16),
    fc.constantFrom(
      'vims"} or up{x="',
      "vims'} or up{x='",
      'a\\"} or vector(1) #',
      '.*',
      'a|b',
      '$1',
      '${x}',
      '`',
      '\\',
      'x\ny',
      '\u2028'
    )
  )
  .filter((v) => v !== '' && !/[\ud800-\udfff]/.test(v.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')));

describeWith(['promtool'], 'values entering PromQL, evaluated by promtool', () => {
  it(`selects exactly the series named by each of ${VALUE_CASES} hostile variable values, in "...", '...' and =~ matchers`, () => {
    const templates = [
      'fuzz{case="$case", x="$v"}',
      "fuzz{case='$case', x='$v'}",
      'fuzz{case="$case", x=~"$v"}',
      'fuzz{case="$case", x=~"${v}"}',
    ];
    const cases = fc
      .sample(fc.tuple(labelValue, fc.constantFrom(...templates)), fuzzCases(VALUE_CASES))
      .map(([v, template], k) => {
        const own = { __name__: 'fuzz', case: String(k), x: v };
        // Decoys an injected or unanchored query would also match.
        const decoys = ['decoy', `${v}x`, `x${v}`].map((x) => ({ __name__: 'fuzz', case: String(k), x }));
        const query = expandQuerySet({ version: 1, groups: { g: [template] } }, { case: String(k), v }).groups.g[0];
        return { input: [own, ...decoys], expr: query, expected: [own] };
      });
    const { status, output } = runPromtool(cases);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it(`reads back exactly the series of each of ${FEATURE_CASES} hostile feature names through the query derived from them`, () => {
    const metric = fc.oneof(
      fc.stringMatching(/^[a-z_:][a-z0-9_:]{0,8}$/),
      fc.constantFrom('up or vector(1)', 'sum(up)', 'a b', 'rate(x[5m])', 'up"} or up', 'x"', '$v'),
      hostileText(10).filter((m) => m.trim() === m && m !== '' && !m.includes('{') && !/[\ud800-\udfff]/.test(m))
    );
    // A metric name holding "{" cannot be written as a series name at all (the name ends at the first brace).
    const feature = fc.record({
      metric,
      labels: fc.dictionary(fc.stringMatching(/^[a-z_][a-z0-9_]{0,4}$/), labelValue, { maxKeys: 3 }),
    });
    const cases = fc.sample(feature, fuzzCases(FEATURE_CASES)).map(({ metric: m, labels }, k) => {
      const named = { ...labels, case: String(k) };
      const name = canonicalSeriesName(m, named);
      const expr = expandQuerySet(featureQuerySet({ g: [name] }), {}).groups.g[0];
      const own = { __name__: m, ...named };
      const decoys = [
        { __name__: 'up', ...named },
        { __name__: m, ...named, case: `${k}x` },
      ];
      return { input: [own, ...decoys], expr, expected: [own] };
    });
    const { status, output } = runPromtool(cases);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });
});
