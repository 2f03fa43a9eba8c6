/**
 * Wide CSV, the file format of the command line: header `timestamp,<feature>,...`, one row per
 * sample, timestamp in unix seconds, RFC 4180 quoting. Series names such as
 * `container_cpu_usage_seconds_total{container="bono",pod="bono-0"}` hold commas, so such a header
 * cell is written `"container_cpu_usage_seconds_total{container=""bono"",pod=""bono-0""}"`. A cell that
 * does not start with a quote is taken literally up to the next comma, so `node_load1{job="node"}`
 * may also be written unquoted; a header name that has `{` but does not read as a series (a label
 * set cut at a comma) is refused with the advice to quote it.
 *
 * Cells:
 * - empty (or only spaces) = missing, stored as NaN;
 * - `NaN` (any case) = missing too, because Prometheus writes NaN for values it could not compute
 *   (0/0 in a rate or a ratio) and there is nothing else to do with it;
 * - `Inf`, `+Inf`, `-Inf`, `Infinity` and numbers beyond the double range are rejected: min-max
 *   scaling cannot use them, and silently dropping them would hide a broken exporter;
 * - otherwise a decimal number (`12`, `-0.5`, `.5`, `1e-3`); anything else (`0x10`, `12 ms`) is
 *   rejected. Spaces around a cell (outside its quotes) are ignored.
 *
 * Header names are rewritten canonically (labels sorted), so files that list the same labels in
 * another order name the same features.
 *
 * Parsing is csv-parse's; this module locates its errors precisely. Errors are located at
 * `source:line:column` where the line is the 1-based line of the offending cell, right also after
 * quoted cells that span lines and with CRLF line ends (csv-parse's own count is off there, so lines
 * are counted here from byte offsets, only when an error is reported), and the column is the 1-based
 * cell number, the CSV column a spreadsheet shows; the message names the feature.
 *
 * In a browser bundle, alias `csv-parse/sync` to `csv-parse/browser/esm/sync`: the default build
 * uses Node's global `Buffer`.
 */
import { CsvError, type Info, parse } from 'csv-parse/sync';

import { InputError, SyrrocaError } from './errors';
import { canonicalSeriesName, parseSeriesName } from './features';
import type { FeatureMatrix } from './types';

export interface ParseWideCsvOptions {
  /** File name or URL shown in error messages (default `csv`). */
  source?: string;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const HEADER_EXAMPLE = 'timestamp,<feature>,<feature>,...';
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NOT_A_NUMBER = /^nan$/i;
const INFINITE = /^[+-]?inf(?:inity)?$/i;
/** Unix seconds above this are in the year 5138: the file almost surely holds milliseconds. */
const LARGEST_PLAUSIBLE_SECONDS = 1e11;

type Located = { source: string; line: number; column: number };
type CellLocator = (index: number) => Located;

/** One record as it is written, found again from its first byte (only on the error path). */
interface RecordLayout {
  /** Offset of each cell's first character after leading spaces (the opening quote if quoted). */
  cells: number[];
  /** A quoted cell that is never closed, or text after its closing quote: in the last cell of `cells`. */
  problem?: 'unclosed-quote' | 'text-after-quote';
}

const isBlank = (b: number) => b === SPACE || b === TAB;
const isLineEnd = (b: number) => b === LF || b === CR;

/**
 * Re-reads one record as csv-parse does (RFC 4180, quotes inside an unquoted cell taken literally)
 * to find where its cells start and which cell has a quoting problem.
 */
function layoutRecord(bytes: Uint8Array, start: number): RecordLayout {
  const cells: number[] = [];
  let i = start;
  for (;;) {
    while (i < bytes.length && isBlank(bytes[i])) {
      i++;
    }
    cells.push(i);
    if (bytes[i] === QUOTE) {
      // On to the closing quote; a doubled quote inside is an escaped quote.
      for (i++; bytes[i] !== QUOTE || bytes[i + 1] === QUOTE; i += bytes[i] === QUOTE ? 2 : 1) {
        if (i >= bytes.length) {
          return { cells, problem: 'unclosed-quote' };
        }
      }
      i++;
      while (i < bytes.length && isBlank(bytes[i])) {
        i++;
      }
      if (i < bytes.length && bytes[i] !== COMMA && !isLineEnd(bytes[i])) {
        return { cells, problem: 'text-after-quote' };
      }
    } else {
      while (i < bytes.length && bytes[i] !== COMMA && !isLineEnd(bytes[i])) {
        i++;
      }
    }
    if (i >= bytes.length || isLineEnd(bytes[i])) {
      return { cells };
    }
    i++; // the comma
  }
}

/** 1-based line of a byte offset (LF, CRLF and lone CR each end a line). */
function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === LF || (bytes[i] === CR && bytes[i + 1] !== LF)) {
      line++;
    }
  }
  return line;
}

function skipBlankLines(bytes: Uint8Array, offset: number): number {
  while (offset < bytes.length && (isBlank(bytes[offset]) || isLineEnd(bytes[offset]))) {
    offset++;
  }
  return offset;
}

/** Upper bound of the number of records: lines counted with either line end convention. */
function maxRecords(text: string): number {
  let lf = 0;
  let cr = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) {
      lf++;
    } else if (c === CR) {
      cr++;
    }
  }
  return Math.max(lf, cr) + 1;
}

/** Canonical form of a header name, or null if it has `{` but is not a series name. */
function featureName(cell: string): string | null {
  if (!cell.includes('{')) {
    return cell;
  }
  try {
    const { metric, labels } = parseSeriesName(cell);
    return canonicalSeriesName(metric, labels);
  } catch (error) {
    if (error instanceof SyrrocaError) {
      return null;
    }
    throw error;
  }
}

const quoteValue = (cell: string) => JSON.stringify(cell.length > 60 ? `${cell.slice(0, 57)}...` : cell);

/**
 * Reads a wide CSV into a column-major matrix. Throws an InputError located at `source:line:column`
 * for every problem (see the module comment for what a cell may hold).
 */
export function parseWideCsv(text: string, options: ParseWideCsvOptions = {}): FeatureMatrix {
  const source = options.source ?? 'csv';
  if (/^\ufeff?[ \t\r\n]*$/.test(text)) {
    throw new InputError(
      'csv-empty',
      { source, line: 1, column: 1 },
      `the file is empty: write a header ${HEADER_EXAMPLE} and one row per sample`
    );
  }

  // Records are found again by byte offsets into the UTF-8 text (csv-parse counts bytes); the bytes
  // are only needed, and so only encoded, when there is an error to report.
  let encoded: Uint8Array | undefined;
  const bytes = () => (encoded ??= new TextEncoder().encode(text));
  const bom = text.charCodeAt(0) === 0xfeff ? 3 : 0;
  /** First byte of the record that follows the one ending at `previousEnd`. */
  const recordStart = (previousEnd: number) => skipBlankLines(bytes(), previousEnd);
  /** Where cell `index` (0-based) of the record after `previousEnd` is; past its last cell, its end line. */
  const locate = (previousEnd: number, index: number): Located => {
    const { cells } = layoutRecord(bytes(), recordStart(previousEnd));
    return { source, line: lineAt(bytes(), cells[Math.min(index, cells.length - 1)]), column: index + 1 };
  };

  const capacity = maxRecords(text);
  const timestamps = new Float64Array(capacity);
  let columns: Float64Array[] = [];
  let features: string[] = [];
  let rows = 0;
  let recordEnd = bom;
  let previousRowEnd = -1;

  const onRecord = ({ record: cells, info }: { record: string[]; info: Info }): null => {
    const previousEnd = recordEnd;
    recordEnd = info.bytes;
    const cellAt = (index: number) => locate(previousEnd, index);

    if (features.length === 0) {
      features = readHeader(cells, cellAt);
      columns = features.map(() => new Float64Array(capacity - 1));
      return null;
    }

    if (cells.length !== features.length + 1) {
      // Point at the first cell too many, or at the first one missing.
      throw new InputError(
        'csv-cell-count',
        cellAt(Math.min(cells.length, features.length + 1)),
        `this row has ${cells.length} cells but the header has ${features.length + 1}: ` +
          'write a timestamp and one cell per feature on every row (leave a cell empty for a missing value)'
      );
    }

    const t = readTimestamp(cells[0], () => cellAt(0));
    if (rows > 0 && !(t > timestamps[rows - 1])) {
      const previousLine = locate(previousRowEnd, 0).line;
      if (t === timestamps[rows - 1]) {
        throw new InputError(
          'csv-duplicate-timestamp',
          cellAt(0),
          `timestamp ${cells[0]} repeats the timestamp of line ${previousLine}: keep one row per timestamp`
        );
      }
      throw new InputError(
        'csv-unsorted',
        cellAt(0),
        `timestamp ${cells[0]} is earlier than ${timestamps[rows - 1]} on line ${previousLine}: ` +
          'sort the rows by timestamp'
      );
    }
    timestamps[rows] = t;
    for (let j = 0; j < features.length; j++) {
      const cell = cells[j + 1];
      let value = NaN;
      if (cell !== '') {
        value = DECIMAL.test(cell) ? Number(cell) : NaN;
        if (!Number.isFinite(value) && !NOT_A_NUMBER.test(cell)) {
          throw new InputError(
            INFINITE.test(cell) || DECIMAL.test(cell) ? 'csv-infinite' : 'csv-non-numeric',
            cellAt(j + 1),
            describeBadValue(cell, features[j])
          );
        }
      }
      columns[j][rows] = value;
    }
    previousRowEnd = previousEnd;
    rows++;
    return null;
  };

  try {
    parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: true,
      // With `info`, each record arrives as { record, info }; returning null keeps csv-parse from collecting
      // the records: they go straight into the typed columns.
      info: true,
      on_record: (entry) => onRecord(entry as unknown as { record: string[]; info: Info }),
    });
  } catch (error) {
    if (error instanceof CsvError) {
      throw locateSyntaxError(error, bytes(), recordStart(recordEnd), source);
    }
    throw error;
  }

  if (rows === 0) {
    throw new InputError(
      'csv-no-rows',
      { source, line: lineAt(bytes(), recordEnd) },
      'the file has a header but no rows: add one row per sample (timestamp, then one cell per feature)'
    );
  }
  return {
    timestamps: timestamps.subarray(0, rows),
    features,
    columns: columns.map((column) => column.subarray(0, rows)),
  };
}

/** Feature names of the header row (canonical, non-empty, distinct). */
function readHeader(cells: string[], cellAt: CellLocator): string[] {
  if (cells[0] !== 'timestamp') {
    throw new InputError(
      'csv-header',
      cellAt(0),
      DECIMAL.test(cells[0])
        ? `the file has no header (its first line starts with ${quoteValue(cells[0])}): ` +
            `add a first line ${HEADER_EXAMPLE}`
        : `the first header cell is ${quoteValue(cells[0])}: it must be "timestamp" (the header is ${HEADER_EXAMPLE})`
    );
  }
  if (cells.length < 2) {
    throw new InputError('csv-no-features', cellAt(0), `the header names no feature: write ${HEADER_EXAMPLE}`);
  }
  const features: string[] = [];
  const seen = new Map<string, number>();
  for (let j = 1; j < cells.length; j++) {
    if (cells[j] === '') {
      throw new InputError(
        'csv-empty-feature',
        cellAt(j),
        `header cell ${j + 1} is empty: give every column a feature name`
      );
    }
    const name = featureName(cells[j]);
    if (name === null) {
      throw new InputError(
        'csv-series-name',
        cellAt(j),
        `header cell ${j + 1} ${quoteValue(cells[j])} is not a series name metric{label="value",...}: if it holds ` +
          'commas, put the whole cell in quotes and double the quotes inside it, e.g. "m{a=""1"",b=""2""}"'
      );
    }
    const first = seen.get(name);
    if (first !== undefined) {
      throw new InputError(
        'csv-duplicate-feature',
        cellAt(j),
        `header cell ${j + 1} names ${quoteValue(name)} again (it is header cell ${first + 1}): ` +
          'keep one column per feature'
      );
    }
    seen.set(name, j);
    features.push(name);
  }
  return features;
}

function readTimestamp(cell: string, where: () => Located): number {
  const t = DECIMAL.test(cell) ? Number(cell) : NaN;
  if (!Number.isFinite(t)) {
    throw new InputError(
      'csv-timestamp',
      where(),
      cell === ''
        ? 'the timestamp is missing: every row starts with its time in unix seconds'
        : `the timestamp ${quoteValue(cell)} is not a number: write the time in unix seconds (e.g. 1700000000 or 1700000000.5)`
    );
  }
  if (Math.abs(t) > LARGEST_PLAUSIBLE_SECONDS) {
    throw new InputError(
      'csv-timestamp',
      where(),
      `the timestamp ${cell} looks like milliseconds: write unix seconds (divide by 1000)`
    );
  }
  return t;
}

function describeBadValue(cell: string, feature: string): string {
  const of = `the value ${quoteValue(cell)} of feature ${quoteValue(feature)}`;
  if (INFINITE.test(cell) || DECIMAL.test(cell)) {
    return (
      `${of} is infinite or beyond the range of a double: min-max scaling needs finite values; ` +
      'leave the cell empty if the value is missing'
    );
  }
  return `${of} is not a number: write a decimal number (e.g. 12.5 or 1e-3), or leave the cell empty for a missing value`;
}

function locateSyntaxError(error: CsvError, bytes: Uint8Array, recordStart: number, source: string): InputError {
  const { cells, problem } = layoutRecord(bytes, recordStart);
  const cell = cells.length - 1;
  const where = { source, line: lineAt(bytes, cells[cell]), column: cell + 1 };
  if (problem === undefined) {
    // csv-parse saw something this reading does not: report the record, in csv-parse's words.
    return new InputError(
      'csv-syntax',
      { ...where, column: undefined },
      `${error.message}: check the quoting of this row`
    );
  }
  const messages = {
    'unclosed-quote':
      'this quoted cell is never closed: end it with a double quote (write "" for a quote inside the cell)',
    'text-after-quote':
      'text follows the closing quote of this cell: put the whole cell in quotes and double the quotes inside it, ' +
      'e.g. "metric{label=""value""}"',
  };
  return new InputError(`csv-${problem}`, where, messages[problem]);
}

/** RFC 4180 quoting when a cell needs it (comma, quote, line end, or spaces that reading would trim). */
function quoteCell(cell: string): string {
  return /[",\r\n]|^\s|\s$/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function formatNumber(value: number, feature: string, t: number): string {
  if (Number.isNaN(value)) {
    return '';
  }
  if (!Number.isFinite(value)) {
    throw new SyrrocaError(
      'csv-infinite',
      `feature ${quoteValue(feature)} is ${value} at ${t}: a wide CSV holds finite numbers only`
    );
  }
  // JavaScript prints the shortest decimal that reads back as the same double.
  return String(value);
}

/** Writes a matrix as wide CSV (LF line ends, trailing newline): the inverse of `parseWideCsv`. */
export function formatWideCsv(matrix: FeatureMatrix): string {
  const { timestamps, features, columns } = matrix;
  const lines = new Array<string>(timestamps.length + 2);
  lines[0] = ['timestamp', ...features].map(quoteCell).join(',');
  const cells = new Array<string>(features.length + 1);
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i];
    cells[0] = formatNumber(t, 'timestamp', t);
    for (let j = 0; j < features.length; j++) {
      cells[j + 1] = formatNumber(columns[j][i], features[j], t);
    }
    lines[i + 1] = cells.join(',');
  }
  lines[timestamps.length + 1] = '';
  return lines.join('\n');
}
