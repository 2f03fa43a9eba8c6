/**
 * A Prometheus HTTP API client on `fetch`, for Node 20 and the browser (where the data source hands
 * in Grafana's proxy fetch). Range queries are split under Prometheus' 11,000-points-per-series
 * limit, fetched with bounded concurrency, retried with backoff on timeouts, lost connections, 429
 * and 5xx, and merged per series. Every failure is a PrometheusError whose message names the URL,
 * the query and what to do.
 */
import { SyrrocaError } from '../core/errors';
import { formatSeconds, gridEndMs, gridOf, splitGrid, type Grid } from './grid';
import { seriesName } from './matrix';
import { Aborted, allOrFirstError, createLimiter, sleep } from './tasks';
import type {
  BuildInfo,
  PrometheusClient,
  PrometheusClientOptions,
  PromSeries,
  RequestOptions,
  TimeRange,
} from './types';

/** TSDB errors of a Prometheus that is shutting down (tsdb's ErrClosing, ErrClosed). */
const STORAGE_CLOSING = /block is closing|db already closed/;

export type PrometheusErrorCode =
  /** No connection (refused, DNS, TLS, CORS): the URL or the network is wrong. */
  | 'prom-unreachable'
  | 'prom-timeout'
  /** 400/422 with Prometheus' error: the PromQL is wrong or cannot be executed. */
  | 'prom-bad-query'
  /** Another 4xx: wrong path (404), missing credentials (401/403), ... */
  | 'prom-http'
  /** 5xx or 429, after the retries. */
  | 'prom-server-error'
  /** Not the JSON the API documents: cut off, not JSON, wrong types. */
  | 'prom-malformed'
  /** More steps or points than the client's limits. */
  | 'prom-too-large'
  | 'prom-cancelled';

export class PrometheusError extends SyrrocaError {
  declare readonly code: PrometheusErrorCode;
  /** HTTP status, when there was a response. */
  readonly status?: number;

  constructor(code: PrometheusErrorCode, message: string, status?: number) {
    super(code, message);
    this.name = 'PrometheusError';
    this.status = status;
  }
}

/** Prometheus writes sample values as Go floats: decimal, or NaN, +Inf, -Inf. */
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A sample value string as a number; undefined when it is not one Prometheus could have written. */
export function parseSampleValue(text: string): number | undefined {
  switch (text) {
    case 'NaN':
      return NaN;
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    default:
      return FLOAT.test(text) ? Number(text) : undefined;
  }
}

/** A failure worth another attempt; turned into a PrometheusError when the attempts run out. */
class Transient {
  constructor(
    readonly code: 'prom-unreachable' | 'prom-timeout' | 'prom-server-error' | 'prom-malformed',
    readonly detail: string,
    readonly status?: number
  ) {}
}

/** `http://user:pass@host/` -> the URL without credentials (for messages and for fetch, which refuses them) and a Basic header. */
function splitCredentials(baseUrl: string): { url: string; authorization?: string } {
  const trimmed = baseUrl.replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return { url: trimmed }; // relative, e.g. Grafana's proxy path
  }
  if (!parsed.username && !parsed.password) {
    return { url: trimmed };
  }
  const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  const bytes = new TextEncoder().encode(credentials);
  return {
    url: parsed.toString().replace(/\/+$/, ''),
    authorization: `Basic ${btoa(String.fromCharCode(...bytes))}`,
  };
}

function causeOf(err: unknown): string {
  const e = err as { message?: string; cause?: { message?: string; code?: string } };
  return e.cause?.message ?? e.cause?.code ?? e.message ?? String(err);
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

export function createPrometheusClient(options: PrometheusClientOptions): PrometheusClient {
  const { url, authorization } = splitCredentials(options.baseUrl);
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const headers: Record<string, string> = {
    Accept: 'application/json',
    ...(authorization ? { Authorization: authorization } : {}),
    ...options.headers,
  };
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = options.retries ?? 3;
  const backoffMs = options.backoffMs ?? 500;
  const maxPointsPerSeries = options.maxPointsPerSeries ?? 11_000;
  const maxSteps = options.maxSteps ?? 1_000_000;
  const maxSamples = options.maxSamples ?? 20_000_000;
  const limiter = createLimiter(Math.max(1, options.concurrency ?? 4));
  const at = `Prometheus at ${url}`;

  const cancelled = (subject: string) => new PrometheusError('prom-cancelled', `${subject} was cancelled`);

  /** The error for a response that is not what the API documents. */
  const malformed = (subject: string, detail: string) =>
    new PrometheusError(
      'prom-malformed',
      `${at} returned a malformed response to ${subject}: ${detail}; check that the URL is a Prometheus API (not a UI or a proxy's error page)`
    );

  /** One HTTP exchange: the `data` of a successful API response, a PrometheusError, or a Transient worth retrying. */
  async function attempt(path: string, init: RequestInit, subject: string, signal?: AbortSignal): Promise<unknown> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const interrupted = (transient: Transient): never => {
      if (signal?.aborted) {
        throw cancelled(subject);
      }
      throw timedOut ? new Transient('prom-timeout', `no answer within ${timeoutMs / 1000} s`) : transient;
    };
    try {
      let response: Response;
      try {
        response = await doFetch(`${url}${path}`, { ...init, signal: controller.signal });
      } catch (err) {
        return interrupted(new Transient('prom-unreachable', causeOf(err)));
      }
      let text: string;
      try {
        text = await response.text();
      } catch (err) {
        return interrupted(new Transient('prom-malformed', `cut off its response (${causeOf(err)})`, response.status));
      }
      return interpret(response, text, subject);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  function interpret(response: Response, text: string, subject: string): unknown {
    const { status } = response;
    let body: { status?: unknown; data?: unknown; error?: unknown; errorType?: unknown; message?: unknown } | undefined;
    let parseError: string | undefined;
    try {
      body = JSON.parse(text);
    } catch (err) {
      parseError = (err as Error).message;
    }
    const reason =
      body && typeof body.error === 'string'
        ? `${typeof body.errorType === 'string' ? `${body.errorType}: ` : ''}${body.error}`
        : body && typeof body.message === 'string'
          ? body.message
          : text.trim().slice(0, 200);
    const http = `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}`;
    // A Prometheus shutting down answers queries that reach a closing block with 422 "execution":
    // the query is fine, the server is going away (a restart), so it is retried like a 503.
    if (status === 429 || status >= 500 || (status === 422 && STORAGE_CLOSING.test(reason))) {
      throw new Transient('prom-server-error', `${http}${reason ? `: ${reason}` : ''}`, status);
    }
    if ((status === 400 || status === 422) && body && typeof body.error === 'string') {
      throw new PrometheusError('prom-bad-query', `${at} rejected ${subject}: ${reason}; fix the query`, status);
    }
    // A 3xx that reached here was not followed (fetch follows redirects): its body is not the API's answer.
    if (status >= 300 || status < 200) {
      const advice =
        status === 401 || status === 403
          ? 'check the credentials (user:password in the URL, or an Authorization header)'
          : status === 404
            ? 'check the URL: it is the API root, without /api/v1 but with any path prefix (e.g. http://host/prometheus)'
            : status < 400
              ? 'check the URL: use the address Prometheus answers on without a redirect'
              : 'check the URL and the request';
      throw new PrometheusError(
        'prom-http',
        `${at} refused ${subject} (${http}${reason ? `: ${reason}` : ''}): ${advice}`,
        status
      );
    }
    if (parseError !== undefined || typeof body !== 'object' || body === null) {
      const detail =
        parseError !== undefined
          ? `not JSON (${parseError}) after ${plural(text.length, 'character')}, the response may have been cut off`
          : 'not a JSON object';
      throw malformed(subject, detail);
    }
    if (body.status !== 'success' || !('data' in body)) {
      throw malformed(subject, `status ${JSON.stringify(body.status)} with ${http}${reason ? ` (${reason})` : ''}`);
    }
    return body.data;
  }

  /** `attempt` with retries: exponential backoff with jitter, abortable, holding a concurrency slot only while a request is in flight. */
  async function request(path: string, init: RequestInit, subject: string, signal?: AbortSignal): Promise<unknown> {
    for (let attempted = 0; ; attempted++) {
      let release: () => void;
      try {
        release = await limiter.acquire(signal);
      } catch {
        throw cancelled(subject);
      }
      try {
        return await attempt(path, init, subject, signal);
      } catch (err) {
        if (!(err instanceof Transient)) {
          throw err;
        }
        if (attempted >= retries) {
          throw finalError(err, subject, attempted + 1);
        }
      } finally {
        release();
      }
      try {
        await sleep(backoffMs * 2 ** attempted * (0.5 + Math.random() / 2), signal);
      } catch (err) {
        throw err instanceof Aborted ? cancelled(subject) : err;
      }
    }
  }

  function finalError(t: Transient, subject: string, attempts: number): PrometheusError {
    const after = attempts > 1 ? ` (${plural(attempts, 'attempt')})` : '';
    switch (t.code) {
      case 'prom-unreachable':
        return new PrometheusError(
          t.code,
          `cannot reach Prometheus at ${url} for ${subject}: ${t.detail}${after}; check the URL and that Prometheus is running and reachable from here`
        );
      case 'prom-timeout':
        return new PrometheusError(
          t.code,
          `${at} did not answer ${subject} within ${timeoutMs / 1000} s${after}: narrow the range, raise the step, ` +
            `or raise the timeout if Prometheus is just slow`
        );
      case 'prom-server-error':
        return new PrometheusError(
          t.code,
          `${at} failed ${subject} with ${t.detail}${after}; check Prometheus' health and logs`,
          t.status
        );
      case 'prom-malformed':
        return new PrometheusError(
          t.code,
          `${at} ${t.detail} while answering ${subject}${after}; check the network or proxy in between`,
          t.status
        );
    }
  }

  const get = (path: string, params: URLSearchParams, subject: string, signal?: AbortSignal) => {
    const query = params.toString();
    return request(`${path}${query ? `?${query}` : ''}`, { method: 'GET', headers }, subject, signal);
  };

  /** One chunk's series, with types checked and values parsed. */
  function readMatrix(data: unknown, subject: string): PromSeries[] {
    const d = data as { resultType?: unknown; result?: unknown };
    if (typeof d !== 'object' || d === null || d.resultType !== 'matrix' || !Array.isArray(d.result)) {
      throw malformed(
        subject,
        `expected data.resultType "matrix" with a result array, got ${JSON.stringify(data)?.slice(0, 120)}`
      );
    }
    return d.result.map((item: { metric?: unknown; values?: unknown; histograms?: unknown }, k: number) => {
      const where = `data.result[${k}]`;
      const metric = item?.metric;
      if (
        typeof metric !== 'object' ||
        metric === null ||
        Array.isArray(metric) ||
        !Object.values(metric).every((v) => typeof v === 'string')
      ) {
        throw malformed(subject, `${where}.metric is not an object of string labels`);
      }
      // Native histograms come in `histograms` and have no float values to read.
      const values = item.values ?? (item.histograms !== undefined ? [] : undefined);
      if (!Array.isArray(values)) {
        throw malformed(subject, `${where}.values is not an array`);
      }
      const timestamps = new Float64Array(values.length);
      const numbers = new Float64Array(values.length);
      values.forEach((point: unknown, i: number) => {
        const [t, v] = Array.isArray(point) ? point : [];
        const value = typeof v === 'string' ? parseSampleValue(v) : undefined;
        if (
          !Array.isArray(point) ||
          point.length !== 2 ||
          typeof t !== 'number' ||
          !Number.isFinite(t) ||
          value === undefined
        ) {
          throw malformed(
            subject,
            `${where}.values[${i}] is ${JSON.stringify(point)}, expected [unix seconds, "value"]`
          );
        }
        timestamps[i] = t;
        numbers[i] = value;
      });
      return { metric: metric as Record<string, string>, timestamps, values: numbers };
    });
  }

  async function queryRange(query: string, range: TimeRange, { signal }: RequestOptions = {}): Promise<PromSeries[]> {
    const subject = `query \`${query}\``;
    const grid = gridOf(range);
    if (grid.steps > maxSteps) {
      const minStep = Math.ceil((gridEndMs(grid) - grid.startMs) / (maxSteps - 1) / 1000);
      throw new PrometheusError(
        'prom-too-large',
        `${subject} from ${isoSeconds(grid.startMs)} to ${isoSeconds(gridEndMs(grid))} at step ${grid.stepMs / 1000} s ` +
          `has ${grid.steps} steps, more than the limit of ${maxSteps}: narrow the range or raise the step to at least ${minStep} s`
      );
    }
    const chunks = splitGrid(grid, maxPointsPerSeries);
    let samples = 0;
    const parts = await allOrFirstError(
      signal,
      chunks.map((chunk: Grid) => async (chunkSignal) => {
        const body = new URLSearchParams({
          query,
          start: formatSeconds(chunk.startMs),
          end: formatSeconds(gridEndMs(chunk)),
          step: formatSeconds(chunk.stepMs),
        });
        const data = await request(
          '/api/v1/query_range',
          { method: 'POST', headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' }, body },
          subject,
          chunkSignal
        );
        const series = readMatrix(data, subject);
        samples += series.reduce((n, s) => n + s.values.length, 0);
        if (samples > maxSamples) {
          throw new PrometheusError(
            'prom-too-large',
            `${subject} returns more than ${maxSamples} points (series x steps): select fewer series, narrow the range or raise the step`
          );
        }
        return series;
      })
    );
    return mergeChunks(parts);
  }

  return {
    url,
    queryRange,
    async labelValues(label, { signal, match, start, end } = {}) {
      const subject = `the values of label "${label}"`;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(label)) {
        throw new SyrrocaError('prom-bad-label', `"${label}" is not a Prometheus label name ([A-Za-z_][A-Za-z0-9_]*)`);
      }
      const params = new URLSearchParams();
      match?.forEach((m) => params.append('match[]', m));
      if (start !== undefined) {
        params.set('start', String(start));
      }
      if (end !== undefined) {
        params.set('end', String(end));
      }
      const data = await get(`/api/v1/label/${label}/values`, params, subject, signal);
      if (!Array.isArray(data) || !data.every((v) => typeof v === 'string')) {
        throw malformed(subject, 'data is not an array of strings');
      }
      return data;
    },
    async buildInfo({ signal } = {}) {
      const subject = 'the build info request';
      const data = (await get('/api/v1/status/buildinfo', new URLSearchParams(), subject, signal)) as BuildInfo;
      if (typeof data !== 'object' || data === null || typeof data.version !== 'string') {
        throw malformed(subject, 'data.version is not a string');
      }
      return { version: data.version, revision: data.revision, branch: data.branch, goVersion: data.goVersion };
    },
  };
}

/**
 * Joins the chunks of one query per series, in time order. Chunks are disjoint on the grid, so a
 * repeated timestamp only comes from a server that answered beyond a chunk's end: it is kept once.
 */
export function mergeChunks(chunks: PromSeries[][]): PromSeries[] {
  const bySeries = new Map<string, PromSeries[]>();
  for (const chunk of chunks) {
    for (const series of chunk) {
      const name = seriesName(series);
      const parts = bySeries.get(name);
      if (parts) {
        parts.push(series);
      } else {
        bySeries.set(name, [series]);
      }
    }
  }
  return [...bySeries.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, parts]) => {
      const total = parts.reduce((n, p) => n + p.timestamps.length, 0);
      const order = Array.from({ length: total }, (_, i) => i);
      const timestamps = new Float64Array(total);
      const values = new Float64Array(total);
      let n = 0;
      for (const p of parts) {
        timestamps.set(p.timestamps, n);
        values.set(p.values, n);
        n += p.timestamps.length;
      }
      // Stable: of equal timestamps the first chunk's point is kept.
      order.sort((a, b) => timestamps[a] - timestamps[b] || a - b);
      const kept = order.filter((k, i) => i === 0 || timestamps[k] !== timestamps[order[i - 1]]);
      return {
        metric: parts[0].metric,
        timestamps: Float64Array.from(kept, (k) => timestamps[k]),
        values: Float64Array.from(kept, (k) => values[k]),
      };
    });
}
