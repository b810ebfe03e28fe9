import type { Fix, FileChange } from '../../../engine/model/finding';
import type { ParsedFile } from '../../../engine/source/parsed-file';
import type { SchemaCatalog } from '../../../engine/schema/catalog-model';
import { typeormEntityFacts } from '../../../engine/schema/orm-sources';
import type { ProjectView } from '../../../engine/workspace/project-view';
import type { IndexProposal } from '../index-proposal';
import { detectIndexNaming, proposedIndexName, type IndexNaming } from './index-naming';
import { mappingOf } from './orm-properties';
import { prismaCanDeclare, prismaSchemaChange } from './prisma-schema-fix';
import { projectIndexStyle } from './project-index-style';
import { migrationSlug, sqlMigration } from './sql-migration-fix';
import { sqlMigrationFolders } from './sql-migration-folder';
import { entityCanDeclare, typeormEntityChange } from './typeorm-entity-fix';
import { typeormMigration, typeormMigrationFolders } from './typeorm-migration-fix';
import { knexMigration, knexMigrationFolders } from './knex-migration-fix';
import { sequelizeMigration, sequelizeMigrationFolders } from './sequelize-migration-fix';
import { drizzleSchemaChange } from './drizzle-schema-fix';

export interface IndexFixContext {
  project: ProjectView;
  catalog: SchemaCatalog;
  /** The file the finding is in (the fix may touch others: a migration, an entity, schema.prisma). */
  file: ParsedFile;
  /** The clock new migrations are stamped with; tests pass a fixed one. */
  now?: () => Date;
}

/**
 * The fixes that add `proposal`'s index the way this project writes its indexes (see
 * `projectIndexStyle`): a new SQL migration in the detected folder and its file-name pattern, a
 * TypeORM migration class, `@Index` on the entity, or `@@index` in schema.prisma. An ORM
 * declaration is written together with the migration the ORM would generate from it, when the
 * project keeps migrations, so the schema and the migration history keep agreeing; a second fix
 * writes the index as a plain SQL migration when the project also has a SQL migration folder.
 *
 * None is preferred: each creates a migration that will run against production, and the index
 * (column order, partial predicate) deserves a read first. Fix-all must not write one migration
 * per finding either, as several findings often propose the same index.
 */
export function indexFixes(proposal: IndexProposal, context: IndexFixContext): Fix[] {
  if (proposal.keys.length === 0) return [];
  const { project, catalog } = context;
  const now = (context.now ?? (() => new Date()))();
  const table = proposal.table;
  const style = projectIndexStyle(table, catalog);
  const sqlFolder = sqlMigrationFolders(project, table)[0];
  const typeormFolder = typeormMigrationFolders(project)[0];
  const prisma = mappingOf(proposal, 'prisma', catalog.mappings);
  const entity = mappingOf(proposal, 'typeorm', catalog.mappings);
  const knexFolder = knexMigrationFolders(project)[0];
  const sequelizeFolder = sequelizeMigrationFolders(project)[0];
  const drizzle = mappingOf(proposal, 'drizzle', catalog.mappings);
  // With no index anywhere to vote, where the table itself was declared says how this project writes its schema.
  const jsStyle = style ?? table.origin.kind;
  const usesKnex = knexFolder !== undefined && jsStyle === 'knex-migration';
  const usesSequelize = sequelizeFolder !== undefined && (jsStyle === 'sequelize-migration' || jsStyle === 'sequelize-model');
  const usesDrizzle = drizzle !== undefined && (jsStyle === 'drizzle-schema' || !sqlFolder);
  const usesPrisma = prisma !== undefined && (style === 'prisma-schema' || (style === 'sql-migration' && sqlFolder?.kind === 'prisma') || (style === undefined && (!sqlFolder || sqlFolder.kind === 'prisma')));
  const usesEntities = entity !== undefined && (style === 'typeorm-entity' || (style === undefined && !sqlFolder && !typeormFolder));
  // Knex names an unnamed index `<table>_<columns>_index`.
  const fallbackNaming: IndexNaming = usesPrisma ? 'idx-suffix' : style === 'typeorm-migration' || usesEntities ? 'IDX-prefix' : usesKnex ? 'index-suffix' : 'idx-prefix';
  const name = proposedIndexName(proposal, catalog, detectIndexNaming(catalog, table.name, fallbackNaming));
  const slug = migrationSlug(name);
  const fixes: Fix[] = [];
  const fix = (how: string, changes: FileChange[]): void => {
    fixes.push({ title: `Create index ${name} (${how})`, isPreferred: false, changes });
  };
  const sqlFix = (note?: string): boolean => {
    if (!sqlFolder) return false;
    const written = sqlMigration(proposal, name, sqlFolder, now, note);
    fix(`new migration ${written.label}`, written.changes);
    return true;
  };
  /** The index as a plain SQL migration, after a fix that declares it in the ORM. */
  const sqlSecondary = (): void => {
    if (!sqlFolder) return;
    const written = sqlMigration(proposal, name, sqlFolder, now);
    fixes.push({ title: `Create index ${name} as a SQL migration (new migration ${written.label})`, isPreferred: false, changes: written.changes });
  };
  const classFix = (): boolean => {
    if (!typeormFolder) return false;
    const written = typeormMigration(proposal, name, slug, typeormFolder, now);
    // Projects that declare indexes on their entities generate migrations from them: declare it there too,
    // or the next `migration:generate` drops it.
    const entityChange = entity && entityCanDeclare(proposal, entity) && entitiesDeclareIndexes(project) ? typeormEntityChange(proposal, name, entity, project) : undefined;
    fix(`new migration ${written.label}${entityChange ? ` and @Index on ${entity!.name}` : ''}`, [...written.changes, ...(entityChange ? [entityChange] : [])]);
    return true;
  };

  if (usesPrisma) {
    const change = prismaCanDeclare(proposal, prisma) ? prismaSchemaChange(proposal, name, prisma, project) : undefined;
    if (change) {
      // `prisma migrate dev` would generate this very migration from the new @@index.
      const written = sqlFolder?.kind === 'prisma' ? sqlMigration(proposal, name, sqlFolder, now) : undefined;
      fix(`@@index in model ${prisma.name}${written ? ` and new migration ${written.label}` : ''}`, [change, ...(written?.changes ?? [])]);
      if (sqlFolder?.kind !== 'prisma') sqlSecondary();
    } else {
      sqlFix(`schema.prisma cannot declare a ${proposal.where ? 'partial' : 'expression'} index, so it lives only in this migration: check that migrations Prisma generates later do not drop it.`);
    }
    return fixes;
  }
  if (style === 'typeorm-migration' && classFix()) {
    sqlSecondary();
    return fixes;
  }
  if (usesEntities && entityCanDeclare(proposal, entity)) {
    const change = typeormEntityChange(proposal, name, entity, project);
    if (change) {
      const written = typeormFolder ? typeormMigration(proposal, name, slug, typeormFolder, now) : undefined;
      fix(`@Index on ${entity.name}${written ? ` and new migration ${written.label}` : ''}`, [change, ...(written?.changes ?? [])]);
      sqlSecondary();
      return fixes;
    }
  }
  const knexFix = (): boolean => {
    if (!knexFolder) return false;
    const written = knexMigration(proposal, name, slug, knexFolder, now);
    fix(`new Knex migration ${written.label}`, written.changes);
    return true;
  };
  const sequelizeFix = (): boolean => {
    if (!sequelizeFolder) return false;
    const written = sequelizeMigration(proposal, name, slug, sequelizeFolder, now);
    fix(`new Sequelize migration ${written.label}`, written.changes);
    return true;
  };
  if ((usesKnex && knexFix()) || (usesSequelize && sequelizeFix())) {
    sqlSecondary();
    return fixes;
  }
  if (usesDrizzle) {
    const change = drizzleSchemaChange(proposal, name, drizzle, project);
    if (change) {
      // A table whose CREATE TABLE is in SQL migrations has drizzle-kit migrations: it generates this index's from the schema.
      const kit = table.origin.kind === 'sql-migration' ? '; then drizzle-kit generate writes its migration' : '';
      fix(`index() on ${drizzle.name}${kit}`, [change]);
      sqlSecondary();
      return fixes;
    }
  }
  // SQL migrations, an ORM style this writer does not write (MikroORM, db-migrate), or an index the
  // ORM cannot declare: a SQL migration when there is a folder, else a TypeORM, Knex or Sequelize migration.
  if (!sqlFix() && !classFix() && !knexFix()) sequelizeFix();
  return fixes;
}

/** Whether any entity of the project declares an index with `@Index` / `@Unique`. */
function entitiesDeclareIndexes(project: ProjectView): boolean {
  return project.allFacts(typeormEntityFacts).some(({ facts }) => facts.entities.some((entity) => entity.indexes.length > 0));
}
