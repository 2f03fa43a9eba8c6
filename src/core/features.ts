/**
 * Step 1 of the method: what each series is (counter or gauge) and how it becomes a model input.
 * Series names are Prometheus series written `metric{label="v",...}` with labels sorted, so the same
 * series has the same name whether it came from a CSV header, the Prometheus API or a manifest.
 */
import { SyrrocaError } from './errors';
import type { FeatureKind, FeatureMatrix } from './types';

export interface SeriesName {
  metric: string;
  labels: Record<string, string>;
}

export interface DeclaredKinds {
  /** Series or metric names to treat as counters although they do not end in `_total`. */
  counters?: string[];
  /** Series or metric names to treat as gauges although they end in `_total`. */
  gauges?: string[];
}

/** The metric name of a series: everything before `{`, or the whole name when it has no labels. */
export function metricName(series: string): string {
  const brace = series.indexOf('{');
  return (brace < 0 ? series : series.slice(0, brace)).trim();
}

/**
 * Counter or gauge. A declaration (by series name or by metric name) wins; otherwise the Prometheus
 * naming convention decides: a metric name ending in `_total` is a counter.
 */
export function featureKind(name: string, declared: DeclaredKinds = {}): FeatureKind {
  const metric = metricName(name);
  const listed = (list: string[] | undefined) => list !== undefined && (list.includes(name) || list.includes(metric));
  const counter = listed(declared.counters);
  const gauge = listed(declared.gauges);
  if (counter && gauge) {
    throw new SyrrocaError(
      'feature-kind-conflict',
      `"${name}" is declared both a counter and a gauge: remove it from one of the two lists`
    );
  }
  if (counter) {
    return 'counter';
  }
  if (gauge) {
    return 'gauge';
  }
  return metric.endsWith('_total') ? 'counter' : 'gauge';
}

/** Escapes a label value as the Prometheus exposition format does: backslash, double quote, newline. */
function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/**
 * `metric{a="1",b="2"}` with labels sorted by name (UTF-16 code units, like Go's string order for
 * ASCII), or the bare metric name when there are no labels. `__name__` is the metric name itself
 * (the Prometheus API returns it among the labels), so it is left out.
 */
export function canonicalSeriesName(metric: string, labels: Record<string, string>): string {
  const names = Object.keys(labels)
    .filter((n) => n !== '__name__')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (names.length === 0) {
    return metric;
  }
  return `${metric}{${names.map((n) => `${n}="${escapeLabelValue(labels[n])}"`).join(',')}}`;
}

const LABEL_NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/**
 * Inverse of `canonicalSeriesName`; also reads Prometheus' own `metric{a="1", b="2"}` (spaces after
 * commas, any label order, trailing comma). Throws a SyrrocaError naming the position of a malformed
 * label set; a name without `{` is a bare metric name.
 */
export function parseSeriesName(name: string): SeriesName {
  const brace = name.indexOf('{');
  if (brace < 0) {
    return { metric: name.trim(), labels: {} };
  }
  const fail = (at: number, what: string): never => {
    throw new SyrrocaError(
      'series-name',
      `cannot read series name ${JSON.stringify(name)} at character ${at + 1}: ${what}; ` +
        'write it as metric{label="value",...} with \\\\, \\" and \\n escaped in values'
    );
  };
  const labels: Record<string, string> = {};
  let i = brace + 1;
  const skipSpaces = () => {
    while (name[i] === ' ' || name[i] === '\t') {
      i++;
    }
  };
  for (;;) {
    skipSpaces();
    if (name[i] === '}') {
      break;
    }
    LABEL_NAME.lastIndex = i;
    const match = LABEL_NAME.exec(name);
    if (match === null) {
      fail(i, 'expected a label name or "}"');
    }
    const label = match![0];
    if (Object.prototype.hasOwnProperty.call(labels, label)) {
      fail(i, `label "${label}" appears twice`);
    }
    i += label.length;
    skipSpaces();
    if (name[i] !== '=') {
      fail(i, `expected "=" after label "${label}"`);
    }
    i++;
    skipSpaces();
    if (name[i] !== '"') {
      fail(i, `expected a double-quoted value for label "${label}"`);
    }
    i++;
    let value = '';
    for (;;) {
      const c = name[i];
      if (c === undefined) {
        fail(i, `the value of label "${label}" has no closing quote`);
      }
      i++;
      if (c === '"') {
        break;
      }
      if (c === '\\') {
        const e = name[i++];
        if (e === '\\' || e === '"') {
          value += e;
        } else if (e === 'n') {
          value += '\n';
        } else {
          fail(i - 2, `unknown escape "\\${e ?? ''}" in the value of label "${label}"`);
        }
      } else {
        value += c;
      }
    }
    labels[label] = value;
    skipSpaces();
    if (name[i] === ',') {
      i++;
    } else if (name[i] !== '}') {
      fail(i, 'expected "," or "}" after a label value');
    }
  }
  i++;
  skipSpaces();
  if (i < name.length) {
    fail(i, 'unexpected text after "}"');
  }
  return { metric: name.slice(0, brace).trim(), labels };
}

/**
 * Per-step increase of a counter. The first step has no predecessor (NaN); a drop means the process
 * restarted and counted from zero, so the increment is the new value; NaN on either side stays NaN
 * (a gap is never bridged by an invented increment).
 */
export function counterIncrements(column: Float64Array): Float64Array {
  const out = new Float64Array(column.length);
  if (column.length > 0) {
    out[0] = NaN;
  }
  for (let i = 1; i < column.length; i++) {
    const previous = column[i - 1];
    const current = column[i];
    if (previous !== previous || current !== current) {
      out[i] = NaN;
    } else {
      out[i] = current >= previous ? current - previous : current;
    }
  }
  return out;
}

/**
 * Counters become increments, gauges keep their values. Gauge columns are shared with the input
 * (not copied): treat matrices as immutable.
 */
export function toModelInputs(matrix: FeatureMatrix, kinds: FeatureKind[]): FeatureMatrix {
  if (kinds.length !== matrix.features.length) {
    throw new SyrrocaError(
      'feature-kinds-length',
      `got ${kinds.length} feature kinds for ${matrix.features.length} features: give one kind per feature`
    );
  }
  return {
    timestamps: matrix.timestamps,
    features: matrix.features,
    columns: matrix.columns.map((column, j) => (kinds[j] === 'counter' ? counterIncrements(column) : column)),
  };
}
