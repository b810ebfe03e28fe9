import { createHash } from 'node:crypto';

export const FINGERPRINT_KEY = 'backendAdvisor/v1';

/**
 * A fingerprint that survives edits elsewhere in the file: rule id, relative path and the
 * trimmed text of the line, plus the occurrence number among identical lines so two equal
 * lines in one file stay distinct. Code scanning uses it to match results across runs.
 */
export class FingerprintMaker {
  private readonly seen = new Map<string, number>();

  make(ruleId: string, relativePath: string, lineText: string): string {
    const hash = createHash('sha256').update(`${ruleId}\u0000${relativePath}\u0000${lineText.trim()}`).digest('hex').slice(0, 32);
    const occurrence = (this.seen.get(hash) ?? 0) + 1;
    this.seen.set(hash, occurrence);
    return `${hash}:${occurrence}`;
  }
}
