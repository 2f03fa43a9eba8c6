/**
 * The radiography panel on the provisioned dashboards: one radiography per model group over the
 * backfilled packet-loss hour, options that change the drawing, and the overview's link to it.
 * `SYRROCA_SCREENSHOTS=1 npm run e2e` also saves docs/img/radiography-dashboard-grafana.png.
 */
import { expect, test } from '@grafana/plugin-e2e';

import { radiographiesDrawn } from './helpers';

const timeRange = { from: 'now-6h', to: 'now' };

test('the radiography dashboard draws a radiography per model group, without panel errors', async ({
  gotoDashboardPage,
  readProvisionedDashboard,
  page,
}) => {
  const dashboard = await readProvisionedDashboard({ fileName: 'vims-radiography.json' });
  const dashboardPage = await gotoDashboardPage({ uid: dashboard.uid, timeRange });
  const { plots, empty } = await radiographiesDrawn(page);
  // The default models have four groups (cpu, memory, network, filesystem); packet loss shows in some.
  expect(plots + empty).toBe(4);
  expect(plots).toBeGreaterThan(0);
  await expect(page.locator('svg[data-testid=syrroca-radiography-plot] path[data-level]').first()).toBeAttached();
  await expect(
    dashboardPage.getPanelByTitle('Anomalous intervals and the features that explain them').fieldNames
  ).toContainText(['start', 'features']);
  await expect(dashboardPage).not.toHavePanelErrors();
  if (process.env.SYRROCA_SCREENSHOTS) {
    await page.screenshot({ path: 'docs/img/radiography-dashboard-grafana.png', fullPage: true });
  }
});

test('the palette option recolours the contours and points can be shown', async ({
  gotoPanelEditPage,
  readProvisionedDashboard,
  page,
}) => {
  const dashboard = await readProvisionedDashboard({ fileName: 'vims-radiography.json' });
  const panelEditPage = await gotoPanelEditPage({ dashboard: { uid: dashboard.uid, timeRange }, id: '2' });
  const plot = panelEditPage.panel.locator.locator('svg[data-testid=syrroca-radiography-plot]').first();
  await expect(plot).toBeVisible({ timeout: 150_000 });
  const densest = plot.locator('path[data-level]').last();
  const paper = await densest.getAttribute('fill');
  await panelEditPage.getCustomOptions('Density').getSelect('Palette').selectOption('Blues');
  await expect(densest).not.toHaveAttribute('fill', paper ?? '');
  await panelEditPage.getCustomOptions('Overlays').getSwitch('Show points').check();
  await expect(plot.locator('circle').first()).toBeAttached();
});

test('the overview dashboard links to the radiography with its time range and variables', async ({
  gotoDashboardPage,
  readProvisionedDashboard,
  page,
}) => {
  const overview = await readProvisionedDashboard({ fileName: 'vims-overview.json' });
  const dashboardPage = await gotoDashboardPage({ uid: overview.uid, timeRange });
  await expect(dashboardPage.getPanelByTitle('Calls per step').locator).toBeVisible();
  await expect(dashboardPage).not.toHavePanelErrors();
  await page.getByRole('link', { name: 'vIMS radiography' }).first().click();
  await expect(page).toHaveURL(/\/d\/syrroca-vims-radiography\?.*var-namespace=vims/);
  await radiographiesDrawn(page);
});
