/**
 * The seeded vIMS simulator: a stepper that a live server ticks one sample at a time (and can switch
 * scenario at run time), and `simulate`, the same stepper run over a range into a FeatureMatrix.
 *
 * Each step covers the `stepSeconds` before its timestamp, as a Prometheus scrape does: calls arrive
 * (a Poisson process following the area's daily and weekly profile), are answered or fail, stay up
 * an exponential 3 minutes on average, and every message of their SIP flow lands on the pods it
 * crosses; the pods' CPU, memory, page faults, disk and network follow from that work, and the
 * node's from the pods'. Faults act on the causes (lost ACKs, a busier area, stress-ng in the
 * P-CSCF's cgroup), never on the metrics directly.
 */
import { SyrrocaError } from '../core/errors';
import { canonicalSeriesName } from '../core/features';
import type { FeatureMatrix } from '../core/types';
import { Container, CONTAINER_SERIES, containerSeries, NO_FOREIGN, type ContainerLoad } from './container';
import { NodeExporter, nodeSeries } from './node';
import { NAMESPACE, NODE_CPUS, POD_SPECS, podIndex } from './platform';
import { BUSIER_AREA, callRate, dayFactor, TRAINING_AREA } from './profile';
import { randomStream, type Random } from './random';
import { backgroundTraffic, callTraffic, Traffic } from './traffic';

export type Scenario = 'nominal' | 'packet-loss' | 'overload' | 'cpu-stress';
export const SCENARIOS: Scenario[] = ['nominal', 'packet-loss', 'overload', 'cpu-stress'];

/** Monday 2020-03-16 00:00 UTC, the first day of the paper's training traffic. */
export const DEFAULT_START = 1584316800;

/** Names of the service KPIs in the matrix (per-step gauges); the pipeline leaves `^sipp_` out of the features. */
export const KPI_SERIES = {
  attempts: 'sipp_call_attempts',
  successful: 'sipp_successful_calls',
  failed: 'sipp_failed_calls',
} as const;

export interface SimulatorOptions {
  seed: number;
  scenario?: Scenario;
  /** Unix seconds where the simulated range begins; the first sample is at `start + stepSeconds`. */
  start?: number;
  stepSeconds?: number;
  /** Hours after `start` at which the scenario's fault begins (default 0). */
  faultStartHours?: number;
  /**
   * How long packet loss or overload lasts, in hours (default: to the end). The CPU stress always
   * runs its one-hour schedule.
   */
  faultHours?: number;
  /** Container restarts per container and week (crashes, OOM kills); default 0.1. */
  restartsPerWeek?: number;
}

export interface SimulatorStep {
  t: number;
  /** One value per feature, in `features` order: counters cumulative, gauges as read. */
  values: Float64Array;
  faultActive: boolean;
  /** Mean stress-ng load level (0..0.8) in the P-CSCF over the step. */
  stressLevel: number;
  /** Containers that restarted during the step. */
  restarted: string[];
}

export interface Simulator {
  readonly features: string[];
  step(): SimulatorStep;
  /** Switches scenario; its fault begins with the next step. */
  setScenario(scenario: Scenario): void;
}

export interface SimulateOptions extends SimulatorOptions {
  hours: number;
}

export interface Simulation {
  matrix: FeatureMatrix;
  kpi: { attempts: Float64Array; successful: Float64Array; failed: Float64Array };
  truth: {
    faultActive: Uint8Array;
    /** cpu-stress only: the injected load level per step. */
    stressLevel?: Float64Array;
    /** Container restarts: counters of that container start again from zero at the sample `t`. */
    restarts: Array<{ t: number; container: string }>;
  };
}

const CALL_SECONDS = 180;
/**
 * A UAS that gets no ACK retransmits its 2xx on timer G (T1 = 0.5 s doubling to T2 = 4 s) for
 * 64*T1 = 32 s, 10 times, then ends the session with a BYE (RFC 3261 13.3.1.4).
 */
const UNACKNOWLEDGED_SECONDS = 32;
const RETRANSMISSIONS = 10;
const PACKET_LOSS = 0.5;
const REGISTRATION_EXPIRY = 3600;
/** New subscribers of an area register within minutes (SIPp's registration rate). */
const REGISTRATION_RAMP = 300;
/** SIP transactions a SIP pod queues before overload control answers 503. */
const ADMISSION_QUEUE = 20;
/** stress-ng --cpu 32 --cpu-load L, L = 10%..80% in 450 s steps: one hour. */
const STRESS_WORKERS = 32;
const STRESS_STEP = 450;
const STRESS_LEVELS = 8;
/**
 * The deployment runs for a week (and two hours) before `start`: containers said to be up for days
 * carry what days of service leave (memcached's slab sized by the week's busiest hour, allocator
 * high-water marks, a day of logs), not the state of a deployment that came up the day before.
 */
const WARMUP_SECONDS = 7 * 24 * 3600 + 2 * 3600;
const WARMUP_STEP = 300;
const WEEK = 7 * 86400;

/** Blocking probability of an M/M/1/K queue at utilization rho: the share of requests refused. */
function blocking(rho: number, k: number): number {
  if (Math.abs(rho - 1) < 1e-9) {
    return 1 / (k + 1);
  }
  return ((1 - rho) * Math.pow(rho, k)) / (1 - Math.pow(rho, k + 1));
}

/** Seconds of [a, b) inside [c, d). */
function overlap(a: number, b: number, c: number, d: number): number {
  return Math.max(0, Math.min(b, d) - Math.max(a, c));
}

function check(ok: boolean, message: string): void {
  if (!ok) {
    throw new SyrrocaError('sim-options', message);
  }
}

function checkOptions(o: SimulatorOptions): void {
  check(Number.isFinite(o.seed), `seed must be a finite number, got ${o.seed}`);
  check(
    o.scenario === undefined || SCENARIOS.includes(o.scenario),
    `unknown scenario "${o.scenario}"; use one of ${SCENARIOS.join(', ')}`
  );
  check(o.stepSeconds === undefined || o.stepSeconds > 0, `stepSeconds must be positive, got ${o.stepSeconds}`);
  check(o.start === undefined || Number.isFinite(o.start), `start must be unix seconds, got ${o.start}`);
  check(
    o.faultStartHours === undefined || o.faultStartHours >= 0,
    `faultStartHours must be >= 0, got ${o.faultStartHours}`
  );
  check(o.faultHours === undefined || o.faultHours > 0, `faultHours must be positive, got ${o.faultHours}`);
  check(
    o.restartsPerWeek === undefined || o.restartsPerWeek >= 0,
    `restartsPerWeek must be >= 0, got ${o.restartsPerWeek}`
  );
}

function scaleLoad(load: ContainerLoad, share: number): ContainerLoad {
  return {
    ...load,
    messages: load.messages * share,
    requests: load.requests * share,
    writes: load.writes * share,
    rxPackets: load.rxPackets * share,
    txPackets: load.txPackets * share,
    rxBytes: load.rxBytes * share,
    txBytes: load.txBytes * share,
    logBytes: load.logBytes * share,
    foreign: {
      user: load.foreign.user * share,
      system: load.foreign.system * share,
      rss: load.foreign.rss,
      faults: load.foreign.faults * share,
    },
  };
}

/** A population of calls in progress with exponential holding times, advanced over one step. */
function holdCalls(rng: Random, inProgress: number, arrivals: number, meanSeconds: number, dt: number) {
  const stay = Math.exp(-dt / meanSeconds);
  const kept = rng.binomial(inProgress, stay);
  // An arrival at a uniform time in the step is still up at its end with this probability.
  const fresh = rng.binomial(arrivals, (meanSeconds / dt) * (1 - stay));
  const after = kept + fresh;
  return { after, ended: inProgress + arrivals - after, mean: (inProgress + after) / 2 };
}

export function createSimulator(options: SimulatorOptions): Simulator {
  checkOptions(options);
  const seed = options.seed;
  const dt = options.stepSeconds ?? 30;
  const start = options.start ?? DEFAULT_START;
  const restartRate = (options.restartsPerWeek ?? 0.1) / WEEK;
  let scenario: Scenario = options.scenario ?? 'nominal';
  let faultStart = start + (options.faultStartHours ?? 0) * 3600;
  let faultEnd = options.faultHours === undefined ? Infinity : faultStart + options.faultHours * 3600;

  const stream = (name: string) => randomStream(seed, name);
  const arrivals = stream('arrivals');
  const outcomes = stream('outcomes');
  const holding = stream('holding');
  const registering = stream('registrations');
  const background = stream('background');
  const restarting = stream('restarts');
  const containers = POD_SPECS.map((spec) => new Container(spec, stream(`pod:${spec.name}`)));
  const node = new NodeExporter(stream('node'));
  const traffic = new Traffic();
  const bono = podIndex('bono');
  const sipPods = POD_SPECS.map((s, i) => (s.capacityCores ? i : -1)).filter((i) => i >= 0);

  const features = [
    ...POD_SPECS.flatMap((s) => containerSeries(`${s.name}-0`, s.name, NAMESPACE)),
    ...nodeSeries(),
  ].map(([metric, labels]) => canonicalSeriesName(metric, labels));
  const kpiAt = features.length;
  features.push(KPI_SERIES.attempts, KPI_SERIES.successful, KPI_SERIES.failed);

  let established = 0;
  let unacknowledged = 0;
  let registered = TRAINING_AREA.subscribers;
  let rateNoise = 0;
  const utilization = new Float64Array(POD_SPECS.length);
  let lastRestarts: string[] = [];

  /** Advances the interval (t - dt, t]; returns the KPIs and the fault's truth. */
  function interval(t: number, dt: number, restarts: boolean) {
    const t0 = t - dt;
    const mid = t - dt / 2;
    const faulty = scenario !== 'nominal' && mid >= faultStart && mid < faultEnd;
    let stress = 0;
    let stressed = 0;
    let launches = 0;
    if (scenario === 'cpu-stress') {
      for (let k = 0; k < STRESS_LEVELS; k++) {
        const from = faultStart + k * STRESS_STEP;
        const seconds = overlap(t0, t, from, from + STRESS_STEP);
        stress += (0.1 * (k + 1) * seconds) / dt;
        stressed += seconds;
        launches += from >= t0 && from < t ? 1 : 0;
      }
    }
    const area = scenario === 'overload' && faulty ? BUSIER_AREA : TRAINING_AREA;

    // Arrivals: the area's profile, the day's factor, and a slow (15 min) fluctuation of the rate.
    const phi = Math.exp(-dt / 900);
    rateNoise = phi * rateNoise + Math.sqrt(1 - phi * phi) * 0.06 * arrivals.normal();
    const rate = callRate(area, mid) * dayFactor(seed, Math.floor(mid / 86400)) * Math.exp(rateNoise);
    const attempts = arrivals.poisson(rate * dt);

    // Restarts: attempts that arrive while a pod on the call path is down fail.
    const restarted: Array<{ pod: number; at: number }> = [];
    if (restarts) {
      for (let p = 0; p < POD_SPECS.length; p++) {
        if (restarting.uniform() < 1 - Math.exp(-restartRate * dt)) {
          restarted.push({ pod: p, at: restarting.uniform() });
        }
      }
    }
    const lost = Math.min(1, restarted.reduce((a, r) => a + POD_SPECS[r.pod].downtime, 0) / dt);
    let admitted = 1 - lost;
    for (const p of sipPods) {
      admitted *= 1 - blocking(utilization[p], ADMISSION_QUEUE);
    }
    const rejected = outcomes.binomial(attempts, 1 - admitted);
    const answered = attempts - rejected;
    const blocked = scenario === 'packet-loss' && faulty ? outcomes.binomial(answered, PACKET_LOSS) : 0;
    const connected = answered - blocked;

    const calls = holdCalls(holding, established, connected, CALL_SECONDS, dt);
    established = calls.after;
    const waiting = holdCalls(holding, unacknowledged, blocked, UNACKNOWLEDGED_SECONDS, dt);
    unacknowledged = waiting.after;

    // Registrations: re-registrations before expiry, plus a ramp when the area's population changes.
    const target = area.subscribers;
    let joining = 0;
    if (registered < target) {
      joining = (target - registered) * (1 - Math.exp(-dt / REGISTRATION_RAMP));
      registered += joining;
    } else {
      registered -= (registered - target) * (1 - Math.exp(-dt / REGISTRATION_EXPIRY));
    }
    const registrations = registering.poisson((registered * dt) / REGISTRATION_EXPIRY + joining);

    traffic.reset();
    callTraffic(traffic, {
      connected,
      unacknowledged: blocked,
      rejected,
      ended: calls.ended,
      abandoned: waiting.ended,
      retransmissions: RETRANSMISSIONS * waiting.ended,
      registrations,
    });
    backgroundTraffic(traffic, dt, (mean) => background.poisson(mean));

    const stressCores = STRESS_WORKERS * stress;
    const contention = 1 + (0.35 * stressCores) / NODE_CPUS;
    const failed = rejected + blocked;
    for (let p = 0; p < containers.length; p++) {
      const spec = POD_SPECS[p];
      const inCall = spec.name === 'bono' || spec.name === 'sprout';
      // Each stress-ng worker adds its private pages (~384 KB: stack, heap, copied data; the binary
      // is shared page cache) and faults them in when launched.
      const foreign =
        p === bono && stressed > 0
          ? {
              user: 0.97 * stressCores * dt,
              system: 0.03 * stressCores * dt,
              rss: STRESS_WORKERS * 384 * 1024,
              faults: launches * STRESS_WORKERS * 700,
            }
          : NO_FOREIGN;
      const load: ContainerLoad = {
        messages: traffic.messages[p],
        requests: traffic.requests[p],
        writes: traffic.writes[p],
        rxPackets: traffic.rxPackets[p],
        txPackets: traffic.txPackets[p],
        rxBytes: traffic.rxBytes[p],
        txBytes: traffic.txBytes[p],
        calls: inCall ? calls.mean + waiting.mean : calls.mean,
        subscribers: registered,
        transactions: (traffic.messages[p] / dt) * 0.5,
        logBytes: inCall ? 300 * failed : 0,
        contention,
        foreign,
      };
      const c = containers[p];
      c.beginStep();
      const restart = restarted.find((r) => r.pod === p);
      if (restart) {
        // The old container's share of the step is lost with its cgroup; the pod's network counters keep it.
        c.advance(scaleLoad(load, restart.at), dt * restart.at, t0 + dt * restart.at);
        c.restart();
        c.advance(scaleLoad(load, 1 - restart.at), dt * (1 - restart.at), t);
      } else {
        c.advance(load, dt, t);
      }
      if (spec.capacityCores) {
        utilization[p] = (c.last.user + c.last.system - foreign.user - foreign.system) / dt / spec.capacityCores;
      }
    }
    // stress-ng holds a partial load by sleeping and waking each worker about every 10 ms.
    node.advance({ containers, traffic, contextSwitches: 2 * 100 * STRESS_WORKERS * stressed }, dt, t);
    lastRestarts = restarted.map((r) => POD_SPECS[r.pod].name);
    return {
      attempts,
      successful: connected,
      failed,
      faultActive: scenario === 'cpu-stress' ? stressed > 0 : faulty,
      stress,
    };
  }

  // Warm up over the week before `start` (nominal, no restarts) so caches, heaps, logs and calls in
  // progress are in a steady state, then age the counters: containers have been up 2-16 days.
  {
    const saved = scenario;
    scenario = 'nominal';
    for (let t = start - WARMUP_SECONDS + WARMUP_STEP; t <= start; t += WARMUP_STEP) {
      interval(t, WARMUP_STEP, false);
    }
    scenario = saved;
    const uptime = stream('uptime');
    for (const c of containers) {
      c.extendUptime(((2 + 14 * uptime.uniform()) * 86400) / WARMUP_SECONDS);
    }
    node.extendUptime((40 * 86400) / WARMUP_SECONDS);
  }

  let t = start;
  return {
    features,
    step() {
      t += dt;
      const r = interval(t, dt, true);
      const values = new Float64Array(features.length);
      for (let p = 0; p < containers.length; p++) {
        containers[p].write(values, p * CONTAINER_SERIES);
      }
      node.write(values, containers.length * CONTAINER_SERIES);
      values[kpiAt] = r.attempts;
      values[kpiAt + 1] = r.successful;
      values[kpiAt + 2] = r.failed;
      return { t, values, faultActive: r.faultActive, stressLevel: r.stress, restarted: lastRestarts };
    },
    setScenario(next: Scenario) {
      check(SCENARIOS.includes(next), `unknown scenario "${next}"; use one of ${SCENARIOS.join(', ')}`);
      scenario = next;
      faultStart = t;
      faultEnd = Infinity;
    },
  };
}

/** Runs the stepper over `hours` into a FeatureMatrix (raw series: counters cumulative), with KPIs and truth. */
export function simulate(options: SimulateOptions): Simulation {
  check(options.hours > 0, `hours must be positive, got ${options.hours}`);
  const stepSeconds = options.stepSeconds ?? 30;
  const n = Math.round((options.hours * 3600) / stepSeconds);
  check(n >= 1, `${options.hours} hours hold no step of ${stepSeconds} s`);
  const scenario = options.scenario ?? 'nominal';
  // The stress hour sits mid-range (10:00-11:00 when a day starts at midnight); other faults last the whole range.
  const faultStartHours =
    options.faultStartHours ?? (scenario === 'cpu-stress' ? Math.min(10, Math.max(0, (options.hours - 1) / 2)) : 0);
  const sim = createSimulator({ ...options, stepSeconds, faultStartHours });
  const timestamps = new Float64Array(n);
  const columns = sim.features.map(() => new Float64Array(n));
  const faultActive = new Uint8Array(n);
  const stressLevel = new Float64Array(n);
  const restarts: Simulation['truth']['restarts'] = [];
  for (let i = 0; i < n; i++) {
    const s = sim.step();
    timestamps[i] = s.t;
    for (let j = 0; j < columns.length; j++) {
      columns[j][i] = s.values[j];
    }
    faultActive[i] = s.faultActive ? 1 : 0;
    stressLevel[i] = s.stressLevel;
    for (const container of s.restarted) {
      restarts.push({ t: s.t, container });
    }
  }
  const column = (name: string) => columns[sim.features.indexOf(name)];
  return {
    matrix: { timestamps, features: sim.features, columns },
    kpi: {
      attempts: column(KPI_SERIES.attempts),
      successful: column(KPI_SERIES.successful),
      failed: column(KPI_SERIES.failed),
    },
    truth: { faultActive, ...(scenario === 'cpu-stress' ? { stressLevel } : {}), restarts },
  };
}
