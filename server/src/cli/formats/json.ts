import type { Finding, FileChange } from '../../engine/model/finding';
import { verdictJson } from '../../engine/planner/verdict-text';
import { ruleDocsUrl } from '../../engine/rule-docs';
import { countFindings, relativeToRoot, type ScanReport } from '../scan-report';
import { oneBased } from './positions';

/** Bumped only when the shape changes incompatibly. */
export const JSON_REPORT_VERSION = 1;

/**
 * The JSON report, a stable shape for scripts (documented in --help):
 * { reportVersion, tool: {name, version}, root, summary: {files, problems, errors, warnings, infos,
 *   hints, skipped}, files: [{ filePath, findings: [...], skipped?, ruleFailures? }] }.
 * Every scanned file is listed, in path order; paths are relative to the root, posix;
 * line/column are 1-based, end exclusive, columns in UTF-16 code units.
 */
export function formatJson(report: ScanReport): string {
  const counts = countFindings(report.files);
  const document = {
    reportVersion: JSON_REPORT_VERSION,
    tool: { name: 'backend-advisor', version: report.toolVersion },
    root: report.root,
    summary: {
      files: report.files.length,
      problems: counts.total,
      errors: counts.error,
      warnings: counts.warning,
      infos: counts.info,
      hints: counts.hint,
      skipped: report.files.filter((file) => file.skipped).length,
    },
    files: report.files.map((file) => ({
      filePath: file.relativePath,
      findings: file.findings.map((finding) => findingJson(report, finding)),
      ...(file.skipped ? { skipped: file.skipped } : {}),
      ...(file.ruleFailures.length > 0 ? { ruleFailures: file.ruleFailures } : {}),
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function findingJson(report: ScanReport, finding: Finding) {
  const root = report.root;
  const verification = report.verifications?.get(finding);
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    ...oneBased(finding.range),
    message: finding.message,
    docsUrl: ruleDocsUrl(finding.ruleId),
    related: finding.related.map((related) => ({ filePath: relativeToRoot(root, related.filePath), ...oneBased(related.range), message: related.message })),
    fixes: finding.fixes.map((fix) => ({ title: fix.title, isPreferred: fix.isPreferred, changes: fix.changes.map((change) => changeJson(root, change)) })),
    ...(verification ? { planner: verdictJson(verification.verdict, verification.data) } : {}),
  };
}

function changeJson(root: string, change: FileChange) {
  if (change.kind === 'create') return { kind: 'create' as const, filePath: relativeToRoot(root, change.filePath), content: change.content };
  return {
    kind: 'edit' as const,
    filePath: relativeToRoot(root, change.filePath),
    edits: change.edits.map((edit) => ({ ...oneBased(edit.range), newText: edit.newText })),
  };
}
