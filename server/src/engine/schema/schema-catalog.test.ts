import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureSqlParser } from '../sql/sql-gate';
import { ProjectIndex } from '../workspace/project-index';
import { schemaExtractionStats } from './migration-sources';
import { schemaCatalogOf } from './schema-catalog';

const corpus = path.join(__dirname, '..', 'sql', 'fixtures', 'corpus');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-schema-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

function projectOf(dir: string, extra: Record<string, string> = {}): ProjectIndex {
  const target = path.join(root, dir);
  fs.mkdirSync(target, { recursive: true });
  for (const [relative, text] of Object.entries(extra)) {
    fs.mkdirSync(path.dirname(path.join(target, relative)), { recursive: true });
    fs.writeFileSync(path.join(target, relative), text);
  }
  const list = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(path.join(d, e.name)) : [path.join(d, e.name)]));
  const project = new ProjectIndex(target);
  project.setFiles(list(target));
  return project;
}

function copyCorpus(from: string, to: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else out[path.join(to, path.relative(path.join(corpus, from), path.join(d, e.name)))] = fs.readFileSync(path.join(d, e.name), 'utf8');
    }
  };
  walk(path.join(corpus, from));
  return out;
}

const names = (list: Array<{ name?: string }>): string[] => list.map((i) => i.name ?? '?').sort();

describe('schema catalog', () => {
  before(async () => {
    await ensureSqlParser();
  });

  it('replays Prisma migrations (warnings header with quotes, enums) in folder order', () => {
    const catalog = schemaCatalogOf(projectOf('prisma', copyCorpus('prisma', 'prisma')))!;
    assert.deepEqual(names(catalog.indexesOf('Order')), ['Order_pkey', 'Order_status_createdAt_idx', 'Order_userId_number_key']);
    const status = catalog.indexesOf('Order').find((i) => i.name === 'Order_status_createdAt_idx')!;
    assert.deepEqual(status.keys, [{ column: 'status', descending: false }, { column: 'total', descending: true }]);
    assert.equal(status.origin.kind, 'sql-migration');
    assert.match(fs.readFileSync(status.origin.filePath, 'utf8').slice(status.origin.start, status.origin.end), /^CREATE INDEX "Order_status_createdAt_idx"/);
    assert.deepEqual(catalog.table('Order')!.foreignKeys.map((fk) => fk.columns), [['userId']]);
    const unique = catalog.indexesOf('Order').find((i) => i.name === 'Order_userId_number_key')!;
    assert.deepEqual([unique.unique, unique.keys.map((k) => k.column)], [true, ['userId', 'number']]);
    assert.deepEqual(catalog.skipped, []);
  });

  it('replays Flyway versions numerically (V2 before V10): renames, drops, added constraints, schemas', () => {
    const catalog = schemaCatalogOf(projectOf('flyway', copyCorpus('flyway', 'db/migration')))!;
    const table = catalog.table('billing.invoices')!;
    assert.ok(table);
    assert.deepEqual(names(table.indexes), ['invoices_account_number', 'invoices_customer_issued', 'invoices_number_key', 'invoices_pkey']);
    const composite = table.indexes.find((i) => i.name === 'invoices_customer_issued')!;
    assert.deepEqual(composite.keys.map((k) => k.column), ['account_id', 'issued_at']);
    assert.equal(composite.method, 'btree');
    assert.equal(catalog.table('invoices'), table);
  });

  it('reads hand-written SQL: CONCURRENTLY, expressions, gin/brin, INCLUDE, partial, quoted names, dollar bodies', () => {
    const catalog = schemaCatalogOf(projectOf('hand', copyCorpus('hand', 'sql')))!;
    const indexes = catalog.indexesOf('accounts');
    const byName = new Map(indexes.map((i) => [i.name, i]));
    assert.equal(byName.get('accounts_lower_email')!.keys[0]!.expression, 'lower(email)');
    assert.equal(byName.get('accounts_tags')!.method, 'gin');
    assert.equal(byName.get('accounts_brin')!.method, 'brin');
    assert.deepEqual(byName.get('accounts_live')!.include, ['id']);
    assert.equal(byName.get('accounts_live')!.where, 'deleted_at IS NULL');
    assert.deepEqual(byName.get('accounts_live')!.whereColumns, ['deleted_at']);
    // Renamed from "Audit Log"; dropping `at` dropped the index that used it.
    assert.ok(catalog.table('audit_log'));
    assert.equal(catalog.table('Audit Log'), undefined);
    assert.deepEqual(catalog.indexesOf('audit_log'), []);
    assert.deepEqual(catalog.table('audit_log')!.foreignKeys.map((fk) => fk.columns), [['account']]);
  });

  it('skips other dialects with a reason, and builds no tables from them', () => {
    const catalog = schemaCatalogOf(projectOf('foreign', copyCorpus('foreign', 'sql')))!;
    assert.equal(catalog.tables().length, 0);
    assert.equal(catalog.skipped.length, 3);
    assert.ok(catalog.skipped.every((s) => /looks like/.test(s.reason)));
  });

  it('reads TypeORM migration classes in timestamp order (query strings and createIndex)', () => {
    const catalog = schemaCatalogOf(projectOf('typeorm', copyCorpus('typeorm', 'src/migrations')))!;
    assert.deepEqual(names(catalog.indexesOf('users')), ['IDX_users_email', 'IDX_users_tenant_name', 'PK_users']);
    const composite = catalog.indexesOf('users').find((i) => i.name === 'IDX_users_tenant_name')!;
    assert.equal(composite.origin.kind, 'typeorm-migration');
    assert.match(fs.readFileSync(composite.origin.filePath, 'utf8').slice(composite.origin.start, composite.origin.end), /^CREATE INDEX "IDX_users_tenant_name"/);
  });

  it('reads schema.prisma: @id, @@id, @unique, @@unique, @@index (sort), @map, @@map, relations', () => {
    const schema = `model User {
  id    String @id @default(uuid())
  email String @unique @map("email_address")
  posts Post[]
  @@map("users")
}

model Post {
  id       Int      @default(autoincrement())
  tenant   Int
  authorId String   @map("author_id")
  author   User     @relation(fields: [authorId], references: [id])
  created  DateTime
  @@id([tenant, id])
  @@unique([tenant, authorId], map: "post_tenant_author")
  @@index([authorId, created(sort: Desc)])
  @@map("posts")
}
`;
    const catalog = schemaCatalogOf(projectOf('prisma-schema', { 'prisma/schema.prisma': schema }))!;
    assert.deepEqual(catalog.indexesOf('users').map((i) => i.keys.map((k) => k.column)), [['id'], ['email_address']]);
    const posts = catalog.table('posts')!;
    assert.deepEqual(posts.indexes.map((i) => [i.name, i.primary, i.unique, i.keys.map((k) => `${k.column}${k.descending ? ' desc' : ''}`).join(',')]), [
      ['posts_pkey', true, true, 'tenant,id'],
      ['post_tenant_author', false, true, 'tenant,author_id'],
      ['posts_author_id_created_idx', false, false, 'author_id,created desc'],
    ]);
    assert.deepEqual(posts.foreignKeys.map((fk) => fk.columns), [['author_id']]);
  });

  const entity = `import { Entity, Column, PrimaryGeneratedColumn, Index, Unique, ManyToOne, JoinColumn } from 'typeorm';
@Entity()
@Index(['tenantId', 'createdAt'])
@Unique('uq_order_number', ['orderNumber'])
@Index('idx_open', ['status'], { where: \`"status" = 'open'\` })
export class OrderItem {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'tenant' }) tenantId: number;
  @Index({ unique: true }) @Column() orderNumber: string;
  @Column() createdAt: Date;
  @Column() status: string;
  @ManyToOne(() => Customer) customer: Customer;
  @ManyToOne(() => Customer) @JoinColumn({ name: 'payer' }) payer: Customer;
}
@Entity('customers')
export class Customer { @PrimaryGeneratedColumn('uuid') id: string; }
`;

  it('reads TypeORM entities: table names, @Column name, primary, @Index/@Unique, join columns (not indexed)', () => {
    const catalog = schemaCatalogOf(projectOf('entities', { 'src/order.entity.ts': entity }))!;
    const table = catalog.table('order_item')!;
    assert.deepEqual(table.indexes.map((i) => [i.name ?? '', i.unique, i.keys.map((k) => k.column).join(','), i.where ?? '']), [
      ['PK_order_item', true, 'id', ''],
      ['', false, 'tenant,createdAt', ''],
      ['uq_order_number', true, 'orderNumber', ''],
      ['idx_open', false, 'status', `"status" = 'open'`],
      ['', true, 'orderNumber', ''],
    ]);
    assert.deepEqual(table.foreignKeys.map((fk) => fk.columns[0]), ['customerId', 'payer']);
    assert.ok(catalog.table('customers'));
  });

  it('applies SnakeNamingStrategy when the project configures it', () => {
    const catalog = schemaCatalogOf(
      projectOf('entities-snake', {
        'src/order.entity.ts': entity,
        'src/db.ts': "import { SnakeNamingStrategy } from 'typeorm-naming-strategies';\nexport const options = { namingStrategy: new SnakeNamingStrategy() };\n",
      }),
    )!;
    const table = catalog.table('order_item')!;
    assert.deepEqual(table.indexes[1]!.keys.map((k) => k.column), ['tenant', 'created_at']);
    assert.deepEqual(table.foreignKeys.map((fk) => fk.columns[0]), ['customer_id', 'payer']);
  });

  it('lets migrations win over entity declarations for the same table', () => {
    const catalog = schemaCatalogOf(
      projectOf('both', {
        'migrations/1700000000000-init.sql': 'CREATE TABLE order_item (id serial PRIMARY KEY, tenant int, "createdAt" timestamptz, "orderNumber" text, status text);',
        'src/order.entity.ts': entity,
      }),
    )!;
    assert.deepEqual(names(catalog.indexesOf('order_item')), ['order_item_pkey']);
    assert.ok(catalog.overridden.length >= 3);
  });

  it('an unrelated edit re-extracts nothing and returns the same catalog; a migration edit updates it', () => {
    const project = projectOf('incremental', {
      'migrations/V1__init.sql': 'CREATE TABLE t (id int PRIMARY KEY, a int);',
      'src/entity.ts': "@Entity('e') export class E { @PrimaryColumn() id: number; }",
      'src/users.service.ts': 'export class UsersService { find() { return 1; } }',
    });
    const first = schemaCatalogOf(project)!;
    const before = { ...schemaExtractionStats };
    project.setOverlay(path.join(project.root, 'src/users.service.ts'), 'export class UsersService { find() { return 2; } }', 2);
    const second = schemaCatalogOf(project)!;
    assert.equal(second, first);
    assert.deepEqual(schemaExtractionStats, before);
    project.setOverlay(path.join(project.root, 'migrations/V1__init.sql'), 'CREATE TABLE t (id int PRIMARY KEY, a int);\nCREATE INDEX t_a ON t (a);', 1);
    const third = schemaCatalogOf(project)!;
    assert.notEqual(third, first);
    assert.deepEqual(names(third.indexesOf('t')), ['t_a', 't_pkey']);
    assert.equal(schemaExtractionStats.sql, before.sql + 1);
    assert.equal(schemaExtractionStats.typeormEntity, before.typeormEntity);
  });
});
