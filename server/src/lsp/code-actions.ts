import { CodeActionKind, type CodeAction, type CodeActionContext, type Range } from 'vscode-languageserver/node';
import type { Finding, Fix } from '../engine/model/finding';
import { disableFileComment, disableNextLineComment } from '../engine/suppression/suppressions';
import { mergeFixes } from './merge-fixes';
import { FIX_ALL_KIND, SHOW_RULE_DOCS_COMMAND } from './protocol';
import { ruleDocsLink } from './rule-docs-link';
import { toDiagnostic } from './to-lsp';
import { toWorkspaceEdit, type EditCapabilities } from './to-workspace-edit';

export interface CodeActionInput {
  filePath: string;
  /** Text of the document, to indent the disable comment like the line it silences. */
  lineText(line: number): string;
  firstLine: string;
  isSql: boolean;
  /** Every finding currently published for the document. */
  findings: readonly Finding[];
  range: Range;
  context: CodeActionContext;
  capabilities: EditCapabilities;
  versionOf(filePath: string): number | null;
  docsRoot: string | undefined;
}

/**
 * The actions offered for the findings in a range: each fix, fix-all for a rule when more than
 * one of its findings can be fixed, disabling the rule for the line or the file, and the rule's
 * documentation. `source.fixAll.backendAdvisor` applies every preferred fix in the file (used by
 * "fix all on save").
 */
export function codeActionsFor(input: CodeActionInput): CodeAction[] {
  const only = input.context.only;
  const wants = (kind: string) => !only || only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
  const actions: CodeAction[] = [];
  // The source action is only computed when asked for by kind: on save, or from the Source Action menu.
  if (only && wants(FIX_ALL_KIND)) {
    const fixAll = fixAllAction('Fix all Backend Advisor problems in this file', FIX_ALL_KIND, input, input.findings);
    if (fixAll) actions.push(fixAll);
  }
  if (!wants(CodeActionKind.QuickFix)) return actions;

  const inRange = input.findings.filter((finding) => intersects(finding.range, input.range));
  const rulesDone = new Set<string>();
  for (const finding of inRange) {
    const diagnostic = toDiagnostic(finding, input.docsRoot);
    const fixes = [...finding.fixes].sort((a, b) => Number(b.isPreferred) - Number(a.isPreferred));
    for (const fix of fixes) {
      const edit = toWorkspaceEdit(fix.changes, input.capabilities, input.versionOf);
      if (edit) actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.isPreferred, edit });
    }
  }
  for (const finding of inRange) {
    const ruleId = finding.ruleId;
    if (rulesDone.has(ruleId)) continue;
    rulesDone.add(ruleId);
    const sameRule = input.findings.filter((other) => other.ruleId === ruleId);
    const fixAll = fixAllAction(`Fix all ${ruleId} problems in this file`, CodeActionKind.QuickFix, input, sameRule);
    if (fixAll) actions.push(fixAll);
  }
  const linesDone = new Set<string>();
  for (const finding of inRange) {
    const key = `${finding.ruleId}:${finding.range.start.line}`;
    if (linesDone.has(key)) continue;
    linesDone.add(key);
    const line = finding.range.start.line;
    const comment = disableNextLineComment(finding.ruleId, input.lineText(line), input.isSql ? 'sql' : 'code');
    actions.push(insertAction(`Disable ${finding.ruleId} for this line`, input, finding, { line, character: 0 }, comment));
  }
  for (const ruleId of rulesDone) {
    const finding = inRange.find((item) => item.ruleId === ruleId)!;
    // Keep a shebang on the first line, where Node requires it.
    const line = input.firstLine.startsWith('#!') ? 1 : 0;
    actions.push(insertAction(`Disable ${ruleId} for this file`, input, finding, { line, character: 0 }, disableFileComment(ruleId, input.isSql ? 'sql' : 'code')));
  }
  for (const ruleId of rulesDone) {
    const title = `Show documentation for ${ruleId}`;
    actions.push({ title, kind: CodeActionKind.QuickFix, command: { title, command: SHOW_RULE_DOCS_COMMAND, arguments: [ruleId, ruleDocsLink(ruleId, input.docsRoot)] } });
  }
  return actions;
}

/** One action applying every preferred fix among `findings`; only when there is more than one to apply. */
function fixAllAction(title: string, kind: string, input: CodeActionInput, findings: readonly Finding[]): CodeAction | undefined {
  const preferred: Fix[] = [];
  for (const finding of findings) {
    const fix = finding.fixes.find((candidate) => candidate.isPreferred);
    if (fix && toWorkspaceEdit(fix.changes, input.capabilities, input.versionOf)) preferred.push(fix);
  }
  const minimum = kind === FIX_ALL_KIND ? 1 : 2;
  if (preferred.length < minimum) return undefined;
  const { changes } = mergeFixes(preferred);
  const edit = toWorkspaceEdit(changes, input.capabilities, input.versionOf);
  if (!edit) return undefined;
  const action: CodeAction = { title, kind, edit };
  if (kind !== FIX_ALL_KIND) action.diagnostics = findings.filter((finding) => finding.fixes.some((fix) => fix.isPreferred)).map((finding) => toDiagnostic(finding, input.docsRoot));
  return action;
}

function insertAction(title: string, input: CodeActionInput, finding: Finding, at: { line: number; character: number }, text: string): CodeAction {
  const edit = toWorkspaceEdit([{ kind: 'edit', filePath: input.filePath, edits: [{ range: { start: at, end: at }, newText: text }] }], input.capabilities, input.versionOf)!;
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [toDiagnostic(finding, input.docsRoot)], edit };
}

function intersects(a: Range, b: Range): boolean {
  const startsAfter = a.start.line > b.end.line || (a.start.line === b.end.line && a.start.character > b.end.character);
  const endsBefore = a.end.line < b.start.line || (a.end.line === b.start.line && a.end.character < b.start.character);
  return !startsAfter && !endsBefore;
}
