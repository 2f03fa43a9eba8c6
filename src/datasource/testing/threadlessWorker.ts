/**
 * A stand-in for the browser's Worker in jsdom (which has none): the script of kernels.worker.ts
 * (serveKernelPort) on the test's own thread, behind the same messages, so the data source's
 * worker path runs the real kernels and the real loadParallelModel. Messages arrive asynchronously,
 * as between threads; nothing is cloned (WebAssembly.Module is not cloneable in Node).
 */
import { serveKernelPort } from '../../core/kernels/parallel';

export class ThreadlessWorker extends EventTarget {
  /** URLs of the workers started, in order. */
  static started: string[] = [];
  /** Workers terminated so far. */
  static terminated = 0;

  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  private inside: Array<(data: unknown) => void> = [];
  private stopped = false;

  constructor(url: string | URL) {
    super();
    ThreadlessWorker.started.push(String(url));
    serveKernelPort({ post: (message) => this.toPage(message), listen: (handler) => this.inside.push(handler) });
    this.toPage({ ready: true });
  }

  postMessage(data: unknown): void {
    setTimeout(() => !this.stopped && this.inside.forEach((handler) => handler(data)));
  }

  terminate(): void {
    if (!this.stopped) {
      this.stopped = true;
      ThreadlessWorker.terminated++;
    }
  }

  private toPage(data: unknown): void {
    setTimeout(() => {
      if (!this.stopped) {
        const event = new MessageEvent('message', { data });
        this.onmessage?.(event);
        this.dispatchEvent(event);
      }
    });
  }
}
