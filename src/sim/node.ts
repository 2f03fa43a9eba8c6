/**
 * node-exporter on the worker node that runs the vIMS (32 CPUs, 384 GiB, one SSD, one NIC). The
 * node's numbers are the pods' numbers plus what the host itself does: kubelet, containerd and the
 * exporters, kernel packet processing, host logs rotated daily, the page cache of images. CPU time
 * is summed over the 32 CPUs (what `sum without (cpu)` gives), so the series count stays small.
 */
import type { Container } from './container';
import { NODE_CPUS, NODE_DISK_BYTES, NODE_INSTANCE, NODE_MEMORY_BYTES } from './platform';
import type { Random } from './random';
import type { Traffic } from './traffic';

const GB = 2 ** 30;
const DAY = 86400;

export interface NodeLoad {
  containers: Container[];
  traffic: Traffic;
  /** Context switches of foreign processes (stress-ng sleeping and waking to hold its load level). */
  contextSwitches: number;
}

export class NodeExporter {
  private idle = 0;
  private user = 0;
  private system = 0;
  private iowait = 0;
  private irq = 0;
  private softirq = 0;
  private switches = 0;
  private load1 = 0;
  private load5 = 0;
  private memAvailable = 0;
  private memFree = 0;
  private cached = 0;
  private buffers = 0.6 * GB;
  private rxBytes = 0;
  private txBytes = 0;
  private rxPackets = 0;
  private txPackets = 0;
  private rxDrop = 0;
  private txDrop = 0;
  private readBytes = 0;
  private writtenBytes = 0;
  private reads = 0;
  private writes = 0;
  private ioTime = 0;
  private fsAvail = 0;
  private hostDrift = 0;
  private cacheDrift = 0;
  private hostLogs = 0;
  private day = NaN;

  constructor(private readonly rng: Random) {}

  advance(load: NodeLoad, dt: number, t: number): void {
    const rng = this.rng;
    const { containers, traffic } = load;
    const phi = Math.exp(-dt / 1800);
    this.hostDrift = phi * this.hostDrift + Math.sqrt(1 - phi * phi) * 0.08 * rng.normal();
    const slow = Math.exp(-dt / 21600);
    this.cacheDrift = slow * this.cacheDrift + Math.sqrt(1 - slow * slow) * 0.25 * GB * rng.normal();

    let podUser = 0;
    let podSystem = 0;
    let podPackets = 0;
    let rss = 0;
    let cache = 0;
    let fsUsage = 0;
    let readBytes = 0;
    let writtenBytes = 0;
    let reads = 0;
    let writes = 0;
    for (const c of containers) {
      podUser += c.last.user;
      podSystem += c.last.system;
      rss += c.residentBytes;
      cache += c.cacheBytes;
      fsUsage += c.fsUsage;
      readBytes += c.last.readBytes;
      writtenBytes += c.last.writtenBytes;
      reads += c.last.reads;
      writes += c.last.writes;
    }
    for (let p = 0; p < containers.length; p++) {
      podPackets += traffic.rxPackets[p] + traffic.txPackets[p];
    }
    const nicPackets = traffic.nicRxPackets + traffic.nicTxPackets;

    // Host logs (journald, kubelet, containerd) grow through the day and are rotated at midnight.
    const day = Math.floor(t / DAY);
    if (day !== this.day) {
      this.hostLogs = 0.2 * this.hostLogs;
      this.day = day;
    }
    const hostWritten = 22000 * dt * Math.exp(0.1 * rng.normal());
    this.hostLogs += hostWritten;
    const hostWrites = rng.poisson(2 * dt);
    readBytes += rng.poisson(0.002 * dt) * 65536;
    reads += rng.poisson(0.002 * dt);
    writtenBytes += hostWritten;
    writes += hostWrites;

    // CPU, summed over the CPUs: pods, host daemons, kernel packet and disk work; the rest is idle.
    const hostUser = 0.18 * dt * Math.exp(this.hostDrift + 0.05 * rng.normal());
    const hostSystem = 0.1 * dt * Math.exp(this.hostDrift + 0.05 * rng.normal());
    const softirq = 4e-6 * nicPackets + 2e-6 * podPackets + 0.004 * dt;
    const irq = 6e-7 * nicPackets + 0.002 * dt;
    const iowait = 1e-4 * (reads + writes);
    const user = podUser + hostUser;
    const system = podSystem + hostSystem;
    this.user += user;
    this.system += system;
    this.softirq += softirq;
    this.irq += irq;
    this.iowait += iowait;
    this.idle += Math.max(0, NODE_CPUS * dt - user - system - softirq - irq - iowait);
    this.switches += Math.round(
      (3000 * dt + 2 * (traffic.messages.reduce((a, b) => a + b, 0) + nicPackets) + load.contextSwitches) *
        Math.exp(0.03 * rng.normal())
    );
    // Load average: runnable plus uninterruptible tasks, exponentially damped over 1 and 5 minutes.
    const running = (user + system + softirq + iowait) / dt + 0.3 * rng.normal();
    const e1 = Math.exp(-dt / 60);
    const e5 = Math.exp(-dt / 300);
    this.load1 = Math.max(0, e1 * this.load1 + (1 - e1) * running);
    this.load5 = Math.max(0, e5 * this.load5 + (1 - e5) * running);

    const hostUsed = 5.4 * GB * Math.exp(0.01 * this.hostDrift);
    const otherCache = 18 * GB + this.cacheDrift + this.hostLogs;
    this.buffers += (0.6 * GB - this.buffers) * (1 - phi) + 2e6 * rng.normal();
    this.cached = cache + otherCache;
    this.memFree = NODE_MEMORY_BYTES - rss * 1.02 - this.cached - hostUsed - this.buffers;
    this.memAvailable = this.memFree + 0.85 * this.cached + this.buffers;

    this.rxBytes += Math.round(traffic.nicRxBytes);
    this.txBytes += Math.round(traffic.nicTxBytes);
    this.rxPackets += Math.round(traffic.nicRxPackets);
    this.txPackets += Math.round(traffic.nicTxPackets);
    // Frames for protocols nobody listens to (LLDP, stray multicast) are counted as receive drops.
    this.rxDrop += rng.poisson(0.05 * dt);

    this.readBytes += Math.round(readBytes);
    this.writtenBytes += Math.round(writtenBytes);
    this.reads += reads;
    this.writes += writes;
    this.ioTime += 2e-4 * (reads + writes) + (readBytes + writtenBytes) / 450e6;
    this.fsAvail = 0.95 * NODE_DISK_BYTES - 212e9 - fsUsage - this.hostLogs;
  }

  /** Scales the counters as if the node had been up `factor` times longer than it has. */
  extendUptime(factor: number): void {
    for (const k of [
      'idle',
      'user',
      'system',
      'iowait',
      'irq',
      'softirq',
      'switches',
      'rxBytes',
      'txBytes',
      'rxPackets',
      'txPackets',
      'rxDrop',
      'txDrop',
      'readBytes',
      'writtenBytes',
      'reads',
      'writes',
      'ioTime',
    ] as const) {
      this[k] *= factor;
    }
  }

  write(out: Float64Array, at: number): void {
    const cs = (x: number) => Math.round(x * 100) / 100; // /proc/stat counts in 10 ms ticks
    const int = Math.round;
    const page = (x: number) => Math.round(x / 4096) * 4096;
    const values = [
      int(this.switches),
      cs(this.idle),
      cs(this.iowait),
      cs(this.irq),
      cs(this.softirq),
      cs(this.system),
      cs(this.user),
      Math.round(this.ioTime * 1000) / 1000,
      int(this.readBytes),
      int(this.reads),
      int(this.writes),
      int(this.writtenBytes),
      page(this.fsAvail),
      Math.round(this.load1 * 100) / 100,
      Math.round(this.load5 * 100) / 100,
      page(this.buffers),
      page(this.cached),
      page(this.memAvailable),
      page(this.memFree),
      int(this.rxBytes),
      int(this.rxDrop),
      int(this.rxPackets),
      int(this.txBytes),
      int(this.txDrop),
      int(this.txPackets),
    ];
    out.set(values, at);
  }
}

/** Metric names and labels of the node's series, in `write` order. */
export function nodeSeries(): Array<[string, Record<string, string>]> {
  const instance = NODE_INSTANCE;
  const cpu = (mode: string): [string, Record<string, string>] => ['node_cpu_seconds_total', { instance, mode }];
  const disk = { instance, device: 'sda' };
  const nic = { instance, device: 'eno1' };
  return [
    ['node_context_switches_total', { instance }],
    cpu('idle'),
    cpu('iowait'),
    cpu('irq'),
    cpu('softirq'),
    cpu('system'),
    cpu('user'),
    ['node_disk_io_time_seconds_total', disk],
    ['node_disk_read_bytes_total', disk],
    ['node_disk_reads_completed_total', disk],
    ['node_disk_writes_completed_total', disk],
    ['node_disk_written_bytes_total', disk],
    ['node_filesystem_avail_bytes', { instance, device: '/dev/sda1', fstype: 'ext4', mountpoint: '/' }],
    ['node_load1', { instance }],
    ['node_load5', { instance }],
    ['node_memory_Buffers_bytes', { instance }],
    ['node_memory_Cached_bytes', { instance }],
    ['node_memory_MemAvailable_bytes', { instance }],
    ['node_memory_MemFree_bytes', { instance }],
    ['node_network_receive_bytes_total', nic],
    ['node_network_receive_drop_total', nic],
    ['node_network_receive_packets_total', nic],
    ['node_network_transmit_bytes_total', nic],
    ['node_network_transmit_drop_total', nic],
    ['node_network_transmit_packets_total', nic],
  ];
}
