import type { CatalogTable, OrmMapping, SchemaCatalog } from '../schema/catalog-model';
import type { ColumnFilter, ExtractedQuery, SortKey, TableAccess } from './query-model';

/** A table access with its table found in the catalog and every column named as the table names it. */
export interface ResolvedAccess {
  access: TableAccess;
  table: CatalogTable;
  /** The ORM mapping the access went through, when it named an entity or model. */
  mapping?: OrmMapping;
  filters: ColumnFilter[];
  disjunctions: ColumnFilter[][][];
  joinKeys: ColumnFilter[];
  orderBy: SortKey[];
}

export interface ResolvedQuery {
  query: ExtractedQuery;
  /** The accesses whose table and columns are all known, in the query's order. */
  accesses: ResolvedAccess[];
}

/**
 * Finds each access's table in the catalog and renames ORM properties to columns. An access whose
 * table is unknown, or that names a column the table does not have, is left out: the rules never
 * guess an index question about a schema they do not know.
 */
export function resolveQuery(query: ExtractedQuery, catalog: SchemaCatalog): ResolvedQuery {
  const accesses: ResolvedAccess[] = [];
  for (const access of query.accesses) {
    const resolved = resolveAccess(access, catalog);
    if (resolved) accesses.push(resolved);
  }
  return { query, accesses };
}

export function resolveAccess(access: TableAccess, catalog: SchemaCatalog): ResolvedAccess | undefined {
  let table: CatalogTable | undefined;
  let mapping: OrmMapping | undefined;
  if (access.table.kind === 'table') {
    table = catalog.table(access.table.name, access.table.schema);
  } else {
    mapping = catalog.mapping(access.table.orm, access.table.name);
    if (mapping) table = catalog.table(mapping.table, mapping.schema);
  }
  if (!table) return undefined;
  const known = new Set(table.columns.map((column) => column.name));
  let unknownColumn = false;
  const columnOf = (name: string): string => {
    const column = mapping ? (mapping.columns[name] ?? (known.has(name) ? name : undefined)) : name;
    const found = column !== undefined && (known.has(column) || known.has(column.toLowerCase())) ? (known.has(column) ? column : column.toLowerCase()) : undefined;
    if (found === undefined) unknownColumn = true;
    return found ?? name;
  };
  const rename = <T extends { column: string; expression?: string }>(item: T): T => {
    const column = columnOf(item.column);
    if (column === item.column) return item;
    const renamed = { ...item, column };
    if (item.expression) renamed.expression = renameInExpression(item.expression, item.column, column);
    return renamed;
  };
  const resolved: ResolvedAccess = {
    access,
    table,
    filters: access.filters.map(rename),
    disjunctions: access.disjunctions.map((group) => group.map((alternative) => alternative.map(rename))),
    joinKeys: access.joinKeys.map(rename),
    orderBy: access.orderBy.map(rename),
  };
  if (mapping) resolved.mapping = mapping;
  return unknownColumn ? undefined : resolved;
}

function renameInExpression(expression: string, from: string, to: string): string {
  return expression.replace(new RegExp(`\\b${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'g'), to);
}
