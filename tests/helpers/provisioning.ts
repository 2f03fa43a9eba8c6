/**
 * The provisioning files as data, for the tests that check dashboards and the compose stack against
 * them: data sources, dashboards (with the panels inside rows), and the plugin ids the repo bundles.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';

import { ROOT } from './cli';

export interface DataSourceRef {
  type?: string;
  uid?: string;
}

export interface ProvisionedDataSource {
  name: string;
  uid: string;
  type: string;
  url?: string;
  jsonData?: Record<string, unknown>;
}

export interface Target {
  refId: string;
  datasource?: DataSourceRef;
  [key: string]: unknown;
}

export interface Panel {
  id: number;
  type: string;
  title?: string;
  datasource?: DataSourceRef | null;
  targets?: Target[];
  panels?: Panel[];
  repeat?: string;
  maxPerRow?: number;
  gridPos: { x: number; y: number; w: number; h: number };
  links?: Array<{ title: string; url: string }>;
  options?: Record<string, unknown>;
  fieldConfig?: { defaults: Record<string, unknown>; overrides: unknown[] };
}

export interface Variable {
  name: string;
  type: string;
  query?: unknown;
  definition?: string;
  datasource?: DataSourceRef;
  current?: { text: unknown; value: unknown };
  multi?: boolean;
  includeAll?: boolean;
}

export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Variable[] };
  annotations?: { list: Array<{ name: string; datasource?: DataSourceRef; expr?: string; builtIn?: number }> };
  links?: Array<{ type: string; url?: string; title: string; includeVars?: boolean; keepTime?: boolean }>;
}

export const readYaml = <T>(path: string): T => parse(readFileSync(join(ROOT, path), 'utf8')) as T;

export const readJson = <T>(path: string): T => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as T;

export const DASHBOARDS_DIR = 'provisioning/dashboards';

export function provisionedDataSources(): ProvisionedDataSource[] {
  return readYaml<{ datasources: ProvisionedDataSource[] }>('provisioning/datasources/datasources.yaml').datasources;
}

/** Every dashboard JSON of the dashboards provider, by file name. */
export function provisionedDashboards(): Array<{ file: string; dashboard: Dashboard }> {
  return readdirSync(join(ROOT, DASHBOARDS_DIR))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, dashboard: readJson<Dashboard>(join(DASHBOARDS_DIR, file)) }));
}

/** The panels of a dashboard, those inside collapsed rows included; rows themselves too. */
export function panelsOf(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

/** The plugin ids the app ships: the app itself and its nested data source and panel. */
export const PLUGIN_IDS = {
  app: readJson<{ id: string }>('src/plugin.json').id,
  datasource: readJson<{ id: string }>('src/datasource/plugin.json').id,
  panel: readJson<{ id: string }>('src/panel/plugin.json').id,
};
