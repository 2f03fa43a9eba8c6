/**
 * Errors a user can act on. Every shell (CLI, exporter, data source) shows `message` as is: it says
 * what is wrong, where, and what to do. Anything that is not a SyrrocaError is a bug.
 */
export class SyrrocaError extends Error {
  /** Stable machine-readable code, e.g. `csv-non-numeric`, `manifest-mismatch`. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'SyrrocaError';
    this.code = code;
  }
}

/** Where in an input file a problem is: 1-based line, and 1-based column (for CSV, the cell number in the row). */
export interface InputLocation {
  source: string;
  line?: number;
  column?: number;
}

/** Bad input data (CSV, JSON, query set, ...): the message starts with `source:line:column:`. */
export class InputError extends SyrrocaError {
  readonly location: InputLocation;

  constructor(code: string, location: InputLocation, message: string) {
    const where = [location.source, location.line, location.column].filter((x) => x !== undefined).join(':');
    super(code, `${where}: ${message}`);
    this.name = 'InputError';
    this.location = location;
  }
}
