/**
 * Scoring runs shared by the queries that need the same one: a dashboard's time-series panel,
 * features table and radiography panel over one range ask for the same scores, and should read
 * Prometheus and run the models once. A run is cancelled when every query waiting for it has been
 * cancelled (superseded by a newer query, panel closed). The last few results are kept for a short
 * while, long enough for the panels of one dashboard refresh, not so long that a refresh reads stale data.
 */
export interface SharedJobs<T> {
  /** The result of the job `key`, starting it with `start` unless it runs or ran recently. Rejects when `signal` aborts. */
  run(key: string, start: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T>;
}

interface Job<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiting: number;
}

export interface SharedJobsOptions {
  /** Results kept (default 4). */
  keep?: number;
  /** How long a result is reused, in ms (default 15,000). */
  maxAgeMs?: number;
  now?: () => number;
}

export function createSharedJobs<T>({
  keep = 4,
  maxAgeMs = 15_000,
  now = Date.now,
}: SharedJobsOptions = {}): SharedJobs<T> {
  const running = new Map<string, Job<T>>();
  const done = new Map<string, { value: T; at: number }>();

  const forget = (key: string, job: Job<T>) => {
    if (running.get(key) === job) {
      running.delete(key);
    }
  };
  const remember = (key: string, value: T) => {
    done.delete(key);
    done.set(key, { value, at: now() });
    while (done.size > keep) {
      done.delete(done.keys().next().value as string);
    }
  };

  return {
    run(key, start, signal) {
      const kept = done.get(key);
      if (kept && now() - kept.at <= maxAgeMs) {
        return Promise.resolve(kept.value);
      }
      done.delete(key);
      if (signal?.aborted) {
        return Promise.reject(new DOMException('The query was cancelled', 'AbortError'));
      }
      let job = running.get(key);
      if (!job) {
        const controller = new AbortController();
        const created: Job<T> = { controller, waiting: 0, promise: Promise.resolve() as Promise<T> };
        created.promise = start(controller.signal).then(
          (value) => {
            forget(key, created);
            remember(key, value);
            return value;
          },
          (err) => {
            forget(key, created);
            throw err;
          }
        );
        running.set(key, created);
        job = created;
      }
      const current = job;
      current.waiting++;
      return new Promise<T>((resolve, reject) => {
        let left = false;
        const leave = () => {
          if (!left) {
            left = true;
            signal?.removeEventListener('abort', onAbort);
            current.waiting--;
          }
        };
        const onAbort = () => {
          leave();
          if (current.waiting === 0) {
            // Nobody waits any more: stop the work, and let the next query with this key start afresh.
            forget(key, current);
            current.controller.abort();
          }
          reject(new DOMException('The query was cancelled', 'AbortError'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        current.promise.then(
          (value) => {
            leave();
            resolve(value);
          },
          (err) => {
            leave();
            reject(err);
          }
        );
      });
    },
  };
}
