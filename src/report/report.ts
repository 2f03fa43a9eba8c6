/**
 * The demo's self-contained HTML report: per scenario the radiographies, MSE_g over time with
 * its threshold beside the call profile, the anomaly-features table and the characterization.
 * Pure: data in, one HTML string out (inline CSS and SVG, no script, no network).
 */
import { anomalousIntervals, characterize } from '../core/attribution';
import type { GroupScore } from '../core/types';
import { radiographyFigure } from './radiography';
import { escapeXml, formatNumber, timeChart } from './svg';

export interface ReportScenario {
  name: string;
  description: string;
  scores: GroupScore[];
  /** The service KPIs on the scoring grid. */
  kpi: { t: Float64Array; attempts: Float64Array; failed: Float64Array };
  /** Where the fault was injected, to shade it on the charts. */
  faultSpans: Array<{ from: number; to: number }>;
  /** Measured results worth a sentence (the stress correlation, the recovery time), shown under the description. */
  findings?: string[];
}

export interface ReportInput {
  title: string;
  subtitle: string;
  groups: string[];
  scenarios: ReportScenario[];
}

const WIDTH = 560;

export function renderReport(input: ReportInput): string {
  const toc = input.scenarios.map((s) => `<a href="#${slug(s.name)}">${escapeXml(s.name)}</a>`).join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(input.title)}</title>
<style>${CSS}</style></head>
<body><header><h1>${escapeXml(input.title)}</h1><p>${escapeXml(input.subtitle)}</p><nav>${toc}</nav></header>
${input.scenarios.map((s) => scenarioSection(s, input.groups)).join('\n')}
</body></html>
`;
}

function scenarioSection(s: ReportScenario, groups: string[]): string {
  const byGroup = new Map(groups.map((g) => [g, s.scores.filter((x) => x.group === g)]));
  const summary = groups
    .map((g) => {
      const list = byGroup.get(g)!;
      const anomalous = list.filter((x) => x.anomalous).length;
      return `<td>${list.length ? ((100 * anomalous) / list.length).toFixed(1) : '-'}%</td>`;
    })
    .join('');
  const kpiAt = new Map<number, number>();
  s.kpi.t.forEach((t, i) => kpiAt.set(t, s.kpi.failed[i]));
  const spans = s.faultSpans.map((f) => ({ ...f, label: 'fault injected' }));
  const radiographies = groups
    .map((g) => {
      const anomalous = byGroup.get(g)!.filter((x) => x.anomalous && kpiAt.has(x.t));
      return radiographyFigure({
        group: g,
        mse: anomalous.map((x) => x.mse),
        kpi: anomalous.map((x) => kpiAt.get(x.t)!),
        threshold: byGroup.get(g)![0]?.threshold,
        kpiTitle: 'failed calls per step',
      });
    })
    .join('');
  const mseCharts = groups
    .map((g) => {
      const list = byGroup.get(g)!;
      return `<figure>${timeChart({
        width: WIDTH,
        height: 200,
        yTitle: `MSE ${g}`,
        logY: true,
        lines: [{ t: list.map((x) => x.t), y: list.map((x) => x.mse), className: 'mse', label: `MSE (${g})` }],
        hline: list.length
          ? { y: list[0].threshold, label: `threshold ${formatNumber(list[0].threshold)}` }
          : undefined,
        spans,
      })}<figcaption>Reconstruction error of the ${escapeXml(g)} group (log scale) and its threshold.</figcaption></figure>`;
    })
    .join('');
  const calls = `<figure>${timeChart({
    width: WIDTH,
    height: 200,
    yTitle: 'calls per step',
    lines: [
      { t: s.kpi.t, y: s.kpi.attempts, className: 'attempts', label: 'call attempts' },
      { t: s.kpi.t, y: s.kpi.failed, className: 'failed', label: 'failed calls' },
    ],
    spans,
  })}<figcaption>Call profile from the SIP load generator.</figcaption></figure>`;
  const findings = s.findings?.length
    ? `<ul class="findings">${s.findings.map((f) => `<li>${escapeXml(f)}</li>`).join('')}</ul>`
    : '';
  return `<section id="${slug(s.name)}"><h2>${escapeXml(s.name)}</h2><p>${escapeXml(s.description)}</p>${findings}
<table class="summary"><thead><tr><th></th>${groups.map((g) => `<th>${escapeXml(g)}</th>`).join('')}</tr></thead><tbody><tr><th>share of scored steps above threshold</th>${summary}</tr></tbody></table>
<h3>Radiographies</h3><p class="note">Density of (reconstruction error, failed calls) over the threshold-crossing samples of each group; dark is dense. Each group has its own error scale.</p>
<div class="grid">${radiographies}</div>
<h3>Reconstruction error over time</h3><div class="grid">${calls}${mseCharts}</div>
<h3>Anomaly features</h3>${featuresTable(s.scores)}
<h3>Characterization</h3>${characterizationTable(s.scores, groups)}
</section>`;
}

function featuresTable(scores: GroupScore[]): string {
  const intervals = anomalousIntervals(scores)
    .sort((a, b) => b.samples - a.samples)
    .slice(0, 20);
  if (intervals.length === 0) {
    return '<p class="note">No anomalous interval.</p>';
  }
  const day = (t: number) => new Date(t * 1000).toISOString().slice(5, 16).replace('T', ' ');
  const rows = intervals
    .map(
      (iv) =>
        `<tr><td>${day(iv.start)}</td><td>${day(iv.end)}</td><td>${escapeXml(iv.group)}</td><td>${iv.samples}</td><td>${formatNumber(iv.peakMse)}</td><td>${iv.features
          .map((f) => `${escapeXml(f.name)} <span class="share">${(100 * f.p).toFixed(0)}%</span>`)
          .join('<br>')}</td></tr>`
    )
    .join('');
  return `<p class="note">The 20 longest anomalous intervals; F: the features whose shares of the error reach 90%.</p><table><thead><tr><th>start (UTC)</th><th>end</th><th>group</th><th>samples</th><th>peak MSE</th><th>F (share of error)</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function characterizationTable(scores: GroupScore[], groups: string[]): string {
  const parts = groups.map((g) => {
    const anomalous = scores.filter((s) => s.group === g && s.anomalous);
    if (anomalous.length === 0) {
      return `<li><b>${escapeXml(g)}</b>: no threshold-crossing sample.</li>`;
    }
    const top = characterize(anomalous.map((s) => s.features.map((f) => f.name))).slice(0, 3);
    return `<li><b>${escapeXml(g)}</b> (${anomalous.length} samples): ${top
      .map((c) => `${(100 * c.share).toFixed(1)}% characterized by F = [${c.features.map(escapeXml).join(', ')}]`)
      .join('; ')}</li>`;
  });
  return `<ul class="characterization">${parts.join('')}</ul>`;
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1200px;padding:16px 24px;color:#1b1b1f;background:#fff}
h1{margin:0 0 4px}h2{border-bottom:2px solid #1b1b1f;padding-bottom:4px;margin-top:40px}h3{margin:24px 0 6px}
nav a{margin-right:6px}.note{color:#555;margin:4px 0 8px}
.grid{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0}figcaption{font-size:12px;color:#555;max-width:${WIDTH}px}
table{border-collapse:collapse;margin:6px 0}th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top;font-size:13px}
th{background:#f2f2f4}.share{color:#555;font-variant-numeric:tabular-nums}
svg text{font-size:11px;fill:#333}svg .title{font-size:12px;fill:#111}
.axis line,.tick{stroke:#444;stroke-width:1}.grid line,line.grid{stroke:#e5e5e5}
path.mse{fill:none;stroke:#1f4e9c;stroke-width:1}path.attempts{fill:none;stroke:#555;stroke-width:1}path.failed{fill:none;stroke:#c0392b;stroke-width:1.2}
line.mse{stroke:#1f4e9c}line.attempts{stroke:#555}line.failed{stroke:#c0392b}
.threshold{stroke:#c0392b;stroke-dasharray:5 3;stroke-width:1.2}.threshold-label{fill:#c0392b}
rect.span{fill:#f5c542;opacity:.25}
.characterization li{margin:4px 0}.findings li{margin:2px 0}
`;
