import type { SkillInfo } from '../../../server/src/lsp/protocol';

/** A diagnostic as the panel needs it, free of the vscode types so this file stays testable. */
export interface PanelDiagnostic {
  ruleId: string;
  uri: string;
  line: number;
  message: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
}

export interface SkillCounts {
  file: number;
  workspace: number;
}

/** Findings of one skill's rules, in the file and in every file VS Code holds diagnostics for. */
export function countFindings(skill: SkillInfo, fileUri: string | undefined, diagnostics: readonly PanelDiagnostic[]): SkillCounts {
  const ids = new Set(skill.rules.map((rule) => rule.id));
  let file = 0;
  let workspace = 0;
  for (const diagnostic of diagnostics) {
    if (!ids.has(diagnostic.ruleId)) continue;
    workspace++;
    if (diagnostic.uri === fileUri) file++;
  }
  return { file, workspace };
}

/** Whether any of the skill's rules runs; a skill without rules counts as enabled. */
export function isSkillEnabled(skill: SkillInfo): boolean {
  return skill.rules.length === 0 || skill.rules.some((rule) => rule.severity !== 'off');
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The short text beside a skill's name, e.g. "active · 2 in file · 5 in workspace". */
export function skillDescription(skill: SkillInfo, counts: SkillCounts): string {
  const state = !isSkillEnabled(skill) ? 'rules off' : skill.active ? 'active' : 'inactive';
  return `${state} · ${counts.file} in file · ${counts.workspace} total`;
}

/** What a screen reader says for a skill row. */
export function skillAccessibleLabel(skill: SkillInfo, counts: SkillCounts): string {
  const state = !isSkillEnabled(skill) ? 'its rules are turned off' : skill.active ? `active for this file because of ${skill.reasons.join(', ')}` : 'not active for this file';
  return `${skill.label} skill, ${state}; ${plural(counts.file, 'finding')} in this file, ${plural(counts.workspace, 'finding')} in the workspace`;
}

/** The hover text of a skill row. */
export function skillTooltip(skill: SkillInfo): string {
  const why = skill.active ? `Active: ${skill.reasons.join('; ')}.` : 'Not active for this file: it holds nothing this skill looks at.';
  const rules = skill.rules.length === 0 ? 'No rules yet.' : `Rules: ${skill.rules.map((rule) => `${rule.id} (${rule.severity})`).join(', ')}.`;
  return `${skill.label}\n${why}\n${rules}\nWorkspace counts cover the files VS Code has diagnostics for; run Scan Workspace to count every file.`;
}

/**
 * The `backendAdvisor.rules` value after turning a skill's rules on or off. Off writes `off`,
 * keeping a rule's options; on removes the `off` so the rule's default (or its options) applies.
 */
export function toggleSkillRules(current: Readonly<Record<string, unknown>> | undefined, ruleIds: readonly string[], enable: boolean): Record<string, unknown> {
  const next: Record<string, unknown> = { ...(current ?? {}) };
  for (const id of ruleIds) {
    const value = next[id];
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    if (enable) {
      if (value === 'off') delete next[id];
      else if (isObject && (value as { severity?: unknown }).severity === 'off') {
        const { severity: _severity, ...rest } = value as Record<string, unknown>;
        if (Object.keys(rest).length === 0) delete next[id];
        else next[id] = rest;
      }
    } else next[id] = isObject ? { ...(value as Record<string, unknown>), severity: 'off' } : 'off';
  }
  return next;
}
