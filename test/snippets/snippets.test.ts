import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { formatDiagnostics, typeCheck } from '../../server/src/engine/testing/type-check';
import { NEST_COMPILER_OPTIONS } from '../scaffolds/nest-project';
import { expandSnippet } from './expand-snippet';

const repo = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));

interface Snippet {
  prefix: string;
  description: string;
  body: string[];
}
const load = (file: string): Record<string, Snippet> => JSON.parse(fs.readFileSync(path.join(repo, 'snippets', file), 'utf8'));
const typescript = load('typescript.json');
const sql = load('sql.json');

const ENTITY = `import { Column, Entity, OneToMany, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
@Entity() export class Item { @PrimaryGeneratedColumn('uuid') id!: string; @ManyToOne(() => Order, (order) => order.items) order!: Order; }
@Entity() export class Order {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column() customerId!: string;
  @Column() status!: string;
  @OneToMany(() => Item, (item) => item.order) items!: Item[];
}
`;

/** Where each snippet is meant to be typed: what the file holds around it. A snippet without an entry fails. */
const CONTEXTS: Record<string, { before?: string; after?: string }> = {
  'ba-cursor-page': {},
  'ba-cursor-list': {
    before: `import { Controller, Get, Query } from '@nestjs/common';\nimport { MoreThan, Repository } from 'typeorm';\nimport { Order } from './snippet-entity';\n@Controller()\nexport class OrdersController {\n  constructor(private readonly repository: Repository<Order>) {}\n`,
    after: '\n}\n',
  },
  'ba-error-contract': {},
  'ba-typeorm-find': {
    before: `import { Repository } from 'typeorm';\nimport { Order } from './snippet-entity';\nexport class Orders {\n  constructor(private readonly orderRepository: Repository<Order>) {}\n  async recent(customerId: string) {\n`,
    after: '\n    return orders;\n  }\n}\n',
  },
  'ba-dataloader': { before: `import { Order } from './snippet-entity';\n` },
  'ba-refresh-rotation': {},
  'ba-auth-cookie': { before: `import type { Response } from 'express';\nexport function login(response: Response, token: string): void {\n`, after: '\n}\n' },
  'ba-owner-guard': {},
  'ba-response-interceptor': {},
  'ba-opossum': { before: `import CircuitBreaker from 'opossum';\ndeclare function callService(id: string): Promise<string>;\n`, after: '\nexport { serviceBreaker };\n' },
  'ba-cockatiel': {
    before: `import { ConsecutiveBreaker, ExponentialBackoff, TimeoutStrategy, circuitBreaker, handleAll, retry, timeout, wrap } from 'cockatiel';\n`,
    after: '\nexport { servicePolicy };\n',
  },
  'ba-event-publish': {},
  'ba-events-handler': { before: `import { EventsHandler, IEventHandler } from '@nestjs/cqrs';\nclass OrderPlacedEvent {\n  constructor(readonly orderId: string) {}\n}\n` },
  'ba-fetch-timeout': { before: `export async function call(url: string): Promise<Response> {\n`, after: '\n  return response;\n}\n' },
  'ba-axios-timeout': { before: `import axios from 'axios';\n`, after: '\nexport { client };\n' },
};

/** What the issue asks the snippets to cover. */
const REQUIRED = ['cursor', 'error-contract', 'index-composite', 'index-partial', 'typeorm-find', 'dataloader', 'refresh-rotation', 'auth-cookie', 'owner-guard', 'response-interceptor', 'opossum', 'cockatiel', 'event-publish', 'events-handler', 'fetch-timeout', 'axios-timeout'];

describe('snippets', () => {
  it('are contributed for TypeScript and SQL, prefixed ba-, each described, covering every pattern', () => {
    assert.deepEqual(pkg.contributes.snippets, [
      { language: 'typescript', path: './snippets/typescript.json' },
      { language: 'sql', path: './snippets/sql.json' },
    ]);
    const all = [...Object.values(typescript), ...Object.values(sql)];
    for (const snippet of all) {
      assert.match(snippet.prefix, /^ba-[a-z-]+$/);
      assert.ok(snippet.description.length > 20, snippet.prefix);
    }
    const prefixes = all.map((snippet) => snippet.prefix);
    assert.equal(new Set(prefixes).size, prefixes.length, 'prefixes are unique');
    for (const pattern of REQUIRED) assert.ok(prefixes.some((prefix) => prefix.includes(pattern)), `a snippet for ${pattern}`);
  });

  it('every TypeScript snippet, expanded with its defaults, type-checks against the real packages in one program', () => {
    // Virtual files (never written) beside this test, so relative imports and node_modules resolve.
    const directory = path.join(repo, 'test/snippets');
    const files = new Map<string, string>([[path.join(directory, 'snippet-entity.ts'), ENTITY]]);
    for (const snippet of Object.values(typescript)) {
      const context = CONTEXTS[snippet.prefix];
      assert.ok(context, `${snippet.prefix} has a context in this test`);
      const expanded = expandSnippet(snippet.body);
      assert.ok(!/\$\{?\d/.test(expanded.replace(/`[^`]*`/g, '')), `${snippet.prefix} left a tab stop: ${expanded}`);
      files.set(path.join(directory, `snippet-${snippet.prefix}.ts`), `${context.before ?? ''}${expanded}${context.after ?? ''}\nexport {};\n`);
    }
    assert.equal(formatDiagnostics(typeCheck(files, NEST_COMPILER_OPTIONS), directory), '');
  });

  it('SQL snippets expand to complete CREATE INDEX statements', () => {
    for (const snippet of Object.values(sql)) {
      const expanded = expandSnippet(snippet.body);
      assert.match(expanded, /CREATE INDEX CONCURRENTLY IF NOT EXISTS \w+\s+ON \w+ \([^)]+\)/, snippet.prefix);
      assert.ok(!expanded.includes('$'), `${snippet.prefix}: ${expanded}`);
      assert.match(expanded.trim(), /;$/);
    }
  });

  it('expands placeholders, choices, mirrors and escapes like VS Code', () => {
    assert.equal(expandSnippet(['${1:a} ${2|x,y|} $1 \\${x} ${3:${1:q}z}$0']), 'a x a ${x} az');
  });
});
