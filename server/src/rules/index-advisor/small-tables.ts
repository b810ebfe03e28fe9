import type { CatalogTable } from '../../engine/schema/catalog-model';

/**
 * Whether the user declared `table` small (option `smallTables`: `name` or `schema.name`, any case):
 * a scan of a lookup table with a few hundred rows costs less than an index, so no index advice.
 */
export function isSmallTable(table: Pick<CatalogTable, 'name' | 'schema'>, smallTables: readonly string[]): boolean {
  if (smallTables.length === 0) return false;
  const name = table.name.toLowerCase();
  const qualified = `${table.schema}.${table.name}`.toLowerCase();
  return smallTables.some((entry) => {
    const wanted = entry.trim().toLowerCase();
    return wanted === name || wanted === qualified;
  });
}
