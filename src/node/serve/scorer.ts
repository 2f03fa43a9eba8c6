/**
 * The exporter's schedule: at every step boundary, fetch the last window of every feature and
 * score every group with the same `scoreGroups` as the CLI. Steps never overlap (a slow step makes
 * the next one wait, it does not pile up); a group that cannot be scored is withdrawn instead of
 * leaving its previous values to look fresh, and the other groups are still published.
 */
import { SyrrocaError } from '../../core/errors';
import { scoreGroups, type ScoringModel } from '../../core/pipeline';
import type { FeatureMatrix, GroupScore } from '../../core/types';
import type { ExporterMetrics } from './metrics';

/** The features over a range, and the queries that matched nothing (to explain missing features). */
export type WindowSource = (
  range: { start: number; end: number; step: number },
  signal: AbortSignal
) => Promise<{ matrix: FeatureMatrix; empty: string[] }>;

/** What is scored; swapped as a whole when the models are reloaded. */
export interface ScoringState {
  /** The `model` label. */
  name: string;
  models: ScoringModel[];
  source: WindowSource;
}

export interface ScorerOptions {
  /** Read at each step, so a reload takes effect at the next one. */
  current: () => ScoringState;
  metrics: ExporterMetrics;
  /** A step (fetch and score) is abandoned after this long; default 80% of the step, at least 1 s. */
  timeoutMs?: number;
  /** Seconds behind now that the window ends, so the scrape of its last step has landed; default one step. */
  lagSeconds?: number;
  log?: (line: string) => void;
  now?: () => number;
}

export interface StepOutcome {
  /** Every group was scored. */
  ok: boolean;
  /** End of the window (unix seconds). */
  at: number;
  latest: GroupScore[];
  /** Why groups (or the whole step) could not be scored. */
  errors: string[];
}

export interface Scorer {
  /** Scores once now (the schedule calls this; tests call it directly). */
  step(): Promise<StepOutcome>;
  /** Scores now, then at every step boundary. */
  start(): void;
  /** Stops the schedule and aborts a step in flight. */
  stop(): Promise<void>;
  last(): StepOutcome | null;
}

const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

/** The step the models are read at: the smallest of their steps. */
export function stepOf(models: ScoringModel[]): number {
  return Math.min(...models.map((m) => m.manifest.stepSeconds));
}

export function createScorer(options: ScorerOptions): Scorer {
  const now = options.now ?? (() => Date.now() / 1000);
  const log = options.log ?? (() => {});
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<StepOutcome> | null = null;
  let inFlight: AbortController | null = null;
  let stopped = true;
  let lastOutcome: StepOutcome | null = null;

  /** Scores one group on the window; throws a SyrrocaError naming the group. */
  async function scoreGroup(
    model: ScoringModel,
    matrix: FeatureMatrix,
    end: number,
    empty: string[]
  ): Promise<GroupScore> {
    const group = model.manifest.group;
    let scores: GroupScore[];
    try {
      // Coverage 1: every feature with a share, so the K largest can be published.
      ({ scores } = await scoreGroups(matrix, [model], { coverage: 1, allowExtraFeatures: true }));
    } catch (err) {
      if (!(err instanceof SyrrocaError)) {
        throw err;
      }
      const why = empty.length > 0 ? `; queries that matched no series: ${empty.join(', ')}` : '';
      throw new SyrrocaError(err.code, `group ${group}: ${err.message}${why}`);
    }
    const last = scores[scores.length - 1];
    if (!last || last.t !== end) {
      // No time in the message: the same cause at every step is logged once.
      throw new SyrrocaError(
        'no-complete-window',
        `group ${group}: the latest window is incomplete: some of its features have no sample in Prometheus ` +
          `within the last ${model.manifest.window} steps (a scrape is late or failing)`
      );
    }
    return last;
  }

  async function step(): Promise<StepOutcome> {
    const { name, models, source } = options.current();
    const seconds = stepOf(models);
    const lag = options.lagSeconds ?? seconds;
    // A small tolerance: a timer that fires a few ms before the boundary still scores that boundary.
    const end = Math.floor((now() - lag + 0.05) / seconds) * seconds;
    // `window` steps back: the window, plus the step before it for the first counter increment.
    const span = Math.max(...models.map((m) => m.manifest.window * m.manifest.stepSeconds));
    const timeoutMs = options.timeoutMs ?? Math.max(1000, seconds * 800);
    const controller = new AbortController();
    inFlight = controller;
    let timedOut = false;
    const timeout = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const started = process.hrtime.bigint();
    let outcome: StepOutcome;
    try {
      const { matrix, empty } = await source({ start: end - span, end, step: seconds }, controller.signal);
      const results = await Promise.all(
        models.map((m) =>
          scoreGroup(m, matrix, end, empty).then(
            (score) => ({ score }),
            (err: unknown) => {
              if (err instanceof SyrrocaError) {
                return { error: err.message };
              }
              throw err;
            }
          )
        )
      );
      const latest = results.flatMap((r) => ('score' in r ? [r.score] : []));
      const errors = results.flatMap((r) => ('error' in r ? [r.error] : []));
      options.metrics.publish(name, latest, errors.length === 0);
      outcome = { ok: errors.length === 0, at: end, latest, errors };
    } catch (err) {
      options.metrics.markDown();
      const message = timedOut
        ? `scoring step timed out after ${timeoutMs / 1000} s: Prometheus is too slow for the step (check it, or raise --timeout)`
        : err instanceof Error
          ? err.message
          : String(err);
      outcome = { ok: false, at: end, latest: [], errors: [message] };
    } finally {
      clearTimeout(timeout);
      inFlight = null;
    }
    options.metrics.observeDuration(Number(process.hrtime.bigint() - started) / 1e9);
    if (!stopped || !controller.signal.aborted) {
      report(outcome);
    }
    lastOutcome = outcome;
    return outcome;
  }

  /** Logs what changed: new failures once (not at every step), and the recovery. */
  function report(outcome: StepOutcome): void {
    const before = lastOutcome?.errors ?? [];
    for (const error of outcome.errors.filter((e) => !before.includes(e))) {
      log(`scoring failed: ${error}`);
    }
    if (outcome.ok && lastOutcome && !lastOutcome.ok) {
      log(`scoring recovered: ${outcome.latest.length} group(s) scored at ${iso(outcome.at)}`);
    }
  }

  function schedule(): void {
    if (stopped) {
      return;
    }
    const seconds = stepOf(options.current().models);
    const t = now();
    const next = (Math.floor(t / seconds) + 1) * seconds;
    timer = setTimeout(
      () => {
        running = step().finally(() => {
          running = null;
          schedule();
        });
      },
      (next - t) * 1000 + 10
    );
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
      await running?.catch(() => undefined);
    },
    last: () => lastOutcome,
  };
}
