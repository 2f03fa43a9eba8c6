/**
 * One container as cAdvisor sees it on a cgroup v2 node: CPU time split into user and system,
 * memory as anonymous (rss) plus page cache with the working set = rss + active file pages, page
 * faults from the cgroup's memory.stat (v2 statistics are hierarchical, so the `container` and
 * `hierarchy` scopes report the same counts), block I/O of the cgroup (v2 charges write-back to the
 * cgroup that dirtied the pages), and the usage of its writable layer. Network counters belong to
 * the pod's network namespace and survive a container restart; everything else starts again from zero.
 */
import { PAGE, type PodSpec } from './platform';
import type { Random } from './random';

/** What the container did during one step, as counts over the step (calls, subscribers: means). */
export interface ContainerLoad {
  messages: number;
  requests: number;
  writes: number;
  rxPackets: number;
  txPackets: number;
  rxBytes: number;
  txBytes: number;
  /** Calls in progress this container keeps state for. */
  calls: number;
  subscribers: number;
  /** Transactions in flight. */
  transactions: number;
  /** Extra log bytes (warnings about failed transactions). */
  logBytes: number;
  /** >= 1: CPU time per unit of work inflated by contention for cores and caches on the node. */
  contention: number;
  /** Processes that are not the service but run in its cgroup (stress-ng): CPU seconds, resident bytes, faults. */
  foreign: { user: number; system: number; rss: number; faults: number };
}

export const NO_FOREIGN = { user: 0, system: 0, rss: 0, faults: 0 };

/** Series of one container, in the order `write` emits them (see `containerSeries`). */
export const CONTAINER_SERIES = 21;

const HOUR = 3600;
const LOG_HOURS_KEPT = 24;
const AR_SECONDS = 1200;
const ROTATE_BYTES = 100 * 2 ** 20;

export class Container {
  // cgroup counters: reset at restart
  private user = 0;
  private system = 0;
  private faults = 0;
  private majorFaults = 0;
  private readBytes = 0;
  private writtenBytes = 0;
  private reads = 0;
  private writes = 0;
  // pod network namespace counters: survive restarts
  private rxBytes = 0;
  private txBytes = 0;
  private rxPackets = 0;
  private txPackets = 0;
  private rxDropped = 0;
  private txDropped = 0;
  // memory state
  private age = 0;
  private held = 0;
  private heap = 0;
  private committed = 0;
  private libraryCache = 0;
  /** Database pages in the node's page cache: they outlast the container. */
  private dataResident = 0;
  /** ... of which charged to this container's cgroup (it read or wrote them), and mapped by its process. */
  private dataCache = 0;
  private dataMapped = 0;
  private rss = 0;
  private cache = 0;
  private workingSet = 0;
  // files: the current log, hourly rotated logs, database files
  private currentLog = 0;
  private oldLogs: number[] = [];
  private hour = NaN;
  private data = 0;
  private memtable = 0;
  private sstables: number[] = [];
  private sinceSnapshot = 0;
  private drift = 0;
  private readonly probePhase: number;

  /** Increments of the current step, for the node's totals. */
  readonly last = { user: 0, system: 0, readBytes: 0, writtenBytes: 0, reads: 0, writes: 0 };

  constructor(
    readonly spec: PodSpec,
    private readonly rng: Random
  ) {
    this.probePhase = rng.uniform() / spec.probesPerSecond;
    const st = spec.storage;
    if (st) {
      // Database files live in a volume of the pod: they outlast container restarts.
      this.data = st.dataBytes;
      this.sstables = st.kind === 'lsm' ? [0.4, 0.3, 0.2, 0.1].map((f) => f * st.dataBytes) : [];
    }
    this.restart();
  }

  get residentBytes(): number {
    return this.rss;
  }
  get cacheBytes(): number {
    return this.cache;
  }
  get fsUsage(): number {
    return this.spec.baseFsUsage + this.currentLog + this.oldLogs.reduce((a, b) => a + b, 0);
  }

  beginStep(): void {
    Object.assign(this.last, { user: 0, system: 0, readBytes: 0, writtenBytes: 0, reads: 0, writes: 0 });
  }

  /**
   * A new container in the same pod (first start, crash, OOM kill, failed liveness probe): cgroup
   * counters from what the start itself costs, cold memory, a fresh writable layer.
   */
  restart(): void {
    const s = this.spec.start;
    const reads = Math.ceil(s.readBytes / 131072);
    this.user = 0.8 * s.cpu;
    this.system = 0.2 * s.cpu;
    this.faults = s.faults;
    this.majorFaults = s.majorFaults;
    this.readBytes = s.readBytes;
    this.reads = reads;
    this.writtenBytes = this.writes = 0;
    this.last.user += 0.8 * s.cpu;
    this.last.system += 0.2 * s.cpu;
    this.last.readBytes += s.readBytes;
    this.last.reads += reads;
    this.age = 0;
    this.held = this.heap = this.committed = 0;
    // Pages the old container brought in stay cached but stay charged to its (removed) cgroup.
    this.dataCache = this.dataMapped = 0;
    this.currentLog = 0;
    this.oldLogs = [];
    // Binaries and libraries read at start stay mapped: file pages, all active.
    this.libraryCache = s.readBytes;
  }

  /** Scales the counters as if the container had been up `factor` times longer than it has. */
  extendUptime(factor: number): void {
    this.user *= factor;
    this.system *= factor;
    this.faults = Math.round(this.faults * factor);
    this.majorFaults = Math.round(this.majorFaults * factor);
    this.readBytes = Math.round(this.readBytes * factor);
    this.writtenBytes = Math.round(this.writtenBytes * factor);
    this.reads = Math.round(this.reads * factor);
    this.writes = Math.round(this.writes * factor);
    this.rxBytes = Math.round(this.rxBytes * factor);
    this.txBytes = Math.round(this.txBytes * factor);
    this.rxPackets = Math.round(this.rxPackets * factor);
    this.txPackets = Math.round(this.txPackets * factor);
    this.rxDropped = Math.round(this.rxDropped * factor);
    this.txDropped = Math.round(this.txDropped * factor);
    this.age *= factor;
  }

  /** Advances `dt` seconds ending at unix time `t`. */
  advance(load: ContainerLoad, dt: number, t: number): void {
    const spec = this.spec;
    const rng = this.rng;
    this.age += dt;
    const phi = Math.exp(-dt / AR_SECONDS);
    this.drift = phi * this.drift + Math.sqrt(1 - phi * phi) * 0.05 * rng.normal();

    // Memory: the process's own state, then how its allocator turns that into resident pages.
    const state =
      spec.perCall * load.calls + spec.perSubscriber * load.subscribers + spec.perTransaction * load.transactions;
    const warm = 1 - 0.35 * Math.exp(-this.age / 600);
    let faults = 0;
    let gcCpu = 0;
    const m = spec.memory;
    if (m.kind === 'native') {
      if (state > this.held) {
        faults += (state - this.held) / PAGE;
        this.held = state;
      } else if (Number.isFinite(m.releaseSeconds)) {
        this.held -= (this.held - state) * (1 - Math.exp(-dt / m.releaseSeconds));
      }
      this.committed = this.held;
    } else if (m.kind === 'collected') {
      const live = m.liveBytes * warm + state;
      const trigger = live * (1 + m.gcRatio);
      let alloc = (m.allocPerRequest * load.requests + 4096 * dt) * Math.exp(0.1 * rng.normal());
      this.heap = Math.max(this.heap, live);
      for (;;) {
        if (this.heap > this.committed) {
          faults += (this.heap - this.committed) / PAGE;
          this.committed = this.heap;
        }
        if (alloc <= 0) {
          break;
        }
        const grow = Math.min(alloc, trigger - this.heap);
        this.heap += grow;
        alloc -= grow;
        if (this.heap >= trigger) {
          // Collection: survivors are copied into fresh pages, then memory above the kept headroom goes back to the OS.
          faults += (0.3 * live) / PAGE;
          gcCpu += 2e-9 * live;
          this.heap = live;
          this.committed = Math.max(live, Math.min(this.committed, live * (1 + m.keepRatio)));
        }
      }
    } else {
      const alloc = m.allocPerRequest * load.requests + 1e6 * dt;
      const touch = Math.min(alloc, m.heapBytes - this.committed);
      faults += touch / PAGE;
      this.committed += touch;
      gcCpu += 3e-10 * alloc;
    }

    // Files: logs rotated every hour (or at 100 MB), 24 hours kept; database files.
    const hour = Math.floor(t / HOUR);
    const logBytes = spec.logBytesPerMessage * load.messages + load.logBytes;
    this.currentLog += logBytes;
    if (hour !== this.hour || this.currentLog > ROTATE_BYTES) {
      if (!Number.isNaN(this.hour)) {
        this.oldLogs.push(this.currentLog);
        this.currentLog = 0;
        if (this.oldLogs.length > LOG_HOURS_KEPT) {
          this.oldLogs.shift();
        }
      }
      this.hour = hour;
    }
    let written = logBytes;
    let writeOps = this.rng.poisson((dt / 5) * (1 + logBytes / dt / 104858));
    let read = 0;
    let readOps = 0;
    let majorFaults = this.rng.poisson(2e-5 * dt);
    const st = spec.storage;
    if (st?.kind === 'lsm') {
      const rowReads = Math.round(load.requests - load.writes);
      const misses = this.rng.binomial(rowReads, 1 - Math.min(1, this.dataResident / this.data));
      // Data files are mmap'd: a row that is not cached is a major fault and a read from disk; a
      // cached row this process has not mapped yet is a minor fault.
      majorFaults += misses;
      read += misses * st.rowBytes;
      readOps += misses;
      const firstTouches = this.rng.binomial(
        rowReads - misses,
        1 - Math.min(1, this.dataMapped / Math.max(this.dataResident, 1))
      );
      faults += (firstTouches * st.rowBytes) / PAGE;
      this.dataResident += misses * st.rowBytes;
      this.dataCache += misses * st.rowBytes;
      this.dataMapped += (misses + firstTouches) * st.rowBytes;
      const logged = load.writes * st.bytesPerWrite;
      this.memtable += logged;
      written += logged;
      writeOps += this.rng.poisson(dt / 10); // commit log sync every 10 s
      if (this.memtable >= st.memtableBytes) {
        // Registration rows are overwritten: a table holds at most one version of each subscriber's row.
        const distinct = load.subscribers * st.bytesPerWrite;
        const sstable = Math.min(0.4 * this.memtable, distinct);
        this.memtable = 0;
        this.sstables.push(sstable);
        written += sstable;
        writeOps += Math.ceil(sstable / 1048576);
        this.dataResident += sstable;
        this.dataCache += sstable;
        this.dataMapped += sstable;
        const small = this.sstables.filter((x) => x < 0.05 * st.dataBytes);
        if (small.length >= 4) {
          // Size-tiered compaction: merge the small tables, reading what is not cached from disk.
          const merged = small.reduce((a, b) => a + b, 0);
          const uncached = merged * (1 - Math.min(1, this.dataResident / (this.data + sstable)));
          this.sstables = this.sstables.filter((x) => x >= 0.05 * st.dataBytes);
          const compacted = Math.min(merged, distinct);
          this.sstables.push(compacted);
          read += uncached;
          readOps += Math.ceil(uncached / 1048576);
          written += compacted;
          writeOps += Math.ceil(compacted / 1048576);
          gcCpu += 2e-8 * merged;
        }
        this.data = this.sstables.reduce((a, b) => a + b, 0);
      }
      this.dataResident = Math.min(this.data, this.dataResident);
      this.dataCache = Math.min(this.dataResident, this.dataCache);
      this.dataMapped = Math.min(this.dataResident, this.dataMapped);
    } else if (st?.kind === 'wal') {
      written += load.writes * st.bytesPerWrite;
      writeOps += 2 * load.writes; // append and fsync
      this.sinceSnapshot += load.writes;
      if (this.sinceSnapshot >= st.snapshotEvery) {
        this.sinceSnapshot = 0;
        written += this.data;
        writeOps += Math.ceil(this.data / 1048576);
      }
    }

    // CPU: the work of the step, inflated by contention, with noise that has a slow component.
    // The kubelet runs probes on a fixed period, at a phase of its own for each container.
    const period = 1 / spec.probesPerSecond;
    const probes = Math.floor((t - this.probePhase) / period) - Math.floor((t - dt - this.probePhase) / period);
    const noise = Math.exp(this.drift + 0.03 * rng.normal());
    const user =
      (spec.baseCores * dt + spec.userPerMessage * load.messages + 0.015 * probes + gcCpu) * load.contention * noise +
      load.foreign.user;
    const packets = load.rxPackets + load.txPackets;
    const system =
      (0.4 * spec.baseCores * dt + spec.systemPerPacket * packets + 0.01 * probes + 3e-5 * (writeOps + readOps)) *
        load.contention *
        noise +
      load.foreign.system;
    // Each exec probe forks a shell and its tools inside the cgroup: a few thousand minor faults.
    faults += probes * (2600 + 150 * rng.normal()) + 0.02 * load.messages + load.foreign.faults;

    this.user += user;
    this.system += system;
    this.faults += Math.max(0, Math.round(faults));
    this.majorFaults += majorFaults;
    this.readBytes += Math.round(read);
    this.writtenBytes += Math.round(written);
    this.reads += readOps;
    this.writes += writeOps;
    this.last.user += user;
    this.last.system += system;
    this.last.readBytes += read;
    this.last.writtenBytes += written;
    this.last.reads += readOps;
    this.last.writes += writeOps;

    this.rxBytes += Math.round(load.rxBytes);
    this.txBytes += Math.round(load.txBytes);
    this.rxPackets += Math.round(load.rxPackets);
    this.txPackets += Math.round(load.txPackets);
    this.rxDropped += this.rng.poisson(2e-5 * dt);

    this.rss = spec.baseRss * warm + this.committed + (m.kind === 'jvm' ? m.offHeapBytes : 0) + load.foreign.rss;
    // Page cache: mapped binaries, database pages, then as much of the recent logs as the limit leaves room for.
    const logsOnDisk = this.fsUsage - spec.baseFsUsage;
    const room = Math.max(0, 0.9 * spec.memoryLimit - this.rss - this.libraryCache - this.dataCache);
    const logCache = Math.min(logsOnDisk, room);
    this.cache = this.libraryCache + this.dataCache + logCache;
    // Written-once log pages sit on the inactive list; mapped binaries and hot data pages are active.
    this.workingSet = this.rss * 1.02 + this.libraryCache + 0.7 * this.dataCache + 0.1 * logCache;
  }

  /** The container's series, in `containerSeries` order. */
  write(out: Float64Array, at: number): void {
    const usec = (x: number) => Math.round(x * 1e6) / 1e6;
    const page = (x: number) => Math.round(x / PAGE) * PAGE;
    out[at] = usec(usec(this.user) + usec(this.system));
    out[at + 1] = usec(this.user);
    out[at + 2] = usec(this.system);
    out[at + 3] = page(this.workingSet);
    out[at + 4] = page(this.rss);
    out[at + 5] = page(this.cache);
    // cgroup v2 memory.stat is hierarchical: both scopes read the same counter.
    out[at + 6] = out[at + 7] = this.faults;
    out[at + 8] = out[at + 9] = this.majorFaults;
    out[at + 10] = this.rxBytes;
    out[at + 11] = this.txBytes;
    out[at + 12] = this.rxPackets;
    out[at + 13] = this.txPackets;
    out[at + 14] = this.rxDropped;
    out[at + 15] = this.txDropped;
    out[at + 16] = this.readBytes;
    out[at + 17] = this.writtenBytes;
    out[at + 18] = this.reads;
    out[at + 19] = this.writes;
    out[at + 20] = page(this.fsUsage);
  }
}

/** Metric names and labels of a container's series, in `write` order. */
export function containerSeries(
  pod: string,
  container: string,
  namespace: string
): Array<[string, Record<string, string>]> {
  const c = { namespace, pod, container };
  const net = { namespace, pod, interface: 'eth0' };
  const fs = { ...c, device: '/dev/sda1' };
  return [
    ['container_cpu_usage_seconds_total', c],
    ['container_cpu_user_seconds_total', c],
    ['container_cpu_system_seconds_total', c],
    ['container_memory_working_set_bytes', c],
    ['container_memory_rss', c],
    ['container_memory_cache', c],
    ['container_memory_failures_total', { ...c, failure_type: 'pgfault', scope: 'container' }],
    ['container_memory_failures_total', { ...c, failure_type: 'pgfault', scope: 'hierarchy' }],
    ['container_memory_failures_total', { ...c, failure_type: 'pgmajfault', scope: 'container' }],
    ['container_memory_failures_total', { ...c, failure_type: 'pgmajfault', scope: 'hierarchy' }],
    ['container_network_receive_bytes_total', net],
    ['container_network_transmit_bytes_total', net],
    ['container_network_receive_packets_total', net],
    ['container_network_transmit_packets_total', net],
    ['container_network_receive_packets_dropped_total', net],
    ['container_network_transmit_packets_dropped_total', net],
    ['container_fs_reads_bytes_total', fs],
    ['container_fs_writes_bytes_total', fs],
    ['container_fs_reads_total', fs],
    ['container_fs_writes_total', fs],
    ['container_fs_usage_bytes', fs],
  ];
}
