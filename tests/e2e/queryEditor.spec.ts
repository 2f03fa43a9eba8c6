/**
 * The query editor in a new panel: each query type gives the frames its panels expect, scored in the
 * browser from the compose stack's Prometheus with the exporter's models.
 */
import { expect, test } from '@grafana/plugin-e2e';

import { choose, DATASOURCES_FILE, SCORING_TIMEOUT, SYRROCA } from './helpers';

test.beforeEach(async ({ panelEditPage, readProvisionedDataSource }) => {
  const ds = await readProvisionedDataSource({ fileName: DATASOURCES_FILE, name: SYRROCA });
  await panelEditPage.datasource.set(ds.name);
  // The backfilled history: packet loss about 1.5 h before the stack first started.
  await panelEditPage.timeRange.set({ from: 'now-6h', to: 'now' });
});

test('the anomaly features query fills a table with intervals and the features that explain them', async ({
  panelEditPage,
  page,
}) => {
  await panelEditPage.setVisualization('Table');
  await choose(page, panelEditPage.getQueryEditorRow('A'), 'Query type', 'Anomaly features');
  await expect(panelEditPage.panel.fieldNames).toContainText(
    ['start', 'end', 'group', 'samples', 'peak MSE', 'top share', 'features'],
    { timeout: SCORING_TIMEOUT }
  );
});

test('the reconstruction query gives each group its error, threshold and state', async ({ panelEditPage, page }) => {
  await choose(page, panelEditPage.getQueryEditorRow('A'), 'Query type', 'Reconstruction error');
  await panelEditPage.toggleTableView();
  await expect(panelEditPage.panel.fieldNames).toContainText(['time', 'MSE', 'threshold', 'anomalous'], {
    timeout: SCORING_TIMEOUT,
  });
  await expect(panelEditPage.panel.getErrorIcon()).toHaveCount(0);
});

test('the radiography query feeds the radiography panel', async ({ panelEditPage, page }) => {
  await panelEditPage.setVisualization('Syrroca radiography panel');
  await choose(page, panelEditPage.getQueryEditorRow('A'), 'Query type', 'Radiography');
  const plot = panelEditPage.panel.locator.locator('svg[data-testid=syrroca-radiography-plot]').first();
  await expect(plot).toBeVisible({ timeout: SCORING_TIMEOUT });
  // Filled contours: the density of the anomalous points of the packet-loss hour.
  await expect(plot.locator('path[data-level]').first()).toBeAttached();
});
