/**
 * The radiography panel in real Chromium: the component bundled from its sources with React, @grafana/data
 * and @grafana/ui, mounted with Grafana's light and dark themes on frames shaped like the data source's
 * radiography query. Screenshots go to tests/output/ (gitignored) for a look by eye.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import type { Page } from 'playwright-core';

import type { Inspection, MountRequest } from './panel.entry';
import {
  bundlePage,
  describeWithChromium,
  launchBrowser,
  serveDirectory,
  type Browser,
  type StaticServer,
} from './harness';

const OUTPUT = resolve(__dirname, '../output');

describeWithChromium('radiography panel in Chromium', () => {
  jest.setTimeout(180_000);
  let dir: string;
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'syrroca-panel-page-'));
    mkdirSync(OUTPUT, { recursive: true });
    await bundlePage(resolve(__dirname, 'panel.entry.tsx'), dir, 'radiography panel');
    server = await serveDirectory(dir);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh page with the panel mounted; resolves once it has drawn its plots or its empty state. */
  async function open(request: MountRequest): Promise<{ page: Page; errors: string[] }> {
    const { page, errors } = await browser.newPage();
    await page.goto(server.url);
    await page.evaluate((r) => window.syrrocaMount(r), request);
    await page.waitForSelector('[data-testid=syrroca-radiography-plot], [data-testid=syrroca-radiography-empty]');
    return { page, errors };
  }

  async function inspect(page: Page): Promise<Inspection[]> {
    const probes = await page.evaluate(() => window.syrrocaProbes());
    const png = (await page.screenshot({ fullPage: true })).toString('base64');
    return page.evaluate(([p, found]) => window.syrrocaInspect(p, found), [png, probes] as const);
  }

  const base = { scenario: 'groups', width: 900, height: 420 } as const;

  it.each([
    ['light', 'paper', 'darker'],
    ['dark', 'paper', 'darker'],
    ['light', 'blues', 'darker'],
    ['dark', 'blues', 'brighter'],
  ] as const)(
    'draws non-blank contours in the %s theme with the %s palette, %s where the density is higher',
    async (theme, palette, direction) => {
      const { page, errors } = await open({ ...base, theme, options: { palette } });
      await page.locator('#panel').screenshot({ path: join(OUTPUT, `radiography-${palette}-${theme}.png`) });
      const plots = await inspect(page);
      expect(plots.map((p) => p.group)).toEqual(['cpu', 'memory']);
      for (const p of plots) {
        // Contours cover a good part of the plot, in several distinct colours (10 levels by default).
        expect(p.painted).toBeGreaterThan(0.03);
        expect(p.colours).toBeGreaterThanOrEqual(10);
        const order = direction === 'darker' ? [p.dense, p.sparse, p.background] : [p.background, p.sparse, p.dense];
        expect(order[0]).toBeLessThan(order[1] - 10);
        expect(order[1]).toBeLessThan(order[2]);
      }
      expect(errors).toEqual([]);
      await page.close();
    }
  );

  it('reports density and nearby points under the pointer consistently with the contours', async () => {
    const { page, errors } = await open({ ...base, theme: 'light', options: { group: 'cpu' } });
    const [probe] = await page.evaluate(() => window.syrrocaProbes());
    const density = async (x: number, y: number) => {
      await page.mouse.move(x, y);
      const tip = page.getByTestId('syrroca-radiography-tooltip');
      const text = (await tip.textContent()) ?? '';
      return {
        percent: Number(/Density(\d+)% of peak/.exec(text)?.[1]),
        near: Number(/nearby(\d+) of/.exec(text)?.[1]),
        text,
      };
    };
    const dense = await density(probe.dense.x, probe.dense.y);
    await page.locator('#panel').screenshot({ path: join(OUTPUT, 'radiography-tooltip-light.png') });
    // The top level of 10 starts at 10/11 of the peak; the background is below the first level, 1/11.
    expect(dense.percent).toBeGreaterThanOrEqual(90);
    expect(dense.near).toBeGreaterThan(10);
    expect(dense.text).toContain('MSE cpu');
    expect(dense.text).toContain('failed calls');
    const sparse = await density(probe.background.x, probe.background.y);
    expect(sparse.percent).toBeLessThan(10);
    await page.mouse.move(0, 0);
    await expect(page.getByTestId('syrroca-radiography-tooltip').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws small multiples on a log error axis with the points overlaid', async () => {
    const { page, errors } = await open({
      ...base,
      theme: 'dark',
      options: { xScale: 'log', showPoints: true, palette: 'greens' },
    });
    await page.locator('#panel').screenshot({ path: join(OUTPUT, 'radiography-log-points-dark.png') });
    const plots = page.getByTestId('syrroca-radiography-plot');
    await expect(plots.count()).resolves.toBe(2);
    await expect(plots.nth(0).locator('circle').count()).resolves.toBe(185);
    await expect(plots.nth(0).textContent()).resolves.toContain('MSE cpu (log)');
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each([
    ['no-points', 'No anomalous points in this range'],
    ['no-kpi', 'No KPI field'],
  ] as const)('shows the empty state for %s', async (scenario, text) => {
    for (const theme of ['light', 'dark'] as const) {
      const { page, errors } = await open({ ...base, scenario, theme });
      const empty = page.getByTestId('syrroca-radiography-empty');
      await expect(empty.isVisible()).resolves.toBe(true);
      await expect(empty.textContent()).resolves.toContain(text);
      await expect(page.getByTestId('syrroca-radiography-plot').count()).resolves.toBe(0);
      await page.locator('#panel').screenshot({ path: join(OUTPUT, `radiography-${scenario}-${theme}.png`) });
      expect(errors).toEqual([]);
      await page.close();
    }
  });
});
