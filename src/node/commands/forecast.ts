import { InvalidArgumentError, Option, type Command } from 'commander';

import { parseWideCsv } from '../../core/csv';
import { InputError } from '../../core/errors';
import type { SeriesSet } from '../../core/forecast/detect';
import { forecastSeries, type ForecastRunOptions } from '../../core/forecast/pipeline';
import type { FeatureForecast, ForecastResult } from '../../core/forecast/types';
import { action } from '../action';
import { writeFileAtomic } from '../artifacts';
import { readText } from '../io';
import { correlation, nonNegativeInt, positiveInt, positiveNumber, regex } from '../options';
import { createProgress, type Progress } from '../progress';

interface ForecastFlags {
  csv: string;
  out: string;
  summary?: string;
  model: 'auto' | 'arima' | 'sarima' | 'varma';
  window?: number[];
  train?: number;
  refit?: number;
  step?: number;
  season: number | 'auto' | 'none';
  features?: RegExp;
  metric: 'mse' | 'rmse' | 'mape';
  threshold: 'fixed' | 'dynamic';
  k: number;
  dynamicWindow?: number;
  combine: 'any' | 'all' | 'confirm';
  mergeGap: number;
  maxCorrelation: number;
}

/** `60,720`: the window sizes, in points. */
export function windowList(value: string): number[] {
  const sizes = value.split(',').map((part) => Number(part.trim()));
  if (sizes.length === 0 || !sizes.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new InvalidArgumentError('must be whole numbers of points, comma-separated (e.g. 60,720).');
  }
  return sizes;
}

/** `none` stays a string here: commander turns a parser's null into ''. */
function season(value: string): number | 'auto' | 'none' {
  if (value === 'auto' || value === 'none') {
    return value;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < 2) {
    throw new InvalidArgumentError('must be auto, none, or a whole number of points >= 2.');
  }
  return n;
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Public series are often exported with date-time timestamps (`2014-04-01 00:00:00`, ISO 8601 / RFC
 * 3339): the first cell of each row is rewritten to unix seconds, a time without a zone read as UTC.
 * Returns the text unchanged when no row starts with a date-time.
 */
export function dateTimesToUnix(text: string): { text: string; converted: number; zoneless: number } {
  let converted = 0;
  let zoneless = 0;
  const lines = text.split(/\r?\n/).map((line, i) => {
    const comma = line.indexOf(',');
    const cell = (comma < 0 ? line : line.slice(0, comma)).trim().replace(/^"|"$/g, '');
    const m = i === 0 ? null : DATE_TIME.exec(cell);
    if (m === null) {
      return line;
    }
    const ms = Date.parse(`${m[1]}T${m[2]}${m[3] ?? 'Z'}`);
    if (!Number.isFinite(ms)) {
      return line;
    }
    converted++;
    zoneless += m[3] === undefined ? 1 : 0;
    return `${ms / 1000}${comma < 0 ? '' : line.slice(comma)}`;
  });
  return converted === 0 ? { text, converted, zoneless } : { text: lines.join('\n'), converted, zoneless };
}

/**
 * Reads a wide CSV whose rows may be out of order or repeat a timestamp (exported data: a daylight-saving
 * hour repeats), which the strict parser refuses. Such a file is read as runs of increasing timestamps,
 * each parsed strictly (errors keep their line numbers), and the forecast's documented policy orders them.
 * Date-time timestamps are read too (`dateTimesToUnix`), with a warning.
 */
async function readSeriesCsv(path: string, warn: (line: string) => void): Promise<SeriesSet> {
  const dates = dateTimesToUnix(await readText(path, 'CSV'));
  const text = dates.text;
  if (dates.converted > 0) {
    warn(
      `read ${dates.converted} date-time timestamp(s) as unix seconds` +
        (dates.zoneless > 0 ? `, ${dates.zoneless} without a time zone as UTC` : '')
    );
  }
  try {
    return parseWideCsv(text, { source: path });
  } catch (err) {
    if (!(err instanceof InputError) || !['csv-unsorted', 'csv-duplicate-timestamp'].includes(err.code)) {
      throw err;
    }
  }
  const lines = text.split(/\r?\n/);
  const header = lines[0];
  const runs: Array<{ firstLine: number; lines: string[] }> = [];
  let previous = -Infinity;
  lines.slice(1).forEach((line, i) => {
    const cell = line
      .slice(0, line.indexOf(',') < 0 ? line.length : line.indexOf(','))
      .trim()
      .replace(/^"|"$/g, '');
    const t = Number(cell);
    if (runs.length === 0 || (cell !== '' && Number.isFinite(t) && t <= previous)) {
      runs.push({ firstLine: i + 2, lines: [] });
    }
    runs[runs.length - 1].lines.push(line);
    if (cell !== '' && Number.isFinite(t)) {
      previous = t;
    }
  });
  const parts = runs.map((run) => {
    try {
      return parseWideCsv(`${header}\n${run.lines.join('\n')}`, { source: path });
    } catch (err) {
      if (err instanceof InputError && err.location.line !== undefined && err.location.line > 1) {
        const line = run.firstLine + err.location.line - 2;
        const prefix = [path, err.location.line, err.location.column].filter((x) => x !== undefined).join(':') + ': ';
        throw new InputError(err.code, { ...err.location, line }, err.message.slice(prefix.length));
      }
      throw err;
    }
  });
  const length = parts.reduce((sum, part) => sum + part.timestamps.length, 0);
  const timestamps = new Float64Array(length);
  const columns = parts[0].features.map(() => new Float64Array(length));
  let offset = 0;
  for (const part of parts) {
    timestamps.set(part.timestamps, offset);
    part.columns.forEach((column, j) => columns[j].set(column, offset));
    offset += part.timestamps.length;
  }
  return { timestamps, features: parts[0].features, columns };
}

/** JSON has no NaN: a missing value or prediction is null. */
const finite = (v: number) => (Number.isFinite(v) ? v : null);

/**
 * Forecast JSONL of DESIGN.md, one line per (timestamp, feature), in time order. Values are those of the
 * smallest (real-time) window; `anomalous` is true on the onset line of each combined episode, which
 * also carries `end`. With several windows, `windows` holds each window's prediction and verdict.
 */
export function forecastLines(result: ForecastResult): string[] {
  const lines: Array<{ t: number; line: string }> = [];
  for (const feature of result.features) {
    const onsets = new Map(feature.combined.episodes.map((e) => [e.start, e.end]));
    const [first] = feature.windows;
    first.points.forEach((point, i) => {
      const record: Record<string, unknown> = {
        t: point.t,
        feature: feature.feature,
        value: finite(point.value),
        predicted: finite(point.predicted),
        error: finite(point.error),
        threshold: finite(point.threshold),
        anomalous: onsets.has(point.t),
      };
      if (onsets.has(point.t)) {
        record.end = onsets.get(point.t);
      }
      if (feature.windows.length > 1) {
        record.windows = feature.windows.map((w) => ({
          window: w.window,
          predicted: finite(w.points[i].predicted),
          error: finite(w.points[i].error),
          threshold: finite(w.points[i].threshold),
          exceeds: w.points[i].exceeds,
        }));
      }
      lines.push({ t: point.t, line: JSON.stringify(record) });
    });
  }
  return lines.sort((a, b) => a.t - b.t).map((x) => x.line);
}

/** Everything but the points: models, selection tables, thresholds, episodes, what was dropped and why. */
function summaryOf(result: ForecastResult): unknown {
  return {
    stepSeconds: result.stepSeconds,
    train: result.train,
    warnings: result.warnings,
    dropped: result.dropped,
    features: result.features.map((f: FeatureForecast) => ({
      feature: f.feature,
      combined: f.combined,
      windows: f.windows.map(({ points, ...rest }) => ({ ...rest, points: points.length })),
    })),
  };
}

function report(result: ForecastResult, metric: string): void {
  const out = (line: string) => process.stderr.write(`${line}\n`);
  result.warnings.forEach((w) => out(`warning: ${w}`));
  result.dropped.forEach((d) => out(`dropped ${d.name}: ${d.reason}`));
  for (const f of result.features) {
    out(`${f.feature}: ${f.combined.episodes.length} episode(s) (${f.combined.rule})`);
    for (const w of f.windows) {
      out(
        `  w = ${w.window}: ${w.selection.find((row) => row.selected)?.model} (${w.refits} refits` +
          `${w.failedRefits ? `, ${w.failedRefits} kept the previous fit` : ''}), fixed threshold ` +
          `${w.fixedThreshold.toPrecision(4)}, ${w.episodes.length} episode(s)`
      );
      for (const row of w.selection) {
        const score = row.scores ? row.scores[metric as 'mse'].toPrecision(4) : `- (${row.error})`;
        out(`    ${row.selected ? '*' : ' '} ${row.model.padEnd(28)} ${metric} ${score}`);
      }
    }
  }
}

export function register(program: Command): void {
  program
    .command('forecast')
    .description(
      'forecasting detectors (ARIMA, SARIMA, VARMA over sliding windows): predictions, thresholds, anomalous episodes'
    )
    .requiredOption('--csv <file>', 'wide CSV: timestamp,<feature>,... (counters are forecast as per-step increments)')
    .requiredOption('--out <file>', 'JSONL output, one line per (timestamp, feature) after the training part')
    .option('--summary <file>', 'JSON with the selected models, selection tables, thresholds and episodes')
    .addOption(
      new Option('--model <family>', 'families that compete')
        .choices(['auto', 'arima', 'sarima', 'varma'])
        .default('auto')
    )
    .option(
      '--window <points>',
      'window sizes w, comma-separated: each model is fitted on the last w points ' +
        "(default: from the series' length, 60,360 from 2,880 rows)",
      windowList
    )
    .option(
      '--train <points>',
      'training size st (> every window): selects the model, sets the threshold (default 2 x the largest window)',
      positiveInt
    )
    .option('--refit <points>', 'points between refits, the slide of the window (default: the window)', positiveInt)
    .option('--step <seconds>', 'resampling step (default: the median spacing of the data)', positiveNumber)
    .option('--season <points>', 'seasonal period: auto, none, or a number of points', season, 'auto' as const)
    .option('--features <regex>', 'only the features whose name matches', regex)
    .addOption(
      new Option('--metric <metric>', 'model-selection metric on the held-back part')
        .choices(['mse', 'rmse', 'mape'])
        .default('mse')
    )
    .addOption(
      new Option(
        '--threshold <kind>',
        'fixed: mean + 3 sigma of held-back errors; dynamic: mean + k sigma of trailing errors'
      )
        .choices(['fixed', 'dynamic'])
        .default('dynamic')
    )
    .option('--k <k>', 'k of the dynamic threshold', positiveNumber, 3)
    .option('--dynamic-window <points>', 'trailing errors of the dynamic threshold (default: the window)', positiveInt)
    .addOption(
      new Option('--combine <rule>', 'how the windows combine into episodes')
        .choices(['any', 'all', 'confirm'])
        .default('confirm')
    )
    .option('--merge-gap <points>', 'normal points an episode may contain before a new one starts', nonNegativeInt, 2)
    .option(
      '--max-correlation <r>',
      'drop the later of two features whose changes correlate at |r| >= r in training (above 1: keep all)',
      correlation,
      0.95
    )
    .action(
      action('forecast', async (flags: ForecastFlags) => {
        const raw = await readSeriesCsv(flags.csv, (line) => process.stderr.write(`warning: ${line}\n`));
        const selected = raw.features
          .map((name, j) => j)
          .filter((j) => !flags.features || flags.features.test(raw.features[j]));
        if (selected.length === 0) {
          throw new InputError(
            'forecast-no-features',
            { source: flags.csv },
            `no feature matches ${flags.features}: the file has ${raw.features.slice(0, 5).join(', ')}${raw.features.length > 5 ? ', ...' : ''}`
          );
        }
        const input: SeriesSet = {
          timestamps: raw.timestamps,
          features: selected.map((j) => raw.features[j]),
          columns: selected.map((j) => raw.columns[j]),
        };
        const options: ForecastRunOptions = {
          model: flags.model,
          windows: flags.window,
          train: flags.train,
          step: flags.refit,
          stepSeconds: flags.step,
          season: flags.season === 'none' ? null : flags.season,
          metric: flags.metric,
          threshold: flags.threshold,
          k: flags.k,
          dynamicWindow: flags.dynamicWindow,
          combine: flags.combine,
          mergeGap: flags.mergeGap,
          filter: { maxCorrelation: flags.maxCorrelation },
        };
        let progress: Progress | undefined;
        const result = forecastSeries(input, {
          ...options,
          onProgress: (done, total) => {
            progress ??= createProgress('forecast models', total);
            progress.update(done);
          },
        });
        progress?.stop();
        const lines = forecastLines(result);
        await writeFileAtomic(flags.out, lines.join('\n') + (lines.length ? '\n' : ''));
        if (flags.summary) {
          await writeFileAtomic(flags.summary, JSON.stringify(summaryOf(result), null, 2) + '\n');
        }
        report(result, flags.metric);
        process.stderr.write(`wrote ${lines.length} lines to ${flags.out}\n`);
      })
    );
}
