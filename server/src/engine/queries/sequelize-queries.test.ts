import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import type { SchemaCatalog } from '../schema/catalog-model';
import { loadSchemaCatalog } from '../schema/schema-catalog';
import { sequelizeUnderscore } from '../schema/sequelize-sources';
import { callSummary, projectOver, queriesIn } from './query-test-kit';
import { resolveQuery } from './resolve-query';
import { sequelizeQueries } from './sequelize-queries';

const project = projectOver(path.join(__dirname, 'fixtures', 'sequelize'));
const orders = (): ReturnType<typeof queriesIn> => queriesIn(project, 'src/orders.service.ts', sequelizeQueries);

describe('Sequelize model queries', () => {
  it('reads where (Op operators, arrays, Op.or / Op.and), order, limit and offset of model statics, and nothing else', () => {
    assert.deepEqual(orders().map(callSummary), [
      'Order.findAll select sequelize:Order | where: customerId eq, status eq ["open"], deletedAt eq [null] | order: placedAt desc | limit constant | offset variable',
      'Order.findAll select sequelize:Order | where: id eq, status eq ["open","paid"], placedAt range, totalCents range, reference range prefix, email like-contains, deletedAt eq [null]',
      'Order.count count sequelize:Order | where: reference range prefix, email like-contains, status not, customerId not, placedAt eq [null], deletedAt eq [null]',
      'Order.findOne select sequelize:Order | where: email eq ["a@b.c"], deletedAt eq [null] | or: (status eq ["open"]) / (customerId eq, totalCents range) | limit constant',
      'Order.findAll select sequelize:Order | where: deletedAt eq [null] | order: status, placedAt desc nulls last, id',
      'Order.findAll select sequelize:Order | where: deletedAt eq [null] | partial',
      'Order.findAll select sequelize:Order | where: status eq, placedAt range, deletedAt eq [null] | limit constant',
      'Order.findAll select sequelize:Order | where: deletedAt eq [null] | partial',
      'Order.findAll select sequelize:Order | where: status eq ["open"], deletedAt eq [null] | partial',
      'Order.update update sequelize:Order | where: customerId eq, status eq ["open"]',
      'Order.destroy delete sequelize:Order | where: status eq ["void"]',
      'Customer.findAll select sequelize:Customer | where: tier eq, region eq ["eu"]',
    ]);
  });

  it('recognises an injected model (@InjectModel, typeof Model) of sequelize-typescript', () => {
    assert.deepEqual(queriesIn(project, 'src/invoices.service.ts', sequelizeQueries).map(callSummary), [
      'this.invoices.findAll select sequelize:Invoice | where: accountId eq, issuedAt range | order: issuedAt desc',
    ]);
  });

  describe('paranoid models', () => {
    const paranoid = projectOver(path.join(__dirname, 'fixtures', 'sequelize-paranoid'));

    it('add `deletedAt IS NULL` to reads unless `paranoid: false` is passed', () => {
      assert.deepEqual(queriesIn(paranoid, 'src/queries.ts', sequelizeQueries).map(callSummary), [
        'Ticket.findAll select sequelize:Ticket | where: state eq, deletedAt eq [null]',
        'Ticket.findOne select sequelize:Ticket | where: subject eq ["x"], deletedAt eq [null] | limit constant',
        'Ticket.findAndCountAll select sequelize:Ticket | where: state eq, deletedAt eq [null] | limit constant',
        'Ticket.count count sequelize:Ticket | where: deletedAt eq [null]',
        'Ticket.findAll select sequelize:Ticket | where: state eq, deletedAt eq [null]',
        'Article.findAll select sequelize:Article | where: slug eq ["a"], removedOn eq [null]',
        'Note.findAll select sequelize:Note | where: body eq ["b"], archived_at eq [null]',
        'Ticket.findAll select sequelize:Ticket | where: state eq',
        'Ticket.findAll select sequelize:Ticket | where: state eq',
        'Ticket.update update sequelize:Ticket | where: state eq',
        'Ticket.destroy delete sequelize:Ticket | where: state eq',
        'Label.findAll select sequelize:Label | where: name eq ["l"]',
        'Plain.findAll select sequelize:Plain | where: body eq ["p"]',
      ]);
    });

    it('resolve the soft-delete attribute to the column the model maps it to', async () => {
      const catalog = await loadSchemaCatalog(paranoid);
      const columns = queriesIn(paranoid, 'src/queries.ts', sequelizeQueries).map((query) => resolveQuery(query, catalog).accesses[0]!.filters.map((f) => f.column));
      assert.deepEqual(columns[0], ['state', 'deleted_at']);
      assert.deepEqual(columns[5], ['slug', 'removedOn']);
      assert.deepEqual(columns[6], ['body', 'archived_at']);
    });
  });

  it('underscores like inflection.underscore', () => {
    assert.equal(sequelizeUnderscore('placedAt'), 'placed_at');
    assert.equal(sequelizeUnderscore('userID'), 'user_i_d');
    assert.equal(sequelizeUnderscore('Order'), 'order');
  });

  describe('catalog from the models', () => {
    let catalog: SchemaCatalog;
    before(async () => {
      catalog = await loadSchemaCatalog(project);
    });
    const describeIndexes = (table: string): string[] =>
      catalog.indexesOf(table).map((i) => `${i.name} ${i.primary ? 'pk' : i.unique ? 'unique' : i.method} (${i.keys.map((k) => `${k.column}${k.descending ? ' desc' : ''}`).join(', ')})${i.where ? ` where ${i.where}` : ''}`);

    it('Model.init: tableName, underscored, field, paranoid timestamps, unique attributes, indexes with order / where / using, foreign keys', () => {
      assert.deepEqual(describeIndexes('orders'), [
        'orders_pkey pk (id)',
        'orders_reference_unique unique (reference)',
        'orders_status_placed_at btree (status, placed_at desc)',
        "orders_open_customer btree (customer_id) where status = 'open'",
        'orders_email hash (email)',
      ]);
      const table = catalog.table('orders')!;
      assert.deepEqual(table.foreignKeys.map((fk) => [fk.columns, fk.referencedTable]), [[['customer_id'], 'customers']]);
      assert.deepEqual(table.mapping!.columns, { id: 'id', status: 'status', reference: 'reference', customerId: 'customer_id', totalCents: 'total', placedAt: 'placed_at', email: 'email', createdAt: 'created_at', updatedAt: 'updated_at', deletedAt: 'deleted_at' });
      assert.equal(table.origin.kind, 'sequelize-model');
    });

    it('define with freezeTableName (the model name is the table), composite named unique, no timestamps; a model without a table name is skipped', () => {
      assert.deepEqual(describeIndexes('Customer'), ['Customer_pkey pk (id)', 'customer_tier_name unique (tier, region)']);
      assert.deepEqual(catalog.table('Customer')!.columns.map((c) => c.name), ['id', 'name', 'tier', 'region']);
      assert.equal(catalog.mapping('sequelize', 'Guess'), undefined);
      assert.equal(catalog.tables().length, 3);
    });

    it('sequelize-typescript @Table / @Column({ field }) / named and unnamed @Index / @CreatedAt / @ForeignKey', () => {
      assert.deepEqual(describeIndexes('invoices'), ['invoices_pkey pk (id)', 'invoices_account_issued btree (account_id, issued_on)', 'invoices_number btree (number)']);
      assert.deepEqual(catalog.table('invoices')!.columns.map((c) => c.name), ['id', 'account_id', 'issued_on', 'number', 'parent_id', 'created_on', 'updated_at']);
      assert.deepEqual(catalog.table('invoices')!.foreignKeys.map((fk) => fk.columns), [['parent_id']]);
    });

    it('resolves the queries to tables and columns end to end', () => {
      const first = resolveQuery(orders()[0]!, catalog).accesses[0]!;
      assert.equal(first.table.name, 'orders');
      assert.deepEqual(first.filters.map((f) => f.column), ['customer_id', 'status', 'deleted_at']);
      assert.deepEqual(first.orderBy.map((k) => k.column), ['placed_at']);
      assert.deepEqual(resolveQuery(orders()[1]!, catalog).accesses[0]!.filters.map((f) => f.column), ['id', 'status', 'placed_at', 'total', 'reference', 'email', 'deleted_at']);
      assert.equal(resolveQuery(orders()[11]!, catalog).accesses[0]!.table.name, 'Customer');
      const invoice = resolveQuery(queriesIn(project, 'src/invoices.service.ts', sequelizeQueries)[0]!, catalog).accesses[0]!;
      assert.deepEqual([invoice.table.name, ...invoice.filters.map((f) => f.column), ...invoice.orderBy.map((k) => k.column)], ['invoices', 'account_id', 'issued_on', 'issued_on']);
    });
  });
});
