/**
 * Real Chromium for the plugin's browser tests: bundle an entry from the plugin's own sources with
 * esbuild (React, @grafana/data and @grafana/ui resolved from node_modules, nothing mocked), serve it
 * on loopback, and open pages that record every console error and uncaught exception.
 *
 * Chromium is the Debian package (`apt-get install -y chromium`). The flags keep it off the network:
 * in a closed network Chromium otherwise stalls on background connections.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';

import { chromium, type BrowserContext, type Page } from 'playwright-core';

import { describeWith } from '../helpers/binaries';

export const CHROMIUM = process.env.SYRROCA_CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * `describe` when Chromium is installed. Without it the suite fails under SYRROCA_REQUIRE_INTEGRATION=1
 * (CI) and is skipped with a visible message otherwise.
 */
/** A suite that needs Chromium: fails under SYRROCA_REQUIRE_INTEGRATION=1 when it is missing, else skips visibly. */
export function describeWithChromium(name: string, body: () => void): void {
  describeWith([CHROMIUM], name, body);
}

const ROOT = resolve(__dirname, '../..');

/** Bundles `entry` and what it imports into one classic script `outfile` (no chunks: lazy imports are inlined). */
async function bundle(entry: string, outfile: string): Promise<void> {
  // esbuild is a dependency of tsx; required here so jest's module system leaves its native binary alone.

  const esbuild: typeof import('esbuild') = require('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    outfile,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    jsx: 'automatic',
    absWorkingDir: ROOT,
    define: { 'process.env.NODE_ENV': '"development"', global: 'globalThis' },
    // Style sheets and fonts that @grafana/ui pulls in for components the tests do not mount (the code
    // editor's icons, ...): components style themselves with emotion at run time.
    loader: { '.css': 'empty', '.svg': 'text', '.png': 'empty', '.ttf': 'empty', '.woff': 'empty', '.woff2': 'empty' },
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  if (result.errors.length) {
    throw new Error(result.errors.map((e) => e.text).join('\n'));
  }
}

/**
 * Bundles `entry` (a .tsx file that mounts components into `#root`) into `dir/bundle.js` with an
 * `index.html` around it. React runs its development build, so its warnings reach the console.
 */
export async function bundlePage(entry: string, dir: string, title = 'syrroca browser test'): Promise<void> {
  await bundle(entry, join(dir, 'bundle.js'));
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${title}</title></head>` +
      `<body style="margin:0"><div id="root"></div><script src="bundle.js"></script></body></html>`
  );
}

/**
 * The SIMD kernels' Web Worker script, as the plugin's webpack build makes it (its `kernels.worker`
 * entry), written to `file` (the app's root: `kernelsWorkerUrl` in src/datasource/assets.ts).
 */
export function bundleKernelsWorker(file: string): Promise<void> {
  return bundle(join(ROOT, 'src/datasource/kernels.worker.ts'), file);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** Answers a request the files do not (e.g. a stand-in for Grafana's API); resolves false to leave it to the files. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** Serves the files of `dir` on 127.0.0.1 at a free port, after `routes` when given. */
export async function serveDirectory(dir: string, routes?: RouteHandler): Promise<StaticServer> {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    if (routes && (await routes(req, res))) {
      return;
    }
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((ok, fail) => server.close((e) => (e ? fail(e) : ok()))),
  };
}

export interface Browser {
  /** A new page that records console errors and uncaught exceptions in `errors`. */
  newPage(): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

/** Starts Chromium with a throwaway profile; `args` are more command-line flags (e.g. software WebGL). */
export async function launchBrowser(args: string[] = []): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'syrroca-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...FLAGS, ...args],
    viewport: { width: 1000, height: 700 },
  });
  return {
    async newPage() {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') {
          errors.push(msg.text());
        }
      });
      page.on('pageerror', (err) => errors.push(`${err.name}: ${err.message}`));
      return { page, errors };
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Leaves the page no WebGL context from either canvas, as in a browser where WebGL is blocked: Chromium's
 * --disable-3d-apis leaves WebGL on OffscreenCanvas (which tfjs uses) available.
 */
export async function blockWebGl(page: Page): Promise<void> {
  await page.addInitScript(() => {
    for (const canvas of [HTMLCanvasElement, OffscreenCanvas]) {
      const getContext = canvas.prototype.getContext as (this: unknown, type: string, ...rest: unknown[]) => unknown;
      Object.defineProperty(canvas.prototype, 'getContext', {
        value(this: unknown, type: string, ...rest: unknown[]) {
          return /webgl/i.test(type) ? null : getContext.call(this, type, ...rest);
        },
      });
    }
  });
}
