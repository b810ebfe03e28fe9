import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { ensureSqlParser } from '../sql/sql-gate';
import { ProjectIndex } from '../workspace/project-index';
import type { ExtractedQuery } from './query-model';
import { QUERY_EXTRACTORS, queriesOf } from './query-sources';
import { typeormQueryBuilderQueries } from './typeorm-query-builder';

const root = path.join(__dirname, 'fixtures', 'raw-sql');

describe('TypeORM QueryBuilder queries', () => {
  let queries: ExtractedQuery[];
  let text: string;
  before(async () => {
    await ensureSqlParser();
    const list = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(path.join(d, e.name)) : [path.join(d, e.name)]));
    const index = new ProjectIndex(root);
    index.setFiles(list(root));
    const file = index.file(path.join(root, 'src/orders-query.service.ts'))!;
    text = file.text;
    queries = queriesOf(file, index, [typeormQueryBuilderQueries]);
  });
  const at = (span: { start: number; end: number }): string => text.slice(span.start, span.end);

  it('is registered', () => {
    assert.ok(QUERY_EXTRACTORS.includes(typeormQueryBuilderQueries));
  });

  it('reads string conditions as entity properties, relation joins, order, skip and take', () => {
    const query = queries[0]!;
    assert.equal(query.display, 'this.orders.createQueryBuilder(…).getMany');
    assert.equal(query.source, 'typeorm');
    assert.equal(query.sql, undefined);
    assert.deepEqual([query.limit, query.offset, query.partial], ['constant', 'variable', undefined]);
    assert.equal(at(query.offsetSpan!), 'page * 20');
    const [orders, items] = query.accesses;
    assert.deepEqual(orders!.table, { kind: 'orm', orm: 'typeorm', name: 'Order' });
    assert.deepEqual(orders!.filters.map((f) => `${f.column} ${f.op} ${at(f.span)}`), ['status eq o.status', 'createdAt range o.createdAt']);
    assert.deepEqual(orders!.orderBy.map((k) => `${k.column} ${k.descending} ${at(k.span)}`), ['createdAt true o.createdAt']);
    assert.deepEqual(items!.table, { kind: 'orm', orm: 'typeorm', name: 'OrderItem' });
    assert.deepEqual(items!.joinKeys.map((f) => f.column), ['order']);
  });

  it('follows a builder variable; ManyToOne joins look up the primary key; count; OR across tables constrains neither', () => {
    const query = queries[1]!;
    assert.equal(query.operation, 'count');
    const [orders, customers] = query.accesses;
    assert.deepEqual(customers!.table, { kind: 'orm', orm: 'typeorm', name: 'Customer' });
    assert.deepEqual(customers!.joinKeys.map((f) => f.column), ['uuid']);
    assert.deepEqual(orders!.filters, []);
    assert.deepEqual(orders!.disjunctions, []);
  });

  it('marks conditional and Brackets conditions partial, keeping the plain ones', () => {
    assert.equal(queries[2]!.partial, true);
    assert.deepEqual(queries[2]!.accesses[0]!.filters, []);
    assert.equal(queries[3]!.partial, true);
    assert.deepEqual(queries[3]!.accesses[0]!.filters.map((f) => f.column), ['status']);
  });

  it('reads manager builders with the entity argument and expressions', () => {
    const query = queries[4]!;
    assert.equal(query.operation, 'select');
    assert.deepEqual(query.accesses[0]!.filters.map((f) => `${f.expression} ${f.op} ${at(f.span)}`), ['lower(status) eq lower(o.status)']);
    assert.equal(queries.length, 5);
  });
});
