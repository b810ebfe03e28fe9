import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ensureSqlParser, parseSql } from '../sql/sql-gate';
import type { ColumnFilter, ExtractedQuery, TableAccess } from './query-model';
import { analyseSqlStatement } from './sql-query-analysis';

function analyse(sql: string): ExtractedQuery | undefined {
  const result = parseSql(sql);
  assert.equal(result.kind, 'parsed', sql);
  if (result.kind !== 'parsed') return undefined;
  return analyseSqlStatement(result.statements[0]!, { source: 'sql-file', toFileOffset: (offset) => offset });
}

function only(sql: string): { query: ExtractedQuery; access: TableAccess } {
  const query = analyse(sql);
  assert.ok(query, sql);
  return { query, access: query.accesses[0]! };
}

/** Filters without spans, for compact comparisons. */
function shape(filters: ColumnFilter[]): Array<Omit<ColumnFilter, 'span'>> {
  return filters.map(({ span: _span, ...rest }) => rest);
}

function textOf(sql: string, span: { start: number; end: number }): string {
  return sql.slice(span.start, span.end);
}

describe('SQL query analysis (libpg-query)', () => {
  before(async () => {
    await ensureSqlParser();
  });

  it('reads equality with constants and parameters, IN, = ANY and IS NULL as equality', () => {
    const { access, query } = only("SELECT * FROM orders WHERE status = 'paid' AND customer_id = $1 AND kind IN ('a', 'b') AND id = ANY($2) AND deleted_at IS NULL AND flag = true AND n = 0");
    assert.equal(query.operation, 'select');
    assert.deepEqual(access.table, { kind: 'table', name: 'orders' });
    assert.deepEqual(shape(access.filters), [
      { column: 'status', op: 'eq', constants: ['paid'] },
      { column: 'customer_id', op: 'eq' },
      { column: 'kind', op: 'eq', constants: ['a', 'b'] },
      { column: 'id', op: 'eq' },
      { column: 'deleted_at', op: 'eq', constants: [null] },
      { column: 'flag', op: 'eq', constants: [true] },
      { column: 'n', op: 'eq', constants: [0] },
    ]);
  });

  it('reads ranges, BETWEEN and LIKE prefixes; contains-LIKE, ILIKE and regexes; negations', () => {
    const { access } = only(
      "SELECT id FROM t WHERE a < 1 AND b >= $1 AND c BETWEEN 1 AND 5 AND d LIKE 'ab%' AND e LIKE '%ab' AND f ILIKE 'ab%' AND g ~ '^x' AND h <> 'x' AND i NOT IN (1, 2) AND j IS NOT NULL AND k NOT LIKE 'x%' AND 5 > l AND m LIKE $2 AND o LIKE '%' || $3 || '%'",
    );
    assert.deepEqual(shape(access.filters), [
      { column: 'a', op: 'range', constants: [1] },
      { column: 'b', op: 'range' },
      { column: 'c', op: 'range', constants: [1, 5] },
      { column: 'd', op: 'range', prefixLike: true },
      { column: 'e', op: 'like-contains' },
      { column: 'f', op: 'like-contains' },
      { column: 'g', op: 'like-contains' },
      { column: 'h', op: 'not', constants: ['x'] },
      { column: 'i', op: 'not', constants: [1, 2] },
      { column: 'j', op: 'not' },
      { column: 'k', op: 'not' },
      { column: 'l', op: 'range', constants: [5] },
      { column: 'm', op: 'other' },
      { column: 'o', op: 'like-contains' },
    ]);
  });

  it('normalises a function or cast around a column like an index expression key', () => {
    const sql = "SELECT * FROM users u WHERE lower(u.email) = lower($1) AND created_at::date = $2 AND (data ->> 'plan') = 'pro'";
    const { access } = only(sql);
    assert.deepEqual(shape(access.filters), [
      { column: 'email', expression: 'lower(email)', op: 'eq' },
      { column: 'created_at', expression: 'created_at::date', op: 'eq' },
      { column: 'data', expression: "(data ->> 'plan')", op: 'eq', constants: ['pro'] },
    ]);
    assert.equal(textOf(sql, access.filters[0]!.span), 'lower(u.email)');
    assert.equal(textOf(sql, access.filters[1]!.span), 'created_at::date');
  });

  it('reads aliases and schema-qualified names, and joins: the joined side gets the join key, ON constants filter', () => {
    const sql = "SELECT o.id FROM billing.orders AS o JOIN order_items i ON i.order_id = o.id AND i.kind = 'gift' LEFT JOIN customers c ON c.id = o.customer_id WHERE o.status = $1";
    const query = analyse(sql)!;
    const [orders, items, customers] = query.accesses;
    assert.deepEqual(orders!.table, { kind: 'table', name: 'orders', schema: 'billing' });
    assert.equal(orders!.alias, 'o');
    assert.equal(textOf(sql, orders!.span), 'billing.orders');
    assert.deepEqual(shape(orders!.filters), [{ column: 'status', op: 'eq' }]);
    assert.deepEqual(orders!.joinKeys, []);
    assert.deepEqual(shape(items!.joinKeys), [{ column: 'order_id', op: 'eq' }]);
    assert.deepEqual(shape(items!.filters), [{ column: 'kind', op: 'eq', constants: ['gift'] }]);
    assert.deepEqual(shape(customers!.joinKeys), [{ column: 'id', op: 'eq' }]);
    assert.equal(textOf(sql, items!.joinKeys[0]!.span), 'i.order_id');
  });

  it('reads USING joins and comma joins equated in the WHERE', () => {
    const using = analyse('SELECT * FROM orders JOIN items USING (order_id) WHERE orders.status = $1')!;
    assert.deepEqual(shape(using.accesses[1]!.joinKeys), [{ column: 'order_id', op: 'eq' }]);
    assert.deepEqual(shape(using.accesses[0]!.filters), [{ column: 'status', op: 'eq' }]);
    const comma = analyse('SELECT * FROM orders o, items i WHERE i.order_id = o.id AND o.id = $1')!;
    assert.deepEqual(shape(comma.accesses[1]!.joinKeys), [{ column: 'order_id', op: 'eq' }]);
    assert.deepEqual(shape(comma.accesses[0]!.filters), [{ column: 'id', op: 'eq' }]);
  });

  it('leaves unqualified columns of a multi-table query out and marks the query partial', () => {
    const query = analyse('SELECT * FROM orders o JOIN items i ON i.order_id = o.id WHERE status = $1 AND o.total > 5')!;
    assert.equal(query.partial, true);
    assert.deepEqual(shape(query.accesses[0]!.filters), [{ column: 'total', op: 'range', constants: [5] }]);
    assert.deepEqual(query.accesses[1]!.filters, []);
    assert.equal(analyse('SELECT * FROM orders WHERE status = $1')!.partial, undefined);
  });

  it('keeps OR groups as disjunctions, and folds an OR on one column into IN', () => {
    const { access } = only("SELECT * FROM t WHERE (a = 1 OR b > $1 AND c = 2) AND (s = 'x' OR s = 'y')");
    assert.equal(access.disjunctions.length, 1);
    assert.deepEqual(access.disjunctions[0]!.map(shape), [[{ column: 'a', op: 'eq', constants: [1] }], [{ column: 'b', op: 'range' }, { column: 'c', op: 'eq', constants: [2] }]]);
    assert.deepEqual(shape(access.filters), [{ column: 's', op: 'eq', constants: ['x', 'y'] }]);
  });

  it('gives an OR across two tables only to a table every alternative constrains', () => {
    const query = analyse('SELECT * FROM a JOIN b ON b.a_id = a.id WHERE a.x = 1 OR b.y = 2')!;
    assert.deepEqual(query.accesses[0]!.disjunctions, []);
    assert.deepEqual(query.accesses[1]!.disjunctions, []);
  });

  it('reads ORDER BY direction, nulls, expressions, output aliases and positions; LIMIT and OFFSET kinds', () => {
    const sql = 'SELECT created_at AS c, id FROM events ORDER BY c DESC NULLS LAST, lower(name), 2 ASC NULLS FIRST LIMIT 20 OFFSET $1';
    const { access, query } = only(sql);
    assert.deepEqual(
      access.orderBy.map(({ span: _span, ...rest }) => rest),
      [
        { column: 'created_at', descending: true, nullsFirst: false },
        { column: 'name', expression: 'lower(name)', descending: false },
        { column: 'id', descending: false, nullsFirst: true },
      ],
    );
    assert.equal(textOf(sql, access.orderBy[1]!.span), 'lower(name)');
    assert.equal(query.limit, 'constant');
    assert.equal(query.offset, 'variable');
    assert.equal(textOf(sql, query.offsetSpan!), '$1');
    const constant = analyse('SELECT * FROM events ORDER BY id LIMIT $1 OFFSET 40')!;
    assert.equal(constant.limit, 'variable');
    assert.equal(constant.offset, 'constant');
    assert.equal(analyse('SELECT * FROM events')!.limit, undefined);
  });

  it('drops the ORDER BY of a grouped or DISTINCT select: it sorts the aggregated rows, which no index delivers', () => {
    const grouped = only("SELECT date_trunc('month', created_at) AS month, count(*) FROM documents WHERE team_id = $1 GROUP BY month ORDER BY month DESC LIMIT 12");
    assert.deepEqual(grouped.access.orderBy, []);
    assert.deepEqual(shape(grouped.access.filters), [{ column: 'team_id', op: 'eq' }]);
    assert.equal(grouped.query.limit, 'constant');
    assert.deepEqual(only('SELECT DISTINCT customer_id FROM orders WHERE status = $1 ORDER BY customer_id LIMIT 10').access.orderBy, []);
    assert.equal(only('SELECT id FROM orders WHERE status = $1 ORDER BY created_at LIMIT 10').access.orderBy.length, 1);
  });

  it('gives count(*) selects the count operation', () => {
    assert.equal(analyse('SELECT count(*) FROM orders WHERE status = $1')!.operation, 'count');
    assert.equal(analyse('SELECT status, count(*) FROM orders GROUP BY status')!.operation, 'select');
  });

  it('reads UPDATE and DELETE with their extra FROM / USING tables; ignores INSERT', () => {
    const update = analyse("UPDATE orders o SET status = 'x' FROM customers c WHERE o.customer_id = c.id AND c.region = $1 AND o.status = 'open'")!;
    assert.equal(update.operation, 'update');
    assert.deepEqual(shape(update.accesses[0]!.filters), [{ column: 'status', op: 'eq', constants: ['open'] }]);
    assert.deepEqual(shape(update.accesses[1]!.filters), [{ column: 'region', op: 'eq' }]);
    assert.deepEqual(shape(update.accesses[1]!.joinKeys), [{ column: 'id', op: 'eq' }]);
    assert.equal(update.display, 'UPDATE orders …');
    const del = analyse('DELETE FROM sessions WHERE expires_at < now()')!;
    assert.equal(del.operation, 'delete');
    assert.deepEqual(shape(del.accesses[0]!.filters), [{ column: 'expires_at', op: 'range' }]);
    assert.equal(analyse('INSERT INTO orders (id) VALUES ($1)'), undefined);
    assert.equal(analyse('CREATE INDEX i ON orders (status)'), undefined);
  });

  it('analyses the outer query of subqueries and CTEs over base tables only', () => {
    const sub = analyse('SELECT * FROM orders o WHERE o.customer_id IN (SELECT id FROM customers WHERE vip) AND EXISTS (SELECT 1 FROM items i WHERE i.order_id = o.id) AND o.total > 5')!;
    assert.equal(sub.accesses.length, 1);
    assert.deepEqual(shape(sub.accesses[0]!.filters), [
      { column: 'customer_id', op: 'other' },
      { column: 'total', op: 'range', constants: [5] },
    ]);
    const cte = analyse('WITH recent AS (SELECT * FROM orders WHERE created_at > now()) SELECT * FROM recent r JOIN customers c ON c.id = r.customer_id WHERE r.total > 1')!;
    assert.equal(cte.accesses.length, 1);
    assert.deepEqual(cte.accesses[0]!.table, { kind: 'table', name: 'customers' });
    assert.deepEqual(shape(cte.accesses[0]!.joinKeys), [{ column: 'id', op: 'eq' }]);
    assert.deepEqual(cte.accesses[0]!.filters, []);
    const derived = analyse('SELECT * FROM (SELECT * FROM orders) x WHERE x.id = 1');
    assert.equal(derived, undefined);
    assert.equal(analyse("SELECT * FROM generate_series(1, 3) g"), undefined);
  });

  it('skips unions and table-less selects', () => {
    assert.equal(analyse('SELECT 1'), undefined);
    assert.equal(analyse('SELECT id FROM a UNION SELECT id FROM b'), undefined);
  });

  it('maps spans through non-ASCII text and earlier statements', () => {
    const sql = "SELECT 'é'; -- ünïcode ✓\nSELECT * FROM \"Users\" u WHERE u.\"displayName\" = 'Zoë' AND u.age > 3";
    const result = parseSql(sql);
    assert.equal(result.kind, 'parsed');
    if (result.kind !== 'parsed') return;
    const query = analyseSqlStatement(result.statements[1]!, { source: 'sql-file', toFileOffset: (offset) => offset })!;
    const access = query.accesses[0]!;
    assert.equal(textOf(sql, access.span), '"Users"');
    assert.deepEqual(access.table, { kind: 'table', name: 'Users' });
    assert.equal(access.filters[0]!.column, 'displayName');
    assert.equal(textOf(sql, access.filters[0]!.span), 'u."displayName"');
    assert.equal(textOf(sql, access.filters[1]!.span), 'u.age');
    assert.equal(textOf(sql, query.span), result.statements[1]!.text);
    assert.equal(query.sql, result.statements[1]!.text);
  });

  it('gives nothing for a statement that does not parse', () => {
    const result = parseSql('SELECT * FROM orders WHERE');
    assert.equal(result.kind, 'syntax-error');
    assert.deepEqual(result.kind === 'syntax-error' ? result.statements : [], []);
  });
});
