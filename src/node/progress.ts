import { SingleBar } from 'cli-progress';

export interface Progress {
  update(value: number, fields?: Record<string, string | number>): void;
  stop(): void;
}

/**
 * A progress bar (value/total, ETA and the given fields) when stderr is a terminal; plain lines
 * otherwise, so logs and CI output stay readable.
 */
export function createProgress(label: string, total: number, fields: string[] = []): Progress {
  if (process.stderr.isTTY) {
    const format = `${label} [{bar}] {value}/{total} ${fields.map((f) => `${f} {${f}}`).join(' ')} eta {eta_formatted}`;
    const bar = new SingleBar({ format, stream: process.stderr, hideCursor: true, clearOnComplete: false });
    bar.start(total, 0, Object.fromEntries(fields.map((f) => [f, '-'])));
    return { update: (value, payload) => bar.update(value, payload), stop: () => bar.stop() };
  }
  return {
    update(value, payload = {}) {
      const extra = Object.entries(payload)
        .map(([k, v]) => `${k} ${v}`)
        .join(' ');
      process.stderr.write(`${label} ${value}/${total}${extra ? ` ${extra}` : ''}\n`);
    },
    stop() {},
  };
}
