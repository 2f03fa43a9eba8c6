/**
 * The provisioned dashboards as code: every panel's plugin is built into Grafana or bundled here,
 * every query's data source resolves to a provisioned one (directly or through a data source
 * variable), queries of the syrroca data source are ones it answers, PromQL reads series the
 * simulator, the exporter (its forecasting detectors included) or the recording rules produce, every
 * variable used is defined, and the two vIMS dashboards link to each other by uid.
 */
import { defaultDashboard } from '@grafana/schema';

import { parseSeriesName } from '../src/core/features';
import { simulateArima } from '../src/core/forecast/simulate';
import type { QueryType } from '../src/datasource/types';
import { createForecaster } from '../src/node/serve/forecaster';
import { createExporterMetrics } from '../src/node/serve/metrics';
import { normalizeOptions } from '../src/panel/migrations';
import { createSimulator } from '../src/sim';
import { randomStream } from '../src/sim/random';
import {
  PLUGIN_IDS,
  panelsOf,
  provisionedDashboards,
  provisionedDataSources,
  readYaml,
  type Dashboard,
  type DataSourceRef,
  type Panel,
  type ProvisionedDataSource,
  type Target,
  type Variable,
} from './helpers/provisioning';

/** Panel plugins built into Grafana 12.4 (public/app/plugins/panel/<id>). */
const CORE_PANELS = new Set([
  'alertlist',
  'annolist',
  'barchart',
  'bargauge',
  'candlestick',
  'canvas',
  'dashlist',
  'datagrid',
  'flamegraph',
  'gauge',
  'geomap',
  'heatmap',
  'histogram',
  'logs',
  'news',
  'nodeGraph',
  'piechart',
  'row',
  'stat',
  'state-timeline',
  'status-history',
  'table',
  'text',
  'timeseries',
  'traces',
  'trend',
  'xychart',
]);

/** Data sources every Grafana has, by uid. */
const BUILT_IN_DATASOURCES = new Map([
  ['-- Grafana --', 'grafana'],
  ['grafana', 'grafana'],
  ['-- Mixed --', 'datasource'],
  ['-- Dashboard --', 'datasource'],
]);

/** Every query type of the data source: an entry missing or extra here fails the type check. */
const QUERY_TYPES: Record<QueryType, true> = {
  reconstruction: true,
  features: true,
  characterization: true,
  radiography: true,
  forecast: true,
};

/** Labels Prometheus adds to every scraped series. */
const TARGET_LABELS = ['job', 'instance'];

const datasources = provisionedDataSources();
const dashboards = provisionedDashboards();
const byUid = new Map(dashboards.map(({ dashboard }) => [dashboard.uid, dashboard]));

/** Metric -> label names, over every series Prometheus holds in the compose stack. */
const knownSeries = new Map<string, Set<string>>();

function addSeries(metric: string, labels: string[]): void {
  const set = knownSeries.get(metric) ?? new Set(TARGET_LABELS);
  labels.forEach((l) => set.add(l));
  knownSeries.set(metric, set);
}

beforeAll(async () => {
  // The simulated vIMS (cAdvisor, node-exporter, SIPp KPIs).
  for (const name of createSimulator({ seed: 1 }).features) {
    const { metric, labels } = parseSeriesName(name);
    addSeries(metric, Object.keys(labels));
  }
  // The exporter, as it exposes itself after one scoring step.
  const exporter = createExporterMetrics({ topK: 5 });
  exporter.publish(
    'vims',
    [{ t: 0, group: 'cpu', mse: 0.2, threshold: 0.1, anomalous: true, features: [{ name: 'f', p: 1 }] }],
    true
  );
  exporter.observeDuration(0.1);
  // Its forecasting detectors (`--forecast`), after one step on an AR(1) series.
  const calls = simulateArima(100, { ar: [0.5], sigma: 1, mean: 100 }, randomStream(1, 'dashboards'));
  const forecaster = createForecaster({
    queries: ['sipp_successful_calls'],
    read: async (_query, range) => {
      const timestamps = Float64Array.from(
        { length: (range.end - range.start) / range.step + 1 },
        (_, i) => range.start + i * range.step
      );
      return [
        { metric: { __name__: 'sipp_successful_calls' }, timestamps, values: timestamps.map((_, i) => calls[i]) },
      ];
    },
    stepSeconds: 30,
    windows: [20],
    registry: exporter.registry,
    now: () => 1_800_000_000,
  });
  expect((await forecaster.step()).errors).toEqual([]);
  for (const line of (await exporter.registry.metrics()).split('\n').filter((l) => l && !l.startsWith('#'))) {
    const { metric, labels } = parseSeriesName(line.slice(0, line.lastIndexOf(' ')));
    addSeries(metric, Object.keys(labels));
  }
  // The recording rules.
  const rules = readYaml<{ groups: Array<{ rules: Array<{ record?: string }> }> }>('prometheus/rules/syrroca.yml');
  for (const rule of rules.groups.flatMap((g) => g.rules)) {
    if (rule.record) {
      addSeries(rule.record, []);
    }
  }
});

/** `$name`, `${name}`, `${name:format}` and `[[name]]`, without Grafana's global `__` variables. */
function variableRefs(text: string): string[] {
  const names = [...text.matchAll(/\$(\w+)|\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::[^\]]*)?\]\]/g)].map(
    (m) => m[1] ?? m[2] ?? m[3]
  );
  return names.filter((n) => !n.startsWith('__'));
}

/** Every string inside a JSON value. */
const strings = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.flatMap(strings)
      : typeof value === 'object' && value !== null
        ? Object.values(value).flatMap(strings)
        : [];

const variableRefMatch = (uid: string) => /^\$\{?(\w+)\}?$/.exec(uid)?.[1];

/** The provisioned data source a reference stands for, directly or through a data source variable. */
function resolve(ref: DataSourceRef, variables: Variable[]): ProvisionedDataSource | { type: string; uid: string } {
  const uid = ref.uid ?? '';
  const variableName = variableRefMatch(uid);
  let found: ProvisionedDataSource | { type: string; uid: string } | undefined;
  if (variableName !== undefined) {
    const variable = variables.find((v) => v.name === variableName);
    if (!variable || variable.type !== 'datasource') {
      throw new Error(`${uid} is not a data source variable of the dashboard`);
    }
    const value = variable.current?.value;
    found = datasources.find((d) => d.type === variable.query && (d.uid === value || d.name === value));
    if (!found) {
      throw new Error(
        `data source variable $${variableName} defaults to ${String(value)}, no provisioned ${variable.query}`
      );
    }
  } else if (BUILT_IN_DATASOURCES.has(uid)) {
    found = { uid, type: BUILT_IN_DATASOURCES.get(uid)! };
  } else {
    found = datasources.find((d) => d.uid === uid);
    if (!found) {
      throw new Error(`data source uid ${JSON.stringify(uid)} is not provisioned`);
    }
  }
  if (ref.type !== undefined && ref.type !== found.type) {
    throw new Error(`data source ${uid} is a ${found.type}, the panel says ${ref.type}`);
  }
  return found;
}

interface Selector {
  metric: string;
  labels: string[];
}

/** The series selectors of a PromQL expression (or a `label_values(selector, label)` variable query). */
function selectors(expr: string): Selector[] {
  const found: Selector[] = [];
  let rest = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  rest = rest.replace(/label_values\(\s*([^,]+?)\s*,\s*(\w+)\s*\)/g, (_, selector: string, label: string) => {
    found.push(...selectors(selector).map((s) => ({ ...s, labels: [...s.labels, label] })));
    return '';
  });
  rest = rest.replace(/([a-zA-Z_:][\w:]*)\s*\{([^}]*)\}/g, (_, metric: string, matchers: string) => {
    found.push({ metric, labels: [...matchers.matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)].map((m) => m[1]) });
    return ' ';
  });
  rest = rest
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\boffset\s+\S+/g, ' ');
  for (const m of rest.matchAll(/([a-zA-Z_:][\w:]*)(\s*\()?/g)) {
    if (!m[2] && !['by', 'without', 'and', 'or', 'unless', 'on', 'ignoring', 'bool'].includes(m[1])) {
      found.push({ metric: m[1], labels: [] });
    }
  }
  return found;
}

/** The labels a PromQL expression aggregates or joins on (`by (pod)`), with the metric they apply to unknown. */
const groupingLabels = (expr: string): string[] =>
  [...expr.matchAll(/\b(?:by|without|on|ignoring)\s*\(([^)]*)\)/g)].flatMap((m) =>
    m[1]
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean)
  );

const queriesOf = (panel: Panel): Target[] => panel.targets ?? [];

function datasourceOfTarget(panel: Panel, target: Target): DataSourceRef {
  return target.datasource ?? panel.datasource ?? {};
}

function prometheusExpressions(dashboard: Dashboard): Array<{ where: string; expr: string }> {
  const variables = dashboard.templating.list;
  const out: Array<{ where: string; expr: string }> = [];
  for (const panel of panelsOf(dashboard)) {
    for (const target of queriesOf(panel)) {
      if (resolve(datasourceOfTarget(panel, target), variables).type === 'prometheus') {
        out.push({ where: `panel "${panel.title}" ${target.refId}`, expr: String(target.expr) });
      }
    }
  }
  for (const v of variables.filter((v) => v.type === 'query' && v.datasource)) {
    if (resolve(v.datasource!, variables).type === 'prometheus') {
      out.push({ where: `variable $${v.name}`, expr: String(v.query) });
    }
  }
  for (const a of dashboard.annotations?.list ?? []) {
    if (a.expr !== undefined && a.datasource && resolve(a.datasource, variables).type === 'prometheus') {
      out.push({ where: `annotation "${a.name}"`, expr: a.expr });
    }
  }
  return out;
}

const dashboardLinkUids = (url: string): string[] => [...url.matchAll(/\/d\/([\w-]+)/g)].map((m) => m[1]);

describe('the provisioned dashboards', () => {
  it('are the vIMS overview and radiography dashboards, with distinct uids, in the current schema', () => {
    expect(dashboards.map((d) => d.dashboard.title).sort()).toEqual(['vIMS overview', 'vIMS radiography']);
    expect(byUid.size).toBe(dashboards.length);
    for (const { dashboard } of dashboards) {
      expect(dashboard.schemaVersion).toBe(defaultDashboard.schemaVersion);
    }
  });

  it('link to each other by uid, keeping the time range and the variables', () => {
    const overview = dashboards.find((d) => d.dashboard.title === 'vIMS overview')!.dashboard;
    const radiography = dashboards.find((d) => d.dashboard.title === 'vIMS radiography')!.dashboard;
    for (const [from, to] of [
      [overview, radiography],
      [radiography, overview],
    ]) {
      const link = from.links?.find((l) => dashboardLinkUids(l.url ?? '').includes(to.uid));
      expect(link).toMatchObject({ includeVars: true, keepTime: true });
    }
  });
});

/** Data source plugins built into Grafana that the provisioning uses. */
const CORE_DATASOURCE_TYPES = new Set(['prometheus', 'grafana']);

describe('the provisioned data sources and app', () => {
  it('are plugins built into Grafana or bundled here', () => {
    for (const d of datasources) {
      expect({ name: d.name, known: CORE_DATASOURCE_TYPES.has(d.type) || d.type === PLUGIN_IDS.datasource }).toEqual({
        name: d.name,
        known: true,
      });
    }
    const apps = readYaml<{ apps: Array<{ type: string; disabled?: boolean }> }>('provisioning/plugins/apps.yaml').apps;
    expect(apps).toEqual([expect.objectContaining({ type: PLUGIN_IDS.app, disabled: false })]);
  });

  it('point the syrroca data source at a provisioned Prometheus', () => {
    const syrroca = datasources.find((d) => d.type === PLUGIN_IDS.datasource)!;
    const prometheus = datasources.find((d) => d.uid === syrroca.jsonData?.prometheusUid);
    expect(prometheus?.type).toBe('prometheus');
  });
});

describe.each(dashboards.map(({ file, dashboard }) => [file, dashboard] as const))('%s', (_file, dashboard) => {
  const variables = dashboard.templating.list;
  const panels = panelsOf(dashboard);
  const queryPanels = panels.filter((p) => queriesOf(p).length > 0);

  it('gives every panel a unique id and a place on the 24-column grid', () => {
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    for (const p of panels) {
      expect(p.gridPos.w).toBeGreaterThan(0);
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
    }
  });

  it('uses only panels built into Grafana or the bundled radiography panel', () => {
    expect(panels.map((p) => p.type).filter((t) => !CORE_PANELS.has(t) && t !== PLUGIN_IDS.panel)).toEqual([]);
  });

  it('reads every query from a provisioned data source, directly or through a data source variable', () => {
    for (const panel of queryPanels) {
      expect(panel.datasource).toBeDefined();
      resolve(panel.datasource!, variables);
      for (const target of queriesOf(panel)) {
        const own = resolve(datasourceOfTarget(panel, target), variables);
        const outer = resolve(panel.datasource!, variables);
        // A query may name another data source only under the "-- Mixed --" data source.
        expect(outer.uid === '-- Mixed --' || own.uid === outer.uid).toBe(true);
      }
    }
    for (const v of variables.filter((v) => v.datasource)) {
      resolve(v.datasource!, variables);
    }
    for (const a of dashboard.annotations?.list ?? []) {
      resolve(a.datasource!, variables);
    }
  });

  it('points every data source variable at a plugin type that is provisioned', () => {
    for (const v of variables.filter((v) => v.type === 'datasource')) {
      expect(datasources.map((d) => d.type)).toContain(v.query);
    }
  });

  it('asks the syrroca data source only for query types it answers, for groups it can resolve', () => {
    const syrroca = datasources.find((d) => d.type === PLUGIN_IDS.datasource)!;
    for (const panel of queryPanels) {
      for (const target of queriesOf(panel)) {
        if (resolve(datasourceOfTarget(panel, target), variables).uid !== syrroca.uid) {
          continue;
        }
        expect(Object.keys(QUERY_TYPES)).toContain(target.queryType);
        const groups = (target.groups ?? []) as unknown[];
        expect(Array.isArray(groups) && groups.every((g) => typeof g === 'string' && g.trim() !== '')).toBe(true);
      }
    }
  });

  it('defines every variable that queries, titles, links, annotations, repeats and other variables use', () => {
    const used = [
      ...queryPanels.flatMap((p) => queriesOf(p).flatMap(strings)),
      ...panels.flatMap((p) => [p.title ?? '', p.datasource?.uid ?? '', ...(p.links ?? []).map((l) => l.url)]),
      ...panels.flatMap((p) => (p.repeat ? [`$${p.repeat}`] : [])),
      ...(dashboard.links ?? []).map((l) => l.url ?? ''),
      ...(dashboard.annotations?.list ?? []).flatMap((a) => [a.expr ?? '', a.datasource?.uid ?? '']),
    ].flatMap(variableRefs);
    const defined = variables.map((v) => v.name);
    expect([...new Set(used)].filter((n) => !defined.includes(n))).toEqual([]);
    // A variable may use only variables defined before it: Grafana resolves them in that order.
    variables.forEach((v, i) => {
      const refs = [...strings(v.query), v.definition ?? '', v.datasource?.uid ?? ''].flatMap(variableRefs);
      expect(refs.filter((n) => !variables.slice(0, i).some((w) => w.name === n))).toEqual([]);
    });
  });

  it('repeats panels only over multi-value variables', () => {
    for (const p of panels.filter((p) => p.repeat)) {
      const v = variables.find((v) => v.name === p.repeat)!;
      expect(v.multi || v.includeAll).toBe(true);
    }
  });

  it('queries Prometheus for series the simulator, the exporter or the recording rules produce, by labels they have', () => {
    const problems: string[] = [];
    for (const { where, expr } of prometheusExpressions(dashboard)) {
      const found = selectors(expr);
      if (found.length === 0) {
        problems.push(`${where}: no series in ${expr}`);
      }
      for (const { metric, labels } of found) {
        const known = knownSeries.get(metric);
        if (!known) {
          problems.push(`${where}: no such series ${metric}`);
          continue;
        }
        labels.filter((l) => !known.has(l)).forEach((l) => problems.push(`${where}: ${metric} has no label ${l}`));
      }
      const all = new Set(found.flatMap(({ metric }) => [...(knownSeries.get(metric) ?? [])]));
      groupingLabels(expr)
        .filter((l) => !all.has(l))
        .forEach((l) => problems.push(`${where}: aggregates by ${l}, which none of its series has`));
    }
    expect(problems).toEqual([]);
  });

  it('links only to provisioned dashboards', () => {
    const urls = [
      ...(dashboard.links ?? []).map((l) => l.url ?? ''),
      ...panels.flatMap((p) => (p.links ?? []).map((l) => l.url)),
    ];
    expect(urls.flatMap(dashboardLinkUids).filter((uid) => !byUid.has(uid))).toEqual([]);
  });

  it('has a namespace variable read from Prometheus and a resource group variable', () => {
    const namespace = variables.find((v) => v.name === 'namespace');
    expect(resolve(namespace!.datasource!, variables).type).toBe('prometheus');
    expect(variables.map((v) => v.name)).toContain('group');
  });
});

describe('the vIMS radiography dashboard', () => {
  const dashboard = dashboards.find((d) => d.dashboard.title === 'vIMS radiography')!.dashboard;
  const variables = dashboard.templating.list;
  const panels = panelsOf(dashboard);
  const syrrocaQuery = (panel: Panel) => queriesOf(panel).map((t) => t.queryType);

  it('takes its groups from the models, through a query variable of the syrroca data source', () => {
    const group = variables.find((v) => v.name === 'group')!;
    expect(resolve(group.datasource!, variables).type).toBe(PLUGIN_IDS.datasource);
    expect(group.query).toMatchObject({ values: 'groups' });
    expect(group).toMatchObject({ multi: true, includeAll: true });
  });

  it('draws one radiography per group, with saved options the panel keeps as they are', () => {
    const radiographies = panels.filter((p) => p.type === PLUGIN_IDS.panel);
    expect(radiographies).toHaveLength(1);
    const [panel] = radiographies;
    expect(panel.repeat).toBe('group');
    expect(syrrocaQuery(panel)).toEqual(['radiography']);
    expect(queriesOf(panel)[0].groups).toEqual(['$group']);
    // What the panel's migration handler would make of them: saved options are complete and in range.
    expect(normalizeOptions(panel.options)).toEqual(panel.options);
  });

  it("plots each group's reconstruction error against its dashed threshold", () => {
    const mse = panels.find((p) => p.type === 'timeseries' && syrrocaQuery(p).includes('reconstruction'))!;
    expect(mse.repeat).toBe('group');
    expect(JSON.stringify(mse.fieldConfig?.overrides)).toContain('"fill":"dash"');
  });

  it("shows the anomaly features and the characterization in Grafana's table panel", () => {
    const tables = panels.filter((p) => p.type === 'table').map(syrrocaQuery);
    expect(tables).toEqual(expect.arrayContaining([['features'], ['characterization']]));
  });

  it('lists the provisioned Grafana-managed syrroca alert rules', () => {
    const alerts = panels.find((p) => p.type === 'alertlist')!;
    const rules = readYaml<{ groups: Array<{ rules: Array<{ title: string }> }> }>('provisioning/alerting/syrroca.yaml')
      .groups.flatMap((g) => g.rules)
      .map((r) => r.title);
    const filter = String(alerts.options?.alertName);
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.every((title) => title.includes(filter))).toBe(true);
    expect(alerts.options?.datasource).toBe('grafana');
  });
});

describe('the vIMS overview dashboard', () => {
  const dashboard = dashboards.find((d) => d.dashboard.title === 'vIMS overview')!.dashboard;

  it('covers calls and per-pod CPU, memory, network and filesystem from Prometheus', () => {
    const metrics = new Set(
      prometheusExpressions(dashboard).flatMap(({ expr }) => selectors(expr).map((s) => s.metric))
    );
    for (const prefix of [
      'sipp_failed_calls',
      'container_cpu_',
      'container_memory_',
      'container_network_',
      'container_fs_',
    ]) {
      expect([...metrics].some((m) => m.startsWith(prefix))).toBe(true);
    }
  });

  it("plots each forecast series' prediction error against its dashed threshold, and whether it is anomalous", () => {
    const panels = panelsOf(dashboard);
    const metricsOf = (p: Panel) => queriesOf(p).flatMap((t) => selectors(String(t.expr)).map((s) => s.metric));
    const errors = panels.find((p) => p.type === 'timeseries' && metricsOf(p).includes('syrroca_forecast_error'))!;
    expect(metricsOf(errors)).toEqual(['syrroca_forecast_error', 'syrroca_forecast_threshold']);
    expect(queriesOf(errors).map((t) => t.legendFormat)).toEqual(['{{feature}}', 'threshold {{feature}}']);
    expect(JSON.stringify(errors.fieldConfig?.overrides)).toContain('"options":"^threshold "');
    expect(JSON.stringify(errors.fieldConfig?.overrides)).toContain('"fill":"dash"');
    const states = panels.find((p) => metricsOf(p).includes('syrroca_forecast_anomalous'))!;
    expect(states.type).toBe('state-timeline');
  });
});
