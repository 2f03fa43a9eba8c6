/** What the e2e specs share: the provisioned names, and the editors' comboboxes found by their field label. */
import { expect, type Locator, type Page } from '@playwright/test';

export const DATASOURCES_FILE = 'datasources.yaml';
export const SYRROCA = 'Syrroca radiography';
export const PROMETHEUS = 'Prometheus';
export const DATASOURCE_TYPE = 'syrroca-radiography-datasource';

/** Scoring hours of metrics in the browser (tfjs) takes a while on the first query: models load, wasm compiles. */
export const SCORING_TIMEOUT = 150_000;

/** Picks `option` in the Grafana combobox of the inline field labelled `label` inside `root`. */
export async function choose(page: Page, root: Locator, label: string, option: string): Promise<void> {
  const field = root.locator('label', { hasText: label }).first().locator('xpath=..');
  await field.getByRole('combobox').first().click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** Waits until every radiography of the page has drawn its plot or its empty state; returns how many plotted. */
export async function radiographiesDrawn(page: Page): Promise<{ plots: number; empty: number }> {
  const drawn = page.locator('[data-testid=syrroca-radiography-plot], [data-testid=syrroca-radiography-empty]');
  await expect(drawn.first()).toBeVisible({ timeout: SCORING_TIMEOUT });
  return {
    plots: await page.locator('svg[data-testid=syrroca-radiography-plot]').count(),
    empty: await page.getByTestId('syrroca-radiography-empty').count(),
  };
}
