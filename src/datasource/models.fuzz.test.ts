/**
 * @jest-environment ./src/datasource/testing/environment.js
 */
/**
 * Model files from a URL, served by a hostile or broken server: wrong statuses, lying or garbage
 * Content-Length, bodies cut off or replaced, connections dropped mid-body, endless bodies. Loading
 * ends in a SyrrocaError that names the URL, or in the verified models: never a raw error, never
 * an unbounded download.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';

import { fuzzAsync } from '../../tests/helpers/fuzz';
import { SyrrocaError } from '../core/errors';
import { loadModels, MAX_FILE_BYTES } from './models';
import { modelsFolder, type Files } from './testing/artifacts';

jest.setTimeout(120_000);

const CASES = 150;
const BASE = 'https://models.example/syrroca/';
const NAMES = ['models.json', 'cpu/manifest.json', 'cpu/model.json', 'cpu/weights.bin'];

type Fault =
  | { kind: 'none' }
  | { kind: 'status'; status: number }
  | { kind: 'length'; length: string }
  | { kind: 'cut'; at: number; announceWhole: boolean }
  | { kind: 'replace'; bytes: Uint8Array }
  | { kind: 'network' }
  | { kind: 'drop'; after: number }
  | { kind: 'gzip-header' };

const fault: fc.Arbitrary<Fault> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'none' as const }) },
  fc.record({ kind: fc.constant('status' as const), status: fc.constantFrom(301, 400, 401, 403, 404, 500, 502, 504) }),
  fc.record({
    kind: fc.constant('length' as const),
    length: fc.oneof(
      fc.integer({ min: -10, max: 1e9 }).map(String),
      fc.constantFrom('abc', '', '1e3', String(MAX_FILE_BYTES + 1), '99999999999999999999')
    ),
  }),
  fc.record({
    kind: fc.constant('cut' as const),
    at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    announceWhole: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('replace' as const), bytes: fc.uint8Array({ maxLength: 64 }) }),
  fc.constant({ kind: 'network' as const }),
  fc.record({ kind: fc.constant('drop' as const), after: fc.nat({ max: 100 }) }),
  fc.constant({ kind: 'gzip-header' as const })
);

let files: Files;
beforeAll(async () => {
  await tf.setBackend('cpu');
  files = await modelsFolder(tf, BASE, [{ group: 'cpu' }]);
});

const bytesOf = (body: string | Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> =>
  typeof body === 'string' ? new TextEncoder().encode(body) : body;

/** A body that sends `bytes` up to `after`, then fails like a dropped connection. */
function droppingBody(bytes: Uint8Array, after: number): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes.slice(0, Math.min(after, bytes.length)));
      controller.error(new TypeError('terminated'));
    },
  });
}

function serve(faults: Record<string, Fault>): typeof fetch {
  return (async (url: string) => {
    const name = url.slice(BASE.length);
    const whole = bytesOf(files[url]);
    const f = faults[name] ?? { kind: 'none' };
    const headers = { 'Content-Length': String(whole.length) };
    switch (f.kind) {
      case 'none':
        return new Response(whole, { headers });
      case 'status':
        return new Response('nope', { status: f.status });
      case 'length':
        return new Response(whole, { headers: { 'Content-Length': f.length } });
      case 'cut': {
        const cut = whole.slice(0, Math.floor(f.at * whole.length));
        return new Response(cut, { headers: f.announceWhole ? headers : { 'Content-Length': String(cut.length) } });
      }
      case 'replace':
        return new Response(new Uint8Array(f.bytes), { headers: { 'Content-Length': String(f.bytes.length) } });
      case 'network':
        throw new TypeError('fetch failed');
      case 'drop':
        return new Response(droppingBody(whole, f.after), { headers });
      case 'gzip-header':
        return new Response(whole.slice(0, whole.length >> 1), { headers: { ...headers, 'Content-Encoding': 'gzip' } });
    }
  }) as typeof fetch;
}

describe('loading models from a hostile server', () => {
  it(`ends each of ${CASES} broken downloads in a SyrrocaError naming a URL, or in the verified models`, async () => {
    await fuzzAsync(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...NAMES), fault), async (faults) => {
        try {
          const loaded = await loadModels(tf, serve(faults), BASE);
          expect(loaded.verified).toBe(true);
          expect(loaded.models.map((m) => m.input)).toEqual([{ window: 3, features: 2 }]);
        } catch (error) {
          if (!(error instanceof SyrrocaError)) {
            throw error;
          }
          expect(error.message).toContain(BASE);
        }
      }),
      CASES
    );
  });

  it('stops reading an endless body that announces no length once it passes the size cap', async () => {
    const chunk = new Uint8Array(2 ** 20);
    let pulled = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    });
    const doFetch = (async () => new Response(endless)) as typeof fetch;
    await expect(loadModels(tf, doFetch, BASE)).rejects.toMatchObject({ code: 'models-too-large' });
    expect(cancelled).toBe(true);
    // The cap is 64 MiB: the reader stops within a few chunks after it, whatever the stream's buffering.
    expect(pulled).toBeLessThan(MAX_FILE_BYTES / chunk.length + 4);
  });
});
