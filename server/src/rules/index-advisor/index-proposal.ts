import type { CatalogTable, OrmMapping } from '../../engine/schema/catalog-model';

/**
 * An index the advisor proposes for one query: keys in the order that serves it (equality
 * columns, then the one range column, then the sort), partial when the query pins a
 * low-cardinality column to constants. The migration writers turn it into the project's own
 * style (SQL migration, TypeORM migration class, `@Index`, `@@index`); the planner check creates it
 * on PGlite. Every index rule that proposes an index builds one of these.
 */
export interface IndexProposal {
  table: CatalogTable;
  keys: ProposedKey[];
  /** The partial-index predicate as SQL (`status IN ('pending', 'failed')`), when there is one. */
  where?: string;
  /** The ORM mapping the query used, so an `@Index` / `@@index` can name properties, not columns. */
  mapping?: OrmMapping;
  /** One line on what the index serves, for the migration's comment: `orders by customer_id, created_at DESC`. */
  purpose: string;
}

export interface ProposedKey {
  column?: string;
  /** An expression key (`lower(email)`), written as the catalog writes expression keys. */
  expression?: string;
  descending: boolean;
  /**
   * What the key serves. An equality key's direction does not matter, which lets a writer that
   * cannot express DESC (TypeORM's `@Index`) still declare an index whose sort keys share one
   * direction (a backward scan serves them). Unset: treated as a sort key.
   */
  role?: 'equality' | 'range' | 'sort';
}

/** `(customer_id, created_at DESC)` as SQL. */
export function keyListSql(keys: readonly ProposedKey[]): string {
  return `(${keys.map((key) => `${key.expression ? `(${key.expression})` : quoteIdentifier(key.column!)}${key.descending ? ' DESC' : ''}`).join(', ')})`;
}

/** Quotes an identifier only when Postgres would otherwise fold or reject it. */
export function quoteIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

const RESERVED = new Set(['user', 'order', 'group', 'select', 'from', 'where', 'table', 'column', 'index', 'limit', 'offset', 'desc', 'asc', 'default', 'check', 'primary', 'references', 'unique', 'end', 'all', 'and', 'or', 'not', 'to', 'do', 'as', 'on', 'in', 'is']);
