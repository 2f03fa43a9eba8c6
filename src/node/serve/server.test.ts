import { writeFileSync } from 'fs';
import { request } from 'http';
import { join } from 'path';

import { listenDuringSuite, modelsFixture } from '../../../tests/helpers/exporterServer';
import { createExporterMetrics } from './metrics';
import { createExporterServer } from './server';

const { root, models } = modelsFixture('server');
writeFileSync(join(models, 'cpu', 'notes.txt'), 'not an artifact file');
writeFileSync(join(models, '.hidden.json'), '{}');
writeFileSync(join(root, 'secret.json'), '{"secret":true}');

const metrics = createExporterMetrics({ topK: 5 });
let healthy = true;
const server = createExporterServer({
  registry: metrics.registry,
  modelsDir: () => models,
  health: () => ({ ok: healthy, detail: { up: false } }),
});
const listening = listenDuringSuite(server);

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request (paths are sent as written, without the normalization fetch would apply). */
function send(method: string, path: string, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: listening.port,
        method,
        path,
        headers: body ? { 'Content-Length': Buffer.byteLength(body) } : {},
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      }
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('the exporter HTTP surface', () => {
  it('serves /metrics in the Prometheus text format', async () => {
    const reply = await send('GET', '/metrics');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(reply.body).toContain('# TYPE syrroca_up gauge\nsyrroca_up 0\n');
  });

  it('answers /healthz with 200 and the detail while serving, 503 when not', async () => {
    expect(await send('GET', '/healthz')).toMatchObject({ status: 200, body: '{"ok":true,"up":false}\n' });
    healthy = false;
    expect((await send('GET', '/healthz')).status).toBe(503);
    healthy = true;
  });

  it('serves model artifact files read-only with CORS, the index at /models/', async () => {
    const manifest = await send('GET', '/models/cpu/manifest.json');
    expect(manifest).toMatchObject({ status: 200, body: '{"group":"cpu"}' });
    expect(manifest.headers['access-control-allow-origin']).toBe('*');
    expect(manifest.headers['content-type']).toBe('application/json');
    expect((await send('GET', '/models/')).body).toBe('{"formatVersion":1,"groups":["cpu"]}');
    const weights = await send('HEAD', '/models/cpu/weights.bin');
    expect(weights).toMatchObject({ status: 200, body: '' });
    expect(weights.headers['content-length']).toBe('3');
  });

  it('answers a CORS preflight for the models', async () => {
    const reply = await send('OPTIONS', '/models/cpu/model.json');
    expect(reply.status).toBe(204);
    expect(reply.headers['access-control-allow-methods']).toBe('GET, HEAD, OPTIONS');
  });

  it.each([
    ['/models/../secret.json'],
    ['/models/%2e%2e/secret.json'],
    ['/models/cpu/..%2f..%2fsecret.json'],
    ['/models/.hidden.json'],
    ['/models/cpu/notes.txt'],
    ['/models/cpu/manifest.json%00.json'],
  ])('never serves anything outside the artifact files: %s', async (path) => {
    const reply = await send('GET', path);
    expect([403, 404]).toContain(reply.status);
    expect(reply.body).not.toContain('secret');
  });

  it('says what it serves for an unknown path, and refuses other methods and request bodies', async () => {
    expect(await send('GET', '/')).toMatchObject({
      status: 404,
      body: 'not found: this exporter serves /metrics, /healthz and /models/\n',
    });
    const post = await send('POST', '/metrics');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect((await send('GET', '/metrics', 'x=1')).status).toBe(413);
    expect((await send('OPTIONS', '/metrics')).status).toBe(405);
    expect((await send('GET', '/models/cpu/missing.json')).status).toBe(404);
  });
});
