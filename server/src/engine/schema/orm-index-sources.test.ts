import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { projectOver } from '../queries/query-test-kit';
import { loadSchemaCatalog } from './schema-catalog';

const fixtures = path.join(__dirname, 'fixtures');
const keysOf = (index: { keys: Array<{ column?: string; expression?: string }> }): string => index.keys.map((k) => k.column ?? k.expression).join(',');

describe('MikroORM and Drizzle catalog sources', () => {
  it('reads MikroORM entities under the UnderscoreNamingStrategy', async () => {
    const catalog = await loadSchemaCatalog(projectOver(path.join(fixtures, 'mikro-orm')));
    const items = catalog.table('order_item')!;
    assert.ok(items);
    assert.deepEqual(items.columns.map((c) => c.name), ['id', 'status', 'ref_code', 'created_at', 'customer_id', 'payer']);
    assert.deepEqual(items.indexes.map((i) => `${i.name}: ${keysOf(i)}${i.unique ? ' unique' : ''}`), [
      'order_item_pkey: id unique',
      'order_item_payer_idx: payer',
      'order_item_status_created_at_index: status,created_at',
      'order_item_reference_unique: ref_code unique',
      // MikroORM's schema generator indexes a ManyToOne column that has no index of its own.
      'order_item_customer_id_index: customer_id',
    ]);
    assert.deepEqual(items.foreignKeys.map((fk) => fk.columns.join(',')), ['customer_id', 'payer']);
    assert.equal(items.indexes[0]!.origin.kind, 'mikro-orm-entity');
    const mapping = catalog.mapping('mikro-orm', 'OrderItem')!;
    assert.deepEqual(mapping.columns, { id: 'id', status: 'status', reference: 'ref_code', createdAt: 'created_at', customer: 'customer_id', paidBy: 'payer' });
    assert.deepEqual(catalog.indexesOf('clients').map((i) => `${keysOf(i)}${i.unique ? ' unique' : ''}`), ['id unique', 'email_address unique']);
  });

  it('lets migrations win over a Drizzle schema, keeping the mapping', async () => {
    const catalog = await loadSchemaCatalog(projectOver(path.join(fixtures, 'drizzle-migrated')));
    assert.deepEqual(catalog.indexesOf('invoices').map((i) => i.name).sort(), ['invoices_account_idx', 'invoices_pkey']);
    assert.equal(catalog.indexesOf('invoices')[0]!.origin.kind, 'sql-migration');
    assert.deepEqual(catalog.overridden.map((i) => i.name), ['invoices_state_idx']);
    assert.equal(catalog.mapping('drizzle', 'invoices')!.columns['accountId'], 'account_id');
  });
});
