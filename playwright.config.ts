/**
 * End-to-end tests of the plugin in a real Grafana, with @grafana/plugin-e2e: `npm run build`,
 * `docker compose up`, then `npm run e2e` (GRAFANA_URL overrides http://localhost:3000). Playwright's
 * browser: `npx playwright install chromium`, or SYRROCA_CHROMIUM=/usr/bin/chromium to use an
 * installed one.
 */
import type { PluginOptions } from '@grafana/plugin-e2e';
import { defineConfig, devices } from '@playwright/test';
import { dirname } from 'node:path';

const pluginE2eAuth = `${dirname(require.resolve('@grafana/plugin-e2e'))}/auth`;

export default defineConfig<PluginOptions>({
  testDir: './tests/e2e',
  testMatch: '**/*.spec.ts',
  // The data source scores in the browser: one page at a time keeps the timings readable.
  workers: 1,
  fullyParallel: false,
  retries: process.env.CI ? 1 : 0,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: process.env.GRAFANA_URL ?? 'http://localhost:3000',
    provisioningRootDir: 'provisioning',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: process.env.SYRROCA_CHROMIUM ? { executablePath: process.env.SYRROCA_CHROMIUM } : {},
  },
  projects: [
    // Logs in as admin/admin and stores the session for the tests.
    { name: 'auth', testDir: pluginE2eAuth, testMatch: [/.*\.js/] },
    {
      name: 'run-tests',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1600, height: 1000 },
        storageState: 'playwright/.auth/admin.json',
      },
      dependencies: ['auth'],
    },
  ],
});
