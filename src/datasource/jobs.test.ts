import { createSharedJobs } from './jobs';

/** A job whose result the test releases, recording the signal it was given. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const signals: AbortSignal[] = [];
  const start = jest.fn((signal: AbortSignal) => {
    signals.push(signal);
    return new Promise<T>((r) => (resolve = r));
  });
  return { start, signals, resolve: (value: T) => resolve(value) };
}

describe('createSharedJobs', () => {
  it('runs a job once for every query that needs it at the same time', async () => {
    const jobs = createSharedJobs<number>();
    const job = deferred<number>();
    const a = jobs.run('k', job.start);
    const b = jobs.run('k', job.start);
    job.resolve(42);
    await expect(Promise.all([a, b])).resolves.toEqual([42, 42]);
    expect(job.start).toHaveBeenCalledTimes(1);
  });

  it('reuses a result for a short while, then runs the job again', async () => {
    let now = 0;
    const jobs = createSharedJobs<number>({ maxAgeMs: 1000, now: () => now });
    const start = jest.fn(async () => now);
    await jobs.run('k', start);
    now = 1000;
    await expect(jobs.run('k', start)).resolves.toBe(0);
    now = 1001;
    await expect(jobs.run('k', start)).resolves.toBe(1001);
    expect(start).toHaveBeenCalledTimes(2);
  });

  it('keeps running while one query still waits, and cancels the job when the last one leaves', async () => {
    const jobs = createSharedJobs<number>();
    const job = deferred<number>();
    const first = new AbortController();
    const second = new AbortController();
    const a = jobs.run('k', job.start, first.signal);
    const b = jobs.run('k', job.start, second.signal);
    first.abort();
    await expect(a).rejects.toThrow('cancelled');
    expect(job.signals[0].aborted).toBe(false);
    second.abort();
    await expect(b).rejects.toThrow('cancelled');
    expect(job.signals[0].aborted).toBe(true);
  });

  it('starts afresh after a cancelled job instead of joining it', async () => {
    const jobs = createSharedJobs<number>();
    const cancelled = deferred<number>();
    const controller = new AbortController();
    const a = jobs.run('k', cancelled.start, controller.signal);
    controller.abort();
    await expect(a).rejects.toThrow('cancelled');
    const fresh = deferred<number>();
    const b = jobs.run('k', fresh.start);
    fresh.resolve(7);
    await expect(b).resolves.toBe(7);
    expect(fresh.start).toHaveBeenCalledTimes(1);
  });

  it('does not keep a failed job: the next query tries again', async () => {
    const jobs = createSharedJobs<number>();
    await expect(jobs.run('k', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await expect(jobs.run('k', async () => 3)).resolves.toBe(3);
  });
});
