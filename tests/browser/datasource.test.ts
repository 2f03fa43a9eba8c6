/**
 * The data source in real Chromium against a real Prometheus: the simulator's packet-loss day is
 * backfilled into Prometheus, models are trained on its nominal morning with `syrroca train
 * --prometheus`, and a
 * test page built from the plugin's sources reads Prometheus through a stand-in for Grafana's data
 * proxy, loads those models as the bundled ones, and scores the hour around the fault. Its MSE must
 * match `syrroca score` on the same range within 1e-4 with WebGL, with WebGL disabled (wasm) and
 * with wasm blocked too (cpu), each fallback said in the frames' notices. A screenshot of the page
 * goes to tests/output/datasource.png, and to docs/img/ for the README with SYRROCA_UPDATE_SCREENSHOTS=1.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

import type { GroupScore } from '../../src/core/types';
import { DEFAULT_START, simulate, toOpenMetrics } from '../../src/sim';
import { ROOT, runCli } from '../helpers/cli';
import { describeWithPrometheus, usePrometheus } from '../helpers/prometheus';
import type { BackendChoice } from '../../src/datasource/types';
import type { PlainFrame, RunResult } from './datasource.entry';
import {
  blockWebGl,
  bundleKernelsWorker,
  bundlePage,
  describeWithChromium,
  launchBrowser,
  serveDirectory,
  type RouteHandler,
  type StaticServer,
} from './harness';

const OUTPUT = resolve(__dirname, '../output');
const APP = 'public/plugins/syrroca-radiography-app';
const HOUR = 3600;
const FAULT = DEFAULT_START + 12 * HOUR;
/** The range scored in the browser: half an hour before the packet loss starts and half an hour after. */
const FROM = FAULT - HOUR / 2;
const TO = FAULT + HOUR / 2;
const GROUPS = ['cpu', 'memory', 'network', 'filesystem'];
const NAMESPACE = 'vims';

function body(req: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((done) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => done(new Uint8Array(Buffer.concat(chunks))));
  });
}

/** Grafana's data proxy for the Prometheus data source of uid `prom`, as thin as it gets: same path, method and body. */
function dataProxy(prometheusUrl: string): RouteHandler {
  const prefix = '/api/datasources/proxy/uid/prom/';
  return async (req, res) => {
    if (!req.url?.startsWith(prefix)) {
      return false;
    }
    const payload = await body(req);
    try {
      const upstream = await fetch(`${prometheusUrl}/${req.url.slice(prefix.length)}`, {
        method: req.method,
        headers: { 'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
        body: req.method === 'POST' ? payload : undefined,
      });
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await upstream.arrayBuffer()));
    } catch {
      res.writeHead(502, { 'content-type': 'application/json' }).end('{"message":"Bad Gateway"}');
    }
    return true;
  };
}

const key = (group: string, t: number) => `${group}@${t}`;

describeWithChromium('the data source in Chromium', () => {
  describeWithPrometheus('the data source against a real Prometheus', () => {
    jest.setTimeout(600_000);
    const sim = simulate({
      scenario: 'packet-loss',
      hours: 24,
      seed: 11,
      stepSeconds: 30,
      faultStartHours: 12,
      restartsPerWeek: 0,
    });
    const prometheus = usePrometheus(() => ({ openMetrics: toOpenMetrics(sim.matrix) }));
    let work: string;
    let page: string;
    let server: StaticServer;
    /** `syrroca score` on the range the data source reads, by group and time. */
    const reference = new Map<string, number>();

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'syrroca-ds-browser-'));
      page = join(work, 'page');
      const models = join(work, 'models');
      const prometheusArgs = ['--prometheus', prometheus.url, '--namespace', NAMESPACE];

      // Models of the nominal morning, trained from Prometheus: the query set they read is stored with them.
      const train = await runCli([
        'train',
        ...prometheusArgs,
        '--from',
        String(DEFAULT_START + HOUR),
        '--to',
        String(FROM),
        '--out',
        models,
        '--epochs',
        '3',
        '--seed',
        '1',
      ]);
      expect(train.stderr).toContain('wrote 4 group model(s)');

      // The reference: syrroca score on the same range.
      const out = join(work, 'range.jsonl');
      const score = await runCli([
        'score',
        ...prometheusArgs,
        '--from',
        String(FROM),
        '--to',
        String(TO),
        '--models',
        models,
        '--out',
        out,
      ]);
      expect(score.code).toBe(0);
      for (const line of readFileSync(out, 'utf8').trim().split('\n')) {
        const s = JSON.parse(line) as GroupScore;
        reference.set(key(s.group, s.t), s.mse);
      }

      // The page, with the files where Grafana serves them: the models as the bundled ones, tfjs' wasm, the
      // kernels' worker script, Grafana's icons.
      await bundlePage(resolve(__dirname, 'datasource.entry.tsx'), work, 'syrroca data source');
      mkdirSync(page);
      for (const file of ['index.html', 'bundle.js']) {
        copyFileSync(join(work, file), join(page, file));
      }
      cpSync(models, join(page, APP, 'models/demo'), { recursive: true });
      await bundleKernelsWorker(join(page, APP, 'kernels.worker.js'));
      const wasm = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
      mkdirSync(join(page, APP, 'wasm'), { recursive: true });
      for (const file of readdirSync(wasm).filter((f) => f.endsWith('.wasm'))) {
        copyFileSync(join(wasm, file), join(page, APP, 'wasm', file));
      }
      cpSync(
        resolve(dirname(require.resolve('@grafana/ui/package.json')), 'dist/public/img/icons'),
        join(page, 'public/build/img/icons'),
        {
          recursive: true,
        }
      );
      server = await serveDirectory(page, dataProxy(prometheus.url));
    }, 600_000);

    afterAll(async () => {
      await server?.close();
      rmSync(work, { recursive: true, force: true });
    });

    /**
     * Runs Save & test and the four query types in a fresh Chromium. Without WebGL: Chromium's
     * --disable-3d-apis leaves WebGL on OffscreenCanvas (which tfjs uses) available, so the page also
     * gets no WebGL context from either canvas, as in a browser where WebGL is blocked.
     */
    async function runInChromium(options: {
      backend: BackendChoice;
      webgl: boolean;
      blockWasm?: boolean;
      /** A Content-Security-Policy for the page, as a Grafana behind a strict proxy may send. */
      csp?: string;
      screenshot?: string;
    }) {
      const browser = await launchBrowser(options.webgl ? ['--enable-unsafe-swiftshader'] : ['--disable-3d-apis']);
      try {
        const { page: tab, errors } = await browser.newPage();
        await tab.setViewportSize({ width: 1200, height: 900 });
        if (!options.webgl) {
          await blockWebGl(tab);
        }
        if (options.blockWasm) {
          await tab.route('**/*.wasm', (route) => route.abort('blockedbyclient'));
        }
        const csp = options.csp;
        if (csp) {
          await tab.route(server.url, async (route) => {
            const response = await route.fetch();
            await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': csp } });
          });
        }
        await tab.goto(server.url);
        const result: RunResult = await tab.evaluate((request) => window.syrrocaRun(request), {
          backend: options.backend,
          from: FROM,
          to: TO,
          namespace: NAMESPACE,
        });
        if (options.screenshot) {
          mkdirSync(OUTPUT, { recursive: true });
          await tab
            .waitForSelector('[data-testid=syrroca-radiography-plot], [data-testid=syrroca-radiography-empty]')
            .catch((err: Error) => {
              throw new Error(`${err.message}\nconsole errors:\n${errors.join('\n')}`);
            });
          await tab.screenshot({ path: join(OUTPUT, options.screenshot), fullPage: true });
          if (process.env.SYRROCA_UPDATE_SCREENSHOTS === '1') {
            copyFileSync(join(OUTPUT, options.screenshot), join(ROOT, 'docs/img', options.screenshot));
          }
        }
        return { result, errors };
      } finally {
        await browser.close();
      }
    }

    function expectScoresMatchTheCli(frames: PlainFrame[]) {
      const reconstruction = frames.filter((f) => f.refId === 'reconstruction');
      expect(reconstruction.map((f) => f.name).sort()).toEqual([...GROUPS].sort());
      let compared = 0;
      let worst = 0;
      for (const frame of reconstruction) {
        const [time, mse] = frame.fields;
        expect(time.values).toHaveLength([...reference.keys()].filter((k) => k.startsWith(`${frame.name}@`)).length);
        time.values.forEach((ms, i) => {
          const expected = reference.get(key(frame.name!, (ms as number) / 1000));
          expect(expected).toBeDefined();
          worst = Math.max(worst, Math.abs((mse.values[i] as number) - expected!));
          compared++;
        });
      }
      expect(compared).toBe(reference.size);
      expect(worst).toBeLessThanOrEqual(1e-4);
    }

    function expectEveryQueryType(frames: PlainFrame[]) {
      const features = frames.find((f) => f.refId === 'features')!;
      const column = <T = number>(frame: PlainFrame, name: string) =>
        frame.fields.find((f) => f.name === name)!.values as T[];
      expect(column(features, 'start').length).toBeGreaterThan(0);
      // The packet loss starts at 12:00: anomalous intervals of the network group begin after it.
      const network = column(features, 'start').filter((_, i) => column<string>(features, 'group')[i] === 'network');
      expect(network.some((start) => start >= FAULT * 1000)).toBe(true);
      const characterization = frames.find((f) => f.refId === 'characterization')!;
      for (const group of new Set(column<string>(characterization, 'group'))) {
        const shares = column(characterization, 'share').filter(
          (_, i) => column<string>(characterization, 'group')[i] === group
        );
        expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      }
      const radiography = frames.filter((f) => f.refId === 'radiography');
      expect(radiography.map((f) => f.name).sort()).toEqual([...GROUPS].sort());
      const points = radiography.flatMap((f) => column(f, 'kpi'));
      expect(points.length).toBeGreaterThan(0);
      expect(points.every(Number.isFinite)).toBe(true);
    }

    const noticesOf = (frames: PlainFrame[]) => frames.flatMap((f) => f.notices);

    /** Save & test passes, every query type returns, the MSE match the CLI's, and nothing is passed over. */
    function expectACleanRunOn(
      backend: string,
      { result, errors }: Awaited<ReturnType<typeof runInChromium>>,
      on = ''
    ) {
      expect(result.errors).toEqual([]);
      expect(result.test.status).toBe('success');
      expect(result.test.message).toMatch(
        new RegExp(
          `^Prometheus 2\\.\\d+\\.\\d+\\S* answers through "Prometheus"\\. 4 model\\(s\\) loaded .* and verified .* the models run on ${backend}\\.$`
        )
      );
      expectScoresMatchTheCli(result.frames);
      expectEveryQueryType(result.frames);
      const notices = noticesOf(result.frames);
      expect(notices.filter((n) => n.severity === 'warning')).toEqual([]);
      expect(notices.find((n) => n.severity === 'info')?.text).toMatch(
        new RegExp(`^cpu, memory, network, filesystem: 121 steps of 30 s scored on ${backend}${on} in`)
      );
      expect(errors).toEqual([]);
    }

    it('scores with the SIMD kernels on Web Workers by default as syrroca score does, and returns every query type', async () => {
      expectACleanRunOn(
        'WebAssembly SIMD kernels',
        await runInChromium({ backend: 'auto', webgl: true, screenshot: 'datasource.png' }),
        ' \\([1-4] Web Workers?\\)'
      );
    });

    it("scores with the SIMD kernels on the page's thread when the page may not start workers, and says so", async () => {
      const { result, errors } = await runInChromium({ backend: 'simd', webgl: false, csp: "worker-src 'none'" });
      expect(result.errors).toEqual([]);
      expect(result.test.message).toContain('the models run on WebAssembly SIMD kernels.');
      expectScoresMatchTheCli(result.frames);
      const notices = noticesOf(result.frames);
      // Each query's frames say it, and say nothing else is wrong.
      expect([...new Set(notices.filter((n) => n.severity === 'warning').map((n) => n.text))]).toEqual([
        expect.stringMatching(
          new RegExp(
            `^Web Workers could not start from ${APP}/kernels\\.worker\\.js \\(.+\\), so the SIMD kernels score on the page's thread`
          )
        ),
      ]);
      expect(notices.find((n) => n.severity === 'info')?.text).toMatch(/scored on WebAssembly SIMD kernels in/);
      // The only console errors are the refused workers themselves.
      expect(errors.filter((e) => !/Content Security Policy/.test(e))).toEqual([]);
    });

    it('scores with WebGL as syrroca score does when WebGL is chosen', async () => {
      expectACleanRunOn('WebGL', await runInChromium({ backend: 'webgl', webgl: true }));
    });

    it('falls back to wasm when WebGL is disabled, and says so', async () => {
      const { result, errors } = await runInChromium({ backend: 'webgl', webgl: false });
      expect(result.errors).toEqual([]);
      expect(result.test.message).toContain(
        'the models run on WebAssembly, because WebGL is not available in this browser'
      );
      expectScoresMatchTheCli(result.frames);
      expect(
        noticesOf(result.frames)
          .filter((n) => n.severity === 'warning')
          .map((n) => n.text)
      ).toContain(
        'WebGL is not available in this browser (disabled, blocked, or no GPU context); scoring with WebAssembly instead'
      );
      expect(errors).toEqual([]);
    });

    it('falls back to cpu when wasm is blocked too, and says so', async () => {
      const { result, errors } = await runInChromium({ backend: 'webgl', webgl: false, blockWasm: true });
      expect(result.errors).toEqual([]);
      expect(result.test.message).toContain(
        'the models run on plain JavaScript (cpu), because WebGL is not available in this browser (disabled, blocked, or no GPU context); and the WebAssembly binaries of tfjs could not be loaded'
      );
      expectScoresMatchTheCli(result.frames);
      const warnings = noticesOf(result.frames)
        .filter((n) => n.severity === 'warning')
        .map((n) => n.text);
      expect(warnings).toContain(
        'WebGL is not available in this browser (disabled, blocked, or no GPU context); scoring with plain JavaScript (cpu) instead'
      );
      expect(warnings).toContain(
        `the WebAssembly binaries of tfjs could not be loaded from ${APP}/wasm/ (blocked by the browser or a proxy, or missing from the plugin); scoring with plain JavaScript (cpu) instead`
      );
      // The only console errors are the blocked downloads themselves.
      expect(errors.filter((e) => !/ERR_BLOCKED_BY_CLIENT|ERR_FAILED/.test(e))).toEqual([]);
    });
  });
});
