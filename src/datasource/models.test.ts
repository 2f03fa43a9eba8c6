/**
 * @jest-environment ./src/datasource/testing/environment.js
 */
import * as tf from '@tensorflow/tfjs';

import { autoencoderShape, buildAutoencoder } from '../core/model';
import { fetchManifests, loadModels, sha256Hex } from './models';
import { modelsFolder, type Files } from './testing/artifacts';

// Real tfjs and Grafana's components are slow to start on a busy machine: no test here is about speed.
jest.setTimeout(60_000);

const BASE = 'public/plugins/syrroca-radiography-app/models/demo/';

const artifact = (group: string) => modelsFolder(tf, BASE, [{ group }]);

/** A fetch over a map of files; `lengths` overrides the announced Content-Length. */
function serve(files: Files, lengths: Record<string, number> = {}) {
  const requested: string[] = [];
  const doFetch = (async (url: string) => {
    requested.push(url);
    const body = files[url];
    if (body === undefined) {
      return new Response('not found', { status: 404 });
    }
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    return new Response(bytes, { headers: { 'Content-Length': String(lengths[url] ?? bytes.byteLength) } });
  }) as typeof fetch;
  return { doFetch, requested };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('sha256Hex', () => {
  it('hashes the parts one after the other', async () => {
    const bytes = (s: string) => new TextEncoder().encode(s).buffer as ArrayBuffer;
    // FIPS 180-2 test vector: SHA-256("abc").
    expect(await sha256Hex([bytes('a'), bytes('bc')])).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    );
  });
});

describe('loadModels', () => {
  it('loads a verified artifact into a model that reconstructs like the one that was saved', async () => {
    const files = await artifact('cpu');
    const loaded = await loadModels(tf, serve(files).doFetch, BASE);
    expect(loaded.verified).toBe(true);
    expect(loaded.models.map((m) => [m.manifest.group, m.source, m.input])).toEqual([
      ['cpu', `${BASE}cpu/`, { window: 3, features: 2 }],
    ]);
    const windows = Float32Array.from({ length: 12 }, (_, i) => i / 12);
    const original = buildAutoencoder(tf, autoencoderShape(2, 3), 7);
    const expected = (original.predict(tf.tensor3d(windows, [2, 3, 2])) as tf.Tensor).dataSync();
    expect(Array.from(await loaded.models[0].reconstruct(windows, 2))).toEqual(Array.from(expected));
  });

  it('refuses weights that are not the ones the manifest was written for', async () => {
    const files = await artifact('cpu');
    const weights = files[`${BASE}cpu/weights.bin`] as Uint8Array;
    weights[0] ^= 0xff;
    await expect(loadModels(tf, serve(files).doFetch, BASE)).rejects.toThrow(
      `${BASE}cpu/: model.json and weights.bin do not match the manifest's content hash`
    );
  });

  it('names a download that was cut off', async () => {
    const files = await artifact('cpu');
    const url = `${BASE}cpu/weights.bin`;
    const { doFetch } = serve(files, { [url]: (files[url] as Uint8Array).byteLength + 100 });
    await expect(loadModels(tf, doFetch, BASE)).rejects.toThrow(`${url} was cut off`);
  });

  it('says where to look when there are no models at the URL', async () => {
    await expect(loadModels(tf, serve({}).doFetch, 'api/datasources/proxy/uid/x/models/')).rejects.toThrow(
      'api/datasources/proxy/uid/x/models/models.json answered HTTP 404: no syrroca models there: check the models URL'
    );
  });

  it('says the artifact is incomplete when a group lacks a file', async () => {
    const files = await artifact('cpu');
    delete files[`${BASE}cpu/model.json`];
    await expect(loadModels(tf, serve(files).doFetch, BASE)).rejects.toThrow(
      `${BASE}cpu/model.json answered HTTP 404: the artifact is incomplete: copy the whole folder`
    );
  });

  it('refuses a group folder that holds another group', async () => {
    const files = await artifact('memory');
    files[`${BASE}models.json`] = JSON.stringify({ formatVersion: 1, groups: ['cpu'], createdAt: '' });
    for (const file of ['manifest.json', 'model.json', 'weights.bin']) {
      files[`${BASE}cpu/${file}`] = files[`${BASE}memory/${file}`];
    }
    await expect(loadModels(tf, serve(files).doFetch, BASE)).rejects.toThrow(
      'the manifest is for group "memory", not "cpu"'
    );
  });
});

describe('fetchManifests', () => {
  it('reads the index and the manifests only', async () => {
    const { doFetch, requested } = serve(await artifact('cpu'));
    expect((await fetchManifests(doFetch, BASE)).map((m) => m.group)).toEqual(['cpu']);
    expect(requested).toEqual([`${BASE}models.json`, `${BASE}cpu/manifest.json`]);
  });
});
