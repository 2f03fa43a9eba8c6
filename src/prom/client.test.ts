import { createPrometheusClient, mergeChunks, parseSampleValue, PrometheusError } from './client';
import type { PrometheusClientOptions, PromSeries } from './types';

const BASE = 'http://prometheus.test:9090';

type Handler = (url: URL, init: RequestInit) => Response | Promise<Response>;

/** A fetch that records each call and answers with `handler`; honours the request's abort signal like a real fetch. */
function fakeFetch(handler: Handler) {
  const calls: Array<{ url: URL; init: RequestInit; params: URLSearchParams }> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetch: typeof globalThis.fetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const params = init.body instanceof URLSearchParams ? init.body : url.searchParams;
    calls.push({ url, init, params });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      return await new Promise<Response>((resolve, reject) => {
        const signal = init.signal;
        if (signal?.aborted) {
          reject(new DOMException('This operation was aborted', 'AbortError'));
          return;
        }
        signal?.addEventListener('abort', () => reject(new DOMException('This operation was aborted', 'AbortError')));
        Promise.resolve(handler(url, init)).then(resolve, reject);
      });
    } finally {
      inFlight--;
    }
  };
  return { fetch, calls, maxInFlight: () => maxInFlight };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** Go's strconv.FormatFloat(v, 'f', -1, 64) for the values used here. */
const promValue = (v: number) =>
  Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v);

/**
 * A Prometheus that evaluates `value(series, t)` on the requested grid (integer milliseconds, as
 * Prometheus does), omits undefined points, and refuses more than 11,000 steps per series.
 */
function prometheusOf(
  names: Array<Record<string, string>>,
  value: (k: number, t: number) => number | undefined
): Handler {
  return (url, init) => {
    const params = init.body as URLSearchParams;
    const [start, end, step] = ['start', 'end', 'step'].map((p) => Math.round(Number(params.get(p)) * 1000));
    if ((end - start) / step > 11_000) {
      return json(400, {
        status: 'error',
        errorType: 'bad_data',
        error:
          'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
      });
    }
    const result = names
      .map((metric, k) => {
        const values: Array<[number, string]> = [];
        for (let t = start; t <= end; t += step) {
          const v = value(k, t / 1000);
          if (v !== undefined) {
            values.push([t / 1000, promValue(v)]);
          }
        }
        return { metric, values };
      })
      .filter((s) => s.values.length > 0);
    return json(200, { status: 'success', data: { resultType: 'matrix', result } });
  };
}

const client = (fetch: typeof globalThis.fetch, options: Partial<PrometheusClientOptions> = {}) =>
  createPrometheusClient({ baseUrl: BASE, fetch, backoffMs: 1, ...options });

async function failure(promise: Promise<unknown>): Promise<PrometheusError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(PrometheusError);
    return err as PrometheusError;
  }
  throw new Error('expected the promise to reject');
}

const steps = (s: PromSeries) => Array.from(s.timestamps);

describe('queryRange chunking', () => {
  it('splits a 25,001-step range into requests of at most 11,000 points that Prometheus accepts, and returns every step once', async () => {
    const fake = fakeFetch(prometheusOf([{ __name__: 'up', job: 'a' }], (_, t) => t));
    const range = { start: 1_700_000_000, end: 1_700_025_000, step: 1 };
    const [series] = await client(fake.fetch).queryRange('up', range);
    const sizes = fake.calls.map(
      ({ params }) => (Number(params.get('end')) - Number(params.get('start'))) / Number(params.get('step')) + 1
    );
    expect(sizes).toEqual([11_000, 11_000, 3001]);
    expect(series.timestamps.length).toBe(25_001);
    expect(steps(series)).toEqual(Array.from({ length: 25_001 }, (_, i) => range.start + i));
    expect(Array.from(series.values)).toEqual(steps(series));
  });

  it('neither loses nor repeats a step at chunk edges on a fractional step', async () => {
    const fake = fakeFetch(prometheusOf([{ __name__: 'm' }], (_, t) => Math.round(t * 10)));
    const [series] = await client(fake.fetch, { maxPointsPerSeries: 7 }).queryRange('m', {
      start: 10.1,
      end: 16.1,
      step: 0.3,
    });
    expect(fake.calls.length).toBe(3);
    expect(fake.calls.map(({ params }) => [params.get('start'), params.get('end'), params.get('step')])).toEqual([
      ['10.1', '11.9', '0.3'],
      ['12.2', '14', '0.3'],
      ['14.3', '16.1', '0.3'],
    ]);
    expect(Array.from(series.values)).toEqual(Array.from({ length: 21 }, (_, i) => 101 + 3 * i));
  });

  it('merges series that appear in some chunks only, keeps gaps, and orders series by canonical name', async () => {
    const names: Array<Record<string, string>> = [{ __name__: 'b_metric' }, { __name__: 'a_metric', pod: 'x' }];
    // b exists in the first chunk only; a has a gap in the middle of the second chunk.
    const fake = fakeFetch(
      prometheusOf(names, (k, t) => (k === 0 ? (t < 5 ? t : undefined) : t === 7 ? undefined : 100 - t))
    );
    const result = await client(fake.fetch, { maxPointsPerSeries: 5 }).queryRange('x', { start: 0, end: 9, step: 1 });
    expect(result.map((s) => s.metric.__name__)).toEqual(['a_metric', 'b_metric']);
    expect(steps(result[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 8, 9]);
    expect(Array.from(result[0].values)).toEqual([100, 99, 98, 97, 96, 95, 94, 92, 91]);
    expect(steps(result[1])).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps no more requests in flight than the concurrency', async () => {
    const fake = fakeFetch(prometheusOf([{ __name__: 'm' }], (_, t) => t));
    const c = client(fake.fetch, { maxPointsPerSeries: 10, concurrency: 3 });
    await Promise.all([
      c.queryRange('m', { start: 0, end: 199, step: 1 }),
      c.queryRange('m', { start: 0, end: 99, step: 1 }),
    ]);
    expect(fake.calls.length).toBe(30);
    expect(fake.maxInFlight()).toBeLessThanOrEqual(3);
    expect(fake.maxInFlight()).toBeGreaterThan(1);
  });

  it('sends the query, start, end and step as a form to /api/v1/query_range', async () => {
    const fake = fakeFetch(prometheusOf([], () => 1));
    await client(fake.fetch).queryRange('rate(x_total{a="b"}[5m])', { start: 60, end: 120, step: 30 });
    const [{ url, init, params }] = fake.calls;
    expect(url.toString()).toBe(`${BASE}/api/v1/query_range`);
    expect(init.method).toBe('POST');
    expect(Object.fromEntries(params)).toEqual({
      query: 'rate(x_total{a="b"}[5m])',
      start: '60',
      end: '120',
      step: '30',
    });
  });

  it('returns an empty list when no series matches', async () => {
    const fake = fakeFetch(prometheusOf([], () => 1));
    expect(await client(fake.fetch).queryRange('absent_metric', { start: 0, end: 100, step: 10 })).toEqual([]);
  });
});

describe('mergeChunks', () => {
  it('keeps a timestamp repeated at a chunk edge once, from the earlier chunk', () => {
    const part = (ts: number[], vs: number[]): PromSeries => ({
      metric: { __name__: 'm' },
      timestamps: Float64Array.from(ts),
      values: Float64Array.from(vs),
    });
    const [merged] = mergeChunks([[part([1, 2, 3], [10, 20, 30])], [part([3, 4], [31, 40])]]);
    expect(steps(merged)).toEqual([1, 2, 3, 4]);
    expect(Array.from(merged.values)).toEqual([10, 20, 30, 40]);
  });
});

describe('sample values', () => {
  it('reads NaN, +Inf, -Inf and Go decimals', async () => {
    const fake = fakeFetch(() =>
      json(200, {
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [
            {
              metric: { __name__: 'g' },
              values: [
                [1, 'NaN'],
                [2, '+Inf'],
                [3, '-Inf'],
                [4, '1e-7'],
                [5, '-0.25'],
                [6, '12345678901234567890'],
              ],
            },
          ],
        },
      })
    );
    const [series] = await client(fake.fetch).queryRange('g', { start: 1, end: 6, step: 1 });
    expect(Array.from(series.values)).toEqual([NaN, Infinity, -Infinity, 1e-7, -0.25, 12345678901234567890]);
  });

  it('refuses strings that are not numbers instead of reading them as 0 or NaN', () => {
    for (const text of ['', ' 1', 'Infinity', '1,5', '0x10', 'nan', 'abc']) {
      expect(parseSampleValue(text)).toBeUndefined();
    }
  });
});

describe('retries', () => {
  it('retries a 500 and a 503 with backoff, then returns the data', async () => {
    let n = 0;
    const ok = prometheusOf([{ __name__: 'up' }], () => 1);
    const fake = fakeFetch((url, init) => {
      n++;
      return n === 1
        ? json(500, { status: 'error', errorType: 'internal', error: 'boom' })
        : n === 2
          ? new Response('', { status: 503 })
          : ok(url, init);
    });
    const [series] = await client(fake.fetch).queryRange('up', { start: 0, end: 2, step: 1 });
    expect(fake.calls.length).toBe(3);
    expect(Array.from(series.values)).toEqual([1, 1, 1]);
  });

  it('gives up after the retries with the status, Prometheus error and number of attempts', async () => {
    const fake = fakeFetch(() =>
      json(503, { status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' })
    );
    const err = await failure(client(fake.fetch, { retries: 2 }).queryRange('heavy', { start: 0, end: 10, step: 1 }));
    expect(fake.calls.length).toBe(3);
    expect(err.code).toBe('prom-server-error');
    expect(err.status).toBe(503);
    expect(err.message).toBe(
      `Prometheus at ${BASE} failed query \`heavy\` with HTTP 503: timeout: query timed out in expression evaluation (3 attempts); ` +
        "check Prometheus' health and logs"
    );
  });

  it('retries a query that met the storage of a Prometheus shutting down (422 "block is closing")', async () => {
    let n = 0;
    const ok = prometheusOf([{ __name__: 'up' }], () => 1);
    const fake = fakeFetch((url, init) =>
      ++n === 1
        ? json(422, {
            status: 'error',
            errorType: 'execution',
            error: 'open querier for block 01M84ENF43TYT3F0GHSQX7VPJX: open index reader: block is closing',
          })
        : ok(url, init)
    );
    const [series] = await client(fake.fetch).queryRange('up', { start: 0, end: 2, step: 1 });
    expect(fake.calls.length).toBe(2);
    expect(Array.from(series.values)).toEqual([1, 1, 1]);
  });

  it('does not retry bad PromQL and quotes both the query and Prometheus error', async () => {
    const fake = fakeFetch(() =>
      json(400, {
        status: 'error',
        errorType: 'bad_data',
        error: 'invalid parameter "query": 1:8: parse error: unexpected end of input',
      })
    );
    const err = await failure(client(fake.fetch).queryRange('sum(up', { start: 0, end: 10, step: 1 }));
    expect(fake.calls.length).toBe(1);
    expect(err.code).toBe('prom-bad-query');
    expect(err.message).toBe(
      `Prometheus at ${BASE} rejected query \`sum(up\`: bad_data: invalid parameter "query": 1:8: parse error: unexpected end of input; fix the query`
    );
  });

  it('does not retry a 404 and says the URL is probably missing a path prefix', async () => {
    const fake = fakeFetch(() => new Response('404 page not found', { status: 404, statusText: 'Not Found' }));
    const err = await failure(client(fake.fetch).queryRange('up', { start: 0, end: 10, step: 1 }));
    expect(fake.calls.length).toBe(1);
    expect(err.code).toBe('prom-http');
    expect(err.message).toMatch(
      /refused query `up` \(HTTP 404 Not Found: 404 page not found\): check the URL: it is the API root/
    );
  });

  it('names the URL and suggests checking it when nothing answers', async () => {
    const fake = fakeFetch(() => {
      throw new TypeError('fetch failed', {
        cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.0.0.1:9090' },
      });
    });
    const err = await failure(client(fake.fetch, { retries: 1 }).queryRange('up', { start: 0, end: 10, step: 1 }));
    expect(fake.calls.length).toBe(2);
    expect(err.code).toBe('prom-unreachable');
    expect(err.message).toBe(
      `cannot reach Prometheus at ${BASE} for query \`up\`: connect ECONNREFUSED 10.0.0.1:9090 (2 attempts); ` +
        'check the URL and that Prometheus is running and reachable from here'
    );
  });
});

describe('timeouts and cancellation', () => {
  const hang = () => new Promise<Response>(() => undefined);

  it('aborts a request that does not answer within the timeout, retries it, and names the query and timeout', async () => {
    const fake = fakeFetch(hang);
    const err = await failure(
      client(fake.fetch, { timeoutMs: 20, retries: 1 }).queryRange('slow', { start: 0, end: 10, step: 1 })
    );
    expect(fake.calls.length).toBe(2);
    expect(fake.calls.every(({ init }) => init.signal?.aborted)).toBe(true);
    expect(err.code).toBe('prom-timeout');
    expect(err.message).toMatch(
      /^Prometheus at \S+ did not answer query `slow` within 0.02 s \(2 attempts\): narrow the range, raise the step/
    );
  });

  it('stops at once when the caller aborts, without retrying, and aborts the request in flight', async () => {
    const fake = fakeFetch(hang);
    const controller = new AbortController();
    const pending = client(fake.fetch).queryRange('up', { start: 0, end: 10, step: 1 }, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const err = await failure(pending);
    expect(err.code).toBe('prom-cancelled');
    expect(err.message).toBe('query `up` was cancelled');
    expect(fake.calls.length).toBe(1);
    expect(fake.calls[0].init.signal?.aborted).toBe(true);
  });

  it('cancels during the backoff between retries', async () => {
    const controller = new AbortController();
    const fake = fakeFetch(() => {
      setTimeout(() => controller.abort(), 5);
      return new Response('', { status: 502 });
    });
    const err = await failure(
      client(fake.fetch, { backoffMs: 60_000 }).queryRange(
        'up',
        { start: 0, end: 10, step: 1 },
        { signal: controller.signal }
      )
    );
    expect(err.code).toBe('prom-cancelled');
    expect(fake.calls.length).toBe(1);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const fake = fakeFetch(prometheusOf([], () => 1));
    const err = await failure(
      client(fake.fetch).queryRange('up', { start: 0, end: 10, step: 1 }, { signal: AbortSignal.abort() })
    );
    expect(err.code).toBe('prom-cancelled');
    expect(fake.calls.length).toBe(0);
  });

  it('cancels the other chunks of a query when one fails, and reports that failure', async () => {
    const fake = fakeFetch((url, init) => {
      const start = Number((init.body as URLSearchParams).get('start'));
      return start === 0 ? json(422, { status: 'error', errorType: 'execution', error: 'too many samples' }) : hang();
    });
    const err = await failure(
      client(fake.fetch, { maxPointsPerSeries: 10 }).queryRange('big', { start: 0, end: 99, step: 1 })
    );
    expect(err.code).toBe('prom-bad-query');
    expect(err.message).toContain('execution: too many samples');
    expect(fake.calls.slice(1).every(({ init }) => init.signal?.aborted)).toBe(true);
  });
});

describe('malformed responses', () => {
  const range = { start: 0, end: 2, step: 1 };
  const matrix = (result: unknown) => json(200, { status: 'success', data: { resultType: 'matrix', result } });

  it('reports a response cut off in the middle of the JSON', async () => {
    const fake = fakeFetch(
      () => new Response('{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up"},"val')
    );
    const err = await failure(client(fake.fetch).queryRange('up', range));
    expect(err.code).toBe('prom-malformed');
    expect(err.message).toMatch(
      /^Prometheus at \S+ returned a malformed response to query `up`: not JSON \(.+\) after 92 characters, the response may have been cut off/
    );
  });

  it('retries a body whose connection drops, then reports it cut off', async () => {
    const fake = fakeFetch(
      () =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('{"status":"succ'));
              controller.error(new TypeError('terminated', { cause: { message: 'other side closed' } }));
            },
          })
        )
    );
    const err = await failure(client(fake.fetch, { retries: 1 }).queryRange('up', range));
    expect(fake.calls.length).toBe(2);
    expect(err.code).toBe('prom-malformed');
    expect(err.message).toMatch(/cut off its response \(other side closed\) while answering query `up` \(2 attempts\)/);
  });

  it.each([
    [
      'a vector instead of a matrix',
      json(200, { status: 'success', data: { resultType: 'vector', result: [] } }),
      /expected data.resultType "matrix"/,
    ],
    [
      'numbers where strings belong',
      matrix([{ metric: { __name__: 'up' }, values: [[1, 1]] }]),
      /data.result\[0\].values\[0\] is \[1,1\], expected \[unix seconds, "value"\]/,
    ],
    ['a string timestamp', matrix([{ metric: {}, values: [['1', '1']] }]), /values\[0\] is \["1","1"\]/],
    [
      'labels that are not strings',
      matrix([{ metric: { pod: 3 }, values: [] }]),
      /data.result\[0\].metric is not an object of string labels/,
    ],
    ['no values', matrix([{ metric: {} }]), /data.result\[0\].values is not an array/],
    ['a JSON array', json(200, []), /status undefined/],
    ['an HTML page', new Response('<html>Grafana</html>', { status: 200 }), /not JSON/],
  ])('reports %s', async (_, response, message) => {
    const err = await failure(client(fakeFetch(() => response.clone()).fetch).queryRange('up', range));
    expect(err.code).toBe('prom-malformed');
    expect(err.message).toMatch(message);
  });
});

describe('limits', () => {
  it('refuses a range of more steps than the cap before sending anything, and says which step would fit', async () => {
    const fake = fakeFetch(prometheusOf([], () => 1));
    const day = 86_400;
    const err = await failure(
      client(fake.fetch, { maxSteps: 10_000 }).queryRange('up', {
        start: 1_700_000_000,
        end: 1_700_000_000 + 7 * day,
        step: 30,
      })
    );
    expect(fake.calls.length).toBe(0);
    expect(err.code).toBe('prom-too-large');
    expect(err.message).toBe(
      'query `up` from 2023-11-14T22:13:20Z to 2023-11-21T22:13:20Z at step 30 s has 20161 steps, more than the limit of 10000: ' +
        'narrow the range or raise the step to at least 61 s'
    );
  });

  it('stops a query whose series return more points than the cap', async () => {
    const names = Array.from({ length: 50 }, (_, k) => ({ __name__: 'm', k: String(k) }));
    const fake = fakeFetch(prometheusOf(names, () => 1));
    const err = await failure(
      client(fake.fetch, { maxSamples: 1000, maxPointsPerSeries: 10 }).queryRange('m', { start: 0, end: 99, step: 1 })
    );
    expect(err.code).toBe('prom-too-large');
    expect(err.message).toMatch(/returns more than 1000 points \(series x steps\): select fewer series/);
  });
});

describe('other endpoints and options', () => {
  it('reads label values, with match[] and the range', async () => {
    const fake = fakeFetch(() => json(200, { status: 'success', data: ['ims', 'monitoring'] }));
    const values = await client(fake.fetch).labelValues('namespace', { match: ['up{job="x"}'], start: 10, end: 20 });
    expect(values).toEqual(['ims', 'monitoring']);
    const { url, init } = fake.calls[0];
    expect(init.method).toBe('GET');
    expect(url.pathname).toBe('/api/v1/label/namespace/values');
    expect(url.searchParams.getAll('match[]')).toEqual(['up{job="x"}']);
    expect([url.searchParams.get('start'), url.searchParams.get('end')]).toEqual(['10', '20']);
  });

  it('checks health with the build info', async () => {
    const fake = fakeFetch(() =>
      json(200, {
        status: 'success',
        data: { version: '2.42.0', revision: 'abc', branch: 'HEAD', goVersion: 'go1.19' },
      })
    );
    expect(await client(fake.fetch).buildInfo()).toEqual({
      version: '2.42.0',
      revision: 'abc',
      branch: 'HEAD',
      goVersion: 'go1.19',
    });
    expect(fake.calls[0].url.pathname).toBe('/api/v1/status/buildinfo');
  });

  it('turns credentials in the URL into a Basic header and keeps them out of messages', async () => {
    const fake = fakeFetch(() => new Response('', { status: 401, statusText: 'Unauthorized' }));
    const c = createPrometheusClient({
      baseUrl: 'https://ops:s%3Acret@prom.test/prometheus/',
      fetch: fake.fetch,
      headers: { 'X-Scope-OrgID': 't1' },
    });
    const err = await failure(c.buildInfo());
    expect(c.url).toBe('https://prom.test/prometheus');
    expect(fake.calls[0].url.toString()).toBe('https://prom.test/prometheus/api/v1/status/buildinfo');
    expect(fake.calls[0].init.headers).toMatchObject({
      Authorization: `Basic ${btoa('ops:s:cret')}`,
      'X-Scope-OrgID': 't1',
    });
    expect(err.code).toBe('prom-http');
    expect(err.message).not.toContain('cret');
    expect(err.message).toMatch(/HTTP 401 Unauthorized\): check the credentials/);
  });
});
