import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver/node';
import type { Finding } from '../engine/model/finding';
import type { Severity } from '../engine/model/severity';
import { ruleDocsLink } from './rule-docs-link';
import { uriOf } from './uri';

export const DIAGNOSTIC_SOURCE = 'Backend Advisor';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: Finding, docsRoot: string | undefined): Diagnostic {
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: ruleDocsLink(finding.ruleId, docsRoot) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  };
  if (finding.related.length > 0) {
    diagnostic.relatedInformation = finding.related.map(
      (item): DiagnosticRelatedInformation => ({ location: { uri: uriOf(item.filePath), range: item.range }, message: item.message }),
    );
  }
  return diagnostic;
}
