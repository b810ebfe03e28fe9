import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AnalysisEngine } from '../analysis-engine';
import { ParsedFile } from '../source/parsed-file';
import { ensureSqlParser } from '../sql/sql-gate';
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

/** A Prisma project with a SQL migration folder beside it and a TypeORM corner: each source the index rules read. */
const INDEX_PROJECT: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'shop', dependencies: { '@prisma/client': '^5.0.0', pg: '^8.0.0', typeorm: '^0.3.0' } }),
  'prisma/schema.prisma': [
    'datasource db {',
    '  provider = "postgresql"',
    '  url      = env("DATABASE_URL")',
    '}',
    '',
    'model Customer {',
    '  id     String  @id',
    '  email  String  @unique',
    '  orders Order[]',
    '}',
    '',
    'model Order {',
    '  id         String   @id',
    '  status     String',
    '  customerId String',
    '  customer   Customer @relation(fields: [customerId], references: [id])',
    '  @@index([status])',
    '}',
    '',
  ].join('\n'),
  'migrations/20240101000000_invoices.sql': 'CREATE TABLE invoices (id uuid PRIMARY KEY, order_id uuid NOT NULL, due_at timestamptz NOT NULL);\nCREATE INDEX idx_invoices_due_at ON invoices (due_at);\n',
  'src/prisma.service.ts': "import { PrismaClient } from '@prisma/client';\n\nexport class PrismaService extends PrismaClient {}\n",
  // The client comes from the project's own service: no @prisma/client import in this file.
  'src/orders.repository.ts': [
    "import { PrismaService } from './prisma.service';",
    '',
    'export class OrdersRepository {',
    '  constructor(private readonly prisma: PrismaService) {}',
    '  pending() {',
    "    return this.prisma.order.findMany({ where: { status: 'pending' } });",
    '  }',
    '}',
    '',
  ].join('\n'),
  'src/invoices.store.ts': [
    "import type { Pool } from 'pg';",
    '',
    'export function overdue(pool: Pool, orderId: string) {',
    "  return pool.query('SELECT id FROM invoices WHERE order_id = $1', [orderId]);",
    '}',
    '',
  ].join('\n'),
  'src/shipment.entity.ts': [
    "import { Column, Entity, Index, ManyToOne, PrimaryColumn } from 'typeorm';",
    '',
    '@Entity()',
    "@Index(['trackingCode'])",
    'export class Shipment {',
    '  @PrimaryColumn() id!: string;',
    '  @Column() trackingCode!: string;',
    '  @ManyToOne(() => Shipment) parent!: Shipment;',
    '}',
    '',
  ].join('\n'),
  'src/plain.ts': 'export const answer = 42;\n',
  'src/orders.test.ts': "import type { Pool } from 'pg';\nexport const q = (pool: Pool) => pool.query('SELECT id FROM invoices WHERE order_id = $1', ['x']);\n",
};

describe('skill activation from the index rules (the same detection as their diagnostics)', () => {
  let root: string;
  let engine: AnalysisEngine;
  before(async () => {
    await ensureSqlParser();
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ba-skills-index-')));
    for (const [relative, text] of Object.entries(INDEX_PROJECT)) {
      fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
      fs.writeFileSync(path.join(root, relative), text);
    }
    engine = new AnalysisEngine(root, RULES);
    engine.discover();
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const reasonsOf = (relative: string): string[] => {
    const file = engine.index.file(path.join(root, relative));
    assert.ok(file, relative);
    return skillActivation(file, engine.index, engine.rules, engine.activeRules).find((skill) => skill.skill === 'database-optimizer')!.reasons;
  };

  it('schema.prisma is the Prisma schema the catalog reads', () => {
    assert.deepEqual(reasonsOf('prisma/schema.prisma'), ['Prisma schema']);
  });

  it('a SQL migration keeps the words of a .sql file', () => {
    assert.deepEqual(reasonsOf('migrations/20240101000000_invoices.sql'), ['SQL file']);
  });

  it('a TypeORM entity with an index and a relation', () => {
    assert.deepEqual(reasonsOf('src/shipment.entity.ts'), ['TypeORM entity']);
  });

  it('queries the index rules read: Prisma through a project service (no @prisma/client import), SQL strings', () => {
    assert.deepEqual(reasonsOf('src/orders.repository.ts'), ['Prisma client queries']);
    assert.deepEqual(reasonsOf('src/invoices.store.ts'), ['SQL query strings', 'PostgreSQL client queries']);
  });

  it('no reason where the rules read nothing: plain code, and tests (the index rules skip them)', () => {
    assert.deepEqual(reasonsOf('src/plain.ts'), []);
    assert.deepEqual(reasonsOf('src/orders.test.ts'), ['PostgreSQL client queries'], 'only the import detector speaks for a test file');
  });

  it('agrees with the diagnostics: the rules report in the files their hooks name', async () => {
    const findings = async (relative: string) => (await engine.analyze(path.join(root, relative))).findings.map((finding) => finding.ruleId);
    assert.ok((await findings('src/invoices.store.ts')).includes('unindexed-filter'));
    assert.ok((await findings('prisma/schema.prisma')).includes('unindexed-foreign-key'));
    assert.deepEqual(await findings('src/orders.repository.ts'), [], 'the status filter is served by @@index([status])');
  });
});
