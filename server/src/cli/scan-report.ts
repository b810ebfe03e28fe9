import * as path from 'node:path';
import type { ActiveRule } from '../engine/config/resolve-config';
import type { Finding } from '../engine/model/finding';
import type { AnyRule } from '../engine/model/rule';
import type { Severity } from '../engine/model/severity';
import type { Verification } from './verify-findings';

/** One scanned file and what came of it; paths relative to the scan root, posix. */
export interface FileResult {
  filePath: string;
  relativePath: string;
  findings: Finding[];
  /** Why the file was not analysed (binary, minified, too large, unreadable). */
  skipped?: string;
  ruleFailures: Array<{ ruleId: string; reason: string }>;
  /** Parse errors TypeScript recovered from; findings in such a file may be incomplete. */
  syntaxErrors: number;
  /** Text of each line a finding starts on, for stable SARIF fingerprints. */
  lineTexts: Map<number, string>;
}

/** Everything a formatter needs; the formatters are pure functions of it. */
export interface ScanReport {
  root: string;
  toolVersion: string;
  /** Every rule the tool has, active or not (SARIF lists them all). */
  rules: readonly AnyRule[];
  activeRules: readonly ActiveRule[];
  files: FileResult[];
  /** Planner checks of findings (`scan --verify`). */
  verifications?: ReadonlyMap<Finding, Verification>;
}

export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
  hint: number;
  total: number;
}

export function countFindings(files: readonly FileResult[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0, hint: 0, total: 0 };
  for (const file of files) {
    for (const finding of file.findings) {
      counts[finding.severity]++;
      counts.total++;
    }
  }
  return counts;
}

/** A path as reports show it: relative to the scan root, with forward slashes. */
export function relativeToRoot(root: string, filePath: string): string {
  const relative = path.relative(root, filePath);
  return (relative === '' ? path.basename(filePath) : relative).split(path.sep).join('/');
}

export function isOutsideRoot(relativePath: string): boolean {
  return relativePath.startsWith('../') || relativePath === '..' || path.isAbsolute(relativePath);
}

export const SEVERITY_LABEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'info', hint: 'hint' };
