/**
 * The Clearwater-style vIMS deployment: one pod per function, all on one worker node (as in the
 * paper's testbed), each with the parameters of its resource model. Numbers are orders of magnitude
 * an operator would recognise (a C++ SIP proxy spends ~1-2 ms of CPU per message, a JVM database
 * holds a committed heap, an exec liveness probe forks a shell every 10 s), not measurements.
 */

export const PODS = [
  'bono',
  'sprout',
  'homestead',
  'ralf',
  'homer',
  'ellis',
  'astaire',
  'chronos',
  'cassandra',
  'etcd',
] as const;
export type Pod = (typeof PODS)[number];

export const NAMESPACE = 'vims';
export const NODE_INSTANCE = 'server-1';
export const NODE_CPUS = 32;
export const NODE_MEMORY_BYTES = 384 * 2 ** 30;
export const NODE_DISK_BYTES = 900e9;
export const PAGE = 4096;
const MB = 2 ** 20;

/** How a process's heap turns into resident memory and page faults. */
export type MemoryModel =
  /** C/C++ or Python: freed memory stays in the allocator's arenas and is given back only slowly. */
  | { kind: 'native'; releaseSeconds: number }
  /**
   * A collected heap that returns memory to the OS after each collection (Go's scavenger, a JVM with
   * heap uncommit): a GC-driven saw-tooth of resident memory, and minor faults each time it regrows.
   */
  | { kind: 'collected'; liveBytes: number; gcRatio: number; keepRatio: number; allocPerRequest: number }
  /** A JVM with -Xms = -Xmx: the heap is touched once after start and stays resident; GC is invisible to RSS. */
  | { kind: 'jvm'; heapBytes: number; offHeapBytes: number; allocPerRequest: number };

/** A database on the container's writable layer. */
export type StorageModel =
  /**
   * Cassandra: a commit log synced every 10 s, memtables flushed to SSTables when full, size-tiered
   * compaction of every 4 SSTables; data files are read through the page cache (mmap).
   */
  | { kind: 'lsm'; dataBytes: number; memtableBytes: number; bytesPerWrite: number; rowBytes: number }
  /** etcd: each write appended to the WAL and fsynced; a snapshot of the store every `snapshotEvery` writes. */
  | { kind: 'wal'; dataBytes: number; bytesPerWrite: number; snapshotEvery: number };

export interface PodSpec {
  name: Pod;
  /** Idle threads, timers and housekeeping, in cores. */
  baseCores: number;
  /** User CPU seconds per application message handled (received or sent). */
  userPerMessage: number;
  /** Kernel CPU seconds per packet sent or received. */
  systemPerPacket: number;
  /** Cores the SIP worker pool can use: its utilization drives admission control (SIP pods only). */
  capacityCores?: number;
  memory: MemoryModel;
  /** Code, libraries and static data once warm. */
  baseRss: number;
  /** Bytes of state per call in progress, per registered subscriber, per transaction in flight. */
  perCall: number;
  perSubscriber: number;
  perTransaction: number;
  /** Hard-coded memory limit of the launch scripts: page cache is reclaimed before it. */
  memoryLimit: number;
  /** Log bytes written per application message handled. */
  logBytesPerMessage: number;
  /** Files of the writable layer that are not logs (runtime files, database data come on top). */
  baseFsUsage: number;
  /** Exec liveness/readiness probes per second (each forks a shell inside the container). */
  probesPerSecond: number;
  /** Seconds during which call attempts fail when this container restarts (0 = not on the call path). */
  downtime: number;
  /** What a start costs: CPU seconds, minor and major faults, bytes read. */
  start: { cpu: number; faults: number; majorFaults: number; readBytes: number };
  storage?: StorageModel;
}

const native = { kind: 'native', releaseSeconds: 7200 } as const;

export const POD_SPECS: PodSpec[] = [
  {
    name: 'bono',
    baseCores: 0.02,
    userPerMessage: 0.0008,
    systemPerPacket: 0.00008,
    capacityCores: 1.6,
    memory: native,
    baseRss: 110 * MB,
    perCall: 6144,
    perSubscriber: 1536,
    perTransaction: 16384,
    memoryLimit: 1024 * MB,
    logBytesPerMessage: 40,
    baseFsUsage: 35 * MB,
    probesPerSecond: 0.1,
    downtime: 4,
    start: { cpu: 1.5, faults: 28000, majorFaults: 300, readBytes: 12 * MB },
  },
  {
    name: 'sprout',
    baseCores: 0.03,
    userPerMessage: 0.0013,
    systemPerPacket: 0.00008,
    capacityCores: 2.2,
    memory: native,
    baseRss: 240 * MB,
    perCall: 8192,
    perSubscriber: 512,
    perTransaction: 24576,
    memoryLimit: 2048 * MB,
    logBytesPerMessage: 50,
    baseFsUsage: 40 * MB,
    probesPerSecond: 0.1,
    downtime: 6,
    start: { cpu: 3, faults: 45000, majorFaults: 500, readBytes: 25 * MB },
  },
  {
    name: 'homestead',
    baseCores: 0.015,
    userPerMessage: 0.0006,
    systemPerPacket: 0.00005,
    memory: { kind: 'collected', liveBytes: 120 * MB, gcRatio: 1, keepRatio: 0.25, allocPerRequest: 24576 },
    baseRss: 45 * MB,
    perCall: 0,
    perSubscriber: 2048,
    perTransaction: 0,
    memoryLimit: 1024 * MB,
    logBytesPerMessage: 40,
    baseFsUsage: 30 * MB,
    probesPerSecond: 0.1,
    downtime: 5,
    start: { cpu: 2, faults: 30000, majorFaults: 350, readBytes: 10 * MB },
  },
  {
    name: 'ralf',
    baseCores: 0.01,
    userPerMessage: 0.0005,
    systemPerPacket: 0.00005,
    memory: native,
    baseRss: 60 * MB,
    perCall: 2048,
    perSubscriber: 0,
    perTransaction: 8192,
    memoryLimit: 512 * MB,
    logBytesPerMessage: 30,
    baseFsUsage: 25 * MB,
    probesPerSecond: 0.1,
    downtime: 0,
    start: { cpu: 1, faults: 20000, majorFaults: 250, readBytes: 8 * MB },
  },
  {
    name: 'homer',
    baseCores: 0.01,
    userPerMessage: 0.0018,
    systemPerPacket: 0.00005,
    memory: { kind: 'native', releaseSeconds: 86400 },
    baseRss: 70 * MB,
    perCall: 0,
    perSubscriber: 0,
    perTransaction: 65536,
    memoryLimit: 512 * MB,
    logBytesPerMessage: 60,
    baseFsUsage: 45 * MB,
    probesPerSecond: 0.1,
    downtime: 0,
    start: { cpu: 2.5, faults: 35000, majorFaults: 600, readBytes: 20 * MB },
  },
  {
    name: 'ellis',
    baseCores: 0.006,
    userPerMessage: 0.002,
    systemPerPacket: 0.00005,
    memory: { kind: 'native', releaseSeconds: 86400 },
    baseRss: 90 * MB,
    perCall: 0,
    perSubscriber: 0,
    perTransaction: 65536,
    memoryLimit: 512 * MB,
    logBytesPerMessage: 80,
    baseFsUsage: 60 * MB,
    probesPerSecond: 0.1,
    downtime: 0,
    start: { cpu: 3, faults: 40000, majorFaults: 700, readBytes: 24 * MB },
  },
  {
    name: 'astaire',
    baseCores: 0.008,
    userPerMessage: 0.00015,
    systemPerPacket: 0.00005,
    // memcached's slab allocator never gives memory back.
    memory: { kind: 'native', releaseSeconds: Infinity },
    baseRss: 40 * MB,
    perCall: 1024,
    perSubscriber: 2560,
    perTransaction: 0,
    memoryLimit: 1024 * MB,
    logBytesPerMessage: 10,
    baseFsUsage: 20 * MB,
    probesPerSecond: 0.1,
    downtime: 3,
    start: { cpu: 0.5, faults: 15000, majorFaults: 150, readBytes: 5 * MB },
  },
  {
    name: 'chronos',
    baseCores: 0.012,
    userPerMessage: 0.0003,
    systemPerPacket: 0.00005,
    memory: native,
    baseRss: 40 * MB,
    perCall: 1024,
    perSubscriber: 768,
    perTransaction: 0,
    memoryLimit: 512 * MB,
    logBytesPerMessage: 40,
    baseFsUsage: 20 * MB,
    probesPerSecond: 0.1,
    downtime: 0,
    start: { cpu: 0.8, faults: 16000, majorFaults: 180, readBytes: 6 * MB },
  },
  {
    name: 'cassandra',
    baseCores: 0.06,
    userPerMessage: 0.00035,
    systemPerPacket: 0.00005,
    memory: { kind: 'jvm', heapBytes: 1024 * MB, offHeapBytes: 160 * MB, allocPerRequest: 65536 },
    baseRss: 130 * MB,
    perCall: 0,
    perSubscriber: 0,
    perTransaction: 0,
    memoryLimit: 3072 * MB,
    logBytesPerMessage: 4,
    baseFsUsage: 60 * MB,
    probesPerSecond: 0.1,
    downtime: 40,
    start: { cpu: 45, faults: 160000, majorFaults: 2500, readBytes: 180 * MB },
    storage: { kind: 'lsm', dataBytes: 220 * MB, memtableBytes: 32 * MB, bytesPerWrite: 900, rowBytes: 16384 },
  },
  {
    name: 'etcd',
    baseCores: 0.01,
    userPerMessage: 0.0002,
    systemPerPacket: 0.00005,
    memory: { kind: 'collected', liveBytes: 18 * MB, gcRatio: 1, keepRatio: 0.5, allocPerRequest: 12288 },
    baseRss: 22 * MB,
    perCall: 0,
    perSubscriber: 0,
    perTransaction: 0,
    memoryLimit: 512 * MB,
    logBytesPerMessage: 6,
    baseFsUsage: 15 * MB,
    probesPerSecond: 0.1,
    downtime: 0,
    start: { cpu: 0.6, faults: 9000, majorFaults: 120, readBytes: 30 * MB },
    storage: { kind: 'wal', dataBytes: 24 * MB, bytesPerWrite: 4096, snapshotEvery: 10000 },
  },
];

export function podIndex(name: Pod): number {
  return PODS.indexOf(name);
}
