import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { ensureSqlParser } from '../sql/sql-gate';
import { ProjectIndex } from '../workspace/project-index';
import type { ColumnFilter, ExtractedQuery } from './query-model';
import { QUERY_EXTRACTORS, queriesOf, type QueryExtractor } from './query-sources';
import { sqlFileQueries } from './sql-file-queries';
import { sqlStringQueries } from './sql-string-queries';

const root = path.join(__dirname, 'fixtures', 'raw-sql');

function project(): ProjectIndex {
  const list = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(path.join(d, e.name)) : [path.join(d, e.name)]));
  const index = new ProjectIndex(root);
  index.setFiles(list(root));
  return index;
}

function extract(index: ProjectIndex, relative: string, extractor: QueryExtractor): { queries: ExtractedQuery[]; text: string } {
  const file = index.file(path.join(root, relative));
  assert.ok(file, relative);
  return { queries: queriesOf(file, index, [extractor]), text: file.text };
}

const filterText = (f: ColumnFilter): string => `${f.expression ?? f.column} ${f.op}${f.constants ? ` ${JSON.stringify(f.constants)}` : ''}`;

/** `display op table | where … | join … | order … | limit/offset | partial`. */
function summary(query: ExtractedQuery): string {
  const parts = [`${query.display} ${query.operation}`];
  for (const access of query.accesses) {
    const table = access.table.kind === 'table' ? access.table.name : `${access.table.orm}:${access.table.name}`;
    const bits = [table];
    if (access.filters.length) bits.push(`where ${access.filters.map(filterText).join(', ')}`);
    if (access.joinKeys.length) bits.push(`join ${access.joinKeys.map(filterText).join(', ')}`);
    if (access.orderBy.length) bits.push(`order ${access.orderBy.map((k) => `${k.expression ?? k.column}${k.descending ? ' desc' : ''}`).join(', ')}`);
    parts.push(bits.join(' '));
  }
  if (query.limit) parts.push(`limit ${query.limit}`);
  if (query.offset) parts.push(`offset ${query.offset}`);
  if (query.partial) parts.push('partial');
  return parts.join(' | ');
}

describe('SQL query sources: .sql files and SQL strings in code', () => {
  let index: ProjectIndex;
  before(async () => {
    await ensureSqlParser();
    index = project();
  });

  it('registers both extractors', () => {
    assert.ok(QUERY_EXTRACTORS.includes(sqlFileQueries));
    assert.ok(QUERY_EXTRACTORS.includes(sqlStringQueries));
  });

  it('reads the queries of a .sql file, with spans in the file, and skips INSERT', () => {
    const { queries, text } = extract(index, 'queries/reports.sql', sqlFileQueries);
    assert.deepEqual(queries.map(summary), [
      "SELECT … FROM customers select | customers | orders where status eq [\"paid\"], created_at range join customer_id eq",
      'SELECT … FROM orders select | orders where lower(reference) eq order created_at desc | limit constant | offset variable',
    ]);
    const orders = queries[0]!.accesses[1]!;
    assert.equal(text.slice(orders.filters[1]!.span.start, orders.filters[1]!.span.end), 'o.created_at');
    assert.equal(text.slice(orders.joinKeys[0]!.span.start, orders.joinKeys[0]!.span.end), 'o.customer_id');
    assert.equal(text.slice(queries[1]!.offsetSpan!.start, queries[1]!.offsetSpan!.end), '$2');
    assert.ok(text.slice(queries[1]!.span.start, queries[1]!.span.end).startsWith('SELECT * FROM orders WHERE lower'));
  });

  it('gives no queries for a migration (a backfill runs once)', () => {
    assert.deepEqual(extract(index, 'migrations/002_backfill.sql', sqlFileQueries).queries, []);
    assert.deepEqual(extract(index, 'src/migrations/1700000000000-Backfill.ts', sqlStringQueries).queries, []);
  });

  it('reads pg pool and client queries: constants, { text }, concatenations, escapes; skips dynamic names and non-database calls', () => {
    const { queries, text } = extract(index, 'src/orders.repository.ts', sqlStringQueries);
    assert.deepEqual(queries.map(summary), [
      'pool.query select | orders where status eq ["open"], customer_id eq order created_at desc',
      'client.query select | orders where reference eq',
      'pool.query select | orders where note like-contains',
      'pool.query select | orders where id eq',
      'pool.query select | orders where placed_on eq',
    ]);
    const [constant, , concatenated, , escaped] = queries;
    const at = (span: { start: number; end: number }): string => text.slice(span.start, span.end);
    assert.equal(at(constant!.accesses[0]!.filters[1]!.span), 'customer_id');
    assert.equal(at(constant!.span), 'pool.query');
    assert.equal(at(concatenated!.accesses[0]!.filters[0]!.span), 'note');
    assert.equal(at(escaped!.accesses[0]!.span), '\\"orders\\"');
    assert.equal(at(escaped!.accesses[0]!.filters[0]!.span), 'placed_on');
    assert.equal(queries[3]!.sql, 'SELECT * FROM orders WHERE id = $1');
  });

  it('reads Prisma raw queries; interpolations become parameters; Prisma.raw makes the query unreadable', () => {
    const { queries, text } = extract(index, 'src/prisma-raw.service.ts', sqlStringQueries);
    assert.deepEqual(queries.map(summary), [
      'this.prisma.$queryRaw select | Post where authorId eq, createdAt range order createdAt desc',
      'this.prisma.$queryRawUnsafe select | User where lower(email) eq',
      'this.prisma.$executeRaw update | Post where id eq',
    ]);
    assert.equal(queries[0]!.sql, 'SELECT * FROM "Post" WHERE "authorId" = $1 AND "createdAt" > $2 ORDER BY "createdAt" DESC');
    const filter = queries[0]!.accesses[0]!.filters[1]!;
    assert.equal(text.slice(filter.span.start, filter.span.end), '"createdAt"');
  });

  it('reads TypeORM .query on repositories, data sources and query runners', () => {
    const { queries } = extract(index, 'src/typeorm-raw.service.ts', sqlStringQueries);
    assert.deepEqual(queries.map(summary), [
      'this.orders.query count | orders where customer_id eq, status eq',
      'this.dataSource.query delete | sessions where expires_at range',
      'runner.query select | order_items where sku eq',
      'queryRunner.query select | coupons where code eq',
    ]);
  });

  it('reads knex.raw, Drizzle db.execute(sql``), postgres.js and pg-promise; skips identifier placeholders', () => {
    const { queries } = extract(index, 'src/other-clients.ts', sqlStringQueries);
    assert.deepEqual(queries.map(summary), [
      'db.execute select | users where email eq',
      'k.raw select | members where team_id eq, role eq | limit variable',
      'sql select | articles where slug eq, published_at not',
      'pdb.any select | tags where name eq order created_at',
    ]);
    assert.equal(queries[1]!.sql, 'SELECT * FROM members WHERE team_id = $1 AND role IN ($2, $3) LIMIT $4');
  });
});
