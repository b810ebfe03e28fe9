import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SkillInfo } from '../../../server/src/lsp/protocol';
import { countFindings, isSkillEnabled, skillAccessibleLabel, skillDescription, toggleSkillRules, type PanelDiagnostic } from './skill-model';

const skill: SkillInfo = {
  skill: 'microservices-architect',
  label: 'Microservices architect',
  active: true,
  reasons: ['outbound HTTP client (fetch)'],
  rules: [
    { id: 'remote-call-no-timeout', title: 't', severity: 'warning', appliesToFile: true },
    { id: 'remote-call-no-breaker', title: 'b', severity: 'info', appliesToFile: true },
  ],
};

const diagnostic = (ruleId: string, uri: string): PanelDiagnostic => ({ ruleId, uri, line: 0, message: 'm', severity: 'warning' });

describe('skill panel model', () => {
  it('counts the skill’s findings in the file and the workspace', () => {
    const diagnostics = [diagnostic('remote-call-no-timeout', 'file:///a.ts'), diagnostic('remote-call-no-breaker', 'file:///b.ts'), diagnostic('other-rule', 'file:///a.ts')];
    assert.deepEqual(countFindings(skill, 'file:///a.ts', diagnostics), { file: 1, workspace: 2 });
    assert.deepEqual(countFindings(skill, undefined, diagnostics), { file: 0, workspace: 2 });
  });

  it('describes state and counts, and says it all for screen readers', () => {
    assert.equal(skillDescription(skill, { file: 1, workspace: 3 }), 'active · 1 in file · 3 total');
    assert.equal(skillDescription({ ...skill, active: false }, { file: 0, workspace: 0 }), 'inactive · 0 in file · 0 total');
    const off = { ...skill, rules: skill.rules.map((rule) => ({ ...rule, severity: 'off' as const })) };
    assert.equal(isSkillEnabled(off), false);
    assert.match(skillDescription(off, { file: 0, workspace: 0 }), /^rules off/);
    assert.equal(skillAccessibleLabel(skill, { file: 1, workspace: 3 }), 'Microservices architect skill, active for this file because of outbound HTTP client (fetch); 1 finding in this file, 3 findings in the workspace');
  });

  it('turns a skill’s rules off and on in backendAdvisor.rules, keeping options and other rules', () => {
    const ids = skill.rules.map((rule) => rule.id);
    const current = { 'remote-call-no-timeout': { severity: 'error', options: { timeoutMs: 3000 } }, 'other-rule': 'hint' };
    const off = toggleSkillRules(current, ids, false);
    assert.deepEqual(off, { 'remote-call-no-timeout': { severity: 'off', options: { timeoutMs: 3000 } }, 'remote-call-no-breaker': 'off', 'other-rule': 'hint' });
    assert.deepEqual(toggleSkillRules(off, ids, true), { 'remote-call-no-timeout': { options: { timeoutMs: 3000 } }, 'other-rule': 'hint' });
    assert.deepEqual(toggleSkillRules(undefined, ids, true), {});
  });
});
