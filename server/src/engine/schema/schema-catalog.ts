import { ensureSqlParser, sqlParserReady } from '../sql/sql-gate';
import type { ProjectView } from '../workspace/project-view';
import { CatalogBuilder } from './catalog-builder';
import { SchemaCatalog, type CatalogIndex, type CatalogTable } from './catalog-model';
import { dbMigrateFacts, sqlMigrationFacts, typeormMigrationFacts, type MigrationFacts } from './migration-sources';
import { entityTables, prismaSchemaFacts, typeormEntityFacts, typeormNamingFacts } from './orm-sources';
import { sequelizeModelFacts } from './sequelize-sources';
import { drizzleSchemaFacts } from './drizzle-source';
import { mikroOrmEntityFacts } from './mikro-orm-source';
import { knexMigrationFacts } from './knex-migration-source';
import { sequelizeMigrationFacts } from './sequelize-migration-source';

/**
 * The schema catalog of one workspace folder. Migrations (SQL files, TypeORM migration classes)
 * are replayed in order; tables only an ORM declares (schema.prisma, TypeORM entities) are added
 * from their declarations. Where both know a table, the migrations win and the ORM's other
 * indexes are listed in `overridden`. Every input is a cached per-file fact, so an edit to a
 * service file re-extracts nothing and returns the same catalog object.
 */
const cache = new WeakMap<ProjectView, { inputs: unknown[]; catalog: SchemaCatalog }>();

/** The catalog, or undefined while the SQL parser is loading (unknown: a rule must not report). */
export function schemaCatalogOf(project: ProjectView): SchemaCatalog | undefined {
  if (!sqlParserReady()) return undefined;
  const sql = project.allFacts(sqlMigrationFacts);
  const typeorm = [...project.allFacts(typeormMigrationFacts), ...project.allFacts(dbMigrateFacts), ...project.allFacts(knexMigrationFacts), ...project.allFacts(sequelizeMigrationFacts)];
  const prisma = project.allFacts(prismaSchemaFacts);
  const entities = project.allFacts(typeormEntityFacts);
  const naming = project.allFacts(typeormNamingFacts);
  const sequelize = project.allFacts(sequelizeModelFacts);
  const drizzle = project.allFacts(drizzleSchemaFacts);
  const mikro = project.allFacts(mikroOrmEntityFacts);
  const inputs = [...sql, ...typeorm, ...prisma, ...entities, ...naming, ...sequelize, ...drizzle, ...mikro].map((entry) => entry.facts);
  const cached = cache.get(project);
  if (cached && cached.inputs.length === inputs.length && cached.inputs.every((value, i) => value === inputs[i])) return cached.catalog;
  const catalog = build(sql, typeorm, [...prisma, ...sequelize, ...drizzle, ...mikro], entities, naming.some((n) => n.facts.snakeCase));
  cache.set(project, { inputs, catalog });
  return catalog;
}

/** Loads the SQL parser if needed, then builds the catalog. */
export async function loadSchemaCatalog(project: ProjectView): Promise<SchemaCatalog> {
  await ensureSqlParser();
  return schemaCatalogOf(project) ?? new SchemaCatalog([], [{ filePath: project.root, reason: 'the SQL parser could not be loaded' }]);
}

type Facts<T> = Array<{ filePath: string; facts: T }>;

function build(
  sql: Facts<MigrationFacts>,
  typeorm: Facts<MigrationFacts>,
  prisma: Facts<{ tables: CatalogTable[] }>,
  entities: Facts<{ filePath: string; entities: import('./orm-sources').EntityDecl[] }>,
  snake: boolean,
): SchemaCatalog {
  const builder = new CatalogBuilder();
  const skipped: Array<{ filePath: string; reason: string }> = [];
  const migrations = [...sql, ...typeorm].filter((m) => m.facts.ops.length > 0 || m.facts.skipped);
  migrations.sort((a, b) => a.facts.orderKey.localeCompare(b.facts.orderKey, 'en', { numeric: true }) || a.filePath.localeCompare(b.filePath));
  for (const migration of migrations) {
    for (const op of migration.facts.ops) builder.apply(op);
    if (migration.facts.skipped) skipped.push({ filePath: migration.filePath, reason: migration.facts.skipped });
  }
  const overridden: CatalogIndex[] = [];
  const declared = [...prisma.flatMap((p) => p.facts.tables), ...entities.flatMap((e) => entityTables(e.filePath, e.facts.entities, snake))];
  for (const table of declared) {
    const existing = builder.table(table);
    if (!existing) {
      builder.tables.set(`${table.schema}.${table.name}`, { ...table, indexes: [...table.indexes], foreignKeys: [...table.foreignKeys], columns: [...table.columns] });
      continue;
    }
    for (const index of table.indexes) {
      const same = existing.indexes.some((i) => i.keys.map((k) => k.column ?? k.expression).join(',') === index.keys.map((k) => k.column ?? k.expression).join(','));
      if (!same) overridden.push(index);
    }
  }
  const mappings = declared.flatMap((table) => (table.mapping ? [table.mapping] : []));
  const declaredForeignKeys = declared.flatMap((table) => table.foreignKeys.map((foreignKey) => ({ table: table.name, schema: table.schema, foreignKey })));
  return new SchemaCatalog(builder.tables.values(), skipped, overridden, mappings, declaredForeignKeys);
}
