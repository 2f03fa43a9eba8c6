/**
 * The wide CSV of syrroca's command line: header `timestamp,<feature>,...`, one row per timestamp
 * (unix seconds), empty cell = missing. Fields are quoted as RFC 4180 wants (series names hold
 * quotes and commas), rows end with CRLF.
 */
import type { FeatureMatrix } from '../core/types';

function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/** The CSV in chunks of `rowsPerChunk` rows, to stream weeks of data to a file. */
export function* wideCsvChunks(matrix: FeatureMatrix, rowsPerChunk = 1000): Generator<string> {
  yield ['timestamp', ...matrix.features].map(quote).join(',') + '\r\n';
  const n = matrix.timestamps.length;
  for (let from = 0; from < n; from += rowsPerChunk) {
    const rows: string[] = [];
    for (let i = from; i < Math.min(n, from + rowsPerChunk); i++) {
      const cells = [String(matrix.timestamps[i])];
      for (const column of matrix.columns) {
        cells.push(Number.isNaN(column[i]) ? '' : String(column[i]));
      }
      rows.push(cells.join(',') + '\r\n');
    }
    yield rows.join('');
  }
}

export function toWideCsv(matrix: FeatureMatrix): string {
  return Array.from(wideCsvChunks(matrix)).join('');
}
