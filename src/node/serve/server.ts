/**
 * The exporter's HTTP surface: `/metrics` (Prometheus text), `/healthz`, and the model artifacts
 * read-only under `/models/` with CORS so a browser loads the same files. Only GET and HEAD, only
 * these paths; request bodies are refused, slow clients time out, and paths cannot leave the
 * models directory.
 */
import { createReadStream, promises as fs } from 'fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import { extname, join, normalize, sep } from 'path';

import type { Registry } from 'prom-client';

export interface ServerOptions {
  registry: Registry;
  /** The /metrics text; default: the registry rendered at every request. */
  render?: () => Promise<string>;
  /** Root of the models directory served under /models/. */
  modelsDir: () => string;
  /** `ok` false answers 503 (e.g. while shutting down); `detail` is added to the JSON body. */
  health: () => { ok: boolean; detail: Record<string, unknown> };
  /** Slow clients are cut after this long (headers and whole request). */
  requestTimeoutMs?: number;
}

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
};

/** Largest request head (request line and headers) accepted; a larger one is answered 431. */
export const MAX_HEADER_BYTES = 16 * 1024;

export function createExporterServer(options: ServerOptions): Server {
  const timeout = options.requestTimeoutMs ?? 10_000;
  // Node enforces requestTimeout and headersTimeout only when it checks its connections, every
  // 30 s by default: a slow client (slowloris) would hold a socket up to 30 s past the timeout.
  const checking = Math.max(100, Math.min(1000, Math.floor(timeout / 4)));
  const server = createServer(
    { connectionsCheckingInterval: checking, maxHeaderSize: MAX_HEADER_BYTES },
    (req, res) => {
      handle(req, res, options).catch((err) => {
        if (!res.headersSent) {
          send(res, 500, 'text/plain', `internal error: ${(err as Error).message}\n`);
        } else {
          res.destroy();
        }
      });
    }
  );
  server.requestTimeout = timeout;
  server.headersTimeout = Math.min(timeout, 10_000);
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 50;
  return server;
}

async function handle(req: IncomingMessage, res: ServerResponse, options: ServerOptions): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') {
    res.setHeader('Allow', 'GET, HEAD, OPTIONS');
    return send(res, 405, 'text/plain', 'method not allowed\n');
  }
  if ((req.headers['content-length'] && req.headers['content-length'] !== '0') || req.headers['transfer-encoding']) {
    return send(res, 413, 'text/plain', 'request bodies are not accepted\n');
  }
  const pathname = pathOf(req.url ?? '/');
  if (pathname === null) {
    return send(res, 400, 'text/plain', 'bad request target\n');
  }
  const models = pathname === '/models' || pathname.startsWith('/models/');
  if (req.method === 'OPTIONS' && !models) {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'text/plain', 'method not allowed\n');
  }
  if (pathname === '/metrics') {
    const text = await (options.render ? options.render() : options.registry.metrics());
    return send(res, 200, options.registry.contentType, text, req.method === 'HEAD');
  }
  if (pathname === '/healthz') {
    const { ok, detail } = options.health();
    return send(
      res,
      ok ? 200 : 503,
      'application/json',
      JSON.stringify({ ok, ...detail }) + '\n',
      req.method === 'HEAD'
    );
  }
  if (models) {
    return serveModelFile(req, res, pathname.slice('/models'.length), options.modelsDir());
  }
  return send(res, 404, 'text/plain', 'not found: this exporter serves /metrics, /healthz and /models/\n');
}

/**
 * The path of a request target (origin-form `/a?b`, or absolute-form `http://host/a`), with `.` and
 * `..` segments resolved as URLs resolve them; null when it is not a URL at all. The target is
 * appended to a base rather than resolved against it, so `//x` stays a path, not a host.
 */
function pathOf(target: string): string | null {
  try {
    return new URL(target.startsWith('/') ? `http://exporter${target}` : target).pathname;
  } catch {
    return null;
  }
}

async function serveModelFile(req: IncomingMessage, res: ServerResponse, path: string, root: string): Promise<void> {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
  if (req.method === 'OPTIONS') {
    res.writeHead(204).end();
    return;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return send(res, 400, 'text/plain', 'bad path encoding\n');
  }
  const relative = normalize(decoded === '' || decoded === '/' ? '/models.json' : decoded);
  // Only plain files of the artifact: no traversal, no hidden files, no NUL, known extensions.
  if (
    decoded.includes('\0') ||
    relative.split(sep).some((part) => part === '..' || part.startsWith('.')) ||
    !(extname(relative) in TYPES)
  ) {
    return send(res, 403, 'text/plain', 'forbidden\n');
  }
  const file = join(root, relative);
  if (!file.startsWith(root + sep)) {
    return send(res, 403, 'text/plain', 'forbidden\n');
  }
  const stat = await fs.stat(file).catch(() => null);
  if (!stat || !stat.isFile()) {
    return send(res, 404, 'text/plain', 'no such model file\n');
  }
  // A symbolic link inside the models directory must not lead out of it.
  const [real, realRoot] = await Promise.all([fs.realpath(file), fs.realpath(root)]);
  if (!real.startsWith(realRoot + sep)) {
    return send(res, 403, 'text/plain', 'forbidden\n');
  }
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)],
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': stat.size,
    'Cache-Control': 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  // The file may vanish between stat and read (a training swapping the directory in): cut the response.
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

function send(res: ServerResponse, status: number, type: string, body: string, headOnly = false): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(headOnly ? undefined : body);
}
