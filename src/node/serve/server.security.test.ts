/**
 * The exporter's HTTP surface against hostile clients: path traversal under /models/ in every
 * spelling (encoded, double-encoded, backslashes, absolute paths, symbolic links), unknown paths,
 * oversized requests and slow clients (slowloris). The exporter binds to loopback by default.
 */
import { Command } from 'commander';
import fc from 'fast-check';
import { mkdirSync, symlinkSync, writeFileSync } from 'fs';
import { request } from 'http';
import { connect } from 'net';
import { join } from 'path';

import { listenDuringSuite, modelsFixture } from '../../../tests/helpers/exporterServer';
import { fuzzAsync } from '../../../tests/helpers/fuzz';
import { register } from '../commands/serve';
import { createExporterMetrics } from './metrics';
import { createExporterServer, MAX_HEADER_BYTES } from './server';

const TRAVERSAL_CASES = 300;
const SECRET = 'TOP-SECRET-CONTENT';

const { root, models } = modelsFixture('server-security');
writeFileSync(join(root, 'secret.json'), SECRET);
mkdirSync(join(root, 'cpu'));
writeFileSync(join(root, 'cpu', 'manifest.json'), SECRET);
symlinkSync(join(root, 'secret.json'), join(models, 'cpu', 'link.json'));
symlinkSync(root, join(models, 'up'));

/** The files a client may read, by their path under /models/. */
const SERVED: Record<string, string> = {
  '': '{"formatVersion":1,"groups":["cpu"]}',
  '/': '{"formatVersion":1,"groups":["cpu"]}',
  '/models.json': '{"formatVersion":1,"groups":["cpu"]}',
  '/cpu/manifest.json': '{"group":"cpu"}',
  '/cpu/weights.bin': '\u0001\u0002\u0003',
};

const metrics = createExporterMetrics({ topK: 5 });
const server = createExporterServer({
  registry: metrics.registry,
  modelsDir: () => models,
  health: () => ({ ok: true, detail: {} }),
  requestTimeoutMs: 400,
});
const listening = listenDuringSuite(server);

interface Reply {
  status: number;
  body: string;
}

/** A request with the path sent exactly as written (no normalization on the way). */
function get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: listening.port, method: 'GET', path, headers }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The same bytes on a raw socket, for request targets Node's client refuses to send. */
function raw(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(listening.port, '127.0.0.1', () => socket.end(text));
    let reply = '';
    socket.on('data', (chunk) => (reply += chunk));
    socket.on('close', () => resolve(reply));
    socket.on('error', reject);
  });
}

describe('the exporter against hostile clients', () => {
  it.each([
    '/models/..%2fsecret.json',
    '/models/%2e%2e%2fsecret.json',
    '/models/%2E%2E/secret.json',
    '/models/%252e%252e/secret.json',
    '/models/..%5csecret.json',
    '/models/..\\secret.json',
    '/models/cpu/..\\..\\secret.json',
    '/models//etc/passwd',
    '/models/%2fetc%2fpasswd',
    '/models/%2F..%2F..%2Fsecret.json',
    '/models/cpu/%2e%2e/%2e%2e/secret.json',
    '/models/..;/secret.json',
    '/models/%c0%ae%c0%ae/secret.json',
    '/models/cpu/link.json',
    '/models/up/secret.json',
    '/models/up/cpu/manifest.json',
  ])('never serves a file outside the models directory for %s', async (path) => {
    const reply = await get(path);
    expect([400, 403, 404]).toContain(reply.status);
    expect(reply.body).not.toContain(SECRET);
  });

  it('refuses absolute-form request targets that point outside', async () => {
    const reply = await raw(
      'GET http://127.0.0.1/models/../secret.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
    );
    expect(reply).not.toContain(SECRET);
    expect(reply).toMatch(/^HTTP\/1\.1 (403|404)/);
  });

  it(`serves only the artifact files, for ${TRAVERSAL_CASES} random paths built from traversal pieces`, async () => {
    const piece = fc.constantFrom(
      '..',
      '.',
      '%2e%2e',
      '%2E.',
      '%2f',
      '%5c',
      '\\',
      '',
      'cpu',
      'up',
      'models.json',
      'manifest.json',
      'weights.bin',
      'secret.json',
      'link.json',
      '%00',
      '%252e',
      'etc',
      '~'
    );
    const path = fc.array(piece, { maxLength: 6 }).map((parts) => `/models/${parts.join('/')}`);
    await fuzzAsync(
      fc.asyncProperty(path, async (p) => {
        const reply = await get(p);
        expect(reply.body).not.toContain(SECRET);
        if (reply.status === 200) {
          // A 200 is one of the artifact files, reached by a path that names it.
          expect(Object.values(SERVED)).toContain(reply.body);
        }
      }),
      TRAVERSAL_CASES
    );
  });

  it('answers 404 for any path outside /metrics, /healthz and /models/', async () => {
    const path = fc
      .webPath()
      .filter(
        (p) => p !== '/metrics' && p !== '/healthz' && p !== '/models' && !p.startsWith('/models/') && p.startsWith('/')
      );
    await fuzzAsync(
      fc.asyncProperty(path, async (p) => {
        expect((await get(p)).status).toBe(404);
      }),
      100
    );
  });

  it('answers 431 to a request head larger than its limit, and keeps serving', async () => {
    expect((await get('/metrics', { 'X-Big': 'x'.repeat(MAX_HEADER_BYTES) })).status).toBe(431);
    expect((await get(`/models/${'a'.repeat(MAX_HEADER_BYTES)}`)).status).toBe(431);
    expect((await get('/healthz')).status).toBe(200);
  });

  it('cuts a slow client that never finishes its headers (slowloris)', async () => {
    const closed = await new Promise<{ reply: string; drips: number }>((resolve) => {
      const socket = connect(listening.port, '127.0.0.1');
      let reply = '';
      let drips = 0;
      // One header byte every 100 ms, forever: only the server's timeout ends this.
      const drip = setInterval(() => {
        if (!socket.destroyed) {
          socket.write(drips++ === 0 ? 'GET /metrics HTTP/1.1\r\nX-Slow: ' : 'a');
        }
      }, 100);
      socket.on('data', (chunk) => (reply += chunk));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(drip);
        resolve({ reply, drips });
      });
    });
    expect(closed.reply).toMatch(/^HTTP\/1\.1 408/);
    // The timeout is 400 ms, checked every 100 ms: far fewer drips than a client that is never cut would send.
    expect(closed.drips).toBeLessThan(50);
  });
});

describe('the serve command', () => {
  it('listens on loopback by default', () => {
    const program = new Command();
    register(program);
    const listen = program.commands.find((c) => c.name() === 'serve')!.options.find((o) => o.long === '--listen')!;
    expect(listen.defaultValue).toEqual({ host: '127.0.0.1', port: 9464 });
  });
});
