import type { Logger } from './logger';

/**
 * Wraps a handler so an exception (thrown or rejected) is logged and answered with `fallback`:
 * one bad document or request must never take the server down.
 */
export function guard<P extends unknown[], R>(logger: Logger, name: string, fallback: R, handler: (...params: P) => R | Promise<R>): (...params: P) => Promise<R> {
  return async (...params: P) => {
    try {
      return await handler(...params);
    } catch (error) {
      logger.error(`${name} failed: ${describeError(error)}`);
      return fallback;
    }
  };
}

export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/**
 * Sends a message without awaiting it. The client may have gone (a window closed mid-analysis),
 * so a failed send is dropped rather than left as an unhandled rejection that ends the process.
 */
export function sendQuietly(send: () => Promise<unknown> | void): void {
  try {
    const pending = send();
    if (pending) pending.catch(() => undefined);
  } catch {
    // The connection is already disposed: nobody is listening.
  }
}
