/**
 * Fixtures for tests of the exporter's HTTP server (src/node/serve/server.ts): a models directory to
 * serve under /models/, and the server listening on loopback for the suite.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import type { Server } from 'http';
import type { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';

/**
 * A fresh temp `root` holding `root/models` with models.json (`{"formatVersion":1,"groups":["cpu"]}`) and a
 * cpu group (manifest.json `{"group":"cpu"}`, weights.bin holding the bytes 1, 2, 3); the suite removes it afterwards (afterAll).
 */
export function modelsFixture(prefix: string): { root: string; models: string } {
  const root = mkdtempSync(join(tmpdir(), `syrroca-${prefix}-`));
  const models = join(root, 'models');
  mkdirSync(join(models, 'cpu'), { recursive: true });
  writeFileSync(join(models, 'models.json'), '{"formatVersion":1,"groups":["cpu"]}');
  writeFileSync(join(models, 'cpu', 'manifest.json'), '{"group":"cpu"}');
  writeFileSync(join(models, 'cpu', 'weights.bin'), Buffer.from([1, 2, 3]));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  return { root, models };
}

/** Listens on a free loopback port before the suite and closes after it; read `.port` in tests. */
export function listenDuringSuite(server: Server): { readonly port: number } {
  let port = 0;
  beforeAll((done) => {
    server.listen(0, '127.0.0.1', () => {
      port = (server.address() as AddressInfo).port;
      done();
    });
  });
  afterAll((done) => {
    server.close(() => done());
  });
  return {
    get port() {
      return port;
    },
  };
}
