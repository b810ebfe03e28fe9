import type { ActiveRule } from '../config/resolve-config';
import type { AnyRule } from '../model/rule';
import type { ConfiguredSeverity } from '../model/severity';
import { SKILLS, type SkillId } from '../model/skills';
import type { ParsedFile } from '../source/parsed-file';
import type { ProjectView } from '../workspace/project-view';
import { detectSkills } from './skill-detectors';

export interface SkillRuleState {
  id: string;
  title: string;
  /** The severity in force for this folder, or `off`. */
  severity: ConfiguredSeverity;
  /** Whether the rule reads files of this file's language. */
  appliesToFile: boolean;
}

export interface SkillActivation {
  skill: SkillId;
  label: string;
  /** True when the file holds something the skill looks at. */
  active: boolean;
  /** Why, e.g. "TypeORM repository calls", "SQL file", "outbound HTTP client (axios)". */
  reasons: string[];
  rules: SkillRuleState[];
}

/**
 * Which skills watch `file` and why. Rule hooks (`activation`) come first: they run the same
 * detection as the rule itself, so the panel and the diagnostics agree; then the skill's import
 * detectors; and last, for a skill still without a reason, its rules that reported findings. A
 * hook that throws is treated as "no reason" rather than failing the whole answer.
 */
export function skillActivation(
  file: ParsedFile,
  project: ProjectView,
  allRules: readonly AnyRule[],
  activeRules: readonly ActiveRule[],
  /** Rules with findings in the file now: a skill with findings is never shown inactive. */
  reportedRuleIds: ReadonlySet<string> = new Set(),
): SkillActivation[] {
  const severities = new Map(activeRules.map((active) => [active.rule.meta.id, active.severity]));
  const detected = detectSkills(file);
  return (Object.keys(SKILLS) as SkillId[]).map((skill) => {
    const rules = allRules.filter((rule) => rule.meta.skill === skill);
    const reasons: string[] = [];
    for (const rule of rules) {
      if (!rule.activation || !rule.meta.languages.includes(file.language)) continue;
      try {
        const reason = rule.activation({ file, project });
        if (reason) reasons.push(reason);
      } catch {
        // A hook bug must not hide the other skills.
      }
    }
    reasons.push(...(detected.get(skill) ?? []));
    if (reasons.length === 0) {
      // A rule without an activation hook found something the skill detectors do not know about.
      for (const rule of rules) if (reportedRuleIds.has(rule.meta.id)) reasons.push(`findings of ${rule.meta.id}`);
    }
    const unique = [...new Set(reasons)];
    return {
      skill,
      label: SKILLS[skill],
      active: unique.length > 0,
      reasons: unique,
      rules: rules.map((rule) => ({
        id: rule.meta.id,
        title: rule.meta.title,
        severity: severities.get(rule.meta.id) ?? 'off',
        appliesToFile: rule.meta.languages.includes(file.language),
      })),
    };
  });
}
