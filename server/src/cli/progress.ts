import type { OutputStream } from './cli-io';

const THROTTLE_MS = 100;

/**
 * "scanning 1200/2000 files…" on stderr, rewritten in place. Only on a terminal: in CI logs a
 * carriage-return line would be noise. Throttled so printing never costs scan time.
 */
export class Progress {
  private lastWrite = 0;
  private shown = false;

  constructor(
    private readonly stream: OutputStream,
    private readonly enabled: boolean,
  ) {}

  update(done: number, total: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastWrite < THROTTLE_MS && done !== total) return;
    this.lastWrite = now;
    this.stream.write(`\r\x1b[2Kscanning ${done}/${total} files…`);
    this.shown = true;
  }

  /** Clears the line so the report starts on a clean one. */
  finish(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
