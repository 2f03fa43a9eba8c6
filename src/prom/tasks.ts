/**
 * Small concurrency tools for fetch-based work: a FIFO limiter, an abortable sleep, and "all or the
 * first error" that cancels the siblings of a failed task. No Node APIs: they run in the browser.
 */

/** Rejection of a wait cut short by its signal; callers turn it into their own cancellation error. */
export class Aborted extends Error {
  constructor() {
    super('aborted');
    this.name = 'Aborted';
  }
}

/** At most `size` holders at once; waiters are served in arrival order and leave the queue when aborted. */
export function createLimiter(size: number) {
  let active = 0;
  const waiting: Array<{ grant: () => void }> = [];
  const release = () => {
    const next = waiting.shift();
    if (next) {
      next.grant();
    } else {
      active--;
    }
  };
  return {
    /** Resolves with the release function once a slot is free. */
    acquire(signal?: AbortSignal): Promise<() => void> {
      if (signal?.aborted) {
        return Promise.reject(new Aborted());
      }
      if (active < size) {
        active++;
        return Promise.resolve(once(release));
      }
      return new Promise((resolve, reject) => {
        const entry = {
          grant: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve(once(release));
          },
        };
        const onAbort = () => {
          waiting.splice(waiting.indexOf(entry), 1);
          reject(new Aborted());
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.push(entry);
      });
    },
  };
}

function once(f: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      f();
    }
  };
}

/** Waits `ms`, or rejects with Aborted as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Aborted());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Aborted());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs the tasks together. The first failure aborts the others (through the signal each task gets)
 * and is the error thrown, not the cancellations it caused. Each task has its own controller so that
 * no signal collects a listener per task (Node warns past ten).
 */
export async function allOrFirstError<T>(
  signal: AbortSignal | undefined,
  tasks: Array<(signal: AbortSignal) => Promise<T>>
): Promise<T[]> {
  const controllers = tasks.map(() => new AbortController());
  const abortAll = () => controllers.forEach((c) => c.abort());
  if (signal?.aborted) {
    abortAll();
  }
  signal?.addEventListener('abort', abortAll, { once: true });
  let first: { error: unknown } | undefined;
  try {
    const settled = await Promise.allSettled(
      tasks.map((task, i) =>
        task(controllers[i].signal).catch((error) => {
          first ??= { error };
          abortAll();
          throw error;
        })
      )
    );
    if (first) {
      throw first.error;
    }
    return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
  } finally {
    signal?.removeEventListener('abort', abortAll);
  }
}
