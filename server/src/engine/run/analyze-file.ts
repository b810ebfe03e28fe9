import type { Finding, RelatedLocation } from '../model/finding';
import type { FindingReport, RuleContext } from '../model/rule';
import type { ActiveRule } from '../config/resolve-config';
import type { ParsedFile } from '../source/parsed-file';
import { isSuppressed, parseSuppressions } from '../suppression/suppressions';
import type { ProjectIndex } from '../workspace/project-index';
import { NEVER_CANCELLED, RuleInterrupted, type CancellationSignal } from './cancellation';

export interface FileAnalysis {
  filePath: string;
  findings: Finding[];
  /** Why the file was not analysed (binary, minified, too large, unreadable). */
  skipped?: string;
  /** Rules whose result for this file was dropped, and why; logged by the adapters. */
  ruleFailures: Array<{ ruleId: string; reason: string }>;
  cancelled: boolean;
}

export interface AnalyzeOptions {
  cancellation?: CancellationSignal;
  /** Milliseconds one rule may run on this file. */
  ruleTimeout: number;
}

const CHECKPOINT_CLOCK_EVERY = 64;

/**
 * Runs the active rules on one file. Each rule runs alone: an exception or an overrun drops
 * that rule's findings for this file and is reported in `ruleFailures`; the others stand.
 */
export function analyzeFile(index: ProjectIndex, filePath: string, rules: readonly ActiveRule[], options: AnalyzeOptions): FileAnalysis {
  const cancellation = options.cancellation ?? NEVER_CANCELLED;
  const result: FileAnalysis = { filePath, findings: [], ruleFailures: [], cancelled: false };
  const skipped = index.skipReasonOf(filePath);
  if (skipped) return { ...result, skipped };
  const file = index.file(filePath);
  if (!file) return { ...result, skipped: index.skipReasonOf(filePath) ?? 'its language is not analysed' };

  const applicable = rules.filter((active) => active.rule.meta.languages.includes(file.language));
  if (applicable.length === 0) return result;
  const suppressions = parseSuppressions(file.text);

  for (const active of applicable) {
    if (cancellation.isCancellationRequested) return { ...result, cancelled: true };
    const collected: Finding[] = [];
    const deadline = Date.now() + options.ruleTimeout;
    let calls = 0;
    const context: RuleContext<unknown> = {
      file,
      project: index,
      options: active.options,
      report: (report) => collected.push(toFinding(file, active, report)),
      checkpoint: () => {
        if (cancellation.isCancellationRequested) throw new RuleInterrupted('cancelled');
        if (++calls % CHECKPOINT_CLOCK_EVERY === 0 && Date.now() > deadline) throw new RuleInterrupted('timeout');
      },
    };
    try {
      active.rule.check(context);
    } catch (error) {
      if (error instanceof RuleInterrupted && error.reason === 'cancelled') return { ...result, cancelled: true };
      const reason =
        error instanceof RuleInterrupted
          ? `stopped after ${options.ruleTimeout} ms (setting ruleTimeout)`
          : `failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
      result.ruleFailures.push({ ruleId: active.rule.meta.id, reason });
      continue;
    }
    for (const finding of collected) {
      if (!isSuppressed(suppressions, finding.ruleId, finding.range.start.line)) result.findings.push(finding);
    }
  }
  result.findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return result;
}

function toFinding(file: ParsedFile, active: ActiveRule, report: FindingReport): Finding {
  const related: RelatedLocation[] = (report.related ?? []).map((item) =>
    'span' in item ? { filePath: file.filePath, range: file.lineMap.rangeOf(item.span), message: item.message } : item,
  );
  return {
    ruleId: active.rule.meta.id,
    severity: active.severity,
    filePath: file.filePath,
    range: file.lineMap.rangeOf(report.span),
    message: report.message,
    related,
    explanation: report.explanation,
    ...(report.data ? { data: report.data } : {}),
    fixes: (report.fixes ?? []).map((fix) => ({
      title: fix.title,
      isPreferred: fix.isPreferred,
      changes: [
        ...(fix.edits.length > 0
          ? [{ kind: 'edit' as const, filePath: file.filePath, edits: fix.edits.map((edit) => ({ range: file.lineMap.rangeOf(edit.span), newText: edit.newText })) }]
          : []),
        ...(fix.otherChanges ?? []),
      ],
    })),
  };
}
