import type { Span } from '../model/location';
import type { OrmName } from '../schema/catalog-model';

/**
 * The queries a file sends, reduced to what the index rules ask about: which table, which columns
 * it filters (and how), joins on and sorts by. Every source (a `.sql` file, a SQL string in code,
 * an ORM call) produces this one shape, so the matching, the messages, the fixes and the planner
 * check are written once. See ARCHITECTURE.md, "Index advisor".
 */

export type QuerySourceKind = 'sql-file' | 'sql-string' | 'typeorm' | 'prisma' | 'sequelize' | 'knex' | 'drizzle' | 'kysely' | 'mikro-orm';

/**
 * The table an access reads. SQL names it (`orders`, `billing.invoices`); ORM code names an
 * entity class, a Prisma model delegate or a Drizzle table variable, which the catalog maps to a
 * table (`SchemaCatalog.mapping`). Columns of an `orm` access are the ORM's property names.
 */
export type TableRef =
  | { kind: 'table'; name: string; schema?: string }
  | { kind: 'orm'; orm: OrmName; name: string };

/**
 * How a filter constrains its column, which decides the index shapes that can serve it:
 * - `eq`: `= value`, `IN (…)`, `= ANY($1)`, `IS NULL` (a btree serves all of these as equality);
 * - `range`: `<`, `<=`, `>`, `>=`, `BETWEEN`, and `LIKE 'abc%'` (a prefix);
 * - `like-contains`: `LIKE '%abc'` / `'%abc%'`, any `ILIKE`, regular expressions: no btree helps;
 * - `not`: `<>`, `NOT IN`, `IS NOT NULL`: an index rarely helps; the rules do not ask for one;
 * - `other`: anything else (a subquery, a comparison with another column of the same table).
 */
export type FilterOp = 'eq' | 'range' | 'like-contains' | 'not' | 'other';

export type ConstantValue = string | number | boolean | null;

export interface ColumnFilter {
  /** The column (SQL name; the ORM property for an `orm` access). */
  column: string;
  /**
   * Set when a function or cast wraps the column: the expression normalised the way the catalog
   * writes expression index keys (`lower(email)`, `date(created_at)`), see `expressionText`.
   */
  expression?: string;
  op: FilterOp;
  /**
   * The literal values compared with, when every one is a literal (`status = 'active'`,
   * `status IN ('a', 'b')`, `deleted_at IS NULL` gives `[null]`); absent for parameters and
   * variables. Used to decide whether a partial index's predicate is implied, and to propose one.
   */
  constants?: ConstantValue[];
  /** True for `LIKE 'abc%'`: a range on a prefix (only servable by a btree with a C collation or text_pattern_ops). */
  prefixLike?: boolean;
  /** Where the filter is written (the column or property in the file). */
  span: Span;
}

export interface SortKey {
  column: string;
  expression?: string;
  descending: boolean;
  nullsFirst?: boolean;
  span: Span;
}

/** One table a query reads, with what the query asks of it. */
export interface TableAccess {
  table: TableRef;
  /** The alias the query uses (`o` in `FROM orders o`), for messages. */
  alias?: string;
  /** Filters AND-ed at the top level of the WHERE, on this table. */
  filters: ColumnFilter[];
  /**
   * OR groups at the top level of the WHERE: each group is a list of alternatives, each
   * alternative the filters it AND-s (`a = 1 OR b = 2` is one group of two alternatives).
   */
  disjunctions: ColumnFilter[][][];
  /** Columns of this table equated with another table's column in a join: the join looks rows of this table up by them. */
  joinKeys: ColumnFilter[];
  /** ORDER BY keys on this table's columns, in order. */
  orderBy: SortKey[];
  /** Where the table is named in the file (the FROM item, the repository, the model delegate). */
  span: Span;
}

export interface ExtractedQuery {
  source: QuerySourceKind;
  operation: 'select' | 'count' | 'update' | 'delete';
  /** Where a finding about the whole query goes: the callee of the call, or the statement. */
  span: Span;
  /** How messages name the query: `this.orders.find`, `prisma.order.findMany`, `SELECT … FROM orders`. */
  display: string;
  /** The first access is the query's main table (the FROM, the repository's entity). */
  accesses: TableAccess[];
  limit?: 'constant' | 'variable';
  offset?: 'constant' | 'variable';
  /** Where the offset (`OFFSET $2`, `skip: page * size`) is written. */
  offsetSpan?: Span;
  /**
   * The SQL as written, for SQL sources, with every interpolation replaced by `$n` placeholders,
   * so the planner check can run the query itself. ORM queries leave it unset; the planner check
   * renders them from the accesses.
   */
  sql?: string;
  /**
   * True when the extractor met something it could not follow: a `where` built elsewhere, a spread,
   * a dynamic column name, a raw fragment. Filters may then be missing, so rules that would report
   * an absent index stay quiet (never guess); rules about a filter that is there may still report.
   */
  partial?: boolean;
}
