/** Lets a caller abandon an analysis, e.g. when a newer edit of the same document arrives. */
export interface CancellationSignal {
  readonly isCancellationRequested: boolean;
}

export const NEVER_CANCELLED: CancellationSignal = { isCancellationRequested: false };

/** Thrown by `checkpoint()` to stop a rule; caught by the runner, never shown as a crash. */
export class RuleInterrupted extends Error {
  constructor(readonly reason: 'cancelled' | 'timeout') {
    super(reason);
  }
}
