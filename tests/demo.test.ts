/**
 * The main job, as a newcomer runs it: `syrroca demo --quick` end to end on the simulator, checked
 * on its summary against the paper's three experiments, and its report opened in real Chromium.
 */
import { mkdirSync, readFileSync } from 'fs';
import { join } from 'path';

import type { DemoSummary } from '../src/node/demo';
import { describeWithChromium, launchBrowser } from './browser/harness';
import { ROOT, runCli, tempDir } from './helpers/cli';

const out = tempDir('demo');
let summary: DemoSummary;
let stdout = '';

beforeAll(async () => {
  // The default seed; the README's results table gives seeds 1-5 of the quick and the default run.
  const result = await runCli(['demo', '--quick', '--out', out.path]);
  stdout = result.stdout;
  if (result.code !== 0) {
    throw new Error(`demo failed (${result.code}): ${result.stderr}`);
  }
  summary = JSON.parse(readFileSync(join(out.path, 'summary.json'), 'utf8'));
}, 900_000);
afterAll(() => out.remove());

const share = (scenario: string, group: string) => summary.scenarios[scenario].groups[group].anomalousShare;
const GROUPS = ['cpu', 'memory', 'network', 'filesystem'];

describe('npm run demo -- --quick', () => {
  it('prints each scenario and where the report is', () => {
    expect(stdout).toContain('cpu-stress');
    expect(stdout).toContain(join(out.path, 'report.html'));
  });

  it('keeps every group at or below 3% anomalous on the held-out nominal day', () => {
    for (const g of GROUPS) {
      expect(share('nominal', g)).toBeLessThanOrEqual(0.03);
    }
  });

  it('puts the network group first under packet loss, at least 3x its nominal share, explained by S-CSCF / P-CSCF packet series', () => {
    const network = share('packet-loss', 'network');
    for (const g of GROUPS.filter((g) => g !== 'network')) {
      expect(network).toBeGreaterThan(share('packet-loss', g));
    }
    expect(network).toBeGreaterThanOrEqual(3 * Math.max(share('nominal', 'network'), 0.01));
    // The paper: "metrics related to sent/received packets from/by S-CSCF and P-CSCF" (their packet
    // and byte counters: the retransmitted 200 OKs raise both).
    const top = summary.scenarios['packet-loss'].groups.network.characterization[0].features;
    expect(top.length).toBeGreaterThan(0);
    for (const f of top) {
      expect(f).toMatch(/^container_network_(receive|transmit)_(packets|bytes)_total\{.*pod="(bono|sprout)-0"/);
    }
  });

  it('raises cpu, network and memory to at least 3x their nominal share under overload', () => {
    for (const g of ['cpu', 'network', 'memory']) {
      expect(share('overload', g)).toBeGreaterThanOrEqual(3 * Math.max(share('nominal', g), 0.01));
    }
  });

  it('follows the CPU stress level in the cpu group, explained first by P-CSCF CPU series', () => {
    const cpu = summary.scenarios['cpu-stress'].groups.cpu;
    expect(cpu.stressSpearman).toBeGreaterThanOrEqual(0.8);
    const top = cpu.characterization[0].features;
    expect(top.length).toBeGreaterThan(0);
    for (const f of top) {
      expect(f).toMatch(/^container_cpu_\w+\{.*pod="bono-0"/);
    }
  });

  it('brings the cpu group back to its nominal share within 10 minutes of the end of the stress', () => {
    const { recoveryMinutes } = summary.scenarios['cpu-stress'].groups.cpu;
    expect(recoveryMinutes).not.toBeNull();
    expect(recoveryMinutes).toBeLessThanOrEqual(10);
  });

  it('writes the models, one JSONL of scores per scenario, the summary and the report', () => {
    const models = JSON.parse(readFileSync(join(out.path, 'models', 'models.json'), 'utf8'));
    expect(models.groups).toEqual(GROUPS);
    const manifest = JSON.parse(readFileSync(join(out.path, 'models', 'network', 'manifest.json'), 'utf8'));
    expect(manifest.querySet.variables).toEqual({ namespace: 'vims' });
    // The filter keeps one of each pod's twin counters and both call-path pods.
    const kept = manifest.features.map((f: { name: string }) => f.name);
    expect(
      kept.filter((n: string) => /pod="(bono|sprout)-0"/.test(n) && !n.includes('dropped')).length
    ).toBeGreaterThanOrEqual(2);
    expect(manifest.droppedFeatures.map((d: { reason: string }) => d.reason)).toContainEqual(
      expect.stringMatching(/^correlated: .*pod="bono-0"/)
    );
    for (const scenario of ['nominal', 'packet-loss', 'overload', 'cpu-stress']) {
      const first = JSON.parse(readFileSync(join(out.path, 'scores', `${scenario}.jsonl`), 'utf8').split('\n')[0]);
      expect(Object.keys(first).sort()).toEqual(['anomalous', 'features', 'group', 'mse', 't', 'threshold']);
    }
  });
});

describeWithChromium('the demo report in Chromium', () => {
  it('renders the radiographies and the features table without console errors', async () => {
    const browser = await launchBrowser();
    try {
      const { page, errors } = await browser.newPage();
      await page.goto(`file://${join(out.path, 'report.html')}`);
      expect(await page.locator('section').count()).toBe(4);
      // Four radiographies per scenario, and contours drawn where the scenario has anomalies.
      expect(await page.locator('figure.radiography').count()).toBe(16);
      expect(await page.locator('#packet-loss figure.radiography path[fill^="rgb"]').count()).toBeGreaterThan(0);
      expect(await page.locator('#cpu-stress table').last().locator('tbody tr').count()).toBeGreaterThan(0);
      expect(await page.locator('#cpu-stress ul.findings').innerText()).toContain('back at its nominal share');
      const dir = join(ROOT, 'tests', 'output');
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, 'demo-report.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
