import { skillActivation } from '../engine/skills/skill-activation';
import { SKILLS, type SkillId } from '../engine/model/skills';
import type { AnyRule } from '../engine/model/rule';
import type { SkillActivationResult, SkillInfo } from './protocol';
import type { Folder } from './workspace-folders';

/** Every skill with its rules and nothing active: the answer when no file is in front of the user. */
export function inactiveSkills(rules: readonly AnyRule[], folder: Folder | undefined): SkillInfo[] {
  const severities = new Map((folder?.engine.activeRules ?? []).map((active) => [active.rule.meta.id, active.severity]));
  return (Object.keys(SKILLS) as SkillId[]).map((skill) => ({
    skill,
    label: SKILLS[skill],
    active: false,
    reasons: [],
    rules: rules
      .filter((rule) => rule.meta.skill === skill)
      .map((rule) => ({ id: rule.meta.id, title: rule.meta.title, severity: folder ? (severities.get(rule.meta.id) ?? 'off') : rule.meta.defaultSeverity, appliesToFile: false })),
  }));
}

/**
 * The skill panel's answer for one file, computed by the engine from the file the diagnostics
 * were computed from (the open editor's text), with the folder's rule settings.
 */
export function skillActivationFor(folder: Folder, filePath: string, uri: string, reportedRuleIds: ReadonlySet<string> = new Set()): SkillActivationResult {
  const engine = folder.engine;
  const notAnalysed = !folder.editor.enable
    ? 'Backend Advisor is disabled for this folder (setting backendAdvisor.enable)'
    : !engine.accepts(filePath)
      ? 'the file is excluded by the include/exclude settings or .gitignore'
      : engine.index.skipReasonOf(filePath);
  const file = notAnalysed ? undefined : engine.index.file(filePath);
  if (!file) return { uri, notAnalysed: notAnalysed ?? 'its language is not analysed', skills: inactiveSkills(engine.rules, folder) };
  return { uri, skills: skillActivation(file, engine.index, engine.rules, engine.activeRules, reportedRuleIds) };
}
