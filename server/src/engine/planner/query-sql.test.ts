import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExtractedQuery, TableAccess } from '../queries/query-model';
import { resolveQuery } from '../queries/resolve-query';
import { SchemaCatalog, type CatalogTable } from '../schema/catalog-model';
import { catalogDdl, columnType } from './catalog-ddl';
import { querySql } from './query-sql';

const origin = { kind: 'prisma-schema' as const, filePath: '/schema.prisma', start: 0, end: 0 };
const span = { start: 0, end: 0 };
const order: CatalogTable = {
  schema: 'public',
  name: 'Order',
  columns: [{ name: 'id', type: 'Int' }, { name: 'customerId', type: 'Int' }, { name: 'status', type: 'OrderStatus' }, { name: 'email', type: 'String?' }, { name: 'createdAt', type: 'DateTime' }, { name: 'items', type: 'Item[]' }],
  indexes: [],
  foreignKeys: [],
  origin,
};
order.mapping = { orm: 'prisma', name: 'Order', table: 'Order', schema: 'public', columns: { id: 'id', customerId: 'customerId', status: 'status', email: 'email', createdAt: 'createdAt' }, origin };
const catalog = new SchemaCatalog([order], [], [], [order.mapping]);

function query(access: Partial<TableAccess>, extra: Partial<ExtractedQuery> = {}): ExtractedQuery {
  return { source: 'prisma', operation: 'select', span, display: 'prisma.order.findMany', accesses: [{ table: { kind: 'orm', orm: 'prisma', name: 'order' }, filters: [], disjunctions: [], joinKeys: [], orderBy: [], span, ...access }], ...extra };
}

describe('query-sql', () => {
  it('renders an ORM query from its resolved access: constants as literals, the rest as parameters, sort and limit', () => {
    const q = query(
      {
        filters: [
          { column: 'customerId', op: 'eq', span },
          { column: 'status', op: 'eq', constants: ['PAID', 'SHIPPED'], span },
          { column: 'createdAt', op: 'range', span },
          { column: 'email', op: 'range', prefixLike: true, constants: ['ann'], span },
        ],
        disjunctions: [[[{ column: 'status', op: 'eq', constants: [null], span }], [{ column: 'email', op: 'eq', span }]]],
        orderBy: [{ column: 'createdAt', descending: true, span }],
      },
      { limit: 'variable' },
    );
    assert.equal(
      querySql(resolveQuery(q, catalog)),
      `SELECT * FROM "Order" WHERE "customerId" = $1 AND status IN ('PAID', 'SHIPPED') AND "createdAt" > $2 AND email LIKE 'ann%' AND (status IS NULL OR email = $3) ORDER BY "createdAt" DESC LIMIT 20`,
    );
  });

  it('uses the SQL as written for SQL sources, and renders nothing for an unknown table', () => {
    assert.equal(querySql(resolveQuery(query({}, { sql: 'SELECT 1 FROM "Order" WHERE id = $1' }), catalog)), 'SELECT 1 FROM "Order" WHERE id = $1');
    assert.equal(querySql(resolveQuery(query({ table: { kind: 'table', name: 'nowhere' } }), catalog)), undefined);
  });

  it('maps ORM types, keeps enums as text and leaves relation lists out of the DDL', () => {
    assert.equal(columnType({ name: 'a', type: 'DateTime?' }), 'timestamptz');
    assert.equal(columnType({ name: 'a', type: 'character varying' }), 'varchar');
    assert.equal(columnType({ name: 'a', type: 'OrderStatus' }), 'text');
    assert.equal(columnType({ name: 'a', type: 'String[]' }), 'text[]');
    assert.equal(columnType({ name: 'a', type: 'Item[]' }), undefined);
    assert.deepEqual(catalogDdl(catalog).statements, ['CREATE TABLE IF NOT EXISTS "Order" (id integer, "customerId" integer, status text, email text, "createdAt" timestamptz)']);
  });
});
