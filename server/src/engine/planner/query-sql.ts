import type { ColumnFilter, ConstantValue } from '../queries/query-model';
import type { ResolvedAccess, ResolvedQuery } from '../queries/resolve-query';
import { ident, qualifiedName } from './catalog-ddl';

/**
 * The SQL the planner explains for a query: the SQL as written for SQL sources (parameters are
 * already `$n`), else one SELECT rendered from a resolved access (ORM calls): its filters, OR
 * groups, join keys as equality on a parameter (a join looks the table up by them, which is the
 * question the index answers), and, for the query's main table, its sort and limit.
 *
 * `table` picks the access to render (the table a proposal indexes); the main access otherwise.
 * Undefined when there is nothing to render (the table is unknown to the catalog).
 */
export function querySql(resolved: ResolvedQuery, table?: { schema: string; name: string }): string | undefined {
  if (resolved.query.sql) return resolved.query.sql;
  const access = (table && resolved.accesses.find((a) => a.table.name === table.name && a.table.schema === table.schema)) ?? resolved.accesses[0];
  if (!access) return undefined;
  const main = access.access === resolved.query.accesses[0];
  return accessSql(access, main ? resolved.query.limit : undefined, main);
}

/** `SELECT * FROM orders WHERE customer_id = $1 AND created_at > $2 ORDER BY created_at DESC LIMIT 20`. */
export function accessSql(access: ResolvedAccess, limit: 'constant' | 'variable' | undefined, withSort: boolean): string {
  const params = new Parameters();
  const conditions: string[] = [];
  for (const filter of [...access.filters, ...access.joinKeys.map((key) => ({ ...key, op: 'eq' as const, constants: undefined }))]) {
    const condition = conditionSql(filter, params);
    if (condition) conditions.push(condition);
  }
  for (const group of access.disjunctions) {
    const alternatives = group.map((alternative) => alternative.map((filter) => conditionSql(filter, params)));
    // An alternative we cannot render would change what the OR selects; leave the whole group out.
    if (alternatives.some((alternative) => alternative.length === 0 || alternative.some((c) => c === undefined))) continue;
    conditions.push(`(${alternatives.map((alternative) => alternative.join(' AND ')).join(' OR ')})`);
  }
  let sql = `SELECT * FROM ${qualifiedName(access.table)}`;
  if (conditions.length > 0) sql += ` WHERE ${conditions.join(' AND ')}`;
  if (withSort && access.orderBy.length > 0) {
    sql += ` ORDER BY ${access.orderBy.map((key) => `${key.expression ?? ident(key.column)}${key.descending ? ' DESC' : ''}${key.nullsFirst === undefined ? '' : key.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST'}`).join(', ')}`;
  }
  if (limit) sql += ' LIMIT 20';
  return sql;
}

class Parameters {
  private count = 0;
  next(): string {
    return `$${++this.count}`;
  }
}

function conditionSql(filter: ColumnFilter, params: Parameters): string | undefined {
  const target = filter.expression ?? ident(filter.column);
  const constants = filter.constants;
  switch (filter.op) {
    case 'eq':
      if (constants && constants.length > 0) {
        if (constants.length === 1 && constants[0] === null) return `${target} IS NULL`;
        const values = constants.filter((value) => value !== null);
        if (values.length === 1) return `${target} = ${literal(values[0]!)}`;
        return `${target} IN (${values.map(literal).join(', ')})`;
      }
      return `${target} = ${params.next()}`;
    case 'range':
      if (filter.prefixLike) {
        // A parameter hides the prefix from the planner; a literal prefix lets it consider the index.
        const prefix = typeof constants?.[0] === 'string' ? constants[0] : 'a%';
        return `${target} LIKE ${literal(prefix.endsWith('%') ? prefix : `${prefix}%`)}`;
      }
      return `${target} > ${params.next()}`;
    case 'like-contains':
      return `${target} LIKE ${params.next()}`;
    case 'not':
      return constants?.length === 1 && constants[0] === null ? `${target} IS NOT NULL` : `${target} <> ${params.next()}`;
    case 'other':
      return undefined;
  }
}

function literal(value: ConstantValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return `'${value.replace(/'/g, "''")}'`;
}
