import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadSchemaCatalog } from '../schema/schema-catalog';
import { projectOver, queriesIn, summary } from './query-test-kit';
import { drizzleQueries } from './drizzle-queries';
import { resolveQuery } from './resolve-query';

const folder = path.join(__dirname, 'fixtures', 'drizzle');

describe('drizzle queries', () => {
  const project = projectOver(folder);
  const queries = queriesIn(project, 'src/orders.service.ts', drizzleQueries);

  it('reads select / relational / update / delete queries with operators known by their import', () => {
    assert.deepEqual(queries.map(summary), [
      'select drizzle:orders where customerId eq, status eq ["open"], createdAt range order createdAt desc; limit constant; offset variable',
      'select drizzle:orders where id eq + drizzle:orderItems join orderId',
      'select drizzle:orders or (status eq ["open","paid"]) / (total eq [null]) order id, total',
      'select drizzle:customers where name like-contains, email range prefix, id not',
      'select drizzle:orders where customerId eq order createdAt desc; limit constant',
      'select drizzle:orders where status eq ["open"], createdAt range order createdAt desc; limit constant',
      'update drizzle:orders where id eq',
      'delete drizzle:orderItems where orderId eq',
      'select drizzle:orders; partial',
    ]);
  });

  it('resolves through the catalog built from the pgTable declarations', async () => {
    const catalog = await loadSchemaCatalog(project);
    const resolved = resolveQuery(queries[0]!, catalog);
    assert.equal(resolved.accesses.length, 1);
    const orders = resolved.accesses[0]!;
    assert.equal(orders.table.name, 'orders');
    assert.deepEqual(orders.filters.map((f) => `${f.column} ${f.op}`), ['customer_id eq', 'status eq', 'created_at range']);
    assert.deepEqual(orders.orderBy.map((k) => `${k.column}${k.descending ? ' desc' : ''}`), ['created_at desc']);
    assert.deepEqual(
      orders.table.indexes.map((i) => `${i.name}: ${i.keys.map((k) => `${k.column ?? k.expression}${k.descending ? ' desc' : ''}`).join(', ')}${i.where ? ` where ${i.where}` : ''}`),
      ['orders_pkey: id', 'orders_customer_created_idx: customer_id, created_at desc', "orders_open_idx: created_at where status = 'open'"],
    );
    const join = resolveQuery(queries[1]!, catalog);
    assert.deepEqual(join.accesses.map((a) => `${a.table.name}:${a.joinKeys.map((k) => k.column).join(',')}`), ['orders:', 'order_items:order_id']);
    assert.deepEqual(catalog.indexesOf('customers').map((i) => `${i.name}: ${i.keys.map((k) => k.column ?? k.expression).join(', ')}${i.unique ? ' unique' : ''}`), [
      'customers_pkey: id unique',
      'customers_email_unique: email unique',
      'customers_lower_email: lower(email) unique',
    ]);
    assert.deepEqual(catalog.indexesOf('order_items').map((i) => `${i.primary ? 'pk ' : ''}${i.keys.map((k) => k.column).join(', ')}`), ['pk order_id, product_id', 'product_id']);
    // Postgres does not index foreign keys: `.references()` gives a foreign key and no index.
    assert.deepEqual(catalog.table('orders')!.foreignKeys.map((fk) => `${fk.columns.join(',')} -> ${fk.referencedTable}`), ['customer_id -> customers']);
    assert.equal(catalog.mapping('drizzle', 'orderItems')!.columns['orderId'], 'order_id');
    const relational = resolveQuery(queries[4]!, catalog);
    assert.deepEqual(relational.accesses[0]!.filters.map((f) => f.column), ['customer_id']);
  });
});
