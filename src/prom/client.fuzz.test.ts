/**
 * Hostile Prometheus API responses: cut off, not JSON, wrong types, NaN/Inf strings, missing fields,
 * huge matrices. Every response ends in a PrometheusError that names the problem, or in exactly the
 * series and numbers the response holds.
 */
import fc from 'fast-check';

import { fuzzAsync } from '../../tests/helpers/fuzz';
import { createPrometheusClient, parseSampleValue, PrometheusError } from './client';
import { seriesToMatrix } from './matrix';
import type { TimeRange } from './types';

const CASES = 300;
const RANGE: TimeRange = { start: 1_700_000_000, end: 1_700_000_000 + 9 * 30, step: 30 };

/** A client whose Prometheus answers every request with `status` and `body`. */
function clientAnswering(body: string, status = 200, options: { maxSamples?: number } = {}) {
  // 204, 205 and 304 cannot carry a body.
  const nullBody = [204, 205, 304].includes(status);
  const fetch = (async () => new Response(nullBody ? null : body, { status })) as typeof globalThis.fetch;
  return createPrometheusClient({ baseUrl: 'http://prom.test', fetch, retries: 0, backoffMs: 0, ...options });
}

/** What a Prometheus could write for a sample value, and garbage in its place. */
const sampleValue = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom('NaN', '+Inf', '-Inf', 'Inf', 'inf', 'Infinity', '', ' 1', '1e999', '0x1', 'null', '1_000'),
  fc.double().map((v) => v as unknown),
  fc.constantFrom(null, true, [], {}) as fc.Arbitrary<unknown>
);
const timestamp = fc.oneof(
  fc.integer({ min: 0, max: 9 }).map((i) => RANGE.start + i * RANGE.step),
  fc.constantFrom<unknown>(RANGE.start + 1, '1700000000', null, NaN, 1e308, -1)
);
const point = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(timestamp, sampleValue) as fc.Arbitrary<unknown> },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, [], [RANGE.start], [RANGE.start, '1', 'x'], { t: 1 }, '1') }
);
const labels = fc.dictionary(
  fc.constantFrom('__name__', 'job', 'pod', 'le', '__proto__', 'constructor', 'a b', 'x"y'),
  fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom<unknown>(1, null, ['a'])) as fc.Arbitrary<unknown>
);
const item = fc.record(
  {
    metric: fc.oneof(labels as fc.Arbitrary<unknown>, fc.constantFrom<unknown>(null, [], 'up')),
    values: fc.array(point, { maxLength: 12 }),
  },
  { requiredKeys: [] }
);
const body = fc.oneof(
  fc
    .record(
      {
        status: fc.constantFrom<unknown>('success', 'error', 1),
        data: fc.oneof(
          fc.record(
            {
              resultType: fc.constantFrom<unknown>('matrix', 'vector', null),
              result: fc.oneof(fc.array(item, { maxLength: 5 }), fc.constantFrom<unknown>(null, {}, 'x')),
            },
            { requiredKeys: [] }
          ),
          fc.constantFrom<unknown>(null, [], 'x')
        ),
      },
      { requiredKeys: [] }
    )
    .map((b) => JSON.stringify(b)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 40 })
);

/** The response must be what the API documents: anything else is a PrometheusError. */
async function queryOrError(text: string, status = 200) {
  try {
    return await clientAnswering(text, status).queryRange('up', RANGE);
  } catch (error) {
    expect(error).toBeInstanceOf(PrometheusError);
    expect((error as PrometheusError).message).toContain('http://prom.test');
    return error as PrometheusError;
  }
}

describe('the Prometheus client on hostile responses', () => {
  it(`ends each of ${CASES} random responses in a PrometheusError or exactly the values the response holds`, async () => {
    await fuzzAsync(
      fc.asyncProperty(body, async (text) => {
        const result = await queryOrError(text);
        if (result instanceof PrometheusError) {
          return;
        }
        const parsed = JSON.parse(text);
        expect(parsed.status).toBe('success');
        // Every series, every point as the response wrote it: no invented, reordered or reparsed number.
        const wanted = new Map<string, Array<[number, number]>>();
        for (const s of parsed.data.result as Array<{
          metric: Record<string, string>;
          values: Array<[number, string]>;
        }>) {
          expect(s.values.every(([t, v]) => typeof t === 'number' && parseSampleValue(v) !== undefined)).toBe(true);
          const key = JSON.stringify(Object.entries(s.metric).sort());
          wanted.set(key, (wanted.get(key) ?? []).concat(s.values.map(([t, v]) => [t, parseSampleValue(v)!])));
        }
        expect(result.length).toBe(wanted.size);
        for (const s of result) {
          const expected = wanted.get(JSON.stringify(Object.entries(s.metric).sort()))!;
          const firstAt = new Map<number, number>();
          expected.forEach(([t, v]) => (firstAt.has(t) ? undefined : firstAt.set(t, v)));
          expect(Array.from(s.timestamps)).toEqual([...firstAt.keys()].sort((a, b) => a - b));
          expect(Array.from(s.values)).toEqual(Array.from(s.timestamps, (t) => firstAt.get(t)));
        }
        // And the matrix built from them is either refused by name or holds those numbers on the grid.
        try {
          const matrix = seriesToMatrix(result, RANGE);
          expect(matrix.columns.every((c) => c.length === 10)).toBe(true);
        } catch (error) {
          expect((error as Error).name).toBe('SyrrocaError');
        }
      }),
      CASES
    );
  });

  it(`reads each of ${CASES} well-formed responses with NaN, ±Inf and extreme decimals exactly`, async () => {
    const goValue = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => [String(v), v] as const),
      fc.constantFrom(
        ['NaN', NaN],
        ['+Inf', Infinity],
        ['-Inf', -Infinity],
        ['1e-320', 1e-320],
        ['-0', -0]
      ) as fc.Arbitrary<readonly [string, number]>
    );
    const wellFormed = fc
      .uniqueArray(fc.string({ maxLength: 5 }), { minLength: 1, maxLength: 4 })
      .chain((pods) =>
        fc.tuple(
          ...pods.map((pod) =>
            fc.tuple(
              fc.constant(pod),
              fc.subarray([...Array(10).keys()]),
              fc.array(goValue, { minLength: 10, maxLength: 10 })
            )
          )
        )
      );
    await fuzzAsync(
      fc.asyncProperty(wellFormed, async (series) => {
        const result = series.map(([pod, steps, values]) => ({
          metric: { __name__: 'm', pod },
          values: steps.map((i) => [RANGE.start + i * RANGE.step, values[i][0]]),
        }));
        const got = await clientAnswering(
          JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } })
        ).queryRange('m', RANGE);
        const matrix = seriesToMatrix(got, RANGE);
        const byPod = new Map(series.map(([pod, steps, values]) => [pod, { steps, values }]));
        matrix.features.forEach((name, j) => {
          const { steps, values } = byPod.get(got[j].metric.pod)!;
          expect(name.startsWith('m{pod=')).toBe(true);
          // String(-0) is "0": the sign of zero is the only thing the text cannot say.
          const expected = Array.from({ length: 10 }, (_, i) => (steps.includes(i) ? values[i][1] + 0 : NaN));
          expect(Array.from(matrix.columns[j], (v) => v + 0)).toEqual(expected);
        });
      }),
      CASES
    );
  });

  it(`refuses every one of ${CASES} cut-off responses as malformed`, async () => {
    const valid = (n: number) =>
      JSON.stringify({
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [
            {
              metric: { __name__: 'up', job: 'a' },
              values: Array.from({ length: n }, (_, i) => [RANGE.start + i * 30, String(i / 3)]),
            },
          ],
        },
      });
    await fuzzAsync(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        async (n, cut) => {
          const text = valid(n);
          const error = await queryOrError(text.slice(0, Math.floor(cut * text.length)));
          expect(error).toBeInstanceOf(PrometheusError);
          expect((error as PrometheusError).code).toBe('prom-malformed');
        }
      ),
      CASES
    );
  });

  it(`ends each of ${CASES} error statuses with random bodies in a PrometheusError carrying the status`, async () => {
    await fuzzAsync(
      fc.asyncProperty(fc.integer({ min: 300, max: 599 }), body, async (status, text) => {
        const error = await queryOrError(text, status);
        expect(error).toBeInstanceOf(PrometheusError);
        expect((error as PrometheusError).status).toBe(status);
      }),
      CASES
    );
  });

  it('refuses a huge matrix past its sample limit instead of holding it', async () => {
    const series = Array.from({ length: 200 }, (_, k) => ({
      metric: { __name__: 'x', k: String(k) },
      values: Array.from({ length: 10 }, (_, i) => [RANGE.start + i * 30, '1']),
    }));
    const text = JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: series } });
    await expect(clientAnswering(text, 200, { maxSamples: 1000 }).queryRange('x', RANGE)).rejects.toMatchObject({
      code: 'prom-too-large',
    });
  });
});
