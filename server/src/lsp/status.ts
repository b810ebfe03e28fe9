import type { StatusParams, StatusState } from './protocol';

/**
 * Keeps the numbers behind the client's language status item and sends them, coalesced so a
 * workspace scan sends one update per turn of the event loop rather than one per file.
 */
export class StatusTracker {
  private readonly findings = new Map<string, number>();
  private readonly failures = new Map<string, string>();
  private readonly analysed = new Set<string>();
  private configProblems = 0;
  private lastError: string | undefined;
  private pending = false;

  constructor(private readonly send: (params: StatusParams) => void) {}

  published(uri: string, findings: number, ruleFailure: string | undefined): void {
    this.analysed.add(uri);
    if (findings > 0) this.findings.set(uri, findings);
    else this.findings.delete(uri);
    if (ruleFailure) this.failures.set(uri, ruleFailure);
    else this.failures.delete(uri);
    this.schedule();
  }

  cleared(uri: string): void {
    this.findings.delete(uri);
    this.failures.delete(uri);
    this.schedule();
  }

  setConfigProblems(count: number): void {
    this.configProblems = count;
    this.schedule();
  }

  error(message: string): void {
    this.lastError = message;
    this.schedule();
  }

  current(): StatusParams {
    let total = 0;
    for (const count of this.findings.values()) total += count;
    const summary = `${total} finding${total === 1 ? '' : 's'} in ${this.findings.size} file${this.findings.size === 1 ? '' : 's'}`;
    let state: StatusState = 'ok';
    let message = summary;
    if (this.lastError) {
      state = 'error';
      message = `${this.lastError} (see the Backend Advisor output); ${summary}`;
    } else if (this.configProblems > 0) {
      state = 'warning';
      message = `Configuration problems, defaults in use (see the Backend Advisor output); ${summary}`;
    } else if (this.failures.size > 0) {
      state = 'warning';
      message = `${[...this.failures.values()][0]} (see the Backend Advisor output); ${summary}`;
    }
    return { state, message, filesAnalysed: this.analysed.size, findings: total };
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      this.send(this.current());
    });
  }
}
