/**
 * Hostile wide CSV: whatever the bytes, parseWideCsv returns a matrix that keeps its promises or
 * throws an InputError located inside the file. Never a TypeError, a hang or a silent wrong number.
 */
import fc from 'fast-check';

import { fuzz, hostileText } from '../../tests/helpers/fuzz';
import { formatWideCsv, parseWideCsv } from './csv';
import { InputError } from './errors';
import type { FeatureMatrix } from './types';

const CASES = 400;

/** Lines of a text as parseWideCsv counts them (LF, CRLF and lone CR each end a line). */
const lineCount = (text: string) => text.split(/\r\n|\r|\n/).length;

/** The outcome of parsing: a matrix whose invariants hold, or an InputError located in the text. */
function parseOrLocatedError(text: string): FeatureMatrix | InputError {
  let matrix: FeatureMatrix;
  try {
    matrix = parseWideCsv(text, { source: 'fuzz.csv' });
  } catch (error) {
    if (!(error instanceof InputError)) {
      throw error;
    }
    expect(error.message.startsWith('fuzz.csv:')).toBe(true);
    expect(error.location.line).toBeGreaterThanOrEqual(1);
    expect(error.location.line).toBeLessThanOrEqual(lineCount(text));
    return error;
  }
  const { timestamps, features, columns } = matrix;
  expect(timestamps.length).toBeGreaterThan(0);
  timestamps.forEach((t, i) => {
    expect(Number.isFinite(t)).toBe(true);
    if (i > 0) {
      expect(t).toBeGreaterThan(timestamps[i - 1]);
    }
  });
  expect(new Set(features).size).toBe(features.length);
  expect(features.every((f) => f !== '')).toBe(true);
  expect(columns).toHaveLength(features.length);
  for (const column of columns) {
    expect(column).toHaveLength(timestamps.length);
    // Missing is NaN; anything else is a finite number: never an Infinity slipped through.
    expect(column.every((v) => Number.isNaN(v) || Number.isFinite(v))).toBe(true);
  }
  return matrix;
}

/** A cell as a file may hold it: numbers in many spellings, missing values, and garbage. */
const cell = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer({ min: 1_600_000_000, max: 1_800_000_000 }).map(String),
  fc.constantFrom(
    '',
    ' ',
    'NaN',
    'nan',
    'Inf',
    '+Inf',
    '-inf',
    'Infinity',
    '1e999',
    '-1e999',
    '0x10',
    '1,5',
    '12 ms',
    '.',
    '-',
    'e5',
    '1e',
    '+.5'
  ),
  hostileText(8)
);
const quoted = (s: string) => `"${s.replace(/"/g, '""')}"`;
const row = fc.array(fc.oneof(cell, cell.map(quoted)), { minLength: 1, maxLength: 5 }).map((cells) => cells.join(','));
const lineEnd = fc.constantFrom('\n', '\r\n', '\r');
const csvLike = fc
  .tuple(
    fc.array(fc.oneof(fc.constant('timestamp'), hostileText(12), hostileText(12).map(quoted)), {
      minLength: 1,
      maxLength: 5,
    }),
    fc.array(row, { maxLength: 6 }),
    lineEnd,
    fc.boolean()
  )
  .map(([header, rows, end, bom]) => (bom ? '\ufeff' : '') + [header.join(','), ...rows].join(end) + end);

/** A valid file, to mutate. */
const validCsv = fc
  .tuple(
    fc.integer({ min: 1, max: 4 }),
    fc.array(
      fc.tuple(
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.option(fc.double({ noDefaultInfinity: true, noNaN: true })), { minLength: 4, maxLength: 4 })
      ),
      { minLength: 1, maxLength: 6 }
    )
  )
  .map(([n, rows]) => {
    let t = 1_700_000_000;
    const features = Array.from({ length: n }, (_, j) => `m{pod="p,${j}",c="a""b"}`);
    return (
      [`timestamp,${features.map(quoted).join(',')}`]
        .concat(
          rows.map(([dt, values]) =>
            [(t += dt), ...values.slice(0, n).map((v) => (v === null ? '' : String(v)))].join(',')
          )
        )
        .join('\n') + '\n'
    );
  });

type Edit = { at: number; remove: number; insert: string };
const edits = fc.array(fc.record({ at: fc.nat(), remove: fc.nat({ max: 3 }), insert: hostileText(3) }), {
  minLength: 1,
  maxLength: 4,
});
function applyEdits(text: string, list: Edit[]): string {
  return list.reduce((t, e) => {
    const at = e.at % (t.length + 1);
    return t.slice(0, at) + e.insert + t.slice(at + e.remove);
  }, text);
}

describe('parseWideCsv on hostile input', () => {
  it(`ends every one of ${CASES} arbitrary texts in a matrix that keeps its invariants or a located InputError`, () => {
    fuzz(
      fc.property(hostileText(200), (text) => {
        parseOrLocatedError(text);
      }),
      CASES
    );
  });

  it(`does the same for ${CASES} CSV-shaped files with hostile headers and cells`, () => {
    fuzz(
      fc.property(csvLike, (text) => {
        parseOrLocatedError(text);
      }),
      CASES
    );
  });

  it(`does the same for ${CASES} valid files with random edits, and keeps every number it reads`, () => {
    fuzz(
      fc.property(validCsv, edits, (text, list) => {
        const result = parseOrLocatedError(applyEdits(text, list));
        if (!(result instanceof InputError)) {
          // A file that parses writes back to a file that parses to the same matrix: no number was changed on the way.
          const again = parseWideCsv(formatWideCsv(result));
          expect(again.features).toEqual(result.features);
          expect(Array.from(again.timestamps)).toEqual(Array.from(result.timestamps));
          expect(again.columns.map((c) => Array.from(c, (v) => v + 0))).toEqual(
            result.columns.map((c) => Array.from(c, (v) => v + 0))
          );
        }
      }),
      CASES
    );
  });

  it('reads every number cell as the double it spells, whatever its spelling', () => {
    fuzz(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom('', ' ', '  '), (v, pad) => {
        const text = `timestamp,a\n1,${pad}${String(v)}${pad}\n2,${pad}${v.toExponential()}${pad}\n`;
        const { columns } = parseWideCsv(text);
        expect(columns[0][0] + 0).toBe(v + 0);
        expect(columns[0][1]).toBe(Number(v.toExponential()));
      }),
      CASES
    );
  });
});
