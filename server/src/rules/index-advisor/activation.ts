import type { ActivationContext } from '../../engine/model/rule';
import type { QuerySourceKind } from '../../engine/queries/query-model';
import type { SchemaCatalog, SchemaOrigin, SchemaSourceKind } from '../../engine/schema/catalog-model';
import { schemaCatalogOf } from '../../engine/schema/schema-catalog';
import { sqlParserLoaded } from '../../engine/sql/sql-gate';
import { applicationQueriesOf } from './query-findings';

/**
 * Why the index rules watch a file, for the skill panel, from the very detection the rules run:
 * the queries `applicationQueriesOf` extracts (the query rules), and the files the schema catalog
 * was built from (the foreign-key rule, which reports where a relation is declared). Labels of
 * ORM sources are the skill detectors' own words, so a file both recognise shows one reason.
 */
const QUERY_LABELS: Record<QuerySourceKind, string> = {
  'sql-file': 'SQL queries',
  'sql-string': 'SQL query strings',
  typeorm: 'TypeORM repository calls',
  prisma: 'Prisma client queries',
  sequelize: 'Sequelize models and queries',
  knex: 'Knex queries',
  drizzle: 'Drizzle queries',
  kysely: 'Kysely queries',
  'mikro-orm': 'MikroORM entities and queries',
};

/**
 * By source kind; a kind added later without a label here shows as its own words. A SQL migration
 * keeps the words the panel always used for a `.sql` file.
 */
const SCHEMA_LABELS: Readonly<Record<string, string>> = {
  'sql-migration': 'SQL file',
  'typeorm-migration': 'TypeORM migration',
  'db-migrate-migration': 'db-migrate migration',
  'typeorm-entity': 'TypeORM entity',
  'prisma-schema': 'Prisma schema',
  'sequelize-model': 'Sequelize models and queries',
  'drizzle-schema': 'Drizzle schema',
  'mikro-orm-entity': 'MikroORM entities and queries',
  'knex-migration': 'Knex migration',
  'sequelize-migration': 'Sequelize migration',
};

/** The query rules' hook: the sources of the queries they read in the file ("SQL query strings"). */
export function queryActivation({ file, project }: ActivationContext): string | undefined {
  const queries = applicationQueriesOf(file, project);
  if (queries.length === 0) return undefined;
  return [...new Set(queries.map((query) => QUERY_LABELS[query.source]))].join(', ');
}

/** The foreign-key rule's hook: the file declares tables, indexes or relations the catalog read ("Prisma schema"). */
export function schemaSourceActivation({ file, project }: ActivationContext): string | undefined {
  // Asking must not load the parser: the panel asks for every file, and a file that declares a
  // schema has made the analysis load it already.
  if (!sqlParserLoaded()) return undefined;
  const catalog = schemaCatalogOf(project);
  if (!catalog) return undefined;
  const kinds = sourceKindsOf(catalog).get(file.filePath);
  return kinds ? [...new Set([...kinds].map((kind) => SCHEMA_LABELS[kind] ?? kind.replace(/-/g, ' ')))].join(', ') : undefined;
}

const sourceKinds = new WeakMap<SchemaCatalog, Map<string, Set<SchemaSourceKind>>>();

/** Every file the catalog holds a declaration from, with the kinds of source it was read as (once per catalog). */
function sourceKindsOf(catalog: SchemaCatalog): Map<string, Set<SchemaSourceKind>> {
  const cached = sourceKinds.get(catalog);
  if (cached) return cached;
  const byFile = new Map<string, Set<SchemaSourceKind>>();
  const add = (origin: SchemaOrigin): void => {
    let kinds = byFile.get(origin.filePath);
    if (!kinds) byFile.set(origin.filePath, (kinds = new Set()));
    kinds.add(origin.kind);
  };
  for (const table of catalog.tables()) {
    add(table.origin);
    for (const index of table.indexes) add(index.origin);
    for (const foreignKey of table.foreignKeys) add(foreignKey.origin);
  }
  for (const index of catalog.overridden) add(index.origin);
  for (const mapping of catalog.mappings) add(mapping.origin);
  for (const declared of catalog.declaredForeignKeys) add(declared.foreignKey.origin);
  sourceKinds.set(catalog, byFile);
  return byFile;
}
