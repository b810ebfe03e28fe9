import assert from 'node:assert/strict';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { SKILL_ACTIVATION_REQUEST, type SkillActivationResult } from '../../server/src/lsp/protocol';
import { RULES } from '../../server/src/rules/registry';
import { LspHarness } from './helpers/lsp-harness';
import { makeWorkspace, removeWorkspace } from './helpers/workspace';

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'orders', dependencies: { '@nestjs/common': '^11.0.0', typeorm: '^0.3.0', '@nestjs/typeorm': '^11.0.0' } }),
  'src/orders.service.ts': [
    "import { Injectable } from '@nestjs/common';",
    "import { InjectRepository } from '@nestjs/typeorm';",
    "import { Repository } from 'typeorm';",
    "import { Order } from './order.entity';",
    '',
    '@Injectable()',
    'export class OrdersService {',
    '  constructor(@InjectRepository(Order) private readonly orders: Repository<Order>) {}',
    '  find(id: string) { return this.orders.findOneBy({ id }); }',
    '}',
    '',
  ].join('\n'),
  'src/order.entity.ts': "import { Entity } from 'typeorm';\n@Entity()\nexport class Order { id!: string; }\n",
  'migrations/001.sql': 'create table orders (id uuid primary key);\n',
};

describe('LSP skill activation request', () => {
  let root: string;
  let lsp: LspHarness;

  afterEach(() => {
    lsp.dispose();
    removeWorkspace(root);
  });

  it('answers for the open document, from its unsaved text, with the folder’s severities', async () => {
    root = makeWorkspace(FILES);
    lsp = await LspHarness.start({ rules: RULES, folders: [root] });
    const uri = await lsp.open(path.join(root, 'src/orders.service.ts'), `${FILES['src/orders.service.ts']}\nexport const ping = () => fetch('https://shipping/health');\n`);
    const result: SkillActivationResult = await lsp.client.sendRequest(SKILL_ACTIVATION_REQUEST, { uri });
    const byId = new Map(result.skills.map((skill) => [skill.skill, skill]));
    assert.deepEqual(byId.get('database-optimizer')!.reasons, ['TypeORM repository calls']);
    assert.deepEqual(byId.get('microservices-architect')!.reasons, ['outbound HTTP client (fetch)'], 'the unsaved fetch counts');
    assert.equal(byId.get('api-designer')!.active, false);

    await lsp.changeSettings({ rules: { 'remote-call-no-breaker': 'off' } });
    const after: SkillActivationResult = await lsp.client.sendRequest(SKILL_ACTIVATION_REQUEST, { uri });
    const rules = after.skills.find((skill) => skill.skill === 'microservices-architect')!.rules;
    assert.equal(rules.find((rule) => rule.id === 'remote-call-no-breaker')!.severity, 'off');
  });

  it('answers for a .sql file, for no file, and says when a file is not analysed', async () => {
    root = makeWorkspace({ ...FILES, '.backend-advisor.json': JSON.stringify({ exclude: ['legacy/**'] }), 'legacy/old.ts': "import axios from 'axios';\n" });
    lsp = await LspHarness.start({ rules: RULES, folders: [root] });
    const sql = await lsp.open(path.join(root, 'migrations/001.sql'), FILES['migrations/001.sql']!, 'sql');
    const sqlResult: SkillActivationResult = await lsp.client.sendRequest(SKILL_ACTIVATION_REQUEST, { uri: sql });
    assert.deepEqual(sqlResult.skills.filter((skill) => skill.active).map((skill) => [skill.skill, skill.reasons]), [['database-optimizer', ['SQL file']]]);
    const none: SkillActivationResult = await lsp.client.sendRequest(SKILL_ACTIVATION_REQUEST, {});
    assert.equal(none.skills.length, 4);
    assert.ok(none.skills.every((skill) => !skill.active));
    assert.ok(none.skills.find((skill) => skill.skill === 'microservices-architect')!.rules.length >= 2);
    const legacy = await lsp.open(path.join(root, 'legacy/old.ts'), "import axios from 'axios';\n");
    const excluded: SkillActivationResult = await lsp.client.sendRequest(SKILL_ACTIVATION_REQUEST, { uri: legacy });
    assert.match(excluded.notAnalysed ?? '', /excluded/);
  });

  it('says why the database optimizer watches index work: schema.prisma, and Prisma queries through a project service', async () => {
    const schema = [
      'datasource db {',
      '  provider = "postgresql"',
      '  url      = env("DATABASE_URL")',
      '}',
      '',
      'model Order {',
      '  id     String @id',
      '  status String',
      '}',
      '',
    ].join('\n');
    const repository = [
      "import { PrismaService } from './prisma.service';",
      '',
      'export class OrdersRepository {',
      '  constructor(private readonly prisma: PrismaService) {}',
      "  pending() { return this.prisma.order.findMany({ where: { status: 'pending' } }); }",
      '}',
      '',
    ].join('\n');
    root = makeWorkspace({
      'package.json': JSON.stringify({ name: 'shop', dependencies: { '@prisma/client': '^5.0.0' } }),
      'prisma/schema.prisma': schema,
      'src/prisma.service.ts': "import { PrismaClient } from '@prisma/client';\nexport class PrismaService extends PrismaClient {}\n",
      'src/orders.repository.ts': repository,
    });
    lsp = await LspHarness.start({ rules: RULES, folders: [root] });
    const active = (result: SkillActivationResult) => result.skills.filter((skill) => skill.active).map((skill) => [skill.skill, skill.reasons]);
    // Asked before any analysis has loaded the SQL parser: the answer waits for it rather than saying "inactive".
    const prisma = await lsp.open(path.join(root, 'prisma/schema.prisma'), schema, 'prisma');
    assert.deepEqual(active(await lsp.client.sendRequest(SKILL_ACTIVATION_REQUEST, { uri: prisma })), [['database-optimizer', ['Prisma schema']]]);
    const service = await lsp.open(path.join(root, 'src/orders.repository.ts'), repository);
    assert.deepEqual(active(await lsp.client.sendRequest(SKILL_ACTIVATION_REQUEST, { uri: service })), [['database-optimizer', ['Prisma client queries']]]);
  });
});
