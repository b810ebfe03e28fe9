import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadSchemaCatalog } from '../schema/schema-catalog';
import { projectOver, queriesIn, summary } from './query-test-kit';
import { knexQueries } from './knex-queries';
import { resolveQuery } from './resolve-query';

const folder = path.join(__dirname, 'fixtures', 'knex');

describe('knex queries', () => {
  const project = projectOver(folder);
  const queries = queriesIn(project, 'src/orders.repository.ts', knexQueries);

  it('reads every builder form, by handle and never by method name', () => {
    assert.deepEqual(queries.map(summary), [
      'select orders as o where customer_id eq, status eq ["open"] order created_at desc; limit constant; offset variable',
      'select orders where created_at range, deleted_at eq [null] order created_at desc, id',
      'select orders where tenant_id eq, archived eq [false], status eq ["open","paid"]; limit constant',
      'select customers or (email like-contains) / (name other)',
      'select coupons where code range prefix, redeemed_at not, valid_until range',
      'select orders where id eq + order_items as i join order_id + products join id',
      'select orders or (status eq ["open"]) / (status eq ["paid"], customer_id eq)',
      'count orders where status eq ["open"]',
      'update orders where created_at range',
      'delete sessions where expires_at range',
      'select orders order id; partial',
      'select orders; partial',
      'select payments where order_id eq, state not',
      'select orders where status eq ["open"]; partial',
      'select fields where table_id eq, deleted_time eq [null] order order',
    ]);
  });

  it('keeps spans on the column literals and names the query by its handle', () => {
    const file = project.file(path.join(folder, 'src/orders.repository.ts'))!;
    const first = queries[0]!;
    assert.equal(file.text.slice(first.accesses[0]!.filters[0]!.span.start, first.accesses[0]!.filters[0]!.span.end), "'o.customer_id'");
    assert.equal(file.text.slice(first.span.start, first.span.end), "this.knex('orders as o')");
    assert.equal(file.text.slice(first.offsetSpan!.start, first.offsetSpan!.end), 'page * 20');
    assert.match(first.display, /^this\.knex\(orders\)/);
  });

  it('resolves through a catalog built from the SQL migrations', async () => {
    const catalog = await loadSchemaCatalog(project);
    const resolved = resolveQuery(queries[0]!, catalog);
    assert.equal(resolved.accesses.length, 1);
    assert.deepEqual(resolved.accesses[0]!.filters.map((f) => f.column), ['customer_id', 'status']);
    assert.deepEqual(resolved.accesses[0]!.table.indexes.map((i) => i.keys.map((k) => k.column).join(',')), ['id', 'customer_id,created_at']);
    const join = resolveQuery(queries[5]!, catalog);
    // `products` is not in the catalog: that access is left out, never guessed.
    assert.deepEqual(join.accesses.map((a) => `${a.table.name}:${a.joinKeys.map((k) => k.column).join(',')}`), ['orders:', 'order_items:order_id']);
  });
});
