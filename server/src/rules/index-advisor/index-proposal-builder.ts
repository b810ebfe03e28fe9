import type { ColumnFilter, ConstantValue, SortKey } from '../../engine/queries/query-model';
import type { ResolvedAccess } from '../../engine/queries/resolve-query';
import type { CatalogTable } from '../../engine/schema/catalog-model';
import { quoteIdentifier, type IndexProposal, type ProposedKey } from './index-proposal';

/**
 * Builds the index a query asks for: its equality columns in the query's order (which column is
 * most selective is unknowable from code), then its one range column, then the sort when the
 * index can deliver it after them. Constant filters on low-cardinality columns become a partial
 * index's predicate instead of keys: `WHERE status = 'pending'` leaves the index small and every
 * row in it relevant, which a leading `status` key would not.
 */
export interface ProposalShape {
  /** Equality constraints (filters, then join keys), in the query's order. */
  equality: ColumnFilter[];
  range?: ColumnFilter;
  /** Sort keys to append after the equality (and range) keys; empty when the sort cannot follow. */
  sort: SortKey[];
}

export function buildProposal(access: ResolvedAccess, shape: ProposalShape): IndexProposal {
  const table = access.table;
  const pinned = shape.equality.filter((filter) => partialCandidate(table, filter));
  const rest = shape.equality.filter((filter) => !pinned.includes(filter));
  // A partial index needs keys of its own; when every equality column is low-cardinality, they stay keys.
  const partial = rest.length > 0 || shape.range !== undefined || shape.sort.length > 0 ? pinned : [];
  const keys: ProposedKey[] = [];
  const seen = new Set<string>();
  const add = (item: { column: string; expression?: string }, descending: boolean): void => {
    const id = keyId(item);
    if (seen.has(id)) return;
    seen.add(id);
    keys.push(item.expression ? { expression: item.expression, descending } : { column: item.column, descending });
  };
  for (const filter of shape.equality) if (!partial.includes(filter) && !isNullTest(filter)) add(filter, false);
  const sort = shape.sort.filter((key) => !partial.some((filter) => keyId(filter) === keyId(key)));
  if (shape.range) add(shape.range, sort[0] !== undefined && keyId(sort[0]) === keyId(shape.range) ? sort[0].descending : false);
  for (const key of sort) add(key, key.descending);
  // Only IS NULL filters: they become the keys after all (an index on `deleted_at` is what was asked).
  if (keys.length === 0) for (const filter of shape.equality) add(filter, false);
  const proposal: IndexProposal = { table, keys, purpose: '' };
  if (partial.length > 0) proposal.where = partial.map(predicateSql).join(' AND ');
  if (access.mapping) proposal.mapping = access.mapping;
  proposal.purpose = `${table.name} by ${keys.map(keyText).join(', ')}${proposal.where ? ` where ${proposal.where}` : ''}`;
  return proposal;
}

/**
 * The low-cardinality heuristic: a column named like a status, state, type or kind
 * (`status`, `order_status`, `paymentState`), a soft-delete timestamp (`deleted_at`, `deletedAt`),
 * or a boolean column. Such columns hold a handful of values, so an index keyed on them narrows
 * little, while a partial index on the value the query asks for stays small.
 */
export function isLowCardinality(table: CatalogTable, column: string): boolean {
  if (/(?:^|_)(?:status|state|type|kind)$/i.test(column) || /[a-z](?:Status|State|Type|Kind)$/.test(column)) return true;
  if (/^(?:deleted|archived|removed)_?at$/i.test(column)) return true;
  const type = table.columns.find((candidate) => candidate.name === column)?.type?.toLowerCase();
  return type === 'bool' || type === 'boolean';
}

/** A filter the proposal turns into the partial predicate: a constant equality on a low-cardinality column, or IS NULL. */
export function partialCandidate(table: CatalogTable, filter: ColumnFilter): boolean {
  if (filter.op !== 'eq' || filter.expression !== undefined || !filter.constants || filter.constants.length === 0) return false;
  if (isNullTest(filter)) return true;
  return !filter.constants.includes(null) && isLowCardinality(table, filter.column);
}

function isNullTest(filter: ColumnFilter): boolean {
  return filter.op === 'eq' && filter.constants !== undefined && filter.constants.length > 0 && filter.constants.every((value) => value === null);
}

function predicateSql(filter: ColumnFilter): string {
  const column = quoteIdentifier(filter.column);
  const values = filter.constants ?? [];
  if (values.every((value) => value === null)) return `${column} IS NULL`;
  return values.length === 1 ? `${column} = ${literalSql(values[0]!)}` : `${column} IN (${values.map(literalSql).join(', ')})`;
}

export function literalSql(value: ConstantValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  return String(value);
}

function keyText(key: ProposedKey): string {
  return `${key.expression ?? key.column!}${key.descending ? ' DESC' : ''}`;
}

/** How filters, sort keys and index keys are compared: the expression when there is one, else the column. */
export function keyId(item: { column?: string; expression?: string }): string {
  if (item.expression) return normaliseExpression(item.expression);
  return (item.column ?? '').toLowerCase();
}

function normaliseExpression(expression: string): string {
  let text = expression.replace(/\s+/g, '').replace(/"/g, '').toLowerCase();
  while (text.startsWith('(') && text.endsWith(')') && balanced(text.slice(1, -1))) text = text.slice(1, -1);
  return text;
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}
