import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import type { Finding } from '../engine/model/finding';
import type { Range } from '../engine/model/location';
import { ruleDocsLink } from './rule-docs-link';

/**
 * The hover for the findings under the cursor: title, explanation, fixes and a docs link. The
 * message itself is not repeated: editors already show the diagnostic's message in the same hover.
 */
export function hoverFor(findings: readonly Finding[], position: Position, titleOf: (ruleId: string) => string | undefined, docsRoot: string | undefined): Hover | null {
  const here = findings.filter((finding) => containsPosition(finding.range, position));
  if (here.length === 0) return null;
  const sections = here.map((finding) => {
    const title = titleOf(finding.ruleId);
    const lines = [`**Backend Advisor: ${escapeMarkdown(title ?? finding.ruleId)}** (\`${finding.ruleId}\`, ${finding.severity})`];
    if (finding.explanation) lines.push('', finding.explanation);
    if (finding.fixes.length > 0) {
      lines.push('', `Quick fix${finding.fixes.length > 1 ? 'es' : ''}: ${finding.fixes.map((fix) => `*${escapeMarkdown(fix.title)}*${fix.isPreferred ? ' (preferred)' : ''}`).join(', ')}`);
    }
    lines.push('', `[Documentation for ${finding.ruleId}](${ruleDocsLink(finding.ruleId, docsRoot)})`);
    return lines.join('\n');
  });
  return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') }, range: here[0]!.range };
}

export function containsPosition(range: Range, position: Position): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\*_[\]<>])/g, '\\$1');
}
