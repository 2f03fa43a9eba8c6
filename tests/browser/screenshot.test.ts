/**
 * The README's pictures of the radiography panel and of the radiography dashboard, from a real run: `syrroca train` on four simulated
 * nominal hours, `syrroca score` on the same hours with packet loss injected for one of them (the
 * simulator pairs runs of one seed: they differ only where the fault acts), the data source's frame
 * builder on the scores and the failed calls, and the panel drawn in Chromium with Grafana's dark
 * theme and the panel's default options. Grafana's own panels cannot be mounted outside Grafana, so the
 * first picture is the radiography panel alone, the second a test page that lays out the panels of
 * provisioning/dashboards/vims-radiography.json as Grafana's grid does (see dashboard.entry.tsx). They
 * are written to tests/output/, and to docs/img/ with SYRROCA_UPDATE_SCREENSHOTS=1.
 */
import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

import { formatWideCsv } from '../../src/core/csv';
import type { GroupScore } from '../../src/core/types';
import { simulate, type Simulation } from '../../src/sim';
import { ROOT, runCli, tempDir } from '../helpers/cli';
import { readJson, type Dashboard } from '../helpers/provisioning';
import {
  bundlePage,
  describeWithChromium,
  launchBrowser,
  serveDirectory,
  type Browser,
  type StaticServer,
} from './harness';
import type { DashboardRequest } from './dashboard.entry';
import type { Inspection } from './panel.entry';
import type { ScoresRequest } from './screenshot.entry';

const OUTPUT = resolve(__dirname, '../output');

/** Keeps a screenshot of tests/output/ for the README when SYRROCA_UPDATE_SCREENSHOTS=1. */
function forReadme(png: string): void {
  if (process.env.SYRROCA_UPDATE_SCREENSHOTS === '1') {
    mkdirSync(join(ROOT, 'docs/img'), { recursive: true });
    copyFileSync(png, join(ROOT, 'docs/img', basename(png)));
  }
}

// A Monday morning: the busy hour builds up while the fault is on.
const START = Date.UTC(2026, 0, 5, 8) / 1000;
const HOURS = 4;
const FAULT = { startHours: 1.5, hours: 1 };
const GROUPS = ['cpu', 'filesystem', 'memory', 'network'];

describeWithChromium('the README screenshot: radiographies of a real scoring run', () => {
  jest.setTimeout(900_000);
  const dir = tempDir('screenshot');
  let faulty: Simulation;
  let scores: GroupScore[];
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    const nominal = simulate({ scenario: 'nominal', start: START, hours: HOURS, seed: 1 });
    faulty = simulate({
      scenario: 'packet-loss',
      start: START,
      hours: HOURS,
      seed: 1,
      faultStartHours: FAULT.startHours,
      faultHours: FAULT.hours,
    });
    writeFileSync(join(dir.path, 'nominal.csv'), formatWideCsv(nominal.matrix));
    writeFileSync(join(dir.path, 'packet-loss.csv'), formatWideCsv(faulty.matrix));
    const models = join(dir.path, 'models');
    // The node's context switches are the catalog's only `other` feature: left out for the four paper groups.
    const train = await runCli([
      'train',
      '--csv',
      join(dir.path, 'nominal.csv'),
      '--out',
      models,
      '--epochs',
      '5',
      '--exclude',
      '^(sipp_|node_context_switches_total)',
    ]);
    expect(train).toMatchObject({ code: 0 });
    const out = join(dir.path, 'scores.jsonl');
    const score = await runCli(['score', '--csv', join(dir.path, 'packet-loss.csv'), '--models', models, '--out', out]);
    expect(score).toMatchObject({ code: 0 });
    scores = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as GroupScore);

    mkdirSync(OUTPUT, { recursive: true });
    await bundlePage(resolve(__dirname, 'screenshot.entry.tsx'), dir.path, 'radiography of a scoring run');
    // Grafana's icons, where Grafana serves them (the tables' header buttons load them).
    cpSync(
      resolve(dirname(require.resolve('@grafana/ui/package.json')), 'dist/public/img/icons'),
      join(dir.path, 'public/build/img/icons'),
      { recursive: true }
    );
    server = await serveDirectory(dir.path);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    dir.remove();
  });

  const inFault = (t: number) => faulty.truth.faultActive[faulty.matrix.timestamps.indexOf(t)] === 1;

  it('finds the packet-loss hour in the network group and leaves the nominal hours mostly quiet', () => {
    expect([...new Set(scores.map((s) => s.group))].sort()).toEqual(GROUPS);
    const network = scores.filter((s) => s.group === 'network');
    const share = (list: GroupScore[]) => list.filter((s) => s.anomalous).length / list.length;
    // Ten minutes after the fault, the windows no longer see it.
    const settled = (t: number) => !inFault(t) && !inFault(t - 600);
    expect(share(network.filter((s) => inFault(s.t)))).toBeGreaterThan(0.6);
    expect(share(network.filter((s) => settled(s.t)))).toBeLessThan(0.15);
  });

  it('draws a radiography per group, the network one dense where the packet-loss hour lies', async () => {
    const { page, errors } = await browser.newPage();
    await page.setViewportSize({ width: 1400, height: 440 });
    await page.goto(server.url);
    const failed = faulty.kpi.failed;
    const request: ScoresRequest = {
      theme: 'dark',
      scores,
      kpi: { t: Array.from(faulty.matrix.timestamps), values: Array.from(failed), name: 'failed calls' },
      width: 1400,
      height: 440,
    };
    await page.evaluate((r) => window.syrrocaMountScores(r), request);
    await page.waitForSelector('[data-testid=syrroca-radiography-plot]');
    const png = join(OUTPUT, 'radiography-panel.png');
    await page.locator('#panel').screenshot({ path: png });
    forReadme(png);

    // Every group with anomalous points has its plot, in the groups' order.
    const anomalousGroups = GROUPS.filter((g) => scores.some((s) => s.group === g && s.anomalous));
    const titles = await page.locator('svg[data-testid=syrroca-radiography-plot] text').allTextContents();
    for (const group of anomalousGroups) {
      expect(titles.some((t) => t.startsWith(`${group} · `))).toBe(true);
    }
    const probes = await page.evaluate(() => window.syrrocaProbes());
    const shot = (await page.screenshot({ fullPage: true })).toString('base64');
    const plots: Inspection[] = await page.evaluate(([p, found]) => window.syrrocaInspect(p, found), [
      shot,
      probes,
    ] as const);
    const network = plots.find((p) => p.group === 'network')!;
    // Paper palette: black where dense, on a light film.
    expect(network.painted).toBeGreaterThan(0.03);
    expect(network.dense).toBeLessThan(network.sparse - 10);
    expect(network.sparse).toBeLessThan(network.background);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lays out the vIMS radiography dashboard with every panel drawn from the data source frames', async () => {
    const { page, errors } = await browser.newPage();
    // Tall enough for the whole dashboard: the tables draw only the rows inside the viewport.
    await page.setViewportSize({ width: 1600, height: 1700 });
    await page.goto(server.url);
    // Style sheets Grafana's page carries: uPlot's (time series) and the data grid's (tables).
    // (Found from the packages' entries: jest maps a required .css file to a stub.)
    await page.addStyleTag({ path: join(dirname(require.resolve('uplot')), 'uPlot.min.css') });
    await page.addStyleTag({ path: join(dirname(require.resolve('@grafana/react-data-grid')), 'styles.css') });
    const dashboard = readJson<Dashboard>('provisioning/dashboards/vims-radiography.json');
    const request: DashboardRequest = {
      theme: 'dark',
      dashboard,
      scores,
      kpi: { t: Array.from(faulty.matrix.timestamps), values: Array.from(faulty.kpi.failed), name: 'failed calls' },
      width: 1568,
    };
    await page.evaluate((r) => window.syrrocaMountDashboard(r), request);
    await page.waitForSelector('[data-testid=syrroca-radiography-plot]');
    const panels = page.getByTestId('syrroca-dashboard-panel');
    const ofType = (type: string) => page.locator(`[data-testid=syrroca-dashboard-panel][data-type="${type}"]`);

    // The radiography and the error panels repeat over the four groups; each radiography drew its plot.
    await expect(ofType('syrroca-radiography-panel').count()).resolves.toBe(GROUPS.length);
    await expect(
      ofType('syrroca-radiography-panel').locator('svg[data-testid=syrroca-radiography-plot]').count()
    ).resolves.toBe(GROUPS.length);
    await expect(ofType('timeseries').count()).resolves.toBe(GROUPS.length);
    // One uPlot per time series, its plot inside the panel, with the group's MSE, threshold and state in its legend.
    await expect(ofType('timeseries').locator('.uplot').count()).resolves.toBe(GROUPS.length);
    for (const panel of await ofType('timeseries').all()) {
      const outer = (await panel.boundingBox())!;
      const plot = (await panel.locator('.uplot canvas').first().boundingBox())!;
      expect(plot.height).toBeGreaterThan(outer.height / 2);
      expect(plot.y + plot.height).toBeLessThanOrEqual(outer.y + outer.height);
    }
    const network = ofType('timeseries').filter({ hasText: 'Reconstruction error: network' });
    await expect(network.textContent()).resolves.toMatch(/MSE network.*threshold network.*anomalous network/);
    // The features table lists the packet-loss interval of the network group, the characterization its sets.
    const tables = ofType('table');
    await expect(tables.count()).resolves.toBe(2);
    for (const table of await tables.all()) {
      // Laid out as a grid: the column headers side by side on one line.
      const headers = await table
        .getByRole('columnheader')
        .evaluateAll((cells) => cells.map((c) => Math.round(c.getBoundingClientRect().top)));
      expect(headers.length).toBeGreaterThanOrEqual(4);
      expect(new Set(headers).size).toBe(1);
    }
    await expect(tables.nth(0).getByRole('row').filter({ hasText: 'network' }).count()).resolves.toBeGreaterThan(0);
    await expect(tables.nth(1).getByRole('row').count()).resolves.toBeGreaterThan(1);
    // Only the alert list, which needs Grafana's alerting, is a placeholder.
    await expect(page.getByTestId('syrroca-dashboard-placeholder').count()).resolves.toBe(1);
    await expect(panels.count()).resolves.toBe(2 * GROUPS.length + 4);

    const png = join(OUTPUT, 'radiography-dashboard.png');
    await page.locator('#dashboard').screenshot({ path: png });
    forReadme(png);
    expect(errors).toEqual([]);
    await page.close();
  });
});
