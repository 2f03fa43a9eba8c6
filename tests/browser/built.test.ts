/**
 * The built data source in Chromium, loaded as Grafana 12 serves a nested plugin: its module.js at
 * public/plugins/syrroca-radiography-datasource/ (dist/datasource/), the app's files at
 * public/plugins/syrroca-radiography-app/ (dist/). With WebGL blocked, asking for tfjs must fetch the
 * lazy chunk and the wasm binaries from the app's folder and start the wasm backend.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import {
  blockWebGl,
  bundlePage,
  describeWithChromium,
  launchBrowser,
  serveDirectory,
  type StaticServer,
} from './harness';

const DIST = resolve(__dirname, '../../dist');
const APP = '/public/plugins/syrroca-radiography-app/';
const DATASOURCE = '/public/plugins/syrroca-radiography-datasource/';

describeWithChromium('the built data source in Chromium', () => {
  jest.setTimeout(180_000);
  let dir: string;
  let server: StaticServer;

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'datasource', 'module.js'))) {
      throw new Error(`${DIST}/datasource/module.js is missing: run npm run build first`);
    }
    dir = mkdtempSync(join(tmpdir(), 'syrroca-built-page-'));
    await bundlePage(resolve(__dirname, 'built.entry.ts'), dir, 'built data source');
    const noMaps = (file: string) => !file.endsWith('.map');
    cpSync(DIST, join(dir, APP), { recursive: true, filter: noMaps });
    cpSync(join(DIST, 'datasource'), join(dir, DATASOURCE), { recursive: true, filter: noMaps });
    server = await serveDirectory(dir);
  });

  afterAll(async () => {
    await server?.close();
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads tfjs and the SIMD kernels from their lazy chunks, their worker script and the wasm binaries from the app folder', async () => {
    const browser = await launchBrowser(['--disable-3d-apis']);
    try {
      const { page, errors } = await browser.newPage();
      // No WebGL on either canvas (Chromium's flag leaves OffscreenCanvas, which tfjs uses, alone).
      await blockWebGl(page);
      const requested: Array<{ path: string; status: number }> = [];
      page.on('response', (r) => requested.push({ path: new URL(r.url()).pathname, status: r.status() }));
      await page.goto(server.url);

      const load = (backend: string) =>
        page.evaluate(([moduleUrl, baseUrl, choice]) => window.syrrocaLoadBackend(moduleUrl, baseUrl, choice), [
          `${DATASOURCE.slice(1)}module.js`,
          DATASOURCE.slice(1, -1),
          backend,
        ] as const);
      expect((await load('wasm')).backend).toBe('wasm');
      // The SIMD kernels come in their own chunk, from the app's folder too, and start their Web Workers from there.
      const simd = await load('simd');
      expect(simd).toMatchObject({ backend: 'simd', workersProblem: undefined });
      expect(simd.workers).toBeGreaterThanOrEqual(1);
      expect(requested.filter((r) => r.status >= 400)).toEqual([]);
      const scripts = requested.filter((r) => r.path.endsWith('.js') && r.path !== '/bundle.js').map((r) => r.path);
      expect(scripts[0]).toBe(`${DATASOURCE}module.js`);
      // The entry pulled tfjs in: chunks from the app's folder only.
      expect(scripts.length).toBeGreaterThan(1);
      // The page loaded the entry once per backend; every other script is a chunk from the app's folder.
      const chunks = scripts.filter((path) => path !== `${DATASOURCE}module.js`);
      expect(chunks.filter((path) => !path.startsWith(APP))).toEqual([]);
      expect(chunks).toContain(`${APP}kernels.js`);
      expect(chunks).toContain(`${APP}kernels.worker.js`);
      expect(requested.map((r) => r.path)).toContain(`${APP}wasm/tfjs-backend-wasm-simd.wasm`);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
