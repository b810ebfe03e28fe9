import type { CancellationSignal } from '../engine/run/cancellation';
import { describeError } from './guard';
import type { Logger } from './logger';

interface Pending {
  timer: NodeJS.Timeout | undefined;
  signal: { isCancellationRequested: boolean };
}

/**
 * Debounces analysis per document: each new request cancels the previous one (its timer, or the
 * run waiting on settings), so only the newest version of a document is ever analysed and
 * published. The run itself re-checks the version before publishing.
 */
export class DiagnosticsScheduler {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly run: (uri: string, signal: CancellationSignal) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  schedule(uri: string, delay: number): void {
    this.cancel(uri);
    const entry: Pending = { timer: undefined, signal: { isCancellationRequested: false } };
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      this.run(uri, entry.signal)
        .catch((error: unknown) => this.logger.error(`Analysing ${uri} failed: ${describeError(error)}`))
        .finally(() => {
          if (this.pending.get(uri) === entry) this.pending.delete(uri);
        });
    }, delay);
    this.pending.set(uri, entry);
  }

  cancel(uri: string): void {
    const entry = this.pending.get(uri);
    if (!entry) return;
    entry.signal.isCancellationRequested = true;
    if (entry.timer) clearTimeout(entry.timer);
    this.pending.delete(uri);
  }

  isPending(uri: string): boolean {
    return this.pending.has(uri);
  }

  dispose(): void {
    for (const uri of [...this.pending.keys()]) this.cancel(uri);
  }
}
