/**
 * The data source's settings page in Grafana: the provisioned data source passes its test (models
 * found through the data source's route, Prometheus chosen), and a new one says what is missing
 * until a Prometheus and a models URL are set.
 */
import { expect, test } from '@grafana/plugin-e2e';

import { DATASOURCE_TYPE, DATASOURCES_FILE, PROMETHEUS, SYRROCA } from './helpers';

test('the provisioned data source finds its models and its Prometheus', async ({
  readProvisionedDataSource,
  gotoDataSourceConfigPage,
  page,
}) => {
  const ds = await readProvisionedDataSource({ fileName: DATASOURCES_FILE, name: SYRROCA });
  const configPage = await gotoDataSourceConfigPage(ds.uid);
  // Provisioned data sources are read-only: Grafana offers "Test" instead of "Save & test".
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(configPage).toHaveAlert('success');
});

test('a new data source without a Prometheus says which setting to choose', async ({ createDataSourceConfigPage }) => {
  const configPage = await createDataSourceConfigPage({ type: DATASOURCE_TYPE });
  // A frontend data source tests in the browser: wait for the save, then for the alert.
  await configPage.saveAndTest({ path: `/api/datasources/uid/${configPage.datasource.uid}` });
  await expect(configPage).toHaveAlert('error', { hasText: /Prometheus/ });
});

test("a new data source with a Prometheus and the exporter's models passes its test", async ({
  createDataSourceConfigPage,
  components,
  page,
}) => {
  const configPage = await createDataSourceConfigPage({ type: DATASOURCE_TYPE });
  await components.dataSourcePicker.set(PROMETHEUS);
  await page.getByRole('radio', { name: 'URL' }).check({ force: true });
  await page.getByPlaceholder('http://syrroca-exporter:9464/models/').fill('http://syrroca:9464/models/');
  await configPage.saveAndTest({ path: `/api/datasources/uid/${configPage.datasource.uid}` });
  await expect(configPage).toHaveAlert('success');
});
