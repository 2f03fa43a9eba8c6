/**
 * Forecasts -> data frames a time-series panel draws: per series the value, the one-step prediction,
 * the threshold band (prediction -/+ threshold, filled between its edges), the anomalous state (0/1,
 * with state mappings, for a state timeline) and the onsets of the episodes as points. Values are those
 * of the smallest (real-time) window; the state and onsets are the windows combined by the query's rule.
 * Pure: no runtime, no fetching.
 */
import { createDataFrame, FieldType, type DataFrame, type QueryResultMeta } from '@grafana/data';

import { episodeStates, type ForecastResult, type SelectionRow } from '../core/forecast';
import { MAX_FORECAST_SERIES } from './forecast';
import { anomalousField } from './frames';

/** JSON and Grafana have no NaN for a gap: null. */
const orNull = (v: number) => (Number.isFinite(v) ? v : null);

export function forecastFrames(result: ForecastResult, refId?: string): DataFrame[] {
  return result.features.map((feature) => {
    const points = feature.windows[0].points;
    const t = points.map((p) => p.t);
    const states = episodeStates(t, feature.combined.episodes);
    const onsets = new Set(feature.combined.episodes.map((e) => e.start));
    const name = feature.feature;
    const labels = { feature: name };
    const lower = `lower ${name}`;
    return createDataFrame({
      name,
      refId,
      fields: [
        { name: 'time', type: FieldType.time, values: t.map((s) => s * 1000) },
        {
          name: 'value',
          type: FieldType.number,
          values: points.map((p) => orNull(p.value)),
          labels,
          config: { displayName: name },
        },
        {
          name: 'predicted',
          type: FieldType.number,
          values: points.map((p) => orNull(p.predicted)),
          labels,
          config: {
            displayName: `predicted ${name}`,
            custom: { lineStyle: { fill: 'dash', dash: [10, 10] }, lineWidth: 1 },
          },
        },
        {
          name: 'lower',
          type: FieldType.number,
          values: points.map((p) => orNull(p.predicted - p.threshold)),
          labels,
          config: {
            displayName: lower,
            custom: { lineWidth: 0, hideFrom: { viz: false, legend: true, tooltip: false } },
          },
        },
        {
          name: 'upper',
          type: FieldType.number,
          values: points.map((p) => orNull(p.predicted + p.threshold)),
          labels,
          config: {
            displayName: `upper ${name}`,
            custom: {
              lineWidth: 0,
              fillBelowTo: lower,
              fillOpacity: 15,
              hideFrom: { viz: false, legend: true, tooltip: false },
            },
          },
        },
        anomalousField(Array.from(states), labels, name),
        {
          name: 'onset',
          type: FieldType.number,
          values: points.map((p) => (onsets.has(p.t) ? orNull(p.value) : null)),
          labels,
          config: {
            displayName: `onset ${name}`,
            color: { mode: 'fixed', fixedColor: 'red' },
            custom: { drawStyle: 'points', pointSize: 9, showPoints: 'always' },
          },
        },
      ],
    });
  });
}

const selected = (rows: SelectionRow[]) => rows.find((r) => r.selected)?.model ?? 'none';

/** Notices: the model each window selected, the episodes, what the data needed and what was left out. */
export function forecastMeta(
  result: ForecastResult,
  extra: { leftOut: number; timings: { prometheusMs: number; forecastMs: number } }
): QueryResultMeta {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const notices: NonNullable<QueryResultMeta['notices']> = [];
  for (const f of result.features) {
    const windows = f.windows.map((w) => `w = ${w.window}: ${selected(w.selection)}`).join(', ');
    notices.push({
      severity: 'info',
      text:
        `${f.feature}: ${windows}; ${f.combined.episodes.length} episode(s) (${f.combined.rule}); ` +
        `band and values of w = ${f.windows[0].window}`,
    });
  }
  notices.push({
    severity: 'info',
    text:
      `forecast at a ${result.stepSeconds} s step, trained on ${result.train} points, in ${seconds(extra.timings.forecastMs)} ` +
      `(Prometheus ${seconds(extra.timings.prometheusMs)})`,
  });
  for (const w of result.warnings) {
    notices.push({ severity: 'warning', text: w });
  }
  for (const d of result.dropped) {
    notices.push({ severity: 'warning', text: `${d.name} not forecast: ${d.reason}` });
  }
  if (extra.leftOut > 0) {
    notices.push({
      severity: 'warning',
      text:
        `the query returned ${MAX_FORECAST_SERIES + extra.leftOut} series; only the first ${MAX_FORECAST_SERIES} are ` +
        'forecast: aggregate it or select fewer series',
    });
  }
  return {
    notices,
    custom: {
      syrroca: {
        forecast: result.features.map((f) => ({
          feature: f.feature,
          episodes: f.combined.episodes,
          windows: f.windows.map(({ points, ...rest }) => ({ ...rest, points: points.length })),
        })),
      },
    },
  };
}
