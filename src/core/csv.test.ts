import fc from 'fast-check';

import { formatWideCsv, parseWideCsv } from './csv';
import { InputError } from './errors';
import { canonicalSeriesName } from './features';

const values = (column: Float64Array) => Array.from(column);

/** The InputError `parseWideCsv` throws for `text`, with its code, location and message. */
function csvError(text: string): InputError {
  try {
    parseWideCsv(text, { source: 'f.csv' });
  } catch (error) {
    if (error instanceof InputError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('parseWideCsv', () => {
  it('reads timestamps and one column per feature', () => {
    const matrix = parseWideCsv('timestamp,cpu,mem\n1700000000,0.5,100\n1700000030.5,0.25,1e3\n');
    expect(values(matrix.timestamps)).toEqual([1700000000, 1700000030.5]);
    expect(matrix.features).toEqual(['cpu', 'mem']);
    expect(matrix.columns.map(values)).toEqual([
      [0.5, 0.25],
      [100, 1000],
    ]);
  });

  it('reads empty cells, blank cells and the literal NaN as missing', () => {
    const matrix = parseWideCsv('timestamp,a,b\n1,,NaN\n2, ,nan\n3,4,5\n');
    expect(matrix.columns.map(values)).toEqual([
      [NaN, NaN, 4],
      [NaN, NaN, 5],
    ]);
  });

  it('reads quoted series names holding quotes and commas, and writes them canonically', () => {
    const text =
      'timestamp,"container_cpu_usage_seconds_total{pod=""bono-0"",container=""bono""}",node_load1\n' + '10,1.5,0.2\n';
    const matrix = parseWideCsv(text);
    expect(matrix.features).toEqual(['container_cpu_usage_seconds_total{container="bono",pod="bono-0"}', 'node_load1']);
    expect(matrix.columns.map(values)).toEqual([[1.5], [0.2]]);
  });

  it('accepts CRLF line ends, a byte order mark, blank lines and spaces around cells', () => {
    const matrix = parseWideCsv('\ufefftimestamp, a ,b\r\n\r\n 1 , 2 ,3\r\n   \r\n2,4,5\r\n');
    expect(matrix.features).toEqual(['a', 'b']);
    expect(values(matrix.timestamps)).toEqual([1, 2]);
    expect(matrix.columns.map(values)).toEqual([
      [2, 4],
      [3, 5],
    ]);
  });

  it('reads signed, fractional and exponent numbers', () => {
    const matrix = parseWideCsv('timestamp,a\n1,-0.5\n2,+.25\n3,1.\n4,2.5E-3\n');
    expect(values(matrix.columns[0])).toEqual([-0.5, 0.25, 1, 0.0025]);
  });

  it('reads a series name written without quotes when it holds no comma', () => {
    const matrix = parseWideCsv('timestamp,node_load1{job="node"},x\n1,2,3\n');
    expect(matrix.features).toEqual(['node_load1{job="node"}', 'x']);
  });

  it('reads a file without a final newline', () => {
    expect(values(parseWideCsv('timestamp,a\n1,2').columns[0])).toEqual([2]);
  });

  describe('refuses bad input with the exact line and column', () => {
    it.each([
      ['an empty file', '', 'csv-empty', 1, 1],
      ['a file of blank lines', '\n  \n', 'csv-empty', 1, 1],
      ['a file without header', '1,2\n', 'csv-header', 1, 1],
      ['a first header cell other than timestamp', 'time,a\n1,2\n', 'csv-header', 1, 1],
      ['a header without features', 'timestamp\n1\n', 'csv-no-features', 1, 1],
      ['an empty feature name', 'timestamp,a,\n1,2,3\n', 'csv-empty-feature', 1, 3],
      ['a duplicate feature name', 'timestamp,a,b,a\n1,2,3,4\n', 'csv-duplicate-feature', 1, 4],
      ['a series name cut at a comma', 'timestamp,m{a="1",b="2"}\n1,2,3\n', 'csv-series-name', 1, 2],
      ['a row with too many cells', 'timestamp,a\n1,2\n2,3,4\n', 'csv-cell-count', 3, 3],
      ['a row with too few cells', 'timestamp,a,b\n1,2\n', 'csv-cell-count', 2, 3],
      ['a non-numeric cell', 'timestamp,a,b\n1,2,3\n2,3,abc\n', 'csv-non-numeric', 3, 3],
      ['a hexadecimal cell', 'timestamp,a\n1,0x10\n', 'csv-non-numeric', 2, 2],
      ['a stray quote in a number', 'timestamp,a\n1,2"\n', 'csv-non-numeric', 2, 2],
      ['an infinite cell', 'timestamp,a\n1,+Inf\n', 'csv-infinite', 2, 2],
      ['a number beyond the double range', 'timestamp,a\n1,1e400\n', 'csv-infinite', 2, 2],
      ['a missing timestamp', 'timestamp,a\n,2\n', 'csv-timestamp', 2, 1],
      ['a non-numeric timestamp', 'timestamp,a\n2024-01-01,2\n', 'csv-timestamp', 2, 1],
      ['a timestamp in milliseconds', 'timestamp,a\n1700000000000,2\n', 'csv-timestamp', 2, 1],
      ['a duplicate timestamp', 'timestamp,a\n1,2\n2,3\n2,4\n', 'csv-duplicate-timestamp', 4, 1],
      ['unsorted rows', 'timestamp,a\n1,2\n3,3\n2,4\n', 'csv-unsorted', 4, 1],
      ['a header without rows', 'timestamp,a\n', 'csv-no-rows', 2, undefined],
      ['an unclosed quote', 'timestamp,a\n1,2\n2,"3\n3,4\n', 'csv-unclosed-quote', 3, 2],
      ['an unclosed quote in the header', 'timestamp,"a\n1,2\n', 'csv-unclosed-quote', 1, 2],
      ['text after a closing quote', 'timestamp,a,b\n1,"2"x,3\n', 'csv-text-after-quote', 2, 2],
    ])('%s', (_, text, code, line, column) => {
      const error = csvError(text);
      expect(error.code).toBe(code);
      expect(error.location).toEqual({ source: 'f.csv', line, column });
      expect(error.message.startsWith(`f.csv:${line}${column === undefined ? '' : `:${column}`}: `)).toBe(true);
    });

    it('counts lines inside quoted cells that span lines, with LF or CRLF', () => {
      for (const eol of ['\n', '\r\n']) {
        // The header spans lines 1-2, so the row "2,3,oops" is line 4.
        const afterHeader = csvError(['timestamp,"a', 'b",c', '1,2,3', '2,3,oops', ''].join(eol));
        expect(afterHeader.code).toBe('csv-non-numeric');
        expect(afterHeader.location).toEqual({ source: 'f.csv', line: 4, column: 3 });
        // A bad cell that spans lines 4-5 is reported on the line where it starts.
        const spanning = csvError(['timestamp,"a', 'b",c', '1,2,3', '2,"x', 'y",4', ''].join(eol));
        expect(spanning.location).toEqual({ source: 'f.csv', line: 4, column: 2 });
        // The fourth cell of a row that starts on line 4 sits on line 5.
        const later = csvError(['timestamp,"a', 'b",c', '1,2,3', '2,"x', '",3,4', ''].join(eol));
        expect(later.code).toBe('csv-cell-count');
        expect(later.location).toEqual({ source: 'f.csv', line: 5, column: 4 });
        // csv-parse's own error, after a cell spanning two lines: the unclosed quote on line 5.
        const unclosed = csvError(['timestamp,"a', 'b",c', '1,2,3', '2,3,4', '3,"4,5', ''].join(eol));
        expect(unclosed.location).toEqual({ source: 'f.csv', line: 5, column: 2 });
      }
    });

    it('counts lines after blank lines and a byte order mark', () => {
      expect(csvError('\ufefftimestamp,a\n\n\n1,x\n').location).toEqual({ source: 'f.csv', line: 4, column: 2 });
    });

    it('names both lines of a duplicate timestamp and quotes a bad value', () => {
      expect(csvError('timestamp,a\n1,2\n\n1,3\n').message).toBe(
        'f.csv:4:1: timestamp 1 repeats the timestamp of line 2: keep one row per timestamp'
      );
      expect(csvError('timestamp,a\n1,2\n0.5,3\n').message).toBe(
        'f.csv:3:1: timestamp 0.5 is earlier than 1 on line 2: sort the rows by timestamp'
      );
      expect(csvError('timestamp,a\n1,12 ms\n').message).toBe(
        'f.csv:2:2: the value "12 ms" of feature "a" is not a number: write a decimal number (e.g. 12.5 or 1e-3), ' +
          'or leave the cell empty for a missing value'
      );
    });

    it('refuses two header names for the same series in different label orders', () => {
      const error = csvError('timestamp,"m{a=""1"",b=""2""}","m{b=""2"",a=""1""}"\n1,2,3\n');
      expect(error.code).toBe('csv-duplicate-feature');
      expect(error.location.column).toBe(3);
    });
  });
});

describe('formatWideCsv', () => {
  it('quotes names that need it, writes missing values empty and ends with a newline', () => {
    const text = formatWideCsv({
      timestamps: Float64Array.from([1700000000, 1700000030.5]),
      features: ['m{a="x,y"}', 'plain', ' padded'],
      columns: [Float64Array.from([0.1, NaN]), Float64Array.from([1e21, -2]), Float64Array.from([3, 4])],
    });
    expect(text).toBe(
      'timestamp,"m{a=""x,y""}",plain," padded"\n' + '1700000000,0.1,1e+21,3\n' + '1700000030.5,,-2,4\n'
    );
  });

  it('refuses infinite values, which the CSV cannot hold', () => {
    expect(() =>
      formatWideCsv({ timestamps: Float64Array.from([5]), features: ['a'], columns: [Float64Array.from([Infinity])] })
    ).toThrow(/feature "a" is Infinity at 5/);
  });

  it('round-trips through parseWideCsv', () => {
    const bareName = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 12 })
      .filter((s) => !s.includes('{') && s.trim() !== '' && s !== 'timestamp');
    const seriesName = fc
      .record({
        metric: fc.stringMatching(/^[a-z_]{1,8}$/),
        labels: fc.dictionary(fc.stringMatching(/^[a-z_]{1,4}$/), fc.string({ unit: 'binary', maxLength: 8 })),
      })
      .map(({ metric, labels }) => canonicalSeriesName(metric, labels));
    const value = fc.oneof(fc.double({ noDefaultInfinity: true }), fc.constant(NaN));
    const matrix = fc
      .tuple(
        fc.uniqueArray(fc.oneof(bareName, seriesName), { minLength: 1, maxLength: 5 }),
        fc.uniqueArray(fc.double({ min: -1e10, max: 1e10, noNaN: true }), { minLength: 1, maxLength: 8 })
      )
      .chain(([features, times]) => {
        const timestamps = Float64Array.from(times.map((t) => (Object.is(t, -0) ? 0 : t))).sort();
        return fc
          .array(fc.array(value, { minLength: timestamps.length, maxLength: timestamps.length }), {
            minLength: features.length,
            maxLength: features.length,
          })
          .map((columns) => ({ timestamps, features, columns: columns.map((c) => Float64Array.from(c)) }));
      })
      .filter(({ timestamps }) => timestamps.every((t, i) => i === 0 || t > timestamps[i - 1]));
    fc.assert(
      fc.property(matrix, (original) => {
        const copy = parseWideCsv(formatWideCsv(original));
        expect(copy.features).toEqual(original.features);
        expect(values(copy.timestamps)).toEqual(values(original.timestamps));
        // -0 is written "0": compare with Object.is semantics except for the sign of zero.
        expect(copy.columns.map((c) => values(c).map((v) => v + 0))).toEqual(
          original.columns.map((c) => values(c).map((v) => v + 0))
        );
      })
    );
  });
});
