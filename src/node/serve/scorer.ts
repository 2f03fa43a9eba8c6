/**
 * The exporter's schedule: at every step boundary, fetch the last window of every feature and
 * score every group with the same `scoreGroups` as the CLI. Steps never overlap (a slow step
 * makes the next one wait, it does not pile up), and a failed step withdraws the scores instead of
 * leaving the previous ones to look fresh.
 */
import { SyrrocaError } from '../../core/errors';
import { scoreGroups, type ScoringModel } from '../../core/pipeline';
import type { FeatureMatrix, GroupScore } from '../../core/types';
import type { ExporterMetrics } from './metrics';

/** Fetches raw series over a range (the exporter passes the Prometheus client and the models' query set). */
export type WindowSource = (range: { start: number; end: number; step: number }, signal: AbortSignal) => Promise<FeatureMatrix>;

export interface ScorerOptions {
  source: WindowSource;
  /** The current models; read at each step so a reload takes effect at the next one. */
  models: () => { name: string; models: ScoringModel[] };
  metrics: ExporterMetrics;
  /** A step may take at most this long (fetch and score) before it is abandoned. */
  timeoutMs?: number;
  /** Seconds behind now that the window ends, so the scrape of the last step has landed. */
  lagSeconds?: number;
  log?: (line: string) => void;
  now?: () => number;
}

export interface StepOutcome {
  ok: boolean;
  at: number;
  latest: GroupScore[];
  error?: string;
}

export interface Scorer {
  /** Scores once now (the schedule calls this; tests call it directly). */
  step(): Promise<StepOutcome>;
  start(): void;
  stop(): Promise<void>;
  last(): StepOutcome | null;
}

export function createScorer(options: ScorerOptions): Scorer {
  const now = options.now ?? (() => Date.now() / 1000);
  const log = options.log ?? (() => {});
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<StepOutcome> | null = null;
  let inFlight: AbortController | null = null;
  let stopped = false;
  let lastOutcome: StepOutcome | null = null;

  const stepSeconds = () => Math.min(...options.models().models.map((m) => m.manifest.stepSeconds));

  async function step(): Promise<StepOutcome> {
    const { name, models } = options.models();
    const seconds = stepSeconds();
    const lag = options.lagSeconds ?? seconds;
    const end = Math.floor((now() - lag) / seconds) * seconds;
    // One extra step before the window: counters need the previous value for their first increment.
    const span = Math.max(...models.map((m) => m.manifest.window)) * seconds;
    const controller = new AbortController();
    inFlight = controller;
    const timeout = setTimeout(() => controller.abort(), options.timeoutMs ?? Math.max(5_000, seconds * 800));
    const started = process.hrtime.bigint();
    try {
      const data = await options.source({ start: end - span, end, step: seconds }, controller.signal);
      const { scores } = await scoreGroups(data, models, { allowExtraFeatures: true });
      const latest = models.map((m) => {
        const own = scores.filter((s) => s.group === m.manifest.group);
        const last = own[own.length - 1];
        if (!last || last.t !== end) {
          throw new SyrrocaError(
            'no-complete-window',
            `group "${m.manifest.group}": no complete window ending at ${new Date(end * 1000).toISOString()} (missing samples in Prometheus)`
          );
        }
        return last;
      });
      options.metrics.publish(name, latest);
      options.metrics.observeDuration(Number(process.hrtime.bigint() - started) / 1e9);
      lastOutcome = { ok: true, at: end, latest };
    } catch (err) {
      options.metrics.markDown();
      const message = controller.signal.aborted && !stopped ? 'scoring step timed out' : (err as Error).message;
      if (!lastOutcome || lastOutcome.ok || lastOutcome.error !== message) {
        log(`scoring failed: ${message}`);
      }
      lastOutcome = { ok: false, at: end, latest: [], error: message };
    } finally {
      clearTimeout(timeout);
      inFlight = null;
    }
    return lastOutcome;
  }

  function schedule(): void {
    if (stopped) {
      return;
    }
    const seconds = stepSeconds();
    timer = setTimeout(async () => {
      running = step();
      await running;
      running = null;
      schedule();
    }, (seconds - (now() % seconds)) * 1000);
  }

  return {
    step,
    start() {
      stopped = false;
      running = step().finally(() => {
        running = null;
        schedule();
      });
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      inFlight?.abort();
      await running;
    },
    last: () => lastOutcome,
  };
}
