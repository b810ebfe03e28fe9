import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SchemaCatalog, type CatalogIndex, type CatalogTable } from '../schema/catalog-model';
import { catalogDdl } from './catalog-ddl';
import { PlannerDatabase } from './planner-database';
import { createPglite, pgliteAssetDir } from './pglite-assets';

const origin = { kind: 'sql-migration' as const, filePath: '/m/001.sql', start: 0, end: 0 };

function index(name: string, keys: Array<string | { column?: string; expression?: string; descending?: boolean }>, extra: Partial<CatalogIndex> = {}): CatalogIndex {
  return {
    name,
    table: 'orders',
    schema: 'public',
    keys: keys.map((key) => (typeof key === 'string' ? { column: key, descending: false } : { descending: false, ...key })),
    unique: false,
    primary: false,
    method: 'btree',
    include: [],
    origin,
    ...extra,
  };
}

const orders: CatalogTable = {
  schema: 'public',
  name: 'orders',
  columns: [
    { name: 'id', type: 'int8' },
    { name: 'customer_id', type: 'int4' },
    { name: 'status', type: 'order_status' },
    { name: 'email', type: 'varchar' },
    { name: 'created_at', type: 'timestamptz' },
    { name: 'deleted_at', type: 'timestamptz' },
  ],
  indexes: [
    index('orders_pkey', ['id'], { primary: true, unique: true }),
    index('idx_orders_customer_created', ['customer_id', 'created_at']),
    index('idx_orders_email_lower', [{ expression: 'lower(email)' }]),
    index('idx_orders_live', ['created_at'], { where: 'deleted_at IS NULL', whereColumns: ['deleted_at'] }),
    index('idx_orders_bogus', ['no_such_column']),
  ],
  foreignKeys: [],
  origin,
};
const invoices: CatalogTable = {
  schema: 'billing',
  name: 'Invoice',
  columns: [{ name: 'id', type: 'String' }, { name: 'orderId', type: 'Int' }, { name: 'issuedAt', type: 'DateTime' }, { name: 'lines', type: 'InvoiceLine[]' }],
  indexes: [{ ...index('Invoice_orderId_idx', ['orderId']), table: 'Invoice', schema: 'billing' }],
  foreignKeys: [],
  origin,
};
const ddl = catalogDdl(new SchemaCatalog([orders, invoices])).statements;

describe('the planner on PGlite', () => {
  let db: PlannerDatabase;
  before(async () => {
    const dir = pgliteAssetDir();
    assert.ok(dir, 'PGlite assets found');
    db = await PlannerDatabase.open(() => createPglite(dir));
  });
  after(() => db.close());

  it('loads the schema, skipping and reporting a statement Postgres rejects', async () => {
    const verdict = await db.verify({ ddl, querySql: 'SELECT * FROM orders WHERE id = $1' });
    assert.match(verdict.postgres ?? '', /^PostgreSQL 1[6-9]/);
    assert.equal(verdict.errors.length, 1, verdict.errors.join('\n'));
    assert.match(verdict.errors[0]!, /idx_orders_bogus.*no_such_column/);
    assert.deepEqual(verdict.before?.usesIndexes, ['orders_pkey']);
  });

  it('uses the composite index for a filter on its leading column, with the sort served backwards', async () => {
    const verdict = await db.verify({ ddl, querySql: 'SELECT * FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 20' });
    assert.deepEqual(verdict.before?.usesIndexes, ['idx_orders_customer_created']);
    assert.equal(verdict.before?.sorts, false);
    assert.deepEqual(verdict.before?.seqScanTables, []);
  });

  it('reads a table sequentially for a filter no index serves, and uses the proposed index once it exists', async () => {
    const verdict = await db.verify({
      ddl,
      querySql: 'SELECT * FROM orders WHERE status = $1',
      createIndexSql: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_status ON orders (status)',
      proposedIndexName: 'idx_orders_status',
    });
    assert.deepEqual(verdict.before?.seqScanTables, ['orders']);
    assert.deepEqual(verdict.before?.usesIndexes, []);
    assert.deepEqual(verdict.after?.usesIndexes, ['idx_orders_status']);
    assert.equal(verdict.proposalUsed, true);
    // The proposal was rolled back: the next question sees the schema as it was.
    const again = await db.verify({ ddl, querySql: 'SELECT * FROM orders WHERE status = $1' });
    assert.deepEqual(again.before?.seqScanTables, ['orders']);
  });

  it('serves a sort only from an index in that order', async () => {
    const verdict = await db.verify({
      ddl,
      querySql: 'SELECT * FROM orders WHERE status = $1 ORDER BY created_at DESC LIMIT 20',
      createIndexSql: 'CREATE INDEX idx_orders_status_created ON orders (status, created_at DESC)',
      proposedIndexName: 'idx_orders_status_created',
    });
    assert.equal(verdict.after?.sorts, false);
    assert.equal(verdict.proposalUsed, true);
  });

  it('matches expression and partial indexes the way Postgres does', async () => {
    const lower = await db.verify({ ddl, querySql: "SELECT * FROM orders WHERE lower(email) = 'a@b.c'" });
    assert.deepEqual(lower.before?.usesIndexes, ['idx_orders_email_lower']);
    const plain = await db.verify({ ddl, querySql: 'SELECT * FROM orders WHERE email = $1' });
    assert.deepEqual(plain.before?.seqScanTables, ['orders']);
    const live = await db.verify({ ddl, querySql: 'SELECT * FROM orders WHERE deleted_at IS NULL AND created_at > $1' });
    assert.ok(live.before?.usesIndexes.includes('idx_orders_live'), JSON.stringify(live.before?.lines));
    const dead = await db.verify({ ddl, querySql: 'SELECT * FROM orders WHERE created_at > $1' });
    assert.ok(!dead.before?.usesIndexes.includes('idx_orders_live'));
  });

  it('creates schema-qualified, quoted Prisma tables with ORM types', async () => {
    const verdict = await db.verify({ ddl, querySql: 'SELECT * FROM billing."Invoice" WHERE "orderId" = $1' });
    assert.deepEqual(verdict.before?.usesIndexes, ['Invoice_orderId_idx']);
  });

  it('reports a query it cannot plan instead of failing, and refuses several statements', async () => {
    const unknown = await db.verify({ ddl, querySql: 'SELECT * FROM nowhere WHERE x = $1' });
    assert.equal(unknown.before, undefined);
    assert.match(unknown.errors.at(-1)!, /could not be planned.*nowhere/);
    const two = await db.verify({ ddl, querySql: 'SELECT 1; DROP TABLE orders' });
    assert.match(two.errors.at(-1)!, /more than one statement/);
    const stillThere = await db.verify({ ddl, querySql: 'SELECT * FROM orders WHERE id = $1' });
    assert.deepEqual(stillThere.before?.usesIndexes, ['orders_pkey']);
  });

  it('replaces the schema when the DDL changes', async () => {
    const other = catalogDdl(new SchemaCatalog([{ ...orders, indexes: [index('idx_orders_status', ['status'])] }])).statements;
    const verdict = await db.verify({ ddl: other, querySql: 'SELECT * FROM orders WHERE status = $1' });
    assert.deepEqual(verdict.before?.usesIndexes, ['idx_orders_status']);
    const none = await db.verify({ ddl: other, querySql: 'SELECT * FROM billing."Invoice"' });
    assert.match(none.errors.join('\n'), /Invoice/);
  });
});
