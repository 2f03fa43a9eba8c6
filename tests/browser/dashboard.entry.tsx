/**
 * Test page for the README's picture of the "vIMS radiography" dashboard. Grafana itself cannot run
 * here, so this page lays the dashboard's panels out as Grafana's grid would, from the provisioned
 * JSON (gridPos, repeats over `$group`, titles, options, field config), and fills them with the
 * frames the data source builds for each query type (`src/datasource/frames.ts`) from real scores.
 * The radiography panels are the plugin's own component; the time series and the tables are
 * @grafana/ui's TimeSeries and TableNG, which Grafana's panels of those types are built on (the test
 * adds the style sheets Grafana's page carries: uPlot's and the data grid's). The alert
 * list (it needs Grafana's alerting) is a labelled placeholder.
 */
import {
  applyFieldOverrides,
  createTheme,
  dateTime,
  getFieldDisplayName,
  renderMarkdown,
  ThemeContext,
  type DataFrame,
  type FieldConfig,
  type FieldConfigSource,
  type GrafanaTheme2,
  type TimeRange,
} from '@grafana/data';
import { TableCellHeight, type VizLegendOptions } from '@grafana/schema';
import { TimeSeries, type TableSortByFieldState } from '@grafana/ui';
import { TableNG } from '@grafana/ui/unstable';
import React from 'react';
import { createRoot } from 'react-dom/client';

import type { GroupScore } from '../../src/core/types';
import {
  characterizationFrame,
  featuresFrame,
  radiographyFrames,
  reconstructionFrames,
} from '../../src/datasource/frames';
import type { QueryType } from '../../src/datasource/types';
import { RadiographyPanel } from '../../src/panel/RadiographyPanel';
import { panelProps } from '../../src/panel/testing/fixtures';
import type { Options } from '../../src/panel/types';
import type { Dashboard, Panel } from '../helpers/provisioning';

export interface DashboardRequest {
  theme: 'light' | 'dark';
  dashboard: Dashboard;
  scores: GroupScore[];
  kpi: { t: number[]; values: number[]; name: string };
  /** Width of the dashboard's grid, in CSS pixels. */
  width: number;
}

declare global {
  interface Window {
    syrrocaMountDashboard(request: DashboardRequest): void;
  }
}

/** Grafana's dashboard grid: 24 columns, 30 px rows, 8 px between panels. */
const ROW_HEIGHT = 30;
const GAP = 8;
const HEADER = 32;

interface Placed {
  panel: Panel;
  /** The value of the repeat variable for this copy of a repeated panel. */
  group?: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Where Grafana draws each panel: a panel repeated over `$group` horizontally gets one copy per group,
 * `maxPerRow` to a row, each 24 / copies-in-a-row columns wide; the panels below move down by the
 * extra rows of copies.
 */
function layout(panels: Panel[], groups: string[], width: number): Placed[] {
  const column = (width - 23 * GAP) / 24;
  const px = (cols: number) => cols * column + (cols - 1) * GAP;
  const placed: Placed[] = [];
  let shift = 0;
  for (const panel of [...panels].sort((a, b) => a.gridPos.y - b.gridPos.y || a.gridPos.x - b.gridPos.x)) {
    const { x, y, w, h } = panel.gridPos;
    const top = (y + shift) * (ROW_HEIGHT + GAP);
    const height = h * ROW_HEIGHT + (h - 1) * GAP;
    if (panel.repeat !== 'group') {
      placed.push({ panel, x: x * (column + GAP), y: top, width: px(w), height });
      continue;
    }
    const perRow = Math.min(groups.length, panel.maxPerRow ?? 4);
    const cols = Math.floor(24 / perRow);
    groups.forEach((group, i) => {
      placed.push({
        panel,
        group,
        x: (i % perRow) * cols * (column + GAP),
        y: top + Math.floor(i / perRow) * (h * (ROW_HEIGHT + GAP)),
        width: px(cols),
        height,
      });
    });
    shift += (Math.ceil(groups.length / perRow) - 1) * h;
  }
  return placed;
}

/**
 * The panel's field config on the data source's frames, as Grafana applies it: the data source's own
 * field config first, the panel's defaults where it is silent, the overrides on top; then Grafana's
 * display processors.
 */
function withFieldConfig(frames: DataFrame[], source: FieldConfigSource, theme: GrafanaTheme2): DataFrame[] {
  const configured = frames.map((frame) => ({
    ...frame,
    fields: frame.fields.map((field) => {
      const config: FieldConfig = {
        color: { mode: 'palette-classic' },
        ...source.defaults,
        ...field.config,
        custom: { ...source.defaults.custom, ...field.config.custom },
      } as FieldConfig;
      const name = getFieldDisplayName(field, frame, frames);
      for (const { matcher, properties } of source.overrides) {
        const hit =
          matcher.id === 'byName'
            ? matcher.options === name || matcher.options === field.name
            : matcher.id === 'byRegexp' && new RegExp(matcher.options).test(name);
        for (const { id, value } of hit ? properties : []) {
          if (id.startsWith('custom.')) {
            config.custom[id.slice('custom.'.length)] = value;
          } else {
            (config as Record<string, unknown>)[id] = value;
          }
        }
      }
      return { ...field, config };
    }),
  }));
  return applyFieldOverrides({
    data: configured,
    fieldConfig: { defaults: {}, overrides: [] },
    replaceVariables: (s: string) => s,
    theme,
    timeZone: 'utc',
  });
}

interface PanelData {
  byQuery: Partial<Record<QueryType, DataFrame[]>>;
  timeRange: TimeRange;
}

function queryType(panel: Panel): QueryType | undefined {
  return panel.targets?.[0]?.queryType as QueryType | undefined;
}

function PanelBody({ placed, data, theme }: { placed: Placed; data: PanelData; theme: GrafanaTheme2 }) {
  const { panel, group } = placed;
  const width = placed.width - 2 * GAP;
  const height = placed.height - HEADER - GAP;
  const type = queryType(panel);
  const frames = type ? (data.byQuery[type] ?? []).filter((f) => group === undefined || f.name === group) : [];
  const fieldConfig = (panel.fieldConfig ?? { defaults: {}, overrides: [] }) as FieldConfigSource;
  switch (panel.type) {
    case 'syrroca-radiography-panel':
      return <RadiographyPanel {...panelProps(frames, panel.options as Partial<Options>, width, height)} />;
    case 'timeseries':
      return (
        <TimeSeries
          frames={withFieldConfig(frames, fieldConfig, theme)}
          width={width}
          height={height}
          timeRange={data.timeRange}
          timeZone="utc"
          legend={panel.options?.legend as VizLegendOptions}
          options={panel.options}
        />
      );
    case 'table':
      return (
        <TableNG
          data={withFieldConfig(frames, fieldConfig, theme)[0]}
          width={width}
          height={height}
          cellHeight={TableCellHeight.Sm}
          initialSortBy={panel.options?.sortBy as TableSortByFieldState[]}
          fieldConfig={fieldConfig}
        />
      );
    case 'text':
      return (
        <div
          style={{ fontSize: 13, overflow: 'hidden', height }}
          // The dashboard's own markdown, rendered (and sanitized) by Grafana's renderer.
          dangerouslySetInnerHTML={{ __html: renderMarkdown(String(panel.options?.content ?? '')) }}
        />
      );
    default:
      return (
        <div data-testid="syrroca-dashboard-placeholder" style={{ color: theme.colors.text.secondary, fontSize: 13 }}>
          {`Grafana's ${panel.type} panel: needs a Grafana server, not drawn on this test page.`}
        </div>
      );
  }
}

function DashboardPage({ request, theme }: { request: DashboardRequest; theme: GrafanaTheme2 }) {
  const { dashboard, scores, kpi, width } = request;
  const groups = [...new Set(scores.map((s) => s.group))];
  const times = scores.map((s) => s.t * 1000);
  const from = dateTime(Math.min(...times));
  const to = dateTime(Math.max(...times));
  const data: PanelData = {
    byQuery: {
      reconstruction: reconstructionFrames(scores, 'A'),
      features: [featuresFrame(scores, 'A')],
      characterization: [characterizationFrame(scores, 'A')],
      radiography: radiographyFrames(scores, kpi, 'A'),
    },
    timeRange: { from, to, raw: { from, to } },
  };
  const placed = layout(dashboard.panels, groups, width);
  const bottom = Math.max(...placed.map((p) => p.y + p.height));
  return (
    <div style={{ padding: 16, width, boxSizing: 'content-box' }}>
      <div style={{ fontSize: 18, marginBottom: 4 }}>{dashboard.title}</div>
      <div style={{ fontSize: 12, color: theme.colors.text.secondary, marginBottom: 12 }}>
        {`Namespace vims · Resource group: All (${groups.join(', ')}) · ${from.toISOString()} to ${to.toISOString()}`}
      </div>
      <div style={{ position: 'relative', height: bottom }}>
        {placed.map((p) => {
          const title = (p.panel.title ?? '').replace(/\$\{?group\}?/g, p.group ?? '');
          const style = { position: 'absolute', left: p.x, top: p.y, width: p.width, height: p.height } as const;
          if (p.panel.type === 'row') {
            return (
              <div key={p.panel.id} style={{ ...style, fontSize: 15, lineHeight: `${p.height}px` }}>
                {title}
              </div>
            );
          }
          return (
            <section
              key={`${p.panel.id}-${p.group ?? ''}`}
              data-testid="syrroca-dashboard-panel"
              data-type={p.panel.type}
              style={{
                ...style,
                boxSizing: 'border-box',
                background: theme.colors.background.primary,
                border: `1px solid ${theme.colors.border.weak}`,
                borderRadius: theme.shape.radius.default,
                overflow: 'hidden',
              }}
            >
              <div style={{ height: HEADER, lineHeight: `${HEADER}px`, padding: `0 ${GAP}px`, fontSize: 14 }}>
                {title}
              </div>
              <div style={{ padding: `0 ${GAP}px` }}>
                <PanelBody placed={p} data={data} theme={theme} />
              </div>
            </section>
          );
        })}
      </div>
    </div>
  );
}

window.syrrocaMountDashboard = (request) => {
  const theme = createTheme({ colors: { mode: request.theme } });
  document.body.style.background = theme.colors.background.canvas;
  document.body.style.color = theme.colors.text.primary;
  document.body.style.fontFamily = theme.typography.fontFamily;
  createRoot(document.getElementById('root')!).render(
    <ThemeContext.Provider value={theme}>
      <div id="dashboard">
        <DashboardPage request={request} theme={theme} />
      </div>
    </ThemeContext.Provider>
  );
};
