import { SyrrocaError } from '../core/errors';
import { formatWideCsv, parseWideCsv } from '../core/csv';
import { canonicalSeriesName, parseSeriesName } from '../core/features';
import { createSimulator, DEFAULT_START, simulate, type Scenario, type Simulation } from './simulator';

const HOUR = 3600;
const PODS = ['bono', 'sprout', 'homestead', 'ralf', 'homer', 'ellis', 'astaire', 'chronos', 'cassandra', 'etcd'];

function column(sim: Simulation, name: string): Float64Array {
  const j = sim.matrix.features.indexOf(name);
  if (j < 0) {
    throw new Error(`no feature ${name}`);
  }
  return sim.matrix.columns[j];
}

const cpu = (pod: string, kind = 'usage') =>
  `container_cpu_${kind}_seconds_total{container="${pod}",namespace="vims",pod="${pod}-0"}`;
const workingSet = (pod: string) =>
  `container_memory_working_set_bytes{container="${pod}",namespace="vims",pod="${pod}-0"}`;
const pageFaults = (pod: string) =>
  `container_memory_failures_total{container="${pod}",failure_type="pgfault",namespace="vims",pod="${pod}-0",scope="container"}`;
const packets = (pod: string, dir: 'receive' | 'transmit') =>
  `container_network_${dir}_packets_total{interface="eth0",namespace="vims",pod="${pod}-0"}`;

/** Per-step increments of a counter (the first step has none). */
function increments(c: Float64Array): Float64Array {
  return c.map((v, i) => (i === 0 ? NaN : v - c[i - 1]));
}

/** Mean over the steps whose time of day (hours, UTC) is in [from, to). */
function meanOver(sim: Simulation, values: Float64Array, from: number, to: number): number {
  let sum = 0;
  let n = 0;
  sim.matrix.timestamps.forEach((t, i) => {
    const h = (t % 86400) / HOUR;
    if (h > from && h <= to && !Number.isNaN(values[i])) {
      sum += values[i];
      n++;
    }
  });
  return sum / n;
}

/** Index of the first element where two arrays differ, -1 if none (jest's toEqual is slow on long typed arrays). */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    return Math.min(a.length, b.length);
  }
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) {
      return i;
    }
  }
  return -1;
}

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0);

describe('simulate', () => {
  // Restarts are left out here so that each scenario differs from the nominal day by its fault only.
  const day = (scenario: Scenario) => simulate({ seed: 7, hours: 24, scenario, restartsPerWeek: 0 });
  let nominal: Simulation;
  let packetLoss: Simulation;
  let overload: Simulation;
  let stress: Simulation;
  beforeAll(() => {
    nominal = day('nominal');
    packetLoss = day('packet-loss');
    overload = day('overload');
    stress = day('cpu-stress');
  });

  it('produces identical output for the same seed and different output for another seed', () => {
    const again = day('nominal');
    expect(again.matrix.features).toEqual(nominal.matrix.features);
    again.matrix.columns.forEach((c, j) => expect(firstDifference(c, nominal.matrix.columns[j])).toBe(-1));
    const other = simulate({ seed: 8, hours: 24, restartsPerWeek: 0 });
    expect(other.matrix.columns[0]).not.toEqual(nominal.matrix.columns[0]);
    expect(other.kpi.attempts).not.toEqual(nominal.kpi.attempts);
  });

  it('names 21 cAdvisor series for each of the ten pods, 25 node-exporter series and 3 sipp_ KPIs, labels sorted', () => {
    const features = nominal.matrix.features;
    expect(features).toHaveLength(10 * 21 + 25 + 3);
    expect(new Set(features).size).toBe(features.length);
    for (const f of features) {
      const { metric, labels } = parseSeriesName(f);
      expect(canonicalSeriesName(metric, labels)).toBe(f);
    }
    for (const pod of PODS) {
      expect(features.filter((f) => f.includes(`pod="${pod}-0"`))).toHaveLength(21);
    }
    expect(features).toContain(
      'container_memory_failures_total{container="homestead",failure_type="pgfault",namespace="vims",pod="homestead-0",scope="hierarchy"}'
    );
    expect(features).toContain(
      'container_network_receive_packets_dropped_total{interface="eth0",namespace="vims",pod="bono-0"}'
    );
    expect(features).toContain(
      'container_fs_writes_bytes_total{container="cassandra",device="/dev/sda1",namespace="vims",pod="cassandra-0"}'
    );
    expect(features).toContain('node_cpu_seconds_total{instance="server-1",mode="idle"}');
    expect(features.filter((f) => f.startsWith('node_'))).toHaveLength(25);
    expect(features.slice(-3)).toEqual(['sipp_call_attempts', 'sipp_successful_calls', 'sipp_failed_calls']);
  });

  it('samples every step after start, each sample covering the step before it', () => {
    const t = nominal.matrix.timestamps;
    expect(t).toHaveLength(2880);
    expect(t[0]).toBe(DEFAULT_START + 30);
    expect(t[2879]).toBe(DEFAULT_START + 24 * HOUR);
    const fine = simulate({ seed: 1, hours: 1, stepSeconds: 5, start: 1000000 });
    expect(fine.matrix.timestamps).toHaveLength(720);
    expect(fine.matrix.timestamps[1] - fine.matrix.timestamps[0]).toBe(5);
  });

  it('counts every attempt once: attempts = successful + failed in every step of every scenario', () => {
    for (const sim of [nominal, packetLoss, overload, stress]) {
      sim.kpi.attempts.forEach((a, i) => expect(sim.kpi.successful[i] + sim.kpi.failed[i]).toBe(a));
    }
  });

  it('fails no call in nominal operation without restarts', () => {
    expect(sum(nominal.kpi.attempts)).toBeGreaterThan(400000);
    expect(sum(nominal.kpi.failed)).toBe(0);
  });

  it('fails the calls that arrive while a container on the call path restarts', () => {
    const sim = simulate({ seed: 7, hours: 24 });
    expect(sim.truth.restarts).toEqual([{ t: 1584376920, container: 'cassandra' }]);
    const i = Array.from(sim.matrix.timestamps).indexOf(1584376920);
    // Cassandra takes 40 s to come back: more than the whole step's attempts at 16:42 fail.
    expect(sim.kpi.failed[i]).toBe(sim.kpi.attempts[i]);
  });

  it('fails half the calls when half the INVITE acknowledgements are blocked', () => {
    const share = sum(packetLoss.kpi.failed) / sum(packetLoss.kpi.attempts);
    // Each call's ACK is blocked with probability 1/2: the share is 1/2 up to sampling (~0.1% here).
    expect(share).toBeGreaterThan(0.49);
    expect(share).toBeLessThan(0.51);
    expect(packetLoss.truth.faultActive.every((x) => x === 1)).toBe(true);
  });

  it('fails at most a handful of calls per step under overload, at the busy hours only', () => {
    // A handful: under 2% of any step's attempts (18 of 1,135 at the worst step of seed 7), 0.1% of the day's.
    const { failed, attempts } = overload.kpi;
    expect(Math.max(...Array.from(failed, (f, i) => f / Math.max(1, attempts[i])))).toBeLessThan(0.02);
    expect(sum(failed) / sum(attempts)).toBeLessThan(0.001);
    expect(sum(overload.kpi.failed)).toBeGreaterThan(0);
    expect(meanOver(overload, overload.kpi.failed, 0, 6)).toBe(0);
  });

  it('retransmits through the P-CSCF and S-CSCF under packet loss, leaving the HSS and XDMS traffic unchanged', () => {
    for (const [pod, least] of [
      ['bono', 1.25],
      ['sprout', 1.1],
    ] as const) {
      for (const dir of ['receive', 'transmit'] as const) {
        const ratio =
          meanOver(packetLoss, increments(column(packetLoss, packets(pod, dir))), 9, 12) /
          meanOver(nominal, increments(column(nominal, packets(pod, dir))), 9, 12);
        expect(ratio).toBeGreaterThan(least);
      }
    }
    // The same calls are set up (paired streams): the pods the ACK never reaches see the same messages.
    for (const pod of ['homestead', 'homer', 'cassandra']) {
      expect(
        firstDifference(column(packetLoss, packets(pod, 'receive')), column(nominal, packets(pod, 'receive')))
      ).toBe(-1);
    }
  });

  it('raises CPU, network and memory across the pods on the call path under overload', () => {
    for (const pod of ['bono', 'sprout', 'homestead', 'ralf', 'homer', 'astaire', 'chronos', 'cassandra']) {
      const ratio = (name: string, counter: boolean) => {
        const f = (s: Simulation) => (counter ? increments(column(s, name)) : column(s, name));
        return meanOver(overload, f(overload), 9, 12) / meanOver(nominal, f(nominal), 9, 12);
      };
      expect(ratio(cpu(pod), true)).toBeGreaterThan(1.4);
      expect(ratio(packets(pod, 'receive'), true)).toBeGreaterThan(2);
      if (pod !== 'cassandra') {
        // Cassandra's heap is committed once (-Xms = -Xmx): more work does not show in its memory.
        expect(ratio(workingSet(pod), false)).toBeGreaterThan(1.05);
      }
    }
  });

  it('leaves ellis and etcd, which no call touches, exactly as in the nominal run', () => {
    for (const pod of ['ellis', 'etcd']) {
      for (const name of [cpu(pod), workingSet(pod), packets(pod, 'receive')]) {
        expect(firstDifference(column(overload, name), column(nominal, name))).toBe(-1);
      }
    }
  });

  it('steps the stress level from 10% to 80% every 450 s over one hour starting at 10:00, then none', () => {
    const level = stress.truth.stressLevel!;
    const first = (10 * HOUR) / 30; // the sample at 10:00:30 covers 10:00:00-10:00:30
    level.forEach((x, i) => {
      const k = i - first;
      expect(x).toBeCloseTo(k >= 0 && k < 120 ? 0.1 * (1 + Math.floor(k / 15)) : 0, 12);
      expect(stress.truth.faultActive[i]).toBe(k >= 0 && k < 120 ? 1 : 0);
    });
    expect(nominal.truth.stressLevel).toBeUndefined();
  });

  it("adds 32 stress workers' CPU time to bono's counters, and their contention to its own work", () => {
    const level = stress.truth.stressLevel!;
    const own = {
      user: increments(column(nominal, cpu('bono', 'user'))),
      system: increments(column(nominal, cpu('bono', 'system'))),
    };
    const got = {
      user: increments(column(stress, cpu('bono', 'user'))),
      system: increments(column(stress, cpu('bono', 'system'))),
    };
    for (let i = 1; i < level.length; i++) {
      // stress-ng runs 32 workers at `level` of a CPU each for 30 s, 97% in user space; the shared
      // cores and caches make bono's own work cost 35% x level more.
      const workers = 32 * level[i] * 30;
      expect(got.user[i]).toBeCloseTo(own.user[i] * (1 + 0.35 * level[i]) + 0.97 * workers, 4);
      expect(got.system[i]).toBeCloseTo(own.system[i] * (1 + 0.35 * level[i]) + 0.03 * workers, 4);
    }
  });

  it("returns bono's CPU to the nominal run's as soon as the stress hour ends", () => {
    const end = (11 * HOUR) / 30;
    const a = increments(column(stress, cpu('bono')));
    const b = increments(column(nominal, cpu('bono')));
    for (let i = end; i < a.length; i++) {
      expect(a[i]).toBeCloseTo(b[i], 5);
    }
  });

  it('repeats a GC saw-tooth in the HSS memory with a burst of page faults at each collection', () => {
    const ws = column(nominal, workingSet('homestead'));
    const faults = increments(column(nominal, pageFaults('homestead')));
    const collections: number[] = [];
    for (let i = 1; i < ws.length; i++) {
      if (ws[i] < 0.85 * ws[i - 1]) {
        collections.push(i);
      }
    }
    // A collection every few minutes at the busy hour, every half hour or so at night.
    expect(collections.length).toBeGreaterThan(100);
    expect(collections.length).toBeLessThan(800);
    const atCollections = collections.map((i) => faults[i]).sort((x, y) => x - y);
    const others = Array.from(faults.slice(1))
      .filter((_, i) => !collections.includes(i + 1))
      .sort((x, y) => x - y);
    expect(atCollections[atCollections.length >> 1]).toBeGreaterThan(others[others.length >> 1]);
  });
});

describe('output', () => {
  it('writes a wide CSV that the CSV reader of the pipeline reads back unchanged', () => {
    const sim = simulate({ seed: 6, hours: 0.5 });
    const back = parseWideCsv(formatWideCsv(sim.matrix), { source: 'sim.csv' });
    expect(back.features).toEqual(sim.matrix.features);
    expect(firstDifference(back.timestamps, sim.matrix.timestamps)).toBe(-1);
    back.columns.forEach((c, j) => expect(firstDifference(c, sim.matrix.columns[j])).toBe(-1));
  });
});

describe('counters', () => {
  it('only decrease where their container restarted; pod network counters never decrease', () => {
    const sim = simulate({ seed: 3, hours: 48, restartsPerWeek: 15 });
    expect(sim.truth.restarts.length).toBeGreaterThan(10);
    let drops = 0;
    sim.matrix.features.forEach((name, j) => {
      const { metric, labels } = parseSeriesName(name);
      if (!metric.endsWith('_total')) {
        return;
      }
      const c = sim.matrix.columns[j];
      for (let i = 1; i < c.length; i++) {
        if (c[i] < c[i - 1]) {
          drops++;
          expect(metric).not.toMatch(/network/);
          expect(sim.truth.restarts).toContainEqual({ t: sim.matrix.timestamps[i], container: labels.container });
        }
      }
    });
    for (const r of sim.truth.restarts) {
      const i = Array.from(sim.matrix.timestamps).indexOf(r.t);
      const c = column(sim, cpu(r.container));
      expect(c[i]).toBeLessThan(c[i - 1]);
    }
    expect(drops).toBeGreaterThan(sim.truth.restarts.length);
  });
});

describe('call profile', () => {
  it('is busier at the busy hours than at night, and on weekdays than at weekends', () => {
    const week = simulate({ seed: 11, hours: 7 * 24, stepSeconds: 300, restartsPerWeek: 0 });
    const perDay = Array.from({ length: 7 }, (_, d) => sum(week.kpi.attempts.slice(d * 288, (d + 1) * 288)));
    // Profiles: a Saturday carries 71% of a weekday's calls, a Sunday 56%; days vary by ~4% on their own.
    const weekend = Math.max(perDay[5], perDay[6]);
    for (let d = 0; d < 5; d++) {
      expect(perDay[d]).toBeGreaterThan(1.15 * weekend);
    }
    expect(perDay[5]).toBeGreaterThan(perDay[6]);
    const monday = { ...week, matrix: { ...week.matrix, timestamps: week.matrix.timestamps.slice(0, 288) } };
    const attempts = week.kpi.attempts.slice(0, 288);
    expect(meanOver(monday, attempts, 10, 12)).toBeGreaterThan(8 * meanOver(monday, attempts, 2, 5));
  });
});

describe('createSimulator', () => {
  it('steps through the same samples as simulate', () => {
    const batch = simulate({ seed: 5, hours: 1, scenario: 'overload' });
    const live = createSimulator({ seed: 5, scenario: 'overload' });
    expect(live.features).toEqual(batch.matrix.features);
    batch.matrix.timestamps.forEach((t, i) => {
      const s = live.step();
      expect(s.t).toBe(t);
      expect(
        firstDifference(
          s.values,
          Float64Array.from(batch.matrix.columns, (c) => c[i])
        )
      ).toBe(-1);
    });
  });

  it('starts the new scenario with the step after setScenario', () => {
    const live = createSimulator({ seed: 5, start: DEFAULT_START + 11 * HOUR });
    const failed = live.features.indexOf('sipp_failed_calls');
    const attempts = live.features.indexOf('sipp_call_attempts');
    for (let i = 0; i < 10; i++) {
      const s = live.step();
      expect(s.faultActive).toBe(false);
      expect(s.values[failed]).toBe(0);
    }
    live.setScenario('packet-loss');
    for (let i = 0; i < 10; i++) {
      const s = live.step();
      expect(s.faultActive).toBe(true);
      expect(s.values[failed]).toBeGreaterThan(0.3 * s.values[attempts]);
    }
  });

  it('ends packet loss and overload after faultHours, the calls failing only in between', () => {
    const sim = simulate({
      seed: 4,
      hours: 5,
      start: DEFAULT_START + 8 * HOUR,
      scenario: 'packet-loss',
      faultStartHours: 2,
      faultHours: 1,
      restartsPerWeek: 0,
    });
    sim.matrix.timestamps.forEach((t, i) => {
      const inFault = t > DEFAULT_START + 10 * HOUR && t <= DEFAULT_START + 11 * HOUR;
      expect(sim.truth.faultActive[i]).toBe(inFault ? 1 : 0);
      if (inFault) {
        expect(sim.kpi.failed[i]).toBeGreaterThan(0.3 * sim.kpi.attempts[i]);
      } else {
        expect(sim.kpi.failed[i]).toBe(0);
      }
    });
  });

  it('agrees with itself across step sizes: a 5 s step gives the same rates as a 30 s step', () => {
    const rate = (stepSeconds: number) => {
      const sim = simulate({ seed: 2, hours: 2, stepSeconds, start: DEFAULT_START + 9 * HOUR, restartsPerWeek: 0 });
      const c = column(sim, packets('sprout', 'receive'));
      return (c[c.length - 1] - c[0]) / (sim.matrix.timestamps[c.length - 1] - sim.matrix.timestamps[0]);
    };
    expect(rate(5) / rate(30)).toBeCloseTo(1, 1);
  });

  it.each([
    [{ seed: NaN }, /seed/],
    [{ seed: 1, scenario: 'flood' as Scenario }, /unknown scenario "flood"; use one of nominal, packet-loss/],
    [{ seed: 1, stepSeconds: 0 }, /stepSeconds must be positive/],
    [{ seed: 1, faultStartHours: -1 }, /faultStartHours must be >= 0/],
    [{ seed: 1, faultHours: 0 }, /faultHours must be positive/],
  ])('rejects bad options %p with a message that says what to use', (options, message) => {
    expect(() => createSimulator(options)).toThrow(SyrrocaError);
    expect(() => createSimulator(options)).toThrow(message);
  });

  it('rejects a range that holds no step', () => {
    expect(() => simulate({ seed: 1, hours: 0 })).toThrow(/hours must be positive/);
    expect(() => simulate({ seed: 1, hours: 0.001 })).toThrow(/hold no step of 30 s/);
  });
});
