import type { Logger } from './logger';

/**
 * Tells the user about configuration problems once per change: each is logged, and one warning
 * message appears when a folder's set of problems differs from what was last shown, so a bad
 * value does not nag on every keystroke or re-analysis.
 */
export class ConfigProblems {
  private readonly shown = new Map<string, string>();

  constructor(
    private readonly logger: Logger,
    private readonly showWarning: (message: string) => void,
  ) {}

  report(root: string, problems: readonly string[]): void {
    const key = problems.join('\n');
    if (this.shown.get(root) === key) return;
    this.shown.set(root, key);
    if (problems.length === 0) return;
    for (const problem of problems) this.logger.warn(`Configuration problem in ${root}: ${problem}`);
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more; see the Backend Advisor output)` : '';
    this.showWarning(`Backend Advisor: ${problems[0]}${more}`);
  }

  forget(root: string): void {
    this.shown.delete(root);
  }

  /** Folders whose configuration currently has problems. */
  get count(): number {
    let count = 0;
    for (const key of this.shown.values()) if (key) count++;
    return count;
  }
}
