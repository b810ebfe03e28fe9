import type { CatalogIndex, CatalogTable, SchemaCatalog } from '../../../engine/schema/catalog-model';

/**
 * Where this project declares its indexes: the origin kind of most of the table's own secondary
 * indexes, else of the catalog's (ORM declarations that migrations overrode count too: they
 * show the team declares indexes in the ORM). Primary keys do not vote: every table has one,
 * wherever the team writes its indexes. Kinds this writer does not know (a Drizzle schema, say)
 * are returned as they are; the caller falls back for them. Undefined when there is no index at all.
 */
export function projectIndexStyle(table: CatalogTable, catalog: SchemaCatalog): string | undefined {
  const majority = (indexes: readonly CatalogIndex[]): string | undefined => {
    const counts = new Map<string, number>();
    for (const index of indexes) if (!index.primary) counts.set(index.origin.kind, (counts.get(index.origin.kind) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  };
  return majority(table.indexes) ?? majority([...catalog.tables().flatMap((t) => t.indexes), ...catalog.overridden]);
}
