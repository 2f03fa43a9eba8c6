/**
 * The paper's three experiments end to end on the simulator: train one autoencoder per group on
 * nominal weeks, score a held-out nominal day and each degraded scenario, and write the models,
 * the scores, `summary.json` and the self-contained `report.html`.
 */
import { promises as fs } from 'fs';
import { join } from 'path';

import { characterize } from '../core/attribution';
import { DEFAULT_CATALOG } from '../core/groups';
import { scoreGroups, trainGroups } from '../core/pipeline';
import { spearman } from '../core/stats';
import type { Characterization, GroupCatalog, GroupScore, Manifest, QuerySet } from '../core/types';
import { DEFAULT_QUERY_SET } from '../prom/querySet';
import { renderReport, type ReportScenario } from '../report/report';
import { simulate, type Scenario, type Simulation } from '../sim';
import { NAMESPACE } from '../sim/platform';
import { loadScoringModels, writeArtifacts, writeFileAtomic } from './artifacts';
import { fastFactory, type Engine } from './engine';
import { loadTf } from './tf';

export interface DemoOptions {
  out: string;
  seed: number;
  quick: boolean;
  engine: Engine;
  log: (line: string) => void;
  onEpoch?: (group: string, epoch: number, epochs: number, loss: number) => void;
}

export interface GroupSummary {
  /** Share of scored points above threshold: over the fault for degraded scenarios, over the whole day for nominal. */
  anomalousShare: number;
  /** Over every scored point of the scenario's range. */
  anomalousShareOverall: number;
  characterization: Characterization[];
}

export interface CpuStressSummary extends GroupSummary {
  /** Spearman's rank correlation of the group's MSE with the injected stress level, over the stress hour. */
  stressSpearman?: number;
  /**
   * Minutes from the end of the stress to the first step from which the group's anomalous steps over
   * the next RECOVERY_WINDOW_MINUTES are no more than its share on the held-out nominal day allows,
   * at the window's resolution (ceil(share x steps): a share under one step per window allows one,
   * zero allows none); null when it does not get back there before the run ends.
   */
  recoveryMinutes?: number | null;
}

export interface DemoSummary {
  seed: number;
  quick: boolean;
  training: { from: number; hours: number; stride: number; epochs: Record<string, number> };
  scenarios: Record<string, { groups: Record<string, CpuStressSummary> }>;
}

const GROUPS = ['cpu', 'memory', 'network', 'filesystem'];
const STEP = 30;
const HOUR = 3600;
export const RECOVERY_WINDOW_MINUTES = 10;

/**
 * The paper's autoencoders watch the virtual layer: its groups are cAdvisor's container series
 * ("virtual CPU group", ...), and the CPU stress asks how a physical fault shows there. The node's
 * series are the physical layer; the simulator still writes them (and `syrroca train` groups them
 * by default), but the demo reproduces the paper's groups.
 */
export const DEMO_CATALOG: GroupCatalog = {
  rules: DEFAULT_CATALOG.rules.map(({ group, patterns }) => ({
    group,
    patterns: patterns.filter((p) => p.startsWith('^container_')),
  })),
  fallback: null,
};

/**
 * The default query set's cAdvisor queries, stored in the demo models' manifests: the data source and
 * `syrroca score --prometheus` then ask a Prometheus that holds the simulator's series (or any
 * cluster with a `vims` namespace and the same pod names) for exactly what training saw.
 */
export const DEMO_QUERY_SET: Manifest['querySet'] = {
  queries: {
    ...DEFAULT_QUERY_SET,
    variables: {},
    groups: Object.fromEntries(
      GROUPS.map((g) => [g, DEFAULT_QUERY_SET.groups[g].filter((q) => q.includes('(container_'))])
    ),
  } satisfies QuerySet,
  variables: { namespace: NAMESPACE },
};

/**
 * The feature filter of seed 004 with a cut-off that removes only twins: a pod's received and sent
 * bytes and packets move together (their changes correlate at r >= 0.99), and the pods' constant
 * series (dropped packets that never happen). Twins double a signal's weight in the MSE and split its
 * share of the error between names, so the same deviation gives cover sets that differ by which twin
 * happened to be larger; distinct pods on the same call path (P-CSCF and S-CSCF, r ~ 0.98) both stay.
 */
export const DEMO_FILTER = { maxCorrelation: 0.99 };

const DESCRIPTIONS: Record<Scenario, string> = {
  nominal: 'A held-out nominal day: the models must stay quiet.',
  'packet-loss':
    'Half of the INVITE acknowledgements are blocked for one hour: calls fail, S-CSCF and P-CSCF retransmit.',
  overload: 'The load of a busier area for one hour: CPU, network and memory rise across pods, few calls fail.',
  'cpu-stress': 'An extra CPU load on the P-CSCF stepping from 10% to 80% in 450 s steps over one hour, then gone.',
};

export async function runDemo(o: DemoOptions): Promise<DemoSummary> {
  const tf = await loadTf();
  // Both runs train from a Monday (2026-01-05) and hold out the day after. The default trains two
  // weeks, as the paper did (its first and second week); the quick run four weekdays (its held-out day
  // is a Friday). A single week left one held-out Monday in five above 3% in the cpu group; three
  // quick days held too little of the day-to-day variation of the level gauges (logs kept a day,
  // page caches, allocator high-water marks), so the held-out filesystem or memory crossed 3%.
  const trainHours = o.quick ? 96 : 14 * 24;
  const stride = 6;
  const start = Date.UTC(2026, 0, 5) / 1000;
  // One deployment, one seed: train on its first days, hold out the next day, and inject each fault
  // at noon of that same day in runs paired with the nominal one (same seed: identical until the
  // fault), so a fault meets the state the held-out day is in. A held-out day from another run would
  // be another deployment, whose memory carries another history (memcached's slab holds the busiest
  // hour it has seen); a fault on a weekend day would meet a day of logs lighter than any the quick
  // run trained on. No random restarts: a restart is an anomaly of its own (memory starts cold), and
  // these days are the models' baselines.
  const heldOutHour = trainHours;
  const faultHour = heldOutHour + 12;
  const timeline = { start, stepSeconds: STEP, seed: o.seed, restartsPerWeek: 0 };
  o.log(`simulating ${trainHours + 24} h of nominal vIMS metrics (seed ${o.seed})`);
  const nominalRun = simulate({ ...timeline, scenario: 'nominal', hours: trainHours + 24 });
  const training = sliceSimulation(nominalRun, 0, heldOutHour);
  o.log(`training ${GROUPS.length} group models on ${training.matrix.timestamps.length} steps (stride ${stride})`);
  const trained = await trainGroups(tf, training.matrix, {
    catalog: DEMO_CATALOG,
    exclude: /^sipp_/,
    groups: GROUPS,
    window: 10,
    stride,
    epochs: o.quick ? 6 : 20,
    patience: 3,
    seed: o.seed,
    stepSeconds: STEP,
    fast: fastFactory(o.engine),
    filter: DEMO_FILTER,
    onEpoch: (group, epoch, epochs, loss) => o.onEpoch?.(group, epoch, epochs, loss),
  });
  trained.forEach((t) => (t.manifest.querySet = DEMO_QUERY_SET));
  const modelsDir = join(o.out, 'models');
  await writeArtifacts(tf, modelsDir, trained);
  trained.forEach((t) => t.model.dispose());
  // Scored from the artifact just written, exactly as `syrroca score --models` would.
  const models = await loadScoringModels(tf, modelsDir, o.engine);

  const runs: Array<{ scenario: Scenario; sim: Simulation }> = [
    { scenario: 'nominal', sim: sliceSimulation(nominalRun, heldOutHour, heldOutHour + 24) },
  ];
  for (const scenario of ['packet-loss', 'overload', 'cpu-stress'] as const) {
    o.log(`simulating ${scenario}`);
    // Two nominal hours, the one-hour fault, then two hours to see the recovery.
    const run = simulate({ ...timeline, scenario, hours: faultHour + 3, faultStartHours: faultHour, faultHours: 1 });
    runs.push({ scenario, sim: sliceSimulation(run, faultHour - 2, faultHour + 3) });
  }

  const summary: DemoSummary = {
    seed: o.seed,
    quick: o.quick,
    training: {
      from: start,
      hours: trainHours,
      stride,
      epochs: Object.fromEntries(trained.map((t) => [t.manifest.group, t.manifest.training.epochs])),
    },
    scenarios: {},
  };
  const sections: ReportScenario[] = [];
  await fs.mkdir(join(o.out, 'scores'), { recursive: true });
  for (const { scenario, sim } of runs) {
    o.log(`scoring ${scenario}`);
    const { scores } = await scoreGroups(sim.matrix, models);
    await writeFileAtomic(
      join(o.out, 'scores', `${scenario}.jsonl`),
      scores.map((s) => JSON.stringify(s)).join('\n') + '\n'
    );
    const groups = summarize(scenario, scores, sim, summary.scenarios.nominal?.groups);
    summary.scenarios[scenario] = { groups };
    sections.push({
      name: scenario,
      description: DESCRIPTIONS[scenario],
      scores,
      kpi: { t: sim.matrix.timestamps, attempts: sim.kpi.attempts, failed: sim.kpi.failed },
      faultSpans: faultSpans(sim),
      findings: scenario === 'cpu-stress' ? stressFindings(groups.cpu) : undefined,
    });
  }
  models.forEach((m) => m.dispose?.());
  await writeFileAtomic(join(o.out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  await writeFileAtomic(
    join(o.out, 'report.html'),
    renderReport({
      title: 'syrroca: radiography of a simulated vIMS',
      subtitle:
        `One LSTM autoencoder per resource group, trained on ${trainHours} h of nominal data (seed ${o.seed}${o.quick ? ', quick run' : ''}); ` +
        `of each pod's twin series (changes correlated at r >= ${DEMO_FILTER.maxCorrelation}) one is kept.`,
      groups: GROUPS,
      scenarios: sections,
    })
  );
  return summary;
}

function summarize(
  scenario: Scenario,
  scores: GroupScore[],
  sim: Simulation,
  nominal?: Record<string, CpuStressSummary>
): Record<string, CpuStressSummary> {
  const active = new Map<number, number>();
  sim.matrix.timestamps.forEach((t, i) => active.set(t, i));
  const inFault = (s: GroupScore) => sim.truth.faultActive[active.get(s.t)!] === 1;
  const out: Record<string, CpuStressSummary> = {};
  for (const group of GROUPS) {
    const all = scores.filter((s) => s.group === group);
    const judged = scenario === 'nominal' ? all : all.filter(inFault);
    const share = (list: GroupScore[]) => (list.length ? list.filter((s) => s.anomalous).length / list.length : 0);
    const anomalous = all.filter((s) => s.anomalous);
    out[group] = {
      anomalousShare: share(judged),
      anomalousShareOverall: share(all),
      characterization: characterize(anomalous.map((s) => s.features.map((f) => f.name))),
    };
    if (scenario === 'cpu-stress' && group === 'cpu' && sim.truth.stressLevel) {
      const level = sim.truth.stressLevel;
      out[group].stressSpearman = spearman(
        judged.map((s) => s.mse),
        judged.map((s) => level[active.get(s.t)!])
      );
      const spans = faultSpans(sim);
      out[group].recoveryMinutes = recoveryMinutes(
        all,
        spans[spans.length - 1].to,
        nominal?.[group].anomalousShare ?? 0
      );
    }
  }
  return out;
}

/** See `CpuStressSummary.recoveryMinutes`; `scores` of one group in time order. */
export function recoveryMinutes(scores: GroupScore[], end: number, nominalShare: number): number | null {
  const after = scores.filter((s) => s.t > end);
  const window = RECOVERY_WINDOW_MINUTES * 60;
  for (let i = 0; i < after.length; i++) {
    const ahead = after.slice(i).filter((s) => s.t < after[i].t + window);
    if (after[after.length - 1].t < after[i].t + window - STEP) {
      break; // fewer than a full window left
    }
    // 20 steps cannot measure a share under 5%: allow the count the nominal share rounds up to.
    if (ahead.filter((s) => s.anomalous).length <= Math.ceil(nominalShare * ahead.length)) {
      return (after[i].t - end) / 60;
    }
  }
  return null;
}

function stressFindings(cpu: CpuStressSummary): string[] {
  const recovery =
    cpu.recoveryMinutes === null || cpu.recoveryMinutes === undefined
      ? 'The cpu group does not get back to its nominal share of anomalous steps before the run ends.'
      : `The cpu group is back at its nominal share of anomalous steps ${cpu.recoveryMinutes.toFixed(1)} min after the stress ends ` +
        `(the first step from which the next ${RECOVERY_WINDOW_MINUTES} min hold no more anomalous steps than the held-out day's share allows).`;
  return [
    `Spearman's rank correlation of the cpu group's MSE with the injected stress level during the stress hour: ${cpu.stressSpearman?.toFixed(2)}.`,
    recovery,
  ];
}

/** The steps of hours [from, to) after the run's start. */
function sliceSimulation(sim: Simulation, fromHour: number, toHour: number): Simulation {
  const steps = HOUR / STEP;
  const [a, b] = [fromHour * steps, toHour * steps];
  const { timestamps, features, columns } = sim.matrix;
  return {
    matrix: { timestamps: timestamps.slice(a, b), features, columns: columns.map((c) => c.slice(a, b)) },
    kpi: {
      attempts: sim.kpi.attempts.slice(a, b),
      successful: sim.kpi.successful.slice(a, b),
      failed: sim.kpi.failed.slice(a, b),
    },
    truth: {
      faultActive: sim.truth.faultActive.slice(a, b),
      ...(sim.truth.stressLevel ? { stressLevel: sim.truth.stressLevel.slice(a, b) } : {}),
      restarts: sim.truth.restarts.filter((r) => r.t > timestamps[a] - STEP && r.t <= timestamps[b - 1]),
    },
  };
}

function faultSpans(sim: Simulation): Array<{ from: number; to: number }> {
  const spans: Array<{ from: number; to: number }> = [];
  const { timestamps } = sim.matrix;
  sim.truth.faultActive.forEach((a, i) => {
    if (a && (i === 0 || !sim.truth.faultActive[i - 1])) {
      spans.push({ from: timestamps[i], to: timestamps[i] });
    }
    if (a) {
      spans[spans.length - 1].to = timestamps[i];
    }
  });
  return spans;
}
