/**
 * `npm run bench [-- --json FILE] [--only NAMES] [--runs N] [--seconds S] [--no-peer]`: the
 * project's figures side by side with their references, measured in one run (machines differ, so
 * only ratios from one run count). Each figure is the median of several runs, with min and max.
 * Entries are small functions returning their samples (see measure.ts); add new ones in entries().
 */
import { Command } from 'commander';
import { writeFileSync } from 'fs';
import { availableParallelism, cpus } from 'os';

import { type AeModel, AE_MODELS, autoencoderEntries } from './autoencoder';
import { dashboardChromium, dashboardNode } from './dashboard';
import { benchExporter } from './exporter';
import { benchForecast } from './forecast';
import { type BenchEntry, type BenchOptions, type BenchResult, foreignLoad, statsOf } from './measure';
import { PEER, runTorchPeer } from './peer-torch';
import { benchRadiography } from './radiography';

function entries(only: Set<string> | null): BenchEntry[] {
  const models = (Object.keys(AE_MODELS) as AeModel[]).filter((m) => !only || [...only].some((o) => o.startsWith(m)));
  /** Figures named `name` are wanted (`--only` names them or a prefix of them). */
  const wanted = (name: string) => !only || [...only].some((o) => name.startsWith(o) || o.startsWith(name));
  // Software WebGL (SwiftShader) takes minutes per 7-day run on 2 cores: measured only when named.
  const browser = (['simd', 'simd-page', 'wasm', 'webgl'] as const).filter((b) =>
    b === 'webgl' ? only?.has('dashboard-7d-chromium-webgl') : wanted(`dashboard-7d-chromium-${b}`)
  );
  return [
    ...autoencoderEntries(models),
    ...(wanted('dashboard-7d-node') ? [dashboardNode] : []),
    ...(browser.length ? [(o: BenchOptions) => dashboardChromium(o, browser)] : []),
    ...(wanted('radiography-100k') ? [benchRadiography] : []),
    ...(wanted('exporter-') ? [benchExporter] : []),
    ...(wanted('forecast') ? [benchForecast] : []),
  ];
}

function table(results: BenchResult[]): string {
  const torch = new Map(results.filter((r) => r.impl === 'pytorch').map((r) => [r.name, statsOf(r)?.median]));
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toPrecision(3));
  const rows = [['name', 'impl', 'unit', 'median', 'min', 'max', '/ pytorch', 'other CPUs']];
  for (const r of results) {
    const s = statsOf(r);
    const peer = torch.get(r.name);
    rows.push([
      r.name,
      r.impl,
      r.unit,
      s ? fmt(s.median) : '-',
      s ? fmt(s.min) : '-',
      s ? fmt(s.max) : '-',
      s && peer && r.impl !== 'pytorch' ? `${(s.median / peer).toFixed(2)}x` : '',
      r.foreignCpus === undefined || r.foreignCpus === null ? '?' : r.foreignCpus.toFixed(2),
    ]);
  }
  const width = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows
    .map((row) => row.map((cell, c) => (c < 3 ? cell.padEnd(width[c]) : cell.padStart(width[c]))).join('  '))
    .join('\n');
}

async function main(argv: string[]) {
  const program = new Command('bench')
    .option('--json <file>', 'also write the figures as JSON')
    .option('--only <names>', 'comma-separated figure names or prefixes (e.g. ae40,ae200-train)')
    .option('--runs <n>', 'measured runs per figure', '5')
    .option('--seconds <s>', 'seconds per run', '1')
    .option('--peer <path>', 'the PyTorch peer script', PEER)
    .option('--no-peer', 'skip the PyTorch peer')
    .parse(argv);
  const opts = program.opts<{ json?: string; only?: string; runs: string; seconds: string; peer: string | false }>();
  const only = opts.only ? new Set(opts.only.split(',')) : null;
  const options = { runs: Number(opts.runs), seconds: Number(opts.seconds) };

  const stopLoad = foreignLoad();
  const results: BenchResult[] = [];
  for (const entry of entries(only)) {
    const stopEntryLoad = foreignLoad();
    const r = await entry(options);
    const entryLoad = stopEntryLoad();
    for (const one of Array.isArray(r) ? r : [r]) {
      one.foreignCpus ??= entryLoad;
      if (!only || [...only].some((o) => one.name.startsWith(o))) {
        results.push(one);
        const s = statsOf(one);
        console.error(`  ${one.name} ${one.impl}: ${s ? s.median.toFixed(1) : '-'} ${one.unit}`);
      }
    }
  }
  const foreign = stopLoad();
  const notes: string[] = [];
  const aeModels = [...new Set(results.map((r) => r.name.split('-')[0]).filter((m) => m in AE_MODELS))];
  if (opts.peer && aeModels.length) {
    console.error(`  PyTorch peer (${opts.peer}) ...`);
    const peer = await runTorchPeer(aeModels, options.seconds * options.runs, opts.peer);
    results.push(...peer.results.filter((r) => !only || [...only].some((o) => r.name.startsWith(o))));
    if (peer.note) {
      notes.push(peer.note);
    }
  } else if (aeModels.length) {
    notes.push('no PyTorch figures: the peer was skipped (--no-peer)');
  }
  results.sort((a, b) => a.name.localeCompare(b.name));

  const machine = {
    cpu: cpus()[0]?.model,
    logicalCpus: availableParallelism(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
    foreignCpusDuringProjectRuns: foreign === null ? null : Number(foreign.toFixed(2)),
    runs: options.runs,
    secondsPerRun: options.seconds,
  };
  console.log(table(results));
  // One line per distinct note, naming the figures it belongs to (the same impl means different things in different entries).
  const byNote = new Map<string, string[]>();
  for (const r of results) {
    if (r.note) {
      byNote.set(r.note, [...(byNote.get(r.note) ?? []), `${r.name} ${r.impl}`]);
    }
  }
  for (const [note, figures] of byNote) {
    const impls = [...new Set(figures.map((f) => f.split(' ')[1]))];
    console.log(`  ${impls.length === 1 && figures.length > 2 ? impls[0] : figures.join(', ')}: ${note}`);
  }
  for (const n of notes.flatMap((n) => n.split('\n'))) {
    console.log(`  ${n}`);
  }
  console.log(
    "  other CPUs: what other processes used while the figure was measured (above ~0.2, a figure is low by an unknown factor, PyTorch's two threads most of all)"
  );
  console.log(
    `  machine: ${machine.cpu}, ${machine.logicalCpus} CPUs, Node ${machine.node}; other processes used ${
      foreign === null ? '?' : foreign.toFixed(2)
    } CPUs during the project's runs`
  );
  if (opts.json) {
    const json = {
      machine,
      results: results.map((r) => {
        const s = statsOf(r);
        return {
          name: r.name,
          impl: r.impl,
          unit: r.unit,
          median: s?.median ?? null,
          min: s?.min ?? null,
          max: s?.max ?? null,
          samples: r.samples,
          foreignCpus: r.foreignCpus ?? null,
          note: r.note,
        };
      }),
      notes,
    };
    writeFileSync(opts.json, JSON.stringify(json, null, 2) + '\n');
  }
}

main(process.argv).catch((e) => {
  console.error(e);
  process.exit(1);
});
