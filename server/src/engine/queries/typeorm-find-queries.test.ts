import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { loadSchemaCatalog } from '../schema/schema-catalog';
import { callSummary, projectOver, queriesIn } from './query-test-kit';
import { matchFilters } from '../../rules/index-advisor/index-match';
import type { ExtractedQuery } from './query-model';
import { resolveQuery } from './resolve-query';
import { typeormFindQueries } from './typeorm-find-queries';

const project = projectOver(path.join(__dirname, 'fixtures', 'typeorm'));
const queries = (): ReturnType<typeof queriesIn> => queriesIn(project, 'src/orders.service.ts', typeormFindQueries);

describe('TypeORM find options', () => {
  it('reads where, order, take and skip of every recognised repository / manager call, and nothing else', () => {
    assert.deepEqual(queries().map(callSummary), [
      'this.orders.find select typeorm:Order | where: reference eq, status eq ["open"] | order: createdAt desc | limit constant',
      'this.orders.findBy select typeorm:Order | where: id eq, status eq ["open","paid"], archivedAt eq [null], createdAt range, totalCents range',
      'this.orders.find select typeorm:Order | where: reference range prefix, status like-contains, customer eq [3]',
      'this.orders.count count typeorm:Order | where: reference like-contains, status not, totalCents other | partial',
      'this.orders.findOne select typeorm:Order | limit constant | partial',
      'this.orders.find select typeorm:Order | or: (status eq ["open"]) / (customer eq, totalCents range)',
      'this.orders.find select typeorm:Order | order: status, createdAt desc nulls last, id desc | limit constant | offset variable',
      'this.orders.find select typeorm:Order | where: status eq, archivedAt eq [null] | order: createdAt desc | offset constant',
      'this.orders.findBy select typeorm:Order | partial',
      'this.orders.find select typeorm:Order | where: status eq ["open"] | partial',
      'this.orders.find select typeorm:Order | partial',
      'this.orders.update update typeorm:Order | where: status eq ["open"], createdAt range',
      'this.orders.update update typeorm:Order | partial',
      'this.orders.delete delete typeorm:Order | where: archivedAt not',
      'this.orders.softDelete update typeorm:Order | where: reference eq ["x"]',
      'manager.find select typeorm:Order | where: status eq | limit constant',
      'this.dataSource.getRepository(Order).findOneBy select typeorm:Order | where: reference eq | limit constant',
      'Invoice.findOneBy select typeorm:Invoice | where: number eq | limit constant',
    ]);
  });

  it('points the offset at the skip expression and filters at their property', () => {
    const file = project.file(path.join(project.root, 'src/orders.service.ts'))!;
    const sorts = queries()[6]!;
    assert.equal(file.text.slice(sorts.offsetSpan!.start, sorts.offsetSpan!.end), 'page * 10');
    const first = queries()[0]!.accesses[0]!;
    assert.equal(file.text.slice(first.filters[1]!.span.start, first.filters[1]!.span.end), 'status');
    assert.equal(file.text.slice(first.span.start, first.span.end), 'this.orders');
  });

  describe('resolved through the catalog built from the entities', () => {
    let resolved: ReturnType<typeof resolveQuery>[] = [];
    before(async () => {
      const catalog = await loadSchemaCatalog(project);
      resolved = queries().map((query) => resolveQuery(query, catalog));
    });

    it('maps entity properties to columns (@Column name, @JoinColumn) on the entity table', () => {
      const first = resolved[0]!.accesses[0]!;
      assert.equal(first.table.name, 'orders');
      assert.deepEqual(first.filters.map((f) => f.column), ['reference', 'status']);
      const likes = resolved[2]!.accesses[0]!;
      assert.deepEqual(likes.filters.map((f) => f.column), ['reference', 'status', 'customer_id']);
      const operators = resolved[1]!.accesses[0]!;
      assert.deepEqual(operators.filters.map((f) => f.column), ['id', 'status', 'archivedAt', 'createdAt', 'total_cents']);
      assert.equal(resolved[17]!.accesses[0]!.table.name, 'invoices');
    });
  });
});

describe('TypeORM soft delete', () => {
  const softDelete = projectOver(path.join(__dirname, 'fixtures', 'typeorm-soft-delete'));
  const extracted = (): ExtractedQuery[] => queriesIn(softDelete, 'src/articles.service.ts', typeormFindQueries);

  it('adds `<@DeleteDateColumn> IS NULL` to finders and counts, not with `withDeleted: true`, not to updates', () => {
    assert.deepEqual(extracted().map(callSummary), [
      'this.articles.find select typeorm:Article | where: authorId eq, removedAt eq [null]',
      'this.articles.countBy count typeorm:Article | where: authorId eq, removedAt eq [null]',
      'this.articles.find select typeorm:Article | where: authorId eq',
      'this.articles.findOne select typeorm:Article | where: slug eq, removedAt eq [null] | limit constant',
      'this.articles.find select typeorm:Article | where: removedAt not',
      'this.articles.update update typeorm:Article | where: id eq',
    ]);
    const file = softDelete.file(path.join(softDelete.root, 'src/articles.service.ts'))!;
    const implied = extracted()[0]!.accesses[0]!.filters[1]!;
    assert.equal(file.text.slice(implied.span.start, implied.span.end), ')', 'the implied filter sits at the call, after what is written');
  });

  it('resolves it to the column, so the partial index `WHERE "deleted_at" IS NULL` is implied', async () => {
    const catalog = await loadSchemaCatalog(softDelete);
    const access = resolveQuery(extracted()[0]!, catalog).accesses[0]!;
    assert.deepEqual(access.filters.map((filter) => `${filter.column} ${JSON.stringify(filter.constants ?? null)}`), ['author_id null', 'deleted_at [null]']);
    assert.equal(matchFilters(access).kind, 'served');
    const withTrash = resolveQuery(extracted()[2]!, catalog).accesses[0]!;
    assert.equal(matchFilters(withTrash).kind, 'unserved');
  });
});
