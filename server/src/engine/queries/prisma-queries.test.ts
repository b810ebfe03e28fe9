import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { loadSchemaCatalog } from '../schema/schema-catalog';
import { callSummary, projectOver, queriesIn } from './query-test-kit';
import { prismaQueries } from './prisma-queries';
import { resolveQuery } from './resolve-query';

const project = projectOver(path.join(__dirname, 'fixtures', 'prisma'));
const queries = (): ReturnType<typeof queriesIn> => queriesIn(project, 'src/orders.service.ts', prismaQueries);

describe('Prisma delegate queries', () => {
  it('knows a client made once by a helper (`remember(name, () => new PrismaClient())`) and imported', () => {
    assert.deepEqual(queriesIn(project, 'src/reports.ts', prismaQueries).map(callSummary), [
      'db.order.findMany select prisma:order | where: tenantId eq, status eq ["open"] | order: createdAt desc | limit constant',
    ]);
  });

  it('reads where, orderBy, take, skip and cursor of client delegate calls, and nothing else', () => {
    assert.deepEqual(queries().map(callSummary), [
      'this.prisma.order.findMany select prisma:order | where: tenantId eq, status eq ["open"], deletedAt eq [null] | order: createdAt desc | limit constant',
      'this.prisma.order.findMany select prisma:order | where: id eq, status eq ["open","paid"], number eq ["A-1"], createdAt range, email range prefix',
      'this.prisma.order.count count prisma:order | where: number like-contains, email like-contains, status like-contains',
      'this.prisma.order.findFirst select prisma:order | where: status not, tenantId not, email not | limit constant',
      'this.prisma.order.findMany select prisma:order | where: tenantId eq, deletedAt eq [null] | or: (status eq ["open"]) / (email eq ["a@b.c"], totalCents range)',
      'this.prisma.order.findMany select prisma:order | where: status eq ["open"] | partial',
      'this.prisma.customer.findMany select prisma:customer | partial',
      'this.prisma.order.findMany select prisma:order | order: status, createdAt desc nulls last | limit variable | offset variable',
      'this.prisma.order.findMany select prisma:order | partial',
      // `skip` beside a cursor steps over the cursor row: keyset pagination, not an offset.
      'this.prisma.order.findMany select prisma:order | order: id | limit constant | partial',
      'this.prisma.order.findUnique select prisma:order | where: tenantId eq, number eq | limit constant',
      'this.prisma.order.findMany select prisma:order | where: status eq, createdAt range | order: createdAt',
      'this.prisma.order.findMany select prisma:order | partial',
      'this.prisma.order.findMany select prisma:order | where: status eq ["open"] | partial',
      'this.prisma.order.findMany select prisma:order | partial',
      'this.prisma.order.updateMany update prisma:order | where: tenantId eq, status eq ["open"]',
      'this.prisma.order.deleteMany delete prisma:order | where: deletedAt not',
      'tx.order.aggregate select prisma:order | where: tenantId eq',
      // groupBy sorts the groups it aggregated: no index delivers that order, so the sort is not kept.
      'this.prisma.order.groupBy select prisma:order | where: tenantId eq [1]',
      'this.prisma.order.findUnique select prisma:order | where: tenantId eq, number eq | limit constant',
      'prisma.order.findFirst select prisma:order | where: createdAt eq | limit constant',
      'prisma.order.findMany select prisma:order | partial',
    ]);
  });

  it('reads equality on exactly a relation\'s referenced fields as equality on its local foreign-key fields', () => {
    assert.deepEqual(queriesIn(project, 'src/relations.ts', prismaQueries).map(callSummary), [
      'prisma.order.findMany select prisma:order | where: customerId eq, status eq ["open"]',
      'prisma.order.findMany select prisma:order | where: customerId eq',
      'prisma.order.count count prisma:order | where: customerId eq [7]',
      'prisma.shipment.findMany select prisma:shipment | where: tenantId eq, orderNumber eq, carrier eq ["dhl"]',
      'prisma.shipment.findFirst select prisma:shipment | where: customerId eq | limit constant',
      'prisma.order.findMany select prisma:order | partial',
      'prisma.order.findMany select prisma:order | partial',
      'prisma.order.findMany select prisma:order | partial',
      'prisma.shipment.findMany select prisma:shipment | partial',
      'prisma.shipment.findMany select prisma:shipment | partial',
      'prisma.customer.findMany select prisma:customer | partial',
      'prisma.order.findMany select prisma:order | partial',
    ]);
  });

  describe('resolved through the catalog built from schema.prisma', () => {
    let resolved: ReturnType<typeof resolveQuery>[] = [];
    before(async () => {
      const catalog = await loadSchemaCatalog(project);
      resolved = queries().map((query) => resolveQuery(query, catalog));
    });

    it('maps the delegate to the @@map table and fields to @map columns', () => {
      const first = resolved[0]!.accesses[0]!;
      assert.equal(first.table.name, 'orders');
      assert.deepEqual(first.filters.map((f) => f.column), ['tenant_id', 'status', 'deleted_at']);
      assert.deepEqual(first.orderBy.map((k) => k.column), ['created_at']);
      assert.deepEqual(resolved[10]!.accesses[0]!.filters.map((f) => f.column), ['tenant_id', 'number']);
      assert.equal(resolved[6]!.accesses[0]!.table.name, 'customers');
    });

    it('maps a relation filter to the foreign-key columns', async () => {
      const catalog = await loadSchemaCatalog(project);
      const [byCustomer, , , byOrder] = queriesIn(project, 'src/relations.ts', prismaQueries).map((query) => resolveQuery(query, catalog).accesses[0]!);
      assert.deepEqual(byCustomer!.filters.map((f) => f.column), ['customer_id', 'status']);
      assert.equal(byOrder!.table.name, 'shipments');
      assert.deepEqual(byOrder!.filters.map((f) => f.column), ['tenant_id', 'order_number', 'carrier']);
    });
  });
});
