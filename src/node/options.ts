import { InvalidArgumentError } from 'commander';

/** Commander argument parsers that reject bad values with a one-line reason. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError('must be a whole number of at least 1.');
  }
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new InvalidArgumentError('must be a whole number of at least 0.');
  }
  return n;
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError('must be a positive number.');
  }
  return n;
}

export function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || value.trim() === '') {
    throw new InvalidArgumentError('must be a number of at least 0.');
  }
  return n;
}

export function fraction(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n >= 1) {
    throw new InvalidArgumentError('must be a number strictly between 0 and 1.');
  }
  return n;
}

/** A correlation cut-off for the feature filter: above 1 keeps every pair. */
export function correlation(value: string): number {
  const n = Number(value);
  if (!(n > 0)) {
    throw new InvalidArgumentError('must be a positive number (above 1 keeps every pair).');
  }
  return n;
}

export function regex(value: string): RegExp {
  try {
    return new RegExp(value);
  } catch (err) {
    throw new InvalidArgumentError(`is not a valid regular expression (${(err as Error).message}).`);
  }
}

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 7 * 86400 };

/** Seconds, given as a number (`30`, `0.5`) or a Prometheus-style duration (`30s`, `1m30s`, `500ms`). */
export function duration(value: string): number {
  const parts = /^(?:\d+(?:ms|s|m|h|d|w))+$/.test(value) ? value.match(/\d+(?:ms|s|m|h|d|w)/g)! : null;
  const n = parts
    ? parts.reduce((sum, p) => sum + Number(/^\d+/.exec(p)![0]) * UNITS[p.replace(/^\d+/, '')], 0)
    : Number(value);
  if (!Number.isFinite(n) || n <= 0 || value.trim() === '') {
    throw new InvalidArgumentError('must be a positive number of seconds or a duration such as 30s, 5m or 1h30m.');
  }
  return n;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/** A time in unix seconds: unix seconds, RFC 3339 (`2024-05-01T12:00:00Z`), `now` or `now-<duration>` (`now-6h`). */
export function time(value: string, nowSeconds = Date.now() / 1000): number {
  const relative = /^now(?:-(.+))?$/.exec(value);
  if (relative) {
    if (relative[1] === undefined) {
      return nowSeconds;
    }
    try {
      return nowSeconds - duration(relative[1]);
    } catch {
      // reported below with the accepted forms
    }
  } else if (/^\d+(?:\.\d+)?$/.test(value)) {
    return Number(value);
  } else if (RFC3339.test(value)) {
    const ms = Date.parse(value.replace(' ', 'T'));
    if (Number.isFinite(ms)) {
      return ms / 1000;
    }
  }
  throw new InvalidArgumentError(
    'must be unix seconds (1714564800), RFC 3339 (2024-05-01T12:00:00Z) or now-<duration> (now-6h).'
  );
}

/** Collects repeated `--var name=value` into an object. */
export function variable(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(value);
  if (!match) {
    throw new InvalidArgumentError('must be name=value, e.g. instance=node-1.*');
  }
  return { ...previous, [match[1]]: match[2] };
}

/** `host:port` (`[::1]:9464` for IPv6) to listen on. */
export function listenAddress(value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(value);
  const port = match ? Number(match[3]) : NaN;
  if (!match || !Number.isInteger(port) || port > 65535) {
    throw new InvalidArgumentError('must be host:port, e.g. 127.0.0.1:9464 or 0.0.0.0:9464.');
  }
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}
