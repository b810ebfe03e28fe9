import { PGlite } from '@electric-sql/pglite';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
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
import { listFiles, now, NOW, proposal, WRITER_FIXTURES, workspace, type KeySpec, type Workspace } from './writer-test-kit';
import { createIndexSql } from './index-sql';
import { nextTimestamp } from './migration-clock';
import { proposedIndexName } from './index-naming';
import { nextPrefix, type SqlMigrationFolder } from './sql-migration-folder';

const fixtures = WRITER_FIXTURES;
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-migration-writer-'));

let db: PGlite;
let schemaCount = 0;

before(async () => {
  await ensureSqlParser();
  db = new PGlite();
  await db.waitReady;
});
after(async () => {
  await db.close();
  fs.rmSync(temp, { recursive: true, force: true });
});


function fixesFor(ws: Workspace, p: IndexProposal): Fix[] {
  const file = ws.project.file(listFiles(ws.root)[0]!)!;
  return indexFixes(p, { project: ws.project, catalog: ws.catalog, file, now });
}

interface Applied {
  files: Map<string, string>;
  catalog: SchemaCatalog;
}

/** Writes the fix into the workspace copy, type-checks its TypeScript against the installed packages, and rebuilds the catalog. */
async function apply(ws: Workspace, fix: Fix): Promise<Applied> {
  const files = applyFix(fix, (filePath) => (fs.existsSync(filePath) ? fs.readFileSync(filePath, 'utf8') : undefined));
  for (const [filePath, text] of files) {
    assert.ok(filePath.startsWith(ws.root + path.sep), `${filePath} lies in the workspace`);
    fs.mkdirSync(path.dirname(filePath), { recursive: true });
    fs.writeFileSync(filePath, text);
  }
  // Type-checked at the fixture's own path, inside the repository, so `typeorm` resolves to node_modules.
  const typescript = new Map([...files].filter(([filePath]) => filePath.endsWith('.ts')).map(([filePath, text]) => [path.join(fixtures, ws.fixture, path.relative(ws.root, filePath)), text]));
  if (typescript.size > 0) {
    const diagnostics = typeCheck(typescript);
    assert.equal(diagnostics.length, 0, formatDiagnostics(diagnostics, fixtures));
  }
  for (const [filePath, text] of files) if (filePath.endsWith('.sql')) assert.equal(parseSql(text).kind, 'parsed', `${filePath} parses:\n${text}`);
  const project = new ProjectIndex(ws.root);
  project.setFiles(listFiles(ws.root));
  return { files, catalog: await loadSchemaCatalog(project) };
}

function indexNamed(catalog: SchemaCatalog, table: string, name: string): CatalogIndex {
  const index = catalog.indexesOf(table).find((i) => i.name === name);
  assert.ok(index, `${name} on ${table}; the catalog has ${catalog.indexesOf(table).map((i) => i.name).join(', ')}`);
  return index;
}

const keysOf = (index: CatalogIndex): string[] => index.keys.map((k) => `${k.column ?? k.expression}${k.descending ? ' DESC' : ''}`);

/** The SQL strings a TypeORM migration's method passes to `queryRunner.query`. */
function querySql(text: string, method: 'up' | 'down'): string[] {
  const body = new RegExp(`async ${method}\\([^)]*\\)[^{]*\\{([\\s\\S]*?)\\n\\s*\\}`).exec(text)![1]!;
  return [...body.matchAll(/queryRunner\.query\(`((?:[^`\\]|\\.)*)`\)/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
}

/**
 * Creates `ddl` in a fresh schema, runs each migration text (one statement each, outside a
 * transaction as the migration tools run it), and returns the index names the plan of `query` uses
 * with sequential scans off.
 */
async function planIndexes(ddl: string, migrations: string[], query: string): Promise<string[]> {
  const schema = `mw_${++schemaCount}`;
  await db.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema};`);
  await db.exec(ddl);
  for (const migration of migrations) await db.exec(migration);
  await db.exec('SET enable_seqscan = off');
  const result = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${query}`);
  const names: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Index Name' && typeof value === 'string') names.push(value);
        else walk(value);
      }
    }
  };
  walk(result.rows[0]!['QUERY PLAN']);
  await db.exec('RESET enable_seqscan; SET search_path TO public;');
  return names;
}

/**
 * For fixes that write no SQL (`@Index`, `@@index` without migrations): the schema as the catalog
 * reads it back from the fixed files, so the index is the one the ORM would create from the written
 * declaration (its keys, directions and predicate), not one the test writes itself.
 */
function declaredDdl(catalog: SchemaCatalog): string {
  return catalogDdl(catalog).statements.map((statement) => `${statement};`).join('\n');
}

const ORDERS_DDL = `CREATE TABLE orders (id serial PRIMARY KEY, customer_id integer NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());`;
const ORDERS_QUERY = `SELECT * FROM orders WHERE customer_id = 7 ORDER BY created_at DESC LIMIT 20`;
const customerThenNewest: KeySpec[] = [['customer_id', { role: 'equality' }], ['created_at', { desc: true, role: 'sort' }]];

function created(fix: Fix): Array<{ filePath: string; content: string }> {
  return fix.changes.flatMap((c) => (c.kind === 'create' ? [{ filePath: c.filePath, content: c.content }] : []));
}

describe('migration writer: SQL migration folders', () => {
  it('Flyway: the next version, CONCURRENTLY, idx_ naming; the planner then uses the index', async () => {
    const ws = await workspace(temp, 'flyway');
    const fixes = fixesFor(ws, proposal(ws, 'orders', customerThenNewest));
    assert.equal(fixes.length, 1);
    const [fix] = fixes as [Fix];
    assert.equal(fix.isPreferred, false);
    assert.equal(fix.title, 'Create index idx_orders_customer_id_created_at (new migration V4__add_idx_orders_customer_id_created_at)');
    const [file] = created(fix);
    assert.equal(path.relative(ws.root, file!.filePath), path.join('src/main/resources/db/migration', 'V4__add_idx_orders_customer_id_created_at.sql'));
    assert.match(file!.content, /^-- Index for orders by customer_id, created_at\.\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_customer_id_created_at ON orders \(customer_id, created_at DESC\);\n$/);
    const applied = await apply(ws, fix);
    assert.deepEqual(keysOf(indexNamed(applied.catalog, 'orders', 'idx_orders_customer_id_created_at')), ['customer_id', 'created_at DESC']);
    assert.deepEqual(await planIndexes(ORDERS_DDL, [file!.content], ORDERS_QUERY), ['idx_orders_customer_id_created_at']);
  });

  it('Flyway: a partial index keeps its predicate, and a second proposal of the same name does not collide', async () => {
    const ws = await workspace(temp, 'flyway');
    const [fix] = fixesFor(ws, proposal(ws, 'orders', [['created_at', { role: 'sort' }]], `status IN ('pending', 'failed')`)) as [Fix];
    const [file] = created(fix);
    assert.match(file!.content, /ON orders \(created_at\) WHERE status IN \('pending', 'failed'\);/);
    const applied = await apply(ws, fix);
    const index = indexNamed(applied.catalog, 'orders', 'idx_orders_created_at');
    assert.deepEqual(index.whereColumns, ['status']);
    assert.deepEqual(await planIndexes(ORDERS_DDL, [file!.content], `SELECT * FROM orders WHERE status = 'pending' ORDER BY created_at LIMIT 5`), ['idx_orders_created_at']);
    // The applied migration is now in the catalog: the same proposal gets a fresh name and the next version.
    const again = await workspace(temp, 'flyway');
    fs.writeFileSync(path.join(again.root, path.relative(ws.root, file!.filePath)), file!.content);
    const reloaded = { ...again, project: new ProjectIndex(again.root) };
    reloaded.project.setFiles(listFiles(again.root));
    reloaded.catalog = await loadSchemaCatalog(reloaded.project);
    const [second] = fixesFor(reloaded, proposal(reloaded, 'orders', [['created_at', { role: 'sort' }]], `status IN ('pending', 'failed')`)) as [Fix];
    assert.match(second.title, /^Create index idx_orders_created_at_2 \(new migration V5__add_idx_orders_created_at_2\)$/);
  });

  it('timestamped files with hyphens: a later timestamp, hyphenated name, the folder\'s _idx naming', async () => {
    const ws = await workspace(temp, 'timestamped');
    const [fix] = fixesFor(ws, proposal(ws, 'orders', customerThenNewest)) as [Fix];
    const [file] = created(fix);
    assert.equal(path.basename(file!.filePath), '20261124093000-add-orders-customer-id-created-at-idx.sql');
    assert.match(file!.content, /CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_created_at_idx ON orders/);
    const applied = await apply(ws, fix);
    indexNamed(applied.catalog, 'orders', 'orders_customer_id_created_at_idx');
    assert.deepEqual(await planIndexes(ORDERS_DDL, [file!.content], ORDERS_QUERY), ['orders_customer_id_created_at_idx']);
  });

  it('numbered files: the next number with the same padding, ix_ naming, an expression key', async () => {
    const ws = await workspace(temp, 'numbered');
    const [fix] = fixesFor(ws, proposal(ws, 'customers', [['email', { expression: 'lower(email)', role: 'equality' }]])) as [Fix];
    const [file] = created(fix);
    assert.equal(path.basename(file!.filePath), '0003_add_ix_customers_lower_email.sql');
    assert.match(file!.content, /CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_customers_lower_email ON customers \(\(lower\(email\)\)\);/);
    const applied = await apply(ws, fix);
    assert.deepEqual(keysOf(indexNamed(applied.catalog, 'customers', 'ix_customers_lower_email')), ['lower(email)']);
    const ddl = 'CREATE TABLE customers (id serial PRIMARY KEY, email text NOT NULL);';
    assert.deepEqual(await planIndexes(ddl, [file!.content], `SELECT * FROM customers WHERE lower(email) = 'a@b.c'`), ['ix_customers_lower_email']);
  });

  it('up/down pairs: both files, the down drops the index', async () => {
    const ws = await workspace(temp, 'updown');
    const [fix] = fixesFor(ws, proposal(ws, 'orders', customerThenNewest)) as [Fix];
    const files = created(fix);
    assert.deepEqual(files.map((f) => path.basename(f.filePath)), ['000003_add_idx_orders_customer_id_created_at.up.sql', '000003_add_idx_orders_customer_id_created_at.down.sql']);
    assert.equal(files[1]!.content, 'DROP INDEX CONCURRENTLY IF EXISTS idx_orders_customer_id_created_at;\n');
    const applied = await apply(ws, fix);
    indexNamed(applied.catalog, 'orders', 'idx_orders_customer_id_created_at');
    // The catalog replays the up files only: the older index survives its own down file.
    indexNamed(applied.catalog, 'orders', 'idx_orders_status');
    assert.deepEqual(await planIndexes(ORDERS_DDL, [files[0]!.content], ORDERS_QUERY), ['idx_orders_customer_id_created_at']);
    await db.exec(`SET search_path TO mw_${schemaCount};`);
    await db.exec(files[1]!.content);
    const left = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'mw_${schemaCount}' AND indexname = 'idx_orders_customer_id_created_at'`);
    await db.exec('SET search_path TO public;');
    assert.equal(left.rows[0]!.n, 0);
  });
});

const PRISMA_DDL = `CREATE TABLE "Order" (id serial PRIMARY KEY, "customerId" integer NOT NULL, status text NOT NULL, "createdAt" timestamp(3) NOT NULL DEFAULT now());`;
const PRISMA_QUERY = `SELECT * FROM "Order" WHERE "customerId" = 7 ORDER BY "createdAt" DESC LIMIT 20`;

describe('migration writer: dbmate and Drizzle Kit folders', () => {
  it('dbmate: one file with up and down sections, transaction:false so CONCURRENTLY runs', async () => {
    const ws = await workspace(temp, 'dbmate');
    const [fix] = fixesFor(ws, proposal(ws, 'orders', customerThenNewest)) as [Fix];
    const [file] = created(fix);
    assert.equal(path.basename(file!.filePath), '20261124093000_add_orders_customer_id_created_at_idx.sql');
    assert.match(file!.content, /^-- migrate:up transaction:false\n[\s\S]*CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_created_at_idx[\s\S]*\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS orders_customer_id_created_at_idx;\n$/);
    const applied = await apply(ws, fix);
    // The catalog reads each file up to `-- migrate:down`: the table and both indexes are there.
    indexNamed(applied.catalog, 'orders', 'orders_customer_id_created_at_idx');
    indexNamed(applied.catalog, 'orders', 'orders_status_idx');
    const up = file!.content.slice(0, file!.content.indexOf('-- migrate:down'));
    assert.deepEqual(await planIndexes(ORDERS_DDL, [up], ORDERS_QUERY), ['orders_customer_id_created_at_idx']);
  });

  it('Drizzle Kit: no new SQL file, since drizzle-kit applies only the migrations its journal lists', async () => {
    const ws = await workspace(temp, 'drizzle');
    assert.ok(ws.catalog.table('orders'));
    assert.deepEqual(fixesFor(ws, proposal(ws, 'orders', customerThenNewest)), []);
  });
});

describe('migration writer: Prisma', () => {
  it('schema.prisma with migrations: @@index in the model and the migration Prisma would generate, without CONCURRENTLY', async () => {
    const ws = await workspace(temp, 'prisma-migrations');
    const fixes = fixesFor(ws, proposal(ws, 'Order', [['customerId', { role: 'equality' }], ['createdAt', { desc: true, role: 'sort' }]]));
    assert.equal(fixes.length, 1, 'no SQL-only fix: Prisma would drop an index its schema does not declare');
    const [fix] = fixes as [Fix];
    assert.equal(fix.title, 'Create index Order_customerId_createdAt_idx (@@index in model Order and new migration 20261124093000_add_order_customerid_createdat_idx)');
    const [migration] = created(fix);
    assert.equal(path.relative(ws.root, migration!.filePath), path.join('prisma/migrations/20261124093000_add_order_customerid_createdat_idx/migration.sql'));
    assert.match(migration!.content, /Prisma runs each migration in a transaction/);
    assert.match(migration!.content, /\nCREATE INDEX IF NOT EXISTS "Order_customerId_createdAt_idx" ON "Order" \("customerId", "createdAt" DESC\);\n$/);
    const applied = await apply(ws, fix);
    const schema = applied.files.get(path.join(ws.root, 'prisma/schema.prisma'))!;
    assert.match(schema, /  @@index\(\[status\]\)\n  @@index\(\[customerId, createdAt\(sort: Desc\)\]\)\n\}/);
    assert.deepEqual(keysOf(indexNamed(applied.catalog, 'Order', 'Order_customerId_createdAt_idx')), ['customerId', 'createdAt DESC']);
    assert.deepEqual(await planIndexes(PRISMA_DDL, [migration!.content], PRISMA_QUERY), ['Order_customerId_createdAt_idx']);
  });

  it('a partial index schema.prisma cannot declare: a SQL migration in the Prisma folder that says why', async () => {
    const ws = await workspace(temp, 'prisma-migrations');
    const [fix] = fixesFor(ws, proposal(ws, 'Order', [['createdAt', { role: 'sort' }]], `status = 'pending'`)) as [Fix];
    assert.equal(fix.changes.length, 1);
    const [migration] = created(fix);
    assert.match(migration!.content, /schema\.prisma cannot declare a partial index/);
    const applied = await apply(ws, fix);
    assert.equal(indexNamed(applied.catalog, 'Order', 'Order_createdAt_idx').where !== undefined, true);
    assert.deepEqual(await planIndexes(PRISMA_DDL, [migration!.content], `SELECT * FROM "Order" WHERE status = 'pending' ORDER BY "createdAt" LIMIT 5`), ['Order_createdAt_idx']);
  });

  it('schema.prisma only (db push): @@index with mapped field names, no migration', async () => {
    const ws = await workspace(temp, 'prisma-schema-only');
    const fixes = fixesFor(ws, proposal(ws, 'orders', customerThenNewest));
    assert.equal(fixes.length, 1);
    assert.equal(fixes[0]!.title, 'Create index orders_customer_id_created_at_idx (@@index in model Order)');
    assert.deepEqual(created(fixes[0]!), []);
    const applied = await apply(ws, fixes[0]!);
    assert.match(applied.files.get(path.join(ws.root, 'prisma/schema.prisma'))!, /  @@map\("orders"\)\n  @@index\(\[customerId, createdAt\(sort: Desc\)\]\)\n\}/);
    const index = indexNamed(applied.catalog, 'orders', 'orders_customer_id_created_at_idx');
    assert.deepEqual(keysOf(index), ['customer_id', 'created_at DESC']);
    // No migration to run: `prisma db push` creates the declared index; the same index on PGlite serves the query.
    const declared = createIndexSql(proposal(ws, 'orders', customerThenNewest), index.name!, { concurrently: true });
    assert.deepEqual(await planIndexes(ORDERS_DDL, [declared], ORDERS_QUERY), ['orders_customer_id_created_at_idx']);
    // And the @@index as written, read back from schema.prisma: what `db push` would create.
    assert.deepEqual(await planIndexes(declaredDdl(applied.catalog), [], ORDERS_QUERY), ['orders_customer_id_created_at_idx']);
  });

  it('an expression key in a schema.prisma-only project: no fix (nowhere to write it)', async () => {
    const ws = await workspace(temp, 'prisma-schema-only');
    assert.deepEqual(fixesFor(ws, proposal(ws, 'Customer', [['email', { expression: 'lower(email)' }]])), []);
  });
});

describe('migration writer: TypeORM', () => {
  it('migration classes generated from entities: a class with up/down and @Index on the entity, IDX_<table>_<cols> naming', async () => {
    const ws = await workspace(temp, 'typeorm-migrations');
    const [fix] = fixesFor(ws, proposal(ws, 'orders', customerThenNewest)) as [Fix];
    assert.equal(fix.title, 'Create index IDX_orders_customer_id_created_at (new migration 1795512600123-AddIdxOrdersCustomerIdCreatedAt and @Index on Order)');
    const [migration] = created(fix);
    assert.equal(path.relative(ws.root, migration!.filePath), path.join('src/migrations/1795512600123-AddIdxOrdersCustomerIdCreatedAt.ts'));
    assert.match(migration!.content, /export class AddIdxOrdersCustomerIdCreatedAt1795512600123 implements MigrationInterface \{\n    name = "AddIdxOrdersCustomerIdCreatedAt1795512600123";/);
    assert.doesNotMatch(migration!.content, /INDEX CONCURRENTLY|transaction = false/);
    assert.match(migration!.content, /TypeORM runs this in a transaction/);
    const applied = await apply(ws, fix);
    assert.match(applied.files.get(path.join(ws.root, 'src/orders/order.entity.ts'))!, /@Index\('IDX_orders_customer_id_created_at', \['customerId', 'createdAt'\]\)\n@Entity\('orders'\)/);
    assert.deepEqual(keysOf(indexNamed(applied.catalog, 'orders', 'IDX_orders_customer_id_created_at')), ['customer_id', 'created_at DESC']);
    assert.equal(applied.catalog.overridden.length, 0, 'the entity declaration agrees with the migration');
    const [up] = querySql(migration!.content, 'up');
    for (const sql of [...querySql(migration!.content, 'up'), ...querySql(migration!.content, 'down')]) assert.equal(parseSql(sql).kind, 'parsed', sql);
    assert.deepEqual(await planIndexes(ORDERS_DDL, [up!], ORDERS_QUERY), ['IDX_orders_customer_id_created_at']);
    // `migration:revert` runs down(): the index is gone.
    assert.deepEqual(await planIndexes(ORDERS_DDL, [up!, ...querySql(migration!.content, 'down')], ORDERS_QUERY), []);
  });

  it('an expression key: the migration class only, the entity is left alone', async () => {
    const ws = await workspace(temp, 'typeorm-migrations');
    const [fix] = fixesFor(ws, proposal(ws, 'orders', [['status', { expression: 'lower(status)', role: 'equality' }]])) as [Fix];
    assert.deepEqual(fix.changes.map((c) => c.kind), ['create']);
    const applied = await apply(ws, fix);
    assert.deepEqual(keysOf(indexNamed(applied.catalog, 'orders', 'IDX_orders_lower_status')), ['lower(status)']);
    const [migration] = created(fix);
    assert.deepEqual(await planIndexes(ORDERS_DDL, querySql(migration!.content, 'up'), `SELECT * FROM orders WHERE lower(status) = 'open'`), ['IDX_orders_lower_status']);
  });

  it('entities only: @Index above the entity class, in the project\'s naming', async () => {
    const ws = await workspace(temp, 'typeorm-entities');
    const fixes = fixesFor(ws, proposal(ws, 'orders', customerThenNewest, `status = 'open'`));
    assert.equal(fixes.length, 1);
    const [fix] = fixes as [Fix];
    assert.equal(fix.title, 'Create index IDX_orders_customer_id_created_at (@Index on Order)');
    const applied = await apply(ws, fix);
    assert.match(applied.files.get(path.join(ws.root, 'src/orders/order.entity.ts'))!, /\n@Index\('IDX_orders_customer_id_created_at', \['customerId', 'createdAt'\], \{ where: "status = 'open'" \}\)\n@Index\('IDX_orders_status', \['status'\]\)\n/);
    const index = indexNamed(applied.catalog, 'orders', 'IDX_orders_customer_id_created_at');
    assert.deepEqual(keysOf(index), ['customer_id', 'created_at']);
    assert.equal(index.where, "status = 'open'");
    // TypeORM's synchronize creates the declared index (all keys ascending); a backward scan serves the newest-first sort.
    const declared = createIndexSql({ ...proposal(ws, 'orders', [['customer_id'], ['created_at']]), where: index.where! }, index.name!, { concurrently: false });
    assert.deepEqual(await planIndexes(ORDERS_DDL, [declared], `SELECT * FROM orders WHERE customer_id = 7 AND status = 'open' ORDER BY created_at DESC LIMIT 20`), ['IDX_orders_customer_id_created_at']);
    // And the @Index as written, read back from the entity: what synchronize would create.
    // (This entity's customer_id is a string column.)
    assert.deepEqual(await planIndexes(declaredDdl(applied.catalog), [], `SELECT * FROM orders WHERE customer_id = '7' AND status = 'open' ORDER BY created_at DESC LIMIT 20`), ['IDX_orders_customer_id_created_at']);
  });

  it('entities only: adds Index to the typeorm import; mixed sort directions and expressions are not offered', async () => {
    const ws = await workspace(temp, 'typeorm-entities');
    const [fix] = fixesFor(ws, proposal(ws, 'customers', [['name', { role: 'equality' }]])) as [Fix];
    const applied = await apply(ws, fix);
    const text = applied.files.get(path.join(ws.root, 'src/orders/customer.entity.ts'))!;
    assert.match(text, /^import \{ Column, Entity, PrimaryGeneratedColumn, Index \} from 'typeorm';/);
    assert.match(text, /\n@Index\('IDX_customers_name', \['name'\]\)\n@Entity/);
    indexNamed(applied.catalog, 'customers', 'IDX_customers_name');
    assert.deepEqual(await planIndexes(declaredDdl(applied.catalog), [], `SELECT * FROM customers WHERE name = 'Ada'`), ['IDX_customers_name']);
    assert.deepEqual(fixesFor(ws, proposal(ws, 'orders', [['customer_id', { role: 'sort' }], ['created_at', { desc: true, role: 'sort' }]])), []);
    assert.deepEqual(fixesFor(ws, proposal(ws, 'customers', [['email', { expression: 'lower(email)' }]])), []);
  });
});

describe('migration writer: names and prefixes', () => {
  it('index names stay within 63 bytes and apart', async () => {
    const ws = await workspace(temp, 'flyway');
    const long = proposal(ws, 'orders', [['customer_id'], ['status'], ['created_at'], ['total_cents'], ['id'], ['customer_id']]);
    const name = proposedIndexName(long, ws.catalog, 'idx-prefix');
    assert.ok(Buffer.byteLength(name) <= 63, name);
    assert.match(name, /^idx_orders_customer_id_status_created_at_total_cents_\w*_[0-9a-f]{8}$/);
    assert.equal(proposedIndexName(proposal(ws, 'orders', [['status']]), ws.catalog, 'idx-prefix'), 'idx_orders_status_2');
  });

  it('prefixes: Flyway dotted versions, timestamps after a clock that lags the folder', () => {
    const folder = (kind: SqlMigrationFolder['kind'], prefixes: string[], width: number): SqlMigrationFolder => ({ dir: '/x', kind, pairs: false, separator: '_', prefixes, width, transactional: false, count: prefixes.length });
    assert.equal(nextPrefix(folder('flyway', ['1_1', '1_2', '1_10'], 4), NOW), '1_11');
    assert.equal(nextPrefix(folder('flyway', ['1.0', '2.3'], 3), NOW), '2.4');
    assert.equal(nextPrefix(folder('numbered', ['007', '012'], 3), NOW), '013');
    assert.equal(nextTimestamp(NOW, 14, ['20300101000000']), '20300101000001');
    assert.equal(nextTimestamp(NOW, 13, []), String(NOW.getTime()));
  });
});
