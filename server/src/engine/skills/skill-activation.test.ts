import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisEngine } from '../analysis-engine';
import { ParsedFile } from '../source/parsed-file';
import { RULES } from '../../rules/registry';
import { skillActivation, type SkillActivation } from './skill-activation';
import { detectSkills } from './skill-detectors';

const examples = path.resolve(__dirname, '../../../../examples');

function activationOf(relative: string, configure?: (engine: AnalysisEngine) => void): Map<string, SkillActivation> {
  const engine = new AnalysisEngine(examples, RULES);
  configure?.(engine);
  engine.discover();
  const file = engine.index.file(path.join(examples, relative));
  assert.ok(file, relative);
  return new Map(skillActivation(file, engine.index, engine.rules, engine.activeRules).map((skill) => [skill.skill, skill]));
}

const parse = (name: string, text: string) => ParsedFile.parse(`/virtual/${name}`, text, name.endsWith('.sql') ? 'sql' : 'typescript');

describe('skill activation', () => {
  it('a TypeORM service with fetch: database (repository calls), microservices (from the remote-call rules), NestJS provider', () => {
    const skills = activationOf('orders-service/src/orders/orders.service.ts');
    assert.deepEqual(skills.get('database-optimizer')!.reasons, ['TypeORM repository calls']);
    assert.deepEqual(skills.get('microservices-architect')!.reasons, ['outbound HTTP client (fetch)']);
    assert.deepEqual(skills.get('nestjs-expert')!.reasons, ['NestJS provider']);
    assert.equal(skills.get('api-designer')!.active, false);
    const rules = skills.get('microservices-architect')!.rules;
    assert.deepEqual(rules.map((rule) => [rule.id, rule.severity]), [['remote-call-no-timeout', 'warning'], ['remote-call-no-breaker', 'info']]);
  });

  it('a .sql migration: only the database optimizer, and rules that do not read SQL say so', () => {
    const skills = activationOf('orders-service/migrations/1714000000000_create_orders.sql');
    assert.deepEqual(skills.get('database-optimizer')!.reasons, ['SQL file']);
    for (const skill of ['api-designer', 'microservices-architect', 'nestjs-expert']) assert.equal(skills.get(skill)!.active, false, skill);
    assert.ok(skills.get('microservices-architect')!.rules.every((rule) => !rule.appliesToFile));
  });

  it('the panel agrees with the diagnostics: the remote-call reason appears exactly where the rules look', () => {
    // Browser code: the timeout rule skips it by default, and so does its activation.
    const web = activationOf('web/src/auth.ts');
    assert.ok(!web.get('microservices-architect')!.reasons.some((reason) => reason.startsWith('outbound')));
    const gateway = activationOf('gateway/src/clients/catalog-client.ts');
    assert.match(gateway.get('microservices-architect')!.reasons.join(), /outbound HTTP client \(got\)/);
  });

  it('reports severities in force, `off` for a disabled rule', () => {
    const skills = activationOf('orders-service/src/orders/orders.service.ts', (engine) => engine.configure([{ source: 'test', values: { rules: { 'remote-call-no-breaker': 'off' } } }]));
    assert.deepEqual(skills.get('microservices-architect')!.rules.map((rule) => rule.severity), ['warning', 'off']);
  });

  it('a skill whose rule reported a finding is active even without a detector for it', () => {
    const engine = new AnalysisEngine(examples, RULES);
    const file = parse('x.ts', 'export const x = 1;\n');
    const someRule = RULES.find((rule) => !rule.activation && rule.meta.languages.includes('typescript'));
    if (!someRule) return;
    const skills = skillActivation(file, engine.index, engine.rules, engine.activeRules, new Set([someRule.meta.id]));
    assert.deepEqual(skills.find((skill) => skill.skill === someRule.meta.skill)!.reasons, [`findings of ${someRule.meta.id}`]);
  });

  it('detects skills from imports, never from a method name alone', () => {
    assert.deepEqual(detectSkills(parse('a.ts', `const repo = { find() {} };\nrepo.find();\nclass Module {}\n`)).get('database-optimizer'), []);
    assert.deepEqual(detectSkills(parse('m.ts', `import { Module } from '@nestjs/common';\n@Module({})\nexport class AppModule {}\n`)).get('nestjs-expert'), ['NestJS module']);
    assert.deepEqual(detectSkills(parse('c.ts', `import { Controller, Get } from '@nestjs/common';\n`)).get('api-designer'), ['route decorators']);
    assert.deepEqual(detectSkills(parse('r.ts', `import express from 'express';\nconst app = express();\napp.get('/orders', () => {});\n`)).get('api-designer'), ['HTTP route handlers']);
    assert.deepEqual(detectSkills(parse('k.ts', `import { Knex } from 'knex';\n`)).get('database-optimizer'), ['Knex queries']);
    assert.deepEqual(detectSkills(parse('q.sql', 'select 1;')).get('database-optimizer'), ['SQL file']);
  });
});
