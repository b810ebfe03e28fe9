import { PGlite } from '@electric-sql/pglite';
import { getTableConfig, PgDialect, type PgTable } from 'drizzle-orm/pg-core';
import knexFactory, { type Knex } from 'knex';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Sequelize } from 'sequelize';
import type { Fix } from '../../../engine/model/finding';
import { applyFix } from '../../../engine/fixes/apply-edits';
import { catalogDdl } from '../../../engine/planner/catalog-ddl';
import type { CatalogIndex, SchemaCatalog } from '../../../engine/schema/catalog-model';
import { loadSchemaCatalog } from '../../../engine/schema/schema-catalog';
import { ensureSqlParser, parseSql } from '../../../engine/sql/sql-gate';
import { formatDiagnostics, typeCheck } from '../../../engine/testing/type-check';
import { ProjectIndex } from '../../../engine/workspace/project-index';
import type { IndexProposal } from '../index-proposal';
import { indexFixes } from './index-fixes';
import { listFiles, now, proposal, WRITER_FIXTURES, workspace, type KeySpec, type Workspace } from './writer-test-kit';

/**
 * The Knex, Sequelize and Drizzle writers: each fix is written into a copy of its fixture,
 * type-checked against the installed packages, read back by the schema catalog, and then run for
 * real: the Knex and Sequelize migrations' `up` / `down` through the libraries themselves (their
 * SQL sent to PGlite), the Drizzle table through drizzle-orm's own reading of the schema.
 */
const fixtures = WRITER_FIXTURES;
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-js-migration-writers-'));
// The written modules are loaded from the copies: they resolve knex / drizzle-orm through the repository's packages.
fs.symlinkSync(path.resolve(__dirname, '../../../../../node_modules'), path.join(temp, 'node_modules'), 'dir');

let db: PGlite;
let counter = 0;

before(async () => {
  await ensureSqlParser();
  db = new PGlite();
  await db.waitReady;
});
after(async () => {
  await db.close();
  fs.rmSync(temp, { recursive: true, force: true });
});


function onlyFix(ws: Workspace, p: IndexProposal): Fix {
  const file = ws.project.file(listFiles(ws.root)[0]!)!;
  const fixes = indexFixes(p, { project: ws.project, catalog: ws.catalog, file, now });
  assert.equal(fixes.length, 1, fixes.map((f) => f.title).join('\n'));
  assert.equal(fixes[0]!.isPreferred, false);
  return fixes[0]!;
}

/** Writes the fix into the workspace copy, type-checks its TypeScript against the installed packages, and rebuilds the catalog. */
async function apply(ws: Workspace, fix: Fix): Promise<{ files: Map<string, string>; catalog: SchemaCatalog }> {
  const files = applyFix(fix, (filePath) => (fs.existsSync(filePath) ? fs.readFileSync(filePath, 'utf8') : undefined));
  for (const [filePath, text] of files) {
    assert.ok(filePath.startsWith(ws.root + path.sep), `${filePath} lies in the workspace`);
    fs.mkdirSync(path.dirname(filePath), { recursive: true });
    fs.writeFileSync(filePath, text);
  }
  // Type-checked at the fixture's own path, inside the repository, so knex / drizzle-orm resolve to node_modules.
  const typescript = new Map([...files].filter(([filePath]) => filePath.endsWith('.ts')).map(([filePath, text]) => [path.join(fixtures, ws.fixture, path.relative(ws.root, filePath)), text]));
  if (typescript.size > 0) {
    const diagnostics = typeCheck(typescript);
    assert.equal(diagnostics.length, 0, formatDiagnostics(diagnostics, fixtures));
  }
  const project = new ProjectIndex(ws.root);
  project.setFiles(listFiles(ws.root));
  const catalog = await loadSchemaCatalog(project);
  assert.deepEqual(catalog.skipped, [], 'every file of the fixed workspace is read');
  return { files, catalog };
}

function indexNamed(catalog: SchemaCatalog, table: string, name: string): CatalogIndex {
  const index = catalog.indexesOf(table).find((i) => i.name === name);
  assert.ok(index, `${name} on ${table}; the catalog has ${catalog.indexesOf(table).map((i) => i.name).join(', ')}`);
  return index;
}

const keysOf = (index: CatalogIndex): string[] => index.keys.map((k) => `${k.column ?? k.expression}${k.descending ? ' DESC' : ''}`);

function created(fix: Fix): Array<{ filePath: string; content: string }> {
  return fix.changes.flatMap((c) => (c.kind === 'create' ? [{ filePath: c.filePath, content: c.content }] : []));
}

/** Every SQL statement a library sends, run on PGlite in the current schema, and recorded. */
const sent: string[] = [];
async function run(sql: string): Promise<void> {
  assert.equal(parseSql(sql).kind, 'parsed', sql);
  sent.push(sql);
  await db.exec(sql);
}

/** A Knex instance whose queries run on PGlite: the migration's own builder calls produce the SQL. */
function knexOnPglite(): Knex {
  const knex = knexFactory({ client: 'pg' });
  const client = knex.client as unknown as Record<string, unknown>;
  client.acquireConnection = async () => ({});
  client.releaseConnection = async () => undefined;
  client._query = async (_connection: unknown, query: { sql: string; bindings?: unknown[]; response?: unknown }) => {
    assert.deepEqual(query.bindings ?? [], [], query.sql);
    await run(query.sql);
    query.response = { rows: [], rowCount: 0, command: 'CREATE' };
    return query;
  };
  client.processResponse = () => undefined;
  return knex;
}

/** A Sequelize whose queryInterface sends its SQL to PGlite (Sequelize connects only when it queries). */
function sequelizeOnPglite(): Sequelize {
  const sequelize = new Sequelize('postgres://user:secret@localhost:5432/db', { logging: false });
  (sequelize as unknown as { query: (sql: string) => Promise<unknown> }).query = async (sql) => {
    await run(sql);
    return [[], 0];
  };
  return sequelize;
}

interface MigrationModule {
  up: (...args: unknown[]) => Promise<unknown>;
  down: (...args: unknown[]) => Promise<unknown>;
  config?: { transaction?: boolean };
}

async function load(filePath: string): Promise<MigrationModule> {
  const loaded = (await import(pathToFileURL(filePath).href)) as Partial<MigrationModule> & { default?: Partial<MigrationModule> };
  const module = typeof loaded.up === 'function' ? loaded : loaded.default;
  assert.ok(module && typeof module.up === 'function' && typeof module.down === 'function', `${filePath} exports up and down`);
  return module as MigrationModule;
}

/** Index names the plan of `query` uses, with sequential scans off. */
async function planIndexes(query: string): Promise<string[]> {
  await db.exec('SET enable_seqscan = off');
  const result = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${query}`);
  await db.exec('RESET enable_seqscan');
  return JSON.stringify(result.rows[0]!['QUERY PLAN']).match(/"Index Name":"[^"]+"/g)?.map((m) => m.slice(14, -1)) ?? [];
}

/** A fresh schema holding `ddl`, made current. */
async function freshSchema(ddl: string): Promise<string> {
  const schema = `jw_${++counter}`;
  await db.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema};`);
  await db.exec(ddl);
  return schema;
}

async function indexExists(schema: string, name: string): Promise<boolean> {
  const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = '${schema}' AND indexname = '${name}'`);
  return rows.rows[0]!.n === 1;
}

const ORDERS_DDL = `CREATE TABLE orders (id serial PRIMARY KEY, customer_id integer NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());`;
const ORDERS_QUERY = `SELECT * FROM orders WHERE customer_id = 7 ORDER BY created_at DESC LIMIT 20`;
const customerThenNewest: KeySpec[] = [['customer_id', { role: 'equality' }], ['created_at', { desc: true, role: 'sort' }]];
const customerThenOldest: KeySpec[] = [['customer_id', { role: 'equality' }], ['created_at', { role: 'sort' }]];

describe('migration writer: Knex', () => {
  it('CommonJS .js migrations: the next timestamp, the schema builder in up and down, Knex\'s _index naming', async () => {
    const ws = await workspace(temp, 'knex-js');
    const fix = onlyFix(ws, proposal(ws, 'orders', customerThenOldest));
    assert.equal(fix.title, 'Create index orders_customer_id_created_at_index (new Knex migration 20261124093000_add_orders_customer_id_created_at_index)');
    const [file] = created(fix);
    assert.equal(path.relative(ws.root, file!.filePath), path.join('db/migrations/20261124093000_add_orders_customer_id_created_at_index.js'));
    assert.match(file!.content, /\nexports\.up = function \(knex\) \{\n  return knex\.schema\.alterTable\('orders', \(table\) => \{\n    table\.index\(\['customer_id', 'created_at'\], 'orders_customer_id_created_at_index'\);\n  \}\);\n\};\n/);
    assert.match(file!.content, /table\.dropIndex\(\['customer_id', 'created_at'\], 'orders_customer_id_created_at_index'\)/);
    assert.doesNotMatch(file!.content, /knex\.raw|config|CONCURRENTLY IF/);
    const applied = await apply(ws, fix);
    assert.deepEqual(keysOf(indexNamed(applied.catalog, 'orders', 'orders_customer_id_created_at_index')), ['customer_id', 'created_at']);
    assert.equal(indexNamed(applied.catalog, 'orders', 'orders_customer_id_created_at_index').origin.kind, 'knex-migration');
    // Knex itself runs the migration: up creates the index the planner then uses (a backward scan for the newest first), down drops it.
    const schema = await freshSchema(ORDERS_DDL);
    const migration = await load(file!.filePath);
    const knex = knexOnPglite();
    await migration.up(knex);
    assert.deepEqual(await planIndexes(ORDERS_QUERY), ['orders_customer_id_created_at_index']);
    await migration.down(knex);
    assert.equal(await indexExists(schema, 'orders_customer_id_created_at_index'), false);
    await knex.destroy();
  });

  it('CommonJS .js migrations: a partial, descending index through knex.raw, in a transaction (no CONCURRENTLY)', async () => {
    const ws = await workspace(temp, 'knex-js');
    const fix = onlyFix(ws, proposal(ws, 'orders', customerThenNewest, `status IN ('pending', 'failed')`));
    const [file] = created(fix);
    assert.match(file!.content, /return knex\.raw\('CREATE INDEX IF NOT EXISTS orders_customer_id_created_at_index ON orders \(customer_id, created_at DESC\) WHERE status IN \(\\'pending\\', \\'failed\\'\)'\);/);
    assert.match(file!.content, /Knex runs this in a transaction/);
    const applied = await apply(ws, fix);
    const index = indexNamed(applied.catalog, 'orders', 'orders_customer_id_created_at_index');
    assert.deepEqual(keysOf(index), ['customer_id', 'created_at DESC']);
    assert.deepEqual(index.whereColumns, ['status']);
    const schema = await freshSchema(ORDERS_DDL);
    const migration = await load(file!.filePath);
    const knex = knexOnPglite();
    await migration.up(knex);
    assert.deepEqual(await planIndexes(`SELECT * FROM orders WHERE customer_id = 7 AND status = 'pending' ORDER BY created_at DESC LIMIT 20`), ['orders_customer_id_created_at_index']);
    await migration.down(knex);
    assert.equal(await indexExists(schema, 'orders_customer_id_created_at_index'), false);
    await knex.destroy();
  });

  it('TypeScript ESM migrations that opt out of transactions: typed up/down, CONCURRENTLY and config = { transaction: false }', async () => {
    const ws = await workspace(temp, 'knex-ts');
    const fix = onlyFix(ws, proposal(ws, 'orders', customerThenNewest));
    assert.equal(fix.title, 'Create index idx_orders_customer_id_created_at (new Knex migration 20261124093000_add_idx_orders_customer_id_created_at)');
    const [file] = created(fix);
    assert.equal(path.basename(file!.filePath), '20261124093000_add_idx_orders_customer_id_created_at.ts');
    assert.match(file!.content, /^import type \{ Knex \} from "knex";\n/);
    assert.match(file!.content, /\nexport async function up\(knex: Knex\): Promise<void> \{\n    await knex\.raw\("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_customer_id_created_at ON orders \(customer_id, created_at DESC\)"\);\n\}\n/);
    assert.match(file!.content, /\nexport const config = \{ transaction: false \};\n$/);
    const applied = await apply(ws, fix);
    assert.deepEqual(keysOf(indexNamed(applied.catalog, 'orders', 'idx_orders_customer_id_created_at')), ['customer_id', 'created_at DESC']);
    const schema = await freshSchema(ORDERS_DDL);
    const migration = await load(file!.filePath);
    assert.deepEqual(migration.config, { transaction: false });
    const knex = knexOnPglite();
    sent.length = 0;
    await migration.up(knex);
    assert.deepEqual(sent, ['CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_customer_id_created_at ON orders (customer_id, created_at DESC)']);
    assert.deepEqual(await planIndexes(ORDERS_QUERY), ['idx_orders_customer_id_created_at']);
    await migration.down(knex);
    assert.equal(await indexExists(schema, 'idx_orders_customer_id_created_at'), false);
    await knex.destroy();
  });
});

describe('migration writer: Sequelize', () => {
  it('sequelize-cli migrations: addIndex with a DESC field object, CONCURRENTLY, removeIndex in down', async () => {
    const ws = await workspace(temp, 'sequelize');
    const fix = onlyFix(ws, proposal(ws, 'orders', customerThenNewest));
    assert.equal(fix.title, 'Create index orders_customer_id_created_at_idx (new Sequelize migration 20261124093000-add-orders-customer-id-created-at-idx)');
    const [file] = created(fix);
    assert.equal(path.relative(ws.root, file!.filePath), path.join('migrations/20261124093000-add-orders-customer-id-created-at-idx.js'));
    assert.match(file!.content, /^'use strict';\n/);
    assert.match(file!.content, /\nmodule\.exports = \{\n  async up\(queryInterface\) \{\n    await queryInterface\.addIndex\('orders', \['customer_id', \{ name: 'created_at', order: 'DESC' \}\], \{ name: 'orders_customer_id_created_at_idx', concurrently: true \}\);\n  \},\n/);
    assert.match(file!.content, /await queryInterface\.removeIndex\('orders', 'orders_customer_id_created_at_idx', \{ concurrently: true \}\);/);
    const applied = await apply(ws, fix);
    assert.deepEqual(keysOf(indexNamed(applied.catalog, 'orders', 'orders_customer_id_created_at_idx')), ['customer_id', 'created_at DESC']);
    const schema = await freshSchema(ORDERS_DDL);
    const migration = await load(file!.filePath);
    const sequelize = sequelizeOnPglite();
    sent.length = 0;
    await migration.up(sequelize.getQueryInterface(), Sequelize);
    assert.match(sent[0]!, /^CREATE INDEX CONCURRENTLY "orders_customer_id_created_at_idx" ON "orders" \("customer_id", "created_at" DESC\)/);
    assert.deepEqual(await planIndexes(ORDERS_QUERY), ['orders_customer_id_created_at_idx']);
    await migration.down(sequelize.getQueryInterface(), Sequelize);
    assert.equal(await indexExists(schema, 'orders_customer_id_created_at_idx'), false);
  });

  it('a partial index: the CREATE INDEX through queryInterface.sequelize.query, read back with its predicate', async () => {
    const ws = await workspace(temp, 'sequelize');
    const fix = onlyFix(ws, proposal(ws, 'orders', [['created_at', { role: 'sort' }]], `status = 'pending'`));
    const [file] = created(fix);
    assert.match(file!.content, /await queryInterface\.sequelize\.query\('CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_created_at_idx ON orders \(created_at\) WHERE status = \\'pending\\''\);/);
    const applied = await apply(ws, fix);
    const index = indexNamed(applied.catalog, 'orders', 'orders_created_at_idx');
    assert.deepEqual(index.whereColumns, ['status']);
    const schema = await freshSchema(ORDERS_DDL);
    const migration = await load(file!.filePath);
    const sequelize = sequelizeOnPglite();
    await migration.up(sequelize.getQueryInterface(), Sequelize);
    assert.deepEqual(await planIndexes(`SELECT * FROM orders WHERE status = 'pending' ORDER BY created_at LIMIT 5`), ['orders_created_at_idx']);
    await migration.down(sequelize.getQueryInterface(), Sequelize);
    assert.equal(await indexExists(schema, 'orders_created_at_idx'), false);
  });
});

describe('migration writer: Sequelize in TypeScript', () => {
  it('named typed exports, the options form of addIndex (its typings take field objects only there)', async () => {
    const ws = await workspace(temp, 'sequelize-ts');
    const fix = onlyFix(ws, proposal(ws, 'orders', customerThenNewest));
    const [file] = created(fix);
    assert.equal(path.relative(ws.root, file!.filePath), path.join('src/migrations/20261124093000-add-idx-orders-customer-id-created-at.ts'));
    assert.match(file!.content, /^import \{ DataTypes, type QueryInterface \} from 'sequelize';\n/);
    assert.match(file!.content, /\nexport async function up\(queryInterface: QueryInterface\): Promise<void> \{\n  await queryInterface\.addIndex\('orders', \{ fields: \['customer_id', \{ name: 'created_at', order: 'DESC' \}\], name: 'idx_orders_customer_id_created_at', concurrently: true \}\);\n\}\n/);
    const applied = await apply(ws, fix);
    assert.deepEqual(keysOf(indexNamed(applied.catalog, 'orders', 'idx_orders_customer_id_created_at')), ['customer_id', 'created_at DESC']);
    const schema = await freshSchema(ORDERS_DDL);
    const migration = await load(file!.filePath);
    const sequelize = sequelizeOnPglite();
    await migration.up(sequelize.getQueryInterface());
    assert.deepEqual(await planIndexes(ORDERS_QUERY), ['idx_orders_customer_id_created_at']);
    await migration.down(sequelize.getQueryInterface());
    assert.equal(await indexExists(schema, 'idx_orders_customer_id_created_at'), false);
  });
});

/** The index drizzle-orm itself builds from the fixed schema: name, columns with their order, and predicate as SQL. */
async function drizzleIndex(filePath: string, variable: string, name: string): Promise<{ columns: string[]; where?: string }> {
  const schema = (await import(pathToFileURL(filePath).href)) as Record<string, PgTable>;
  const config = getTableConfig(schema[variable]!);
  const index = config.indexes.find((i) => i.config.name === name);
  assert.ok(index, `${name} in drizzle's config of ${variable}: ${config.indexes.map((i) => i.config.name).join(', ')}`);
  const columns = index.config.columns.map((column) => {
    if ('name' in column && typeof column.name === 'string') return `${column.name}${(column as { indexConfig?: { order?: string } }).indexConfig?.order === 'desc' ? ' DESC' : ''}`;
    return new PgDialect().sqlToQuery(column as never).sql;
  });
  return index.config.where ? { columns, where: new PgDialect().sqlToQuery(index.config.where).sql } : { columns };
}

describe('migration writer: Drizzle', () => {
  it('the array callback: index().on(t.customerId, t.createdAt.desc()) appended, read back by the catalog and by drizzle-orm', async () => {
    const ws = await workspace(temp, 'drizzle-schema');
    const fix = onlyFix(ws, proposal(ws, 'orders', customerThenNewest));
    assert.equal(fix.title, 'Create index idx_orders_customer_id_created_at (index() on orders)');
    const applied = await apply(ws, fix);
    const schemaPath = path.join(ws.root, 'src/db/schema.ts');
    assert.match(applied.files.get(schemaPath)!, /\(t\) => \[index\('idx_orders_status'\)\.on\(t\.status\), index\('idx_orders_customer_id_created_at'\)\.on\(t\.customerId, t\.createdAt\.desc\(\)\)\],/);
    assert.deepEqual(keysOf(indexNamed(applied.catalog, 'orders', 'idx_orders_customer_id_created_at')), ['customer_id', 'created_at DESC']);
    assert.deepEqual(await drizzleIndex(schemaPath, 'orders', 'idx_orders_customer_id_created_at'), { columns: ['customer_id', 'created_at DESC'] });
    // drizzle-kit push / generate would create the declared index: the schema as the catalog reads it back.
    await freshSchema(catalogDdl(applied.catalog).statements.map((s) => `${s};`).join('\n'));
    assert.deepEqual(await planIndexes(ORDERS_QUERY), ['idx_orders_customer_id_created_at']);
  });

  it('a table without a callback gets one; a partial index imports sql from drizzle-orm', async () => {
    const ws = await workspace(temp, 'drizzle-schema');
    const fix = onlyFix(ws, proposal(ws, 'customers', [['email', { role: 'equality' }]], `email LIKE '%@example.com'`));
    const applied = await apply(ws, fix);
    const schemaPath = path.join(ws.root, 'src/db/schema.ts');
    const text = applied.files.get(schemaPath)!;
    assert.match(text, /^import \{ index, integer, pgTable, serial, text, timestamp \} from 'drizzle-orm\/pg-core';\nimport \{ sql \} from 'drizzle-orm';\n/);
    assert.match(text, /  email: text\('email'\)\.notNull\(\),\n\}, \(t\) => \[index\('idx_customers_email'\)\.on\(t\.email\)\.where\(sql`email LIKE '%@example\.com'`\)\]\);/);
    const index = indexNamed(applied.catalog, 'customers', 'idx_customers_email');
    assert.equal(index.where, "email LIKE '%@example.com'");
    assert.deepEqual(await drizzleIndex(schemaPath, 'customers', 'idx_customers_email'), { columns: ['email'], where: "email LIKE '%@example.com'" });
    await freshSchema(catalogDdl(applied.catalog).statements.map((s) => `${s};`).join('\n'));
    assert.deepEqual(await planIndexes(`SELECT * FROM customers WHERE email = 'a@example.com' AND email LIKE '%@example.com'`), ['idx_customers_email']);
  });

  it('the object callback gets a keyed entry; an expression key is written as sql``', async () => {
    const ws = await workspace(temp, 'drizzle-schema');
    const fix = onlyFix(ws, proposal(ws, 'payments', [['state', { expression: 'lower(state)', role: 'equality' }], ['order_id', { role: 'sort' }]]));
    const applied = await apply(ws, fix);
    const schemaPath = path.join(ws.root, 'src/db/schema.ts');
    assert.match(applied.files.get(schemaPath)!, /    stateIdx: index\('idx_payments_state'\)\.on\(t\.state\),\n    idxPaymentsLowerStateOrderId: index\('idx_payments_lower_state_order_id'\)\.on\(sql`lower\(state\)`, t\.orderId\),\n  \}\),/);
    assert.deepEqual(keysOf(indexNamed(applied.catalog, 'payments', 'idx_payments_lower_state_order_id')), ['lower(state)', 'order_id']);
    assert.deepEqual(await drizzleIndex(schemaPath, 'payments', 'idx_payments_lower_state_order_id'), { columns: ['lower(state)', 'order_id'] });
    await freshSchema(catalogDdl(applied.catalog).statements.map((s) => `${s};`).join('\n'));
    assert.deepEqual(await planIndexes(`SELECT * FROM payments WHERE lower(state) = 'open' ORDER BY order_id LIMIT 10`), ['idx_payments_lower_state_order_id']);
  });
});
