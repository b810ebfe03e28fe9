import type { OptionSpec } from '../../engine/model/rule-options';
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

/** The `smallTables` option every index rule takes; `skipped` says what is not reported for them. */
export function smallTablesOption(skipped: string, cost = 'a scan costs nothing'): OptionSpec {
  return {
    type: 'string[]',
    default: [],
    description: `Tables (\`name\` or \`schema.name\`, any case) small enough that ${cost}; ${skipped} are not reported.`,
  };
}
